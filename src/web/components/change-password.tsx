// Change one's own password (issue 18, item 3): the current one, then the new one twice. After an
// instructor's reset the "current" password is the one-time password they gave; every other sign-in ends.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorNote } from './error-note.js';

const MIN_PASSWORD = 10;

export function ChangePasswordForm({ oneTime, onChanged }: { oneTime: boolean; onChanged: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const current = String(form.get('current') ?? '');
    const next = String(form.get('next') ?? '');
    if (next !== String(form.get('again') ?? '')) {
      setError(new Error('The two new passwords are not the same.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api('POST', '/api/password', { current, next });
      formElement.reset();
      setDone(true);
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card change-password" onSubmit={(e) => void submit(e)} aria-labelledby="password-title">
      <h2 id="password-title">{oneTime ? 'Choose a new password' : 'Change your password'}</h2>
      {oneTime ? <p>Your instructor reset your password. Choose your own before you go on: the one-time password stops working once you do.</p> : <p class="small muted">Your other sign-ins (another browser, another tab) end when the password changes; this one goes on.</p>}
      <label>
        {oneTime ? 'One-time password' : 'Current password'}
        <input name="current" type="password" autocomplete="current-password" required />
      </label>
      <label>
        New password <span class="muted">({MIN_PASSWORD} characters or more)</span>
        <input name="next" type="password" autocomplete="new-password" required minLength={MIN_PASSWORD} />
      </label>
      <label>
        New password again
        <input name="again" type="password" autocomplete="new-password" required minLength={MIN_PASSWORD} />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
      <ErrorNote error={error} />
      <p role="status" class="small">
        {done ? 'Your password is changed.' : null}
      </p>
    </form>
  );
}
