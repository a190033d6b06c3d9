// Your account (#/account): who you are signed in as, and changing your password. Shown instead of every
// other page while a one-time password (an instructor's reset) has not been replaced.
import { useEffect } from 'preact/hooks';
import type { Me } from '../api-types.js';
import { ChangePasswordForm } from '../components/change-password.js';

export function AccountPage({ me, onChanged }: { me: Me; onChanged: () => void }) {
  const oneTime = me.user.mustChangePassword === true;
  useEffect(() => {
    document.title = 'Your account · tipflow';
  }, []);
  return (
    <main class="page narrow account" id="main">
      <h1>Your account</h1>
      <p class="lede">
        You sign in as <strong class="mono">{me.user.name}</strong>
        {me.user.displayName === undefined ? null : <> and are shown as <strong>{me.user.displayName}</strong></>} ({me.user.role}).
      </p>
      <ChangePasswordForm oneTime={oneTime} onChanged={onChanged} />
      {oneTime ? null : (
        <p>
          <a href="#/">← Back</a>
        </p>
      )}
    </main>
  );
}
