// Every session of every trainee of the cohort (issue 18, item 2): all attempts in both modes, open ones
// first so an open assessment never hides behind a later practice session, each with its phase, last
// decision, simulated clock, rating so far and the injects already sent, and a link to its debrief and
// replay (#/session/<id>). Rows change in place as trainees step; a legend says what the activity words mean.
import { useEffect, useState } from 'preact/hooks';
import type { Progress, TraineeProgress } from '../api-types.js';
import { AttemptsDetail } from './attempts-detail.js';
import { elapsed, PHASE_LABEL, RATING_WORDS, traineeLabel, utc } from './format.js';
import { ResetPassword } from './reset-password.js';

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
        <>
          <div class="table-wrap" role="region" aria-label="Trainees' sessions" tabIndex={0}>
            <table class="grid-table">
              <caption class="visually-hidden">Every session of each trainee, open ones first; open a session to read its debrief and replay</caption>
              <thead>
                <tr>
                  <th scope="col">Trainee</th>
                  <th scope="col">Session</th>
                  <th scope="col">Phase</th>
                  <th scope="col">Last decision</th>
                  <th scope="col">Simulated clock</th>
                  <th scope="col">Rating so far</th>
                  <th scope="col">Activity</th>
                </tr>
              </thead>
              {rows.map((r) => (
                <TraineeRows key={r.id} row={r} touched={touched} now={now} attempts={attempts} />
              ))}
            </table>
          </div>
          <ActivityLegend />
        </>
      )}
    </section>
  );
}

export function ActivityLegend() {
  return (
    <dl class="legend small" aria-label="What the activity column says">
      <div>
        <dt>
          <span class="live-dot" aria-hidden="true" /> active
        </dt>
        <dd>the trainee did something in the last {ACTIVE_MS / 60_000} minutes</dd>
      </div>
      <div>
        <dt>
          <span class="live-dot off" aria-hidden="true" /> idle
        </dt>
        <dd>the tip is still open, but nothing happened for {ACTIVE_MS / 60_000} minutes or more (or since you opened this page)</dd>
      </div>
      <div>
        <dt>
          <span class="live-dot off" aria-hidden="true" /> finished
        </dt>
        <dd>the tip is closed; the debrief is ready to read</dd>
      </div>
      <div>
        <dt>
          <span class="live-dot off" aria-hidden="true" /> waiting
        </dt>
        <dd>joined, but has not started an exercise yet</dd>
      </div>
    </dl>
  );
}

function TraineeRows({ row, touched, now, attempts }: { row: TraineeProgress; touched: ReadonlyMap<string, number>; now: number; attempts: GridAttempts }) {
  const sessions = row.all;
  const numberOf = new Map(row.attempts.map((a) => [a.sessionId, a.number]));
  const head = (
    <th scope="rowgroup" rowSpan={Math.max(1, sessions.length)} class="cell-trainee">
      {traineeLabel(row)}
      {row.displayName === null ? null : <div class="small muted mono">{row.name}</div>}
      {row.sessions > 1 ? <div class="small muted">{row.sessions} sessions</div> : null}
      <AttemptsDetail cohortId={attempts.cohortId} row={row} titleOf={attempts.titleOf} onGranted={attempts.reload} />
      <ResetPassword cohortId={attempts.cohortId} trainee={row} />
    </th>
  );
  if (sessions.length === 0) {
    return (
      <tbody data-owner={row.name}>
        <tr data-trainee={row.name}>
          {head}
          <td colSpan={5} class="muted">
            Has not started an exercise yet
          </td>
          <td class="cell-live">
            <span class="live-dot off" aria-hidden="true" />
            waiting
          </td>
        </tr>
      </tbody>
    );
  }
  return (
    <tbody data-owner={row.name}>
      {sessions.map((p, i) => (
        <SessionRow key={p.sessionId} p={p} trainee={row} number={numberOf.get(p.sessionId) ?? null} head={i === 0 ? head : null} lastAppend={touched.get(p.sessionId)} now={now} />
      ))}
    </tbody>
  );
}

function SessionRow({ p, trainee, number, head, lastAppend, now }: { p: Progress; trainee: TraineeProgress; number: number | null; head: preact.JSX.Element | null; lastAppend: number | undefined; now: number }) {
  const active = lastAppend !== undefined && now - lastAppend < ACTIVE_MS;
  const title = p.exerciseTitle ?? p.exerciseId ?? 'a tip without exercise';
  const mode = p.mode === 'assessment' ? 'Assessment' : 'Practice';
  return (
    <tr data-trainee={trainee.name} data-session={p.sessionId} class={p.closed ? 'closed' : 'open'}>
      {head}
      <td class="cell-exercise">
        <a href={`#/session/${encodeURIComponent(p.sessionId)}`}>
          {title}
          <span class="visually-hidden">
            {' '}
            — {traineeLabel(trainee)}'s {p.mode}
            {number === null ? '' : ` #${number}`}: debrief and replay
          </span>
        </a>
        <div class="small muted">
          {mode}
          {number === null ? '' : ` #${number}`}
        </div>
        <div class="small cell-injects">
          Injects sent: {p.injectsSent.length === 0 ? <span class="muted">none</span> : <span class="mono">{p.injectsSent.join(', ')}</span>}
        </div>
      </td>
      <td class="cell-phase">
        <PhaseCell p={p} />
      </td>
      <td class="cell-decision">
        {p.lastDecision === null ? (
          <span class="muted">none yet</span>
        ) : (
          <>
            <span class="decision-point">{p.words.point ?? p.lastDecision.point}:</span> {p.lastDecision.summary} <span class={`badge ${p.lastDecision.verdict}`}>{p.lastDecision.verdict === 'partly' ? 'partly right' : p.lastDecision.verdict}</span>
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
      <td class="cell-live">
        <span class={`live-dot${active ? '' : ' off'}`} aria-hidden="true" />
        {active ? 'active' : p.closed ? 'finished' : 'idle'}
      </td>
    </tr>
  );
}

function PhaseCell({ p }: { p: Progress }) {
  if (p.closed) {
    return (
      <>
        <span class="phase-tag closed">Closed</span>
        {p.words.outcome === null ? null : <div class="small muted">{p.words.outcome}</div>}
      </>
    );
  }
  return (
    <>
      <span class={`phase-tag ${p.phase}`}>{PHASE_LABEL[p.phase] ?? p.phase}</span>
      <div class="small muted">{p.words.where}</div>
    </>
  );
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
