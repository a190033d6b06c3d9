// Placeholder replaced by the inspector.
import type { Me } from '../api-types.js';
import type { Route } from '../route.js';

export function InspectPage({ me }: { me: Me; route: Route }) {
  return <main class="page" id="main"><h1>Welcome, {me.user.name}</h1></main>;
}
