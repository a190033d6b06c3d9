// A trainee forgot their password (issue 18, item 3): the instructor gives them a new one-time password,
// shown here once. Asked first, since it ends the trainee's sign-ins; the trainee must choose their own
// password at the next sign-in.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import type { TraineeProgress } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';
import { traineeLabel } from './format.js';

interface Reset {
  password: string;
  signedOut: number;
}

export function ResetPassword({ cohortId, trainee }: { cohortId: string; trainee: TraineeProgress }) {
  const [asking, setAsking] = useState(false);
  const [reset, setReset] = useState<Reset | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const who = traineeLabel(trainee);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const reply = await api<Reset>('POST', `/api/cohorts/${encodeURIComponent(cohortId)}/members/${encodeURIComponent(trainee.id)}/password`);
      setReset({ password: reply.password, signedOut: reply.signedOut });
      setAsking(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="reset-password">
      {asking ? (
        <div class="note" role="group" aria-label={`Reset ${who}'s password?`}>
          <p class="small">Give {who} a new one-time password? Their sign-ins end now; they choose their own password when they next sign in.</p>
          <button type="button" disabled={busy} onClick={() => void confirm()}>
            Yes, reset it
          </button>{' '}
          <button type="button" class="secondary" onClick={() => setAsking(false)}>
            No
          </button>
        </div>
      ) : (
        <button
          type="button"
          class="link small"
          onClick={() => {
            setReset(null);
            setAsking(true);
          }}
        >
          Reset password<span class="visually-hidden"> of {who}</span>
        </button>
      )}
      <div role="status">
        {reset === null ? null : (
          <p class="small one-time">
            One-time password for <span class="mono">{trainee.name}</span>: <strong class="mono one-time-password">{reset.password}</strong>
            <span class="cell-note">Give it to {who} now: it is shown only this once. {reset.signedOut === 0 ? 'They were not signed in.' : `${reset.signedOut} sign-in${reset.signedOut === 1 ? '' : 's'} ended.`}</span>
          </p>
        )}
      </div>
      <ErrorNote error={error} />
    </div>
  );
}
