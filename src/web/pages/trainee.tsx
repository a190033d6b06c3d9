// The trainee's pages: home (#/) and one session (#/session/<id>). Announcements (a decision saved, what
// a wait fired, an undo) go to one polite live region that outlives the page it came from.
import { useCallback, useState } from 'preact/hooks';
import type { Me } from '../api-types.js';
import type { Route } from '../route.js';
import { TraineeHome } from '../trainee/home.js';
import { SessionPage } from '../trainee/session-page.js';

export function TraineePage({ me, route }: { me: Me; route: Route }) {
  const [announcement, setAnnouncement] = useState('');
  // The same words twice still change the region (a no-break space), so they are announced again.
  const announce = useCallback((text: string) => setAnnouncement((previous) => (previous === text ? `${text}\u00a0` : text)), []);
  const sessionId = route.parts[0] === 'session' ? route.parts[1] : undefined;
  return (
    <>
      {sessionId === undefined ? <TraineeHome me={me} /> : <SessionPage key={sessionId} id={sessionId} announce={announce} />}
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" id="announcer">
        {announcement}
      </div>
    </>
  );
}
