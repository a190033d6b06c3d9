// Sign in (instructors and returning trainees) or join a class with the code the instructor gave.
import { useState } from 'preact/hooks';
import { api, ApiError, saveToken } from '../api.js';
import type { Me, User } from '../api-types.js';
import { ErrorNote } from '../components/error-note.js';

export function LoginPage({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (path: '/api/login' | '/api/join', body: Record<string, string>) => {
    setBusy(true);
    setError(null);
    try {
      const reply = await api<{ token: string; user: User }>('POST', path, body);
      saveToken(reply.token);
      onSignedIn(await api<Me>('GET', '/api/me'));
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? new Error('That name and password do not match.') : e);
    } finally {
      setBusy(false);
    }
  };

  const onLogin = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    void submit('/api/login', { name: String(form.get('name') ?? ''), password: String(form.get('password') ?? '') });
  };
  const onJoin = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const displayName = String(form.get('displayName') ?? '').trim();
    void submit('/api/join', {
      code: String(form.get('code') ?? '').trim().toUpperCase(),
      name: String(form.get('name') ?? '').trim(),
      password: String(form.get('password') ?? ''),
      ...(displayName === '' ? {} : { displayName }),
    });
  };

  return (
    <main class="page narrow" id="main">
      <h1>tipflow</h1>
      <p class="lede">
        A training simulator for routing CyberTipline-style reports. Every tip here is <strong>synthetic and contentless</strong>: metadata only, documentation IP addresses, fictional names.
      </p>
      <ErrorNote error={error} />
      <div class="cards two">
        <form class="card" onSubmit={onLogin} aria-labelledby="signin-title">
          <h2 id="signin-title">Sign in</h2>
          <label>
            Name
            <input name="name" autocomplete="username" required maxLength={40} />
          </label>
          <label>
            Password
            <input name="password" type="password" autocomplete="current-password" required />
          </label>
          <button type="submit" disabled={busy}>
            Sign in
          </button>
        </form>
        <form class="card" onSubmit={onJoin} aria-labelledby="join-title">
          <h2 id="join-title">Join a class</h2>
          <label>
            Join code <span class="muted">(from your instructor)</span>
            <input name="code" required pattern="[A-Za-z0-9]{6,12}" autocomplete="off" />
          </label>
          <label>
            Choose a name <span class="muted">(to sign in)</span>
            <input name="name" autocomplete="username" required pattern="[A-Za-z0-9][A-Za-z0-9._\-]{1,39}" maxLength={40} aria-describedby="join-name-rule" />
          </label>
          <p class="small muted field-note" id="join-name-rule">
            2 to 40 letters, digits, dots, hyphens or underscores, no spaces: <span class="mono">jones</span> or <span class="mono">j.jones-2</span>. Your instructor's screens can show a fuller name, below.
          </p>
          <label>
            Name to show <span class="muted">(optional, spaces allowed: Officer Jones)</span>
            <input name="displayName" autocomplete="name" maxLength={60} />
          </label>
          <label>
            Choose a password <span class="muted">(10 characters or more)</span>
            <input name="password" type="password" autocomplete="new-password" required minLength={10} />
          </label>
          <button type="submit" disabled={busy}>
            Join
          </button>
        </form>
      </div>
    </main>
  );
}
