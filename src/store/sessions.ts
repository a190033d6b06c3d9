// Sessions kept in an event store: start one, persist what the engine appended, rebuild one by replay.
import { SESSION_FORMAT, type Engine, type ReplayError, type RoutingSession, type SessionRecord, type StartOptions } from '../engine/index.js';
import type { AppendRequest, AppendResult, EventStore, NewSession, StoredSession } from './event-store.js';

export async function createStoredSession(
  engine: Engine,
  store: EventStore,
  submission: unknown,
  options: StartOptions & { sessionId: string; createdAt: string } & Pick<NewSession, 'exerciseId' | 'owner' | 'mode' | 'meta'>,
): Promise<{ session: RoutingSession; stored: StoredSession }> {
  return storeStartedSession(store, engine.start(submission, options), options);
}

/**
 * Creates the stored session of one just started (by the engine, or an exercise runner): its input and first
 * record. The caller appends the records after the first (`persistNewRecords(store, session, 0)`).
 */
export async function storeStartedSession(
  store: EventStore,
  session: RoutingSession,
  options: { createdAt: string } & Pick<NewSession, 'exerciseId' | 'owner' | 'mode' | 'meta'>,
): Promise<{ session: RoutingSession; stored: StoredSession }> {
  const first = session.log[0];
  if (first === undefined) throw new Error('internal: a started session has no first record');
  const stored = await store.createSession({
    id: session.id,
    input: session.input,
    first,
    createdAt: options.createdAt,
    ...(options.exerciseId === undefined ? {} : { exerciseId: options.exerciseId }),
    ...(options.owner === undefined ? {} : { owner: options.owner }),
    ...(options.mode === undefined ? {} : { mode: options.mode }),
    ...(options.meta === undefined ? {} : { meta: options.meta }),
  });
  return { session, stored };
}

/** The append of the records the engine added after `persistedLastSeq`, with the session's clock. */
export function newRecordsOf(session: RoutingSession, persistedLastSeq: number): AppendRequest {
  return { sessionId: session.id, expectedLastSeq: persistedLastSeq, records: session.log.slice(persistedLastSeq + 1), clockAt: session.now };
}

/** Appends the records the engine added after `persistedLastSeq` (all or nothing), with the session's clock. */
export function persistNewRecords(store: EventStore, session: RoutingSession, persistedLastSeq: number): Promise<AppendResult> {
  const { sessionId, expectedLastSeq, records, clockAt } = newRecordsOf(session, persistedLastSeq);
  return store.append(sessionId, expectedLastSeq, records, clockAt);
}

/** The live session, rebuilt by replaying its stored log (which also checks the log). */
export async function rebuildSession(engine: Engine, store: EventStore, sessionId: string): Promise<RoutingSession | null> {
  const record = await storedRecord(store, sessionId);
  return record === null ? null : engine.replay(record);
}

/**
 * The live session rebuilt as far as its log still replays on today's code, and why it stops short (null when
 * the whole log replays): a session made with an earlier version is shown, read-only, never a failure.
 */
export async function rebuildSessionAsFarAsPossible(engine: Engine, store: EventStore, sessionId: string): Promise<{ session: RoutingSession; error: ReplayError | null } | null> {
  const record = await storedRecord(store, sessionId);
  return record === null ? null : engine.replayAsFarAsPossible(record);
}

/**
 * The session as it stood when its row was read: an append may land between the two reads, so the log is cut
 * at the row's last sequence (the log only grows), and the clock and the records agree.
 */
async function storedRecord(store: EventStore, sessionId: string): Promise<SessionRecord | null> {
  const stored = await store.getSession(sessionId);
  const fullLog = stored === null ? null : await store.readLog(sessionId);
  if (stored === null || fullLog === null) return null;
  const log = fullLog.length - 1 > stored.lastSeq ? fullLog.slice(0, stored.lastSeq + 1) : fullLog;
  const lastAt = log[log.length - 1]?.at ?? stored.input.routingTime;
  // ISO instants in UTC compare as strings; the clock never runs backwards.
  const now = stored.clockAt !== null && Date.parse(stored.clockAt) > Date.parse(lastAt) ? stored.clockAt : lastAt;
  return { format: SESSION_FORMAT, id: stored.id, input: stored.input, now, log };
}
