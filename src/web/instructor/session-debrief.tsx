// One trainee's session as the instructor reads it (#/session/<id>, issue 18 item 2): where it stands, its
// debrief (at any time, open or closed, released or not) and its replay timeline in the analyst's words,
// with a link to step through it in the inspector.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import type { Progress, ReplayStep } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';
import { DebriefView } from '../trainee/debrief-view.js';
import { elapsed, PHASE_LABEL, utc } from './format.js';

interface Timeline {
  sessionId: string;
  trainee: { id: string; name: string; displayName: string | null } | null;
  steps: ReplayStep[];
}

export function SessionDebrief({ id }: { id: string }) {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let alive = true;
    const path = `/api/sessions/${encodeURIComponent(id)}`;
    Promise.all([api<{ progress: Progress }>('GET', `${path}/progress`), api<Timeline>('GET', `${path}/timeline`)])
      .then(([p, t]) => {
        if (!alive) return;
        setProgress(p.progress);
        setTimeline(t);
        setError(null);
      })
      .catch((e: unknown) => alive && setError(e));
    return () => {
      alive = false;
    };
  }, [id, reloads]);

  const who = timeline?.trainee === null || timeline === null ? 'A trainee' : (timeline.trainee.displayName ?? timeline.trainee.name);
  const title = progress === null ? '' : (progress.exerciseTitle ?? progress.exerciseId ?? 'a tip');
  useEffect(() => {
    if (progress !== null) document.title = `${who}: ${title} · tipflow`;
  }, [who, title, progress]);

  return (
    <>
      <p class="crumbs">
        <a
          href="#/"
          onClick={(e) => {
            if (history.length > 1) {
              e.preventDefault();
              history.back();
            }
          }}
        >
          ← Back
        </a>
      </p>
      <ErrorNote error={error} />
      {progress === null || timeline === null ? (
        error === null ? (
          <p role="status">Loading the session…</p>
        ) : null
      ) : (
        <>
          <div class="spread">
            <h1>
              {who}: {title}
            </h1>
            <p class="small">
              <a href={`/inspect#/session/${encodeURIComponent(id)}`}>Replay step by step in the inspector</a>
            </p>
          </div>
          <p class="lede">
            {progress.mode === 'assessment' ? 'Assessment' : 'Practice'} session ·{' '}
            {progress.closed ? `closed, ${progress.words.outcome ?? 'finished'}` : `open, ${PHASE_LABEL[progress.phase] ?? progress.phase} (${progress.words.where})`} · simulated time {elapsed(progress.clock.elapsedMs)}, now {utc(progress.clock.now)}
            {timeline.trainee === null ? null : <span class="muted"> · signs in as {timeline.trainee.name}</span>}
          </p>
          {progress.closed ? null : <p class="note small">The tip is still open: this debrief grades the decisions made so far and counts those not reached yet as missed.</p>}
          <DebriefView key={`${id}-${reloads}`} sessionId={id} appended={0} />
          <ReplayTimeline steps={timeline.steps} />
          <button type="button" class="secondary" onClick={() => setReloads((n) => n + 1)}>
            Reload this session
          </button>
        </>
      )}
    </>
  );
}

function ReplayTimeline({ steps }: { steps: ReplayStep[] }) {
  return (
    <section class="card replay" aria-labelledby="replay-title">
      <h2 id="replay-title">Replay timeline</h2>
      <p class="small muted">Every record of the session's log, oldest first, in simulated time (UTC).</p>
      <div class="table-wrap" role="region" aria-labelledby="replay-title" tabIndex={0}>
        <table class="replay-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Simulated time</th>
              <th scope="col">By</th>
              <th scope="col">What happened</th>
              <th scope="col">Where the tip was then</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s) => (
              <tr key={s.seq} data-seq={s.seq}>
                <td class="mono">{s.seq}</td>
                <td class="mono">{utc(s.at)}</td>
                <td>{s.by}</td>
                <td>
                  {s.what.charAt(0).toUpperCase() + s.what.slice(1)}
                  <span class="cell-note mono">{s.type}</span>
                </td>
                <td>{s.where ?? <span class="muted">—</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
