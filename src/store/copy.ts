// Copying a classroom from one store to another (`tipflow db copy`): accounts with their password hashes,
// cohorts and members, uploads, assignments, grants, releases and clocks, and every session with its log,
// clock, messages and exercise text. Sign-in tokens and attempt counts are not copied (everyone signs in
// again). Then every copied session is replayed from the target and compared with the source, record by record.
import { isDeepStrictEqual } from 'node:util';
import type { Engine } from '../engine/index.js';
import type { AccountStore } from './account-store.js';
import { StoreConflictError, type EventStore, type StoredSession } from './event-store.js';
import { rebuildSessionAsFarAsPossible } from './sessions.js';

export interface Stores {
  events: EventStore;
  accounts: AccountStore;
}

export interface CopySummary {
  users: number;
  cohorts: number;
  memberships: number;
  exercises: number;
  assignments: number;
  grants: number;
  planRows: number;
  releases: number;
  clocks: number;
  sessions: number;
  records: number;
  messages: number;
  exerciseTexts: number;
  /** What the target had already (by id) and was kept as it was (only with `intoNonEmpty`). */
  skipped: number;
}

/** Records appended per statement (a long log goes in several, all before the session is verified). */
const RECORDS_PER_APPEND = 500;

/** Whether a store holds anything a copy could collide with. */
export async function isEmpty(stores: Stores): Promise<boolean> {
  return (await stores.accounts.countUsers()) === 0 && (await stores.events.listSessions()).length === 0;
}

/**
 * Copies everything of `from` into `to`. `intoNonEmpty`: what `to` has already under the same id (a user, a
 * cohort, an upload, a session) is kept and counted as skipped; otherwise the caller checks `isEmpty` first.
 */
export async function copyStores(from: Stores, to: Stores, progress: (line: string) => void, intoNonEmpty = false): Promise<{ summary: CopySummary; sessionIds: string[] }> {
  const summary: CopySummary = { users: 0, cohorts: 0, memberships: 0, exercises: 0, assignments: 0, grants: 0, releases: 0, planRows: 0, clocks: 0, sessions: 0, records: 0, messages: 0, exerciseTexts: 0, skipped: 0 };
  const kept = async (create: () => Promise<unknown>): Promise<boolean> => {
    try {
      await create();
      return true;
    } catch (error) {
      if (intoNonEmpty && error instanceof StoreConflictError) {
        summary.skipped += 1;
        return false;
      }
      throw error;
    }
  };

  const users = await from.accounts.listUsers();
  for (const user of users) {
    if (!(await kept(() => to.accounts.createUser(user)))) continue;
    summary.users += 1;
    // A one-time password an instructor set is still one to change (no sign-in is copied, so none ends).
    if (user.mustChangePassword === true) await to.accounts.resetPassword(user.id, user.passwordHash);
  }
  progress(`users: ${summary.users}`);

  const cohorts = await from.accounts.listCohorts();
  const newCohorts = new Set<string>();
  for (const cohort of cohorts) if (await kept(() => to.accounts.createCohort(cohort))) newCohorts.add(cohort.id);
  summary.cohorts = newCohorts.size;
  for (const cohort of cohorts) {
    for (const member of await from.accounts.members(cohort.id)) {
      await to.accounts.addMember(cohort.id, member.id);
      summary.memberships += 1;
    }
  }
  progress(`cohorts: ${summary.cohorts}, memberships: ${summary.memberships}`);

  for (const user of users) {
    if (user.role !== 'instructor') continue;
    for (const exercise of await from.accounts.exercisesOfInstructor(user.id)) if (await kept(() => to.accounts.createExercise(exercise))) summary.exercises += 1;
  }
  for (const cohort of cohorts) {
    for (const assignment of await from.accounts.assignments(cohort.id)) {
      await to.accounts.assign(assignment);
      summary.assignments += 1;
    }
    // Grants are rows of their own (never merged): copied only into a cohort this copy created.
    if (newCohorts.has(cohort.id)) {
      for (const grant of await from.accounts.grants(cohort.id)) {
        await to.accounts.grantAttempt(grant);
        summary.grants += 1;
      }
    }
    for (const release of await from.accounts.releases(cohort.id)) {
      await to.accounts.release(release);
      summary.releases += 1;
    }
    // The improvement plan, in its order, into a cohort this copy created (its rows' times become the
    // latest change's: the store keeps times of its own).
    const plan = newCohorts.has(cohort.id) ? await from.accounts.improvementPlan(cohort.id) : [];
    if (plan.length > 0) {
      const latest = plan.map((r) => r.updatedAt).reduce((a, b) => (a > b ? a : b));
      await to.accounts.replaceImprovementPlan(cohort.id, plan.map(({ id, action, capability, owner, due }) => ({ id, action, capability, owner, due })), latest);
      summary.planRows += plan.length;
    }
    const clock = await from.accounts.cohortClock(cohort.id);
    if (clock !== null) {
      await to.accounts.setCohortClock(clock);
      summary.clocks += 1;
    }
  }
  progress(`uploads: ${summary.exercises}, assignments: ${summary.assignments}, grants: ${summary.grants}, releases: ${summary.releases}, improvement plan rows: ${summary.planRows}, clocks: ${summary.clocks}`);

  const sessions = originalsFirst(await from.events.listSessions());
  const copied: string[] = [];
  const texts = new Set<string>();
  for (const [i, stored] of sessions.entries()) {
    const log = await from.events.readLog(stored.id);
    const first = log?.[0];
    if (log === null || first === undefined) throw new StoreConflictError(`session ${stored.id} has no log in the source`);
    const sha = stored.meta['exerciseSha256'];
    if (typeof sha === 'string' && !texts.has(sha)) {
      const text = await from.events.exerciseText(sha);
      if (text !== null) {
        await to.events.putExerciseText(text);
        texts.add(sha);
      }
    }
    const created = await kept(() =>
      to.events.createSession({ id: stored.id, input: stored.input, exerciseId: stored.exerciseId, owner: stored.owner, mode: stored.mode, meta: stored.meta, first, createdAt: stored.createdAt }),
    );
    if (!created) continue;
    // The records after #0 in pieces, the clock with the last piece (a session of #0 alone may have one too).
    let start = 1;
    do {
      const last = start + RECORDS_PER_APPEND >= log.length;
      const result = await to.events.append(stored.id, start - 1, log.slice(start, start + RECORDS_PER_APPEND), last && stored.clockAt !== null ? stored.clockAt : undefined);
      if (!result.ok) throw new StoreConflictError(`session ${stored.id}: the target refused its records from #${start} (${result.reason})`);
      start += RECORDS_PER_APPEND;
    } while (start < log.length);
    for (const message of (await from.events.readMessages(stored.id)) ?? []) {
      await to.events.addMessage(stored.id, message);
      summary.messages += 1;
    }
    summary.records += log.length;
    copied.push(stored.id);
    if ((i + 1) % 100 === 0 || i + 1 === sessions.length) progress(`sessions: ${i + 1}/${sessions.length}`);
  }
  summary.sessions = copied.length;
  summary.exerciseTexts = texts.size;
  return { summary, sessionIds: copied };
}

/**
 * The sessions in the source's order, but each undo's fork after the session it replaced: creating the fork
 * is what marks that session replaced in the target, so the session must be there first.
 */
function originalsFirst(sessions: readonly StoredSession[]): StoredSession[] {
  const byId = new Map(sessions.map((s) => [s.id, s]));
  const placed = new Set<string>();
  const out: StoredSession[] = [];
  const place = (stored: StoredSession): void => {
    // Marked before its original is placed: a cycle of forks (which cannot be stored) ends here.
    if (placed.has(stored.id)) return;
    placed.add(stored.id);
    const forkOf = stored.meta['forkOf'];
    const original = typeof forkOf === 'string' ? byId.get(forkOf) : undefined;
    if (original !== undefined) place(original);
    out.push(stored);
  };
  sessions.forEach(place);
  return out;
}

/** One way a copied session differs from its source. */
export interface CopyDifference {
  sessionId: string;
  what: string;
}

/**
 * Replays each copied session from the target (as far as today's code replays it, as the server does) and
 * compares it with the source: the log record by record, the clock, the messages, the replay's stopping point.
 */
export async function verifyCopy(engine: Engine, from: Stores, to: Stores, sessionIds: readonly string[], progress: (line: string) => void): Promise<CopyDifference[]> {
  const differences: CopyDifference[] = [];
  for (const [i, id] of sessionIds.entries()) {
    const [source, target] = [await from.events.getSession(id), await to.events.getSession(id)];
    const sourceLog = (await from.events.readLog(id)) ?? [];
    const replayed = await rebuildSessionAsFarAsPossible(engine, to.events, id);
    const original = await rebuildSessionAsFarAsPossible(engine, from.events, id);
    if (source === null || target === null || replayed === null || original === null) {
      differences.push({ sessionId: id, what: 'missing in the target' });
      continue;
    }
    const targetLog = (await to.events.readLog(id)) ?? [];
    const firstDifferent = sourceLog.findIndex((record, n) => !isDeepStrictEqual(record, targetLog[n]));
    if (targetLog.length !== sourceLog.length) differences.push({ sessionId: id, what: `the log has ${targetLog.length} records, the source ${sourceLog.length}` });
    else if (firstDifferent >= 0) differences.push({ sessionId: id, what: `record #${firstDifferent} differs` });
    const replayedDifferent = original.session.log.findIndex((record, n) => !isDeepStrictEqual(record, replayed.session.log[n]));
    if (replayed.session.log.length !== original.session.log.length || replayedDifferent >= 0) differences.push({ sessionId: id, what: `replayed, it differs from the source's replay at record #${replayedDifferent >= 0 ? replayedDifferent : Math.min(replayed.session.log.length, original.session.log.length)}` });
    if ((replayed.error === null) !== (original.error === null)) differences.push({ sessionId: id, what: 'it replays differently (one replays whole, the other stops short)' });
    if (!isDeepStrictEqual(replayed.session.actor.getPersistedSnapshot(), original.session.actor.getPersistedSnapshot())) differences.push({ sessionId: id, what: 'its replayed state differs' });
    if (target.replacedBy !== source.replacedBy) differences.push({ sessionId: id, what: `it is marked replaced by ${target.replacedBy ?? 'none'}, the source by ${source.replacedBy ?? 'none'}` });
    if (target.clockAt !== source.clockAt) differences.push({ sessionId: id, what: `its clock is ${target.clockAt ?? 'unset'}, the source's ${source.clockAt ?? 'unset'}` });
    if (!isDeepStrictEqual(await to.events.readMessages(id), await from.events.readMessages(id))) differences.push({ sessionId: id, what: 'its messages differ' });
    if ((i + 1) % 100 === 0 || i + 1 === sessionIds.length) progress(`verified: ${i + 1}/${sessionIds.length}`);
  }
  return differences;
}
