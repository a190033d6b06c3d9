// Live sessions: the sessions kept in memory between requests (rebuilt from the log when not cached), and
// stepping a stored one: delivering the exercise's injects, advancing its clock, and storing what the engine
// appended before anything is answered.
import type { AuditRecord, Engine, RoutingSession } from '../engine/index.js';
import { injectEvent } from '../scenario/drive.js';
import type { Exercise } from '../scenario/format.js';
import { InjectSchedule } from '../scenario/inject-schedule.js';
import type { User } from '../store/account-store.js';
import type { AppendResult, EventStore, StoredSession } from '../store/event-store.js';
import { newRecordsOf, persistNewRecords, rebuildSession } from '../store/sessions.js';
import { exerciseFromText } from './exercises.js';
import type { GroupCommit } from './group-commit.js';
import { notFound, stale } from './http-errors.js';
import type { Readable } from './session-access.js';
import { INJECT_ID_PREFIX, startMsOf, type Live } from './session-view.js';

/** Live sessions kept in memory; the others are rebuilt from the log when asked for. */
const MAX_LIVE_SESSIONS = 2_000;

export interface LiveSessionDeps {
  engine: Engine;
  events: EventStore;
  /** Null when every step commits on its own (`commit: 'each'`). */
  groupCommit: GroupCommit | null;
  readable: Readable;
}

export interface LiveSessions {
  /** The live session and its inject schedule, rebuilt from the log when not cached or stale. */
  liveOf(stored: StoredSession): Live;
  liveSession(stored: StoredSession): RoutingSession;
  /** Keeps a live session in the cache (most recently used last; the oldest go past the cap). */
  remember(entry: Live): void;
  /** Keeps the exercise a new session was started from, so it is not reloaded from its stored text. */
  rememberExercise(sessionId: string, exercise: Exercise | null): void;
  /** The exercise a session was started from (reloaded from the text stored with it), or null. */
  exerciseOfSession(stored: StoredSession): Exercise | null;
  /** Stores what the engine appended since `stored.lastSeq`, before anything is answered (409 when stale). */
  persistOrFail(session: RoutingSession, stored: StoredSession): Promise<{ lastSeq: number }>;
  /** The session as stored once its appends in flight are committed. */
  settled(user: User, stored: StoredSession): Promise<StoredSession>;
  /** Delivers the state-entry injects that the records from `fromIndex` on triggered (and those they trigger). */
  deliverQueued(schedule: InjectSchedule, session: RoutingSession, fromIndex: number): void;
  /** Advances the clock by `ms`, firing timers and delivering timed and state-entry injects in time order. */
  advanceWithInjects(entry: Live, ms: number): AuditRecord[];
}

export function createLiveSessions({ engine, events, groupCommit, readable }: LiveSessionDeps): LiveSessions {
  const live = new Map<string, Live>();

  /**
   * The live session and its inject schedule, rebuilt from the log when not cached or when the log moved on
   * without us. The schedule is kept beside the session and fed each new record, so a step costs the same
   * whatever the length of the log.
   */
  function liveOf(stored: StoredSession): Live {
    const cached = live.get(stored.id);
    if (cached !== undefined && cached.session.log.length - 1 === stored.lastSeq) return cached;
    const session = rebuildSession(engine, events, stored.id);
    if (session === null) throw notFound();
    const exercise = exerciseOfSession(stored);
    const messages = new Set((events.readMessages(stored.id) ?? []).map((m) => m.injectId));
    const rebuilt: Live = { session, exercise, messages, schedule: exercise === null ? null : InjectSchedule.settled(exercise, startMsOf(session), session.log, session.clock.now) };
    remember(rebuilt);
    return rebuilt;
  }

  const liveSession = (stored: StoredSession): RoutingSession => liveOf(stored).session;

  /** Keeps a live session in the cache (most recently used last; the oldest go past the cap). */
  function remember(entry: Live): void {
    live.delete(entry.session.id);
    live.set(entry.session.id, entry);
    for (const oldest of live.keys()) {
      if (live.size <= MAX_LIVE_SESSIONS) break;
      live.delete(oldest);
    }
  }

  const exerciseCache = new Map<string, Exercise | null>();
  /** The exercise a session was started from (reloaded from the text stored with it), or null. */
  function exerciseOfSession(stored: StoredSession): Exercise | null {
    if (!exerciseCache.has(stored.id)) {
      const digest = stored.meta.exerciseSha256;
      const text = typeof digest === 'string' ? events.exerciseText(digest) : stored.meta.exerciseText;
      const file = stored.meta.exerciseFile;
      const loaded = typeof text === 'string' ? exerciseFromText(text, typeof file === 'string' ? file : 'exercise.yaml', stored.input.submission) : null;
      if (exerciseCache.size > 5_000) exerciseCache.clear();
      exerciseCache.set(stored.id, loaded?.exercise ?? null);
    }
    return exerciseCache.get(stored.id) ?? null;
  }

  const rememberExercise = (sessionId: string, exercise: Exercise | null): void => {
    exerciseCache.set(sessionId, exercise);
  };

  /**
   * Stores what the engine appended since `stored.lastSeq`, before anything is answered (with the steps of
   * the same turn, in one commit, unless `commit: 'each'`). If another request got there first, or the write
   * fails, the in-memory session is dropped (it is rebuilt from the store next time) and the caller gets 409
   * with the current sequence, or the error.
   */
  async function persistOrFail(session: RoutingSession, stored: StoredSession): Promise<{ lastSeq: number }> {
    let persisted: AppendResult;
    try {
      persisted =
        groupCommit === null
          ? persistNewRecords(events, session, stored.lastSeq)
          : await groupCommit.append(newRecordsOf(session, stored.lastSeq));
    } catch (error) {
      live.delete(stored.id);
      throw error;
    }
    if (persisted.ok) return persisted;
    live.delete(stored.id);
    if (persisted.reason === 'stale') throw stale(persisted.lastSeq);
    throw notFound();
  }

  /**
   * The session as stored once its appends in flight are committed: a request that changes a session waits
   * for the one before it, so it never builds on records that are not yet stored.
   */
  async function settled(user: User, stored: StoredSession): Promise<StoredSession> {
    const pending = groupCommit?.pending(stored.id) ?? null;
    if (pending === null) return stored;
    await pending;
    return readable(user, stored.id);
  }

  /** Delivers the state-entry injects that the records from `fromIndex` on triggered (and those they trigger). */
  function deliverQueued(schedule: InjectSchedule, session: RoutingSession, fromIndex: number): void {
    schedule.note(session.log.slice(fromIndex));
    for (let inject = schedule.shiftQueued(), n = 0; inject !== undefined && n < 100; inject = schedule.shiftQueued(), n += 1) {
      schedule.markSent(inject);
      const event = injectEvent(inject);
      if (event === null || session.closed) continue;
      const before = session.log.length;
      engine.deliver(session, event, { actor: 'instructor', eventId: `${INJECT_ID_PREFIX}${inject.id}` });
      schedule.note(session.log.slice(before));
    }
  }

  /** Advances the clock by `ms`, firing timers and delivering timed and state-entry injects in time order. */
  function advanceWithInjects({ session, schedule }: Live, ms: number): AuditRecord[] {
    const first = session.log.length;
    const target = session.clock.now + ms;
    if (schedule === null) return engine.advance(session, ms);
    for (let step = 0; step < 1_000; step += 1) {
      const due = schedule.nextTimed();
      const timer = session.clock.next();
      if (due !== undefined && due.due <= target && (timer === null || due.due <= timer.due)) {
        const before = session.log.length;
        engine.advanceTo(session, due.due);
        deliverQueued(schedule, session, before);
        schedule.markSent(due.inject);
        const event = injectEvent(due.inject);
        const at = session.log.length;
        if (event !== null && !session.closed) engine.deliver(session, event, { actor: 'instructor', eventId: `${INJECT_ID_PREFIX}${due.inject.id}` });
        deliverQueued(schedule, session, at);
        continue;
      }
      if (timer !== null && timer.due <= target) {
        const before = session.log.length;
        engine.advanceTo(session, timer.due);
        deliverQueued(schedule, session, before);
        continue;
      }
      break;
    }
    engine.advanceTo(session, target);
    return session.log.slice(first);
  }

  return { liveOf, liveSession, remember, rememberExercise, exerciseOfSession, persistOrFail, settled, deliverQueued, advanceWithInjects };
}
