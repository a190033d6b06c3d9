// How a trainee may take an exercise (DESIGN §10, issue 14): the modes and assessment attempts their
// cohorts' assignments give them, and how many assessment attempts they used. An exercise offered without
// an assignment (a cohort with none, or no cohort) keeps free play: both modes, no attempt limit.
import type { AccountStore, AssignmentMode, User } from '../store/account-store.js';
import type { EventStore } from '../store/event-store.js';
import { forbidden, HttpError } from './http-errors.js';
import { attemptIdOf } from './passwords.js';

export type SessionMode = 'practice' | 'assessment';

export interface TakePolicy {
  /** The modes the trainee may start the exercise in. */
  modes: SessionMode[];
  /** Assessment attempts: null when there is no limit (free play). */
  attempts: { allowed: number; used: number } | null;
}

const modesOf = (mode: AssignmentMode): SessionMode[] => (mode === 'both' ? ['practice', 'assessment'] : [mode]);

export interface Attempts {
  /** The trainee's policy for an exercise they are offered. */
  policyFor(user: User, exerciseId: string): Promise<TakePolicy>;
  /**
   * Throws 403 when the mode is not assigned, 409 when no assessment attempt is left. Returns the id the
   * session of a counted assessment attempt takes (attemptIdOf), or null when any id will do.
   */
  assertMayStart(user: User, exerciseId: string, mode: SessionMode): Promise<string | null>;
  /** Throws 403 when the exercise is assigned to the trainee for assessment only (no hints). */
  assertMayPractise(ownerId: string | null, exerciseId: string | null): Promise<void>;
}

export function createAttempts({ accounts, events }: { accounts: AccountStore; events: EventStore }): Attempts {
  const policyOf = async (userId: string, exerciseId: string): Promise<TakePolicy> => (await counted(userId, exerciseId)).policy;

  /** The policy, and the moment its assessment attempts are counted from ('' when they are not counted). */
  async function counted(userId: string, exerciseId: string): Promise<{ policy: TakePolicy; since: string }> {
    const cohorts = await accounts.cohortsOfMember(userId);
    const assignmentsOf = await Promise.all(cohorts.map((c) => accounts.assignments(c.id)));
    const assigning = cohorts.flatMap((c, i) => (assignmentsOf[i] ?? []).filter((a) => a.exerciseId === exerciseId).map((a) => ({ cohort: c, assignment: a })));
    if (assigning.length === 0) return { policy: { modes: ['practice', 'assessment'], attempts: null }, since: '' };
    const modes = new Set(assigning.flatMap(({ assignment }) => modesOf(assignment.mode)));
    const assessing = assigning.filter(({ assignment }) => assignment.mode !== 'practice');
    if (assessing.length === 0) return { policy: { modes: [...modes], attempts: null }, since: '' };
    const grantsOf = await Promise.all(assessing.map(({ cohort }) => accounts.grants(cohort.id)));
    const granted = grantsOf.reduce((n, grants) => n + grants.filter((g) => g.exerciseId === exerciseId && g.traineeId === userId).length, 0);
    const allowed = Math.max(...assessing.map(({ assignment }) => assignment.attempts)) + granted;
    // Attempts are counted from the assignment on: an assessment played freely before it does not count.
    const since = assessing.map(({ assignment }) => assignment.assignedAt).sort()[0] ?? '';
    const used = (await events.listSessions({ owner: userId, exerciseId })).filter((s) => s.mode === 'assessment' && s.createdAt >= since).length;
    return { policy: { modes: (['practice', 'assessment'] as const).filter((m) => modes.has(m)), attempts: { allowed, used } }, since };
  }

  return {
    policyFor: (user, exerciseId) => policyOf(user.id, exerciseId),
    async assertMayStart(user, exerciseId, mode) {
      const { policy, since } = await counted(user.id, exerciseId);
      if (!policy.modes.includes(mode)) throw forbidden(mode === 'practice' ? 'this exercise is assigned for assessment only: it cannot be practised' : 'this exercise is assigned for practice only');
      if (mode === 'assessment' && policy.attempts !== null && policy.attempts.used >= policy.attempts.allowed) {
        const { allowed, used } = policy.attempts;
        throw new HttpError(409, {
          error: `you have used ${allowed === 1 ? 'your assessment attempt' : `all ${allowed} of your assessment attempts`} of this exercise: your instructor can grant you another`,
          attempts: { allowed, used },
        });
      }
      return mode === 'assessment' && policy.attempts !== null ? attemptIdOf(user.id, exerciseId, since, policy.attempts.used + 1) : null;
    },
    async assertMayPractise(ownerId, exerciseId) {
      if (ownerId === null || exerciseId === null) return;
      if (!(await policyOf(ownerId, exerciseId)).modes.includes('practice')) throw forbidden('this exercise is assigned for assessment only: no hints');
    },
  };
}
