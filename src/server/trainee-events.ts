// What a session's trainee may send (DESIGN §10, invariant 14): decisions only. The world's events (an
// agency's answer, a subscriber return, a preservation, a new indicator, a supplemental report) come from
// the exercise's schedule or the instructor's inject route, never from the trainee's own requests; and an
// instructor does not decide for a trainee. Refused with 403 and a plain message, before anything is recorded.
import { decisionRefusal } from '../domain/routing/decision-rules.js';
import { assessmentEventProblem } from '../domain/routing/assessment-mode.js';
import { DECISION_EVENT_TYPES, INJECT_EVENT_TYPES, parseRoutingEvent } from '../domain/events.js';
import { formatIssues } from '../domain/tip/parse.js';
import type { Engine, Refusal, RoutingSession } from '../engine/index.js';
import type { User } from '../store/account-store.js';
import type { StoredSession } from '../store/event-store.js';
import { forbidden, HttpError } from './http-errors.js';

const DECISIONS: ReadonlySet<string> = new Set(DECISION_EVENT_TYPES);
const WORLD: ReadonlySet<string> = new Set(INJECT_EVENT_TYPES);

/** The decision events among a list of event types (what a view or refusal may offer a trainee). */
export const decisionsOnly = (types: readonly string[]): string[] => types.filter((t) => DECISIONS.has(t));

/** A session's most records: a change once its log holds this many is answered 422 (docs/server.md). */
export const MAX_SESSION_RECORDS = 1_000;

/** Throws 422 when the session's log is full: nothing more is recorded in it. */
export function assertRoom(stored: StoredSession): void {
  if (stored.lastSeq + 1 >= MAX_SESSION_RECORDS) {
    throw new HttpError(422, { error: `this session's log is full (${MAX_SESSION_RECORDS} records): nothing more can be recorded in it; start a new session`, limit: MAX_SESSION_RECORDS });
  }
}

/** Throws 403 unless `user` is the session's trainee and `type` a decision. */
export function assertTraineeDecision(user: User, stored: StoredSession, type: string): void {
  if (user.id !== stored.owner) throw forbidden("decisions are the trainee's own: an instructor sends the exercise's injects (POST /api/sessions/:id/injects)");
  if (WORLD.has(type)) {
    throw forbidden(`${type} comes from the exercise (its schedule, or your instructor's injects), not from the trainee: a trainee sends decisions only (${DECISION_EVENT_TYPES.join(', ')})`);
  }
}

/** The assessment's own rule at the edge (assessment-mode.ts): a 422 refusal, or null. */
export function assessmentRefusal(stored: StoredSession, session: RoutingSession, event: unknown): Refusal | null {
  if (stored.mode !== 'assessment') return null;
  const problem = assessmentEventProblem(event);
  return problem === null ? null : { message: problem, allowed: decisionsOnly(session.allowedEvents()) };
}

/** A decision the machine has no transition for here, refused in a trainee's terms (decisions only), or null. */
export function notAllowedRefusal(session: RoutingSession, type: string): Refusal | null {
  if (!DECISIONS.has(type) || session.closed) return null;
  const allowed = decisionsOnly(session.allowedEvents());
  if (allowed.includes(type)) return null;
  return { message: `${type} is not allowed in ${session.state}; allowed here: ${allowed.join(', ') || 'nothing (wait for the clock or an inject)'}`, code: 'NOT_ALLOWED_HERE', allowed };
}

/**
 * Whether the engine would take `event` now, without taking it: null when it would, else the refusal a
 * send would get (the same rule, decisionRefusal, with its code and the same words). Nothing changes in the session.
 */
export function checkDecision(engine: Engine, session: RoutingSession, event: unknown): Refusal | null {
  const allowed = decisionsOnly(session.allowedEvents());
  const parsed = parseRoutingEvent(event);
  if (!parsed.ok) return { message: `not a valid event:\n${formatIssues(parsed.issues)}`, code: 'INVALID_EVENT', allowed, issues: parsed.issues };
  const type = parsed.value.type;
  if (session.closed) return { message: `the tip is closed (${session.state}); it accepts no more events`, code: 'TIP_CLOSED', allowed: [] };
  if (session.snapshot.can(parsed.value)) return null;
  const notAllowed = notAllowedRefusal(session, type);
  if (notAllowed !== null) return notAllowed;
  const problem = decisionRefusal(session.context, parsed.value, engine.reference);
  return { message: `${type} refused in ${session.state}: ${problem?.message ?? 'no transition accepts it here'}`, code: problem?.code ?? 'NO_TRANSITION', allowed };
}
