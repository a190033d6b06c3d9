// One row per trainee of the cohort: the exercise of their newest session, its phase, their last decision,
// the simulated clock and the rating of their decisions so far; rows change in place as trainees step.
import { useEffect, useState } from 'preact/hooks';
import type { Progress, TraineeProgress } from '../api-types.js';
import { AttemptsDetail, NewestPerMode } from './attempts-detail.js';
import { elapsed, PHASE_LABEL, RATING_WORDS, utc } from './format.js';

/** A session counts as active for this long after its last append (wall clock). */
const ACTIVE_MS = 2 * 60_000;

export interface GridAttempts {
  cohortId: string;
  titleOf: (exerciseId: string) => string;
  /** Reloads the grid (after a grant). */
  reload: () => void;
}

export function LiveGrid({ rows, live, touched, attempts }: { rows: TraineeProgress[] | null; live: boolean; touched: ReadonlyMap<string, number>; attempts: GridAttempts }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  return (
    <section class="card live-grid" aria-labelledby="grid-title">
      <div class="spread">
        <h2 id="grid-title">Trainees</h2>
        <p class="small" role="status">
          <span class={`live-dot${live ? '' : ' off'}`} aria-hidden="true" />
          {live ? 'Live: rows update as trainees work' : 'Not connected: reconnecting…'}
        </p>
      </div>
      {rows === null ? (
        <p role="status">Loading trainees…</p>
      ) : rows.length === 0 ? (
        <p class="muted">No trainee has joined yet. Give them the join code above.</p>
      ) : (
        <div class="table-wrap" role="region" aria-label="Trainees' progress" tabIndex={0}>
          <table class="grid-table">
            <caption class="visually-hidden">Trainees' progress, newest session each</caption>
            <thead>
              <tr>
                <th scope="col">Trainee</th>
                <th scope="col">Exercise</th>
                <th scope="col">Phase</th>
                <th scope="col">Last decision</th>
                <th scope="col">Simulated clock</th>
                <th scope="col">Rating so far</th>
                <th scope="col">Activity</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <TraineeRow key={r.id} row={r} lastAppend={r.progress === null ? undefined : touched.get(r.progress.sessionId)} now={now} attempts={attempts} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function TraineeRow({ row, lastAppend, now, attempts }: { row: TraineeProgress; lastAppend: number | undefined; now: number; attempts: GridAttempts }) {
  const p = row.progress;
  const active = lastAppend !== undefined && now - lastAppend < ACTIVE_MS;
  return (
    <tr data-trainee={row.name} data-session={p?.sessionId}>
      <th scope="row">
        {row.name}
        {row.sessions > 1 ? <div class="small muted">{row.sessions} sessions</div> : null}
        <NewestPerMode row={row} />
        <AttemptsDetail cohortId={attempts.cohortId} row={row} titleOf={attempts.titleOf} onGranted={attempts.reload} />
      </th>
      {p === null ? (
        <td colSpan={5} class="muted">
          Has not started an exercise yet
        </td>
      ) : (
        <>
          <td class="cell-exercise">
            {p.exerciseTitle ?? p.exerciseId ?? 'a tip without exercise'}
            <div class="small muted">{p.mode}</div>
          </td>
          <td class="cell-phase">
            <PhaseCell p={p} />
          </td>
          <td class="cell-decision">
            {p.lastDecision === null ? (
              <span class="muted">none yet</span>
            ) : (
              <>
                <span class="decision-point">{p.lastDecision.point}:</span> {p.lastDecision.summary} <span class={`badge ${p.lastDecision.verdict}`}>{p.lastDecision.verdict === 'partly' ? 'partly right' : p.lastDecision.verdict}</span>
              </>
            )}
          </td>
          <td class="cell-clock">
            <span class="mono">{elapsed(p.clock.elapsedMs)}</span>
            <div class="small muted">{utc(p.clock.now)}</div>
          </td>
          <td class="cell-rating">
            <RatingCell p={p} />
          </td>
        </>
      )}
      <td class="cell-live">
        <span class={`live-dot${active ? '' : ' off'}`} aria-hidden="true" />
        {p === null ? 'waiting' : active ? 'active' : p.closed ? 'finished' : 'idle'}
      </td>
    </tr>
  );
}

function PhaseCell({ p }: { p: Progress }) {
  if (p.closed) {
    return (
      <>
        <span class="phase-tag closed">Closed</span>
        {p.outcome === null ? null : <div class="small muted">{p.outcome}</div>}
      </>
    );
  }
  return <span class={`phase-tag ${p.phase}`}>{PHASE_LABEL[p.phase] ?? p.phase}</span>;
}

function RatingCell({ p }: { p: Progress }) {
  const { rating, right, partly, wrong } = p.soFar;
  if (rating === null) return <span class="muted">no decision yet</span>;
  return (
    <>
      <span class={`badge ${rating}`} title={RATING_WORDS[rating]}>
        {rating}
      </span>
      <span class="visually-hidden">({RATING_WORDS[rating]})</span>
      <div class="small muted counts">
        {right} right · {partly} partly · {wrong} wrong
      </div>
    </>
  );
}
