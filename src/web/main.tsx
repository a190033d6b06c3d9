// The web app's entry: who is signed in, and which page to show. Pages are chosen by the path and the
// hash (#/session/<id>, #/cohort/<id>), so reloading keeps the place and the back button works.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, saveToken, savedToken } from './api.js';
import type { Me } from './api-types.js';
import { LoginPage } from './pages/login.js';
import { TraineePage } from './pages/trainee.js';
import { InstructorPage } from './pages/instructor.js';
import { InspectPage } from './pages/inspect.js';
import { AccountPage } from './pages/account.js';
import { useRoute } from './route.js';

function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(savedToken() !== null);
  const route = useRoute();

  useEffect(() => {
    if (savedToken() === null) return;
    api<Me>('GET', '/api/me')
      .then(setMe)
      .catch(() => saveToken(null))
      .finally(() => setChecking(false));
  }, []);

  const signOut = async () => {
    try {
      await api('POST', '/api/logout');
    } catch {
      // Signed out either way.
    }
    saveToken(null);
    setMe(null);
    location.hash = '';
  };

  const reloadMe = () => void api<Me>('GET', '/api/me').then(setMe, () => undefined);

  if (checking) return <main class="page"><p role="status">Loading…</p></main>;
  if (me === null) return <LoginPage onSignedIn={setMe} />;
  return (
    <>
      <header class="topbar">
        <a class="brand" href="/" aria-label="tipflow home">tipflow</a>
        <span class="topbar-note">Training simulator · synthetic, contentless tips</span>
        <nav aria-label="Account" class="topbar-account">
          {me.user.role === 'instructor' ? <a href="/inspect">Inspector</a> : null}
          <a href="/#/account" title="Your account: change your password">
            {me.user.displayName ?? me.user.name} <span class="muted">({me.user.role})</span>
          </a>
          <button type="button" class="link" onClick={() => void signOut()}>
            Sign out
          </button>
        </nav>
      </header>
      {me.user.mustChangePassword === true || (route.path !== '/inspect' && route.parts[0] === 'account') ? (
        <AccountPage me={me} onChanged={reloadMe} />
      ) : route.path === '/inspect' ? <InspectPage me={me} route={route} /> : me.user.role === 'instructor' ? <InstructorPage me={me} route={route} /> : <TraineePage me={me} route={route} />}
    </>
  );
}

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
