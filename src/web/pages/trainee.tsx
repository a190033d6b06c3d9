// Placeholder replaced by the trainee view.
import type { Me } from '../api-types.js';
import type { Route } from '../route.js';

export function TraineePage({ me }: { me: Me; route: Route }) {
  return <main class="page" id="main"><h1>Welcome, {me.user.name}</h1></main>;
}
