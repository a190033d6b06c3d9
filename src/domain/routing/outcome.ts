// A tip's outcome, read off where the routing chart stands (the state value): state is the state value, not
// a copy in context that ten actions keep in step. machines/routing.ts names the states; a test walks every
// state of the chart and checks each has the outcome below.

export const OUTCOMES = ['referred', 'legal-process', 'informational', 'bundled', 'rejected'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** XState's state value in structural form (`{ routing: { referral: 'selecting' }, clock: 'running' }`): the domain imports no library. */
export type StateValueLike = string | { [region: string]: StateValueLike | undefined };

/** The child state of `value` under `key`, as a value (undefined when `key` is not active). */
const childOf = (value: StateValueLike | undefined, key: string): StateValueLike | undefined =>
  value === undefined || typeof value === 'string' ? undefined : value[key];

/** The name of the active child: `'selecting'` for `'selecting'` or `{ selecting: … }`. */
function activeChild(value: StateValueLike | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : Object.keys(value)[0];
}

const isOutcome = (name: string | undefined): name is Outcome => (OUTCOMES as readonly string[]).includes(name ?? '');

/**
 * The outcome of the tip in this state of the chart, or null while none is decided:
 * - `closed.<outcome>`: that outcome (each final state of `closed` is named after its outcome);
 * - `referral.awaitingAcknowledgement` and `referral.acknowledgementOverdue`: referred (the agency has the tip;
 *   a decline takes it back to selection, and the outcome with it);
 * - `legalProcess.*`: legal process, until subscriber information or a new indicator sends the tip back to
 *   geolocation, or the records or the preservation run out (then `closed.informational`);
 * - intake, triage, geolocation and route selection: none yet.
 */
export function outcomeOf(value: StateValueLike): Outcome | null {
  const routing = childOf(value, 'routing');
  const phase = activeChild(routing);
  const step = activeChild(childOf(routing, phase ?? ''));
  switch (phase) {
    case 'closed':
      return isOutcome(step) ? step : null;
    case 'referral':
      return step === 'awaitingAcknowledgement' || step === 'acknowledgementOverdue' ? 'referred' : null;
    case 'legalProcess':
      return 'legal-process';
    default:
      return null;
  }
}
