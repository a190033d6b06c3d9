// Live sessions: the sessions kept in memory between requests (rebuilt from the log when not cached), each
// with its exercise runner, and storing what the runner appended before anything is answered. Delivering
// injects and moving the clock is the runner's (src/scenario/runner.ts), never this module's.
import type { Engine, ReplayError, RoutingSession } from '../engine/index.js';
import type { Exercise } from '../scenario/format.js';
import { ExerciseRunner } from '../scenario/runner.js';
import type { AppendResult, EventStore, StoredSession } from '../store/event-store.js';
import { newRecordsOf, persistNewRecords, rebuildSessionAsFarAsPossible } from '../store/sessions.js';
import { exerciseFromText } from './exercises.js';
import type { GroupCommit } from './group-commit.js';
import { notFound, readOnlySession, stale } from './http-errors.js';
import { KeyedLock } from './keyed-lock.js';
import { replacedSession } from './replacements.js';
import type { Live } from './session-view.js';

/** Live sessions kept in memory; the others are rebuilt from the log when asked for. */
const MAX_LIVE_SESSIONS = 2_000;

export interface LiveSessionDeps {
  engine: Engine;
  events: EventStore;
  /** Null when every step commits on its own (`commit: 'each'`). */
  groupCommit: GroupCommit | null;
}

export interface LiveSessions {
  /** The live session and its runner, rebuilt from the log when not cached or stale. */
  liveOf(stored: StoredSession): Promise<Live>;
  liveSession(stored: StoredSession): Promise<RoutingSession>;
  /** Keeps a live session in the cache (most recently used last; the oldest go past the cap). */
  remember(entry: Live): void;
  /** Keeps the exercise a new session was started from, so it is not reloaded from its stored text. */
  rememberExercise(sessionId: string, exercise: Exercise | null): void;
  /** The exercise a session was started from (reloaded from the text stored with it), or null. */
  exerciseOfSession(stored: StoredSession): Promise<Exercise | null>;
  /** Stores what the engine appended since `stored.lastSeq`, before anything is answered (409 when stale). */
  persistOrFail(session: RoutingSession, stored: StoredSession): Promise<{ lastSeq: number }>;
  /** A new live entry for a session just started (its runner made it). */
  liveFor(runner: ExerciseRunner): Live;
  /**
   * Runs a request's read-check-write of one session (the checks against its last record, the runner's step,
   * the append) after the requests of that session before it in this process, so two never interleave on the
   * shared live session; `task` gets the session as stored once they are done (and its appends in flight
   * committed). The group commit still gathers the appends of different sessions.
   */
  exclusive<T>(visible: StoredSession, task: (stored: StoredSession) => Promise<T>): Promise<T>;
}

export function createLiveSessions({ engine, events, groupCommit }: LiveSessionDeps): LiveSessions {
  const live = new Map<string, Live>();
  const locks = new KeyedLock();

  /**
   * The live session and its inject schedule, rebuilt from the log when not cached or when the log moved on
   * without us. The schedule is kept beside the session and fed each new record, so a step costs the same
   * whatever the length of the log.
   */
  async function liveOf(stored: StoredSession): Promise<Live> {
    const cached = live.get(stored.id);
    if (cached !== undefined && cached.session.log.length - 1 === stored.lastSeq) return cached;
    const rebuiltSession = await rebuildSessionAsFarAsPossible(engine, events, stored.id);
    if (rebuiltSession === null) throw notFound();
    const { session, error } = rebuiltSession;
    const exercise = await exerciseOfSession(stored);
    const legacyMessages = ((await events.readMessages(stored.id)) ?? []).map((m) => ({ at: m.at, injectId: m.injectId }));
    const readOnly = error === null ? null : readOnlyNotice(error);
    const rebuilt: Live = { session, exercise, runner: ExerciseRunner.over(engine, exercise, session), legacyMessages, readOnly };
    // Another request may have cached a further entry meanwhile (a step of this session): it is kept.
    const meanwhile = live.get(stored.id);
    if (meanwhile === undefined || meanwhile === cached || meanwhile.session.log.length <= session.log.length) remember(rebuilt);
    return rebuilt;
  }

  const liveFor = (runner: ExerciseRunner): Live => ({ session: runner.session, exercise: runner.exercise, runner, legacyMessages: [], readOnly: null });

  const liveSession = async (stored: StoredSession): Promise<RoutingSession> => (await liveOf(stored)).session;

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
  async function exerciseOfSession(stored: StoredSession): Promise<Exercise | null> {
    if (exerciseCache.has(stored.id)) return exerciseCache.get(stored.id) ?? null;
    const digest = stored.meta.exerciseSha256;
    const text = typeof digest === 'string' ? await events.exerciseText(digest) : stored.meta.exerciseText;
    const file = stored.meta.exerciseFile;
    const loaded = typeof text === 'string' ? exerciseFromText(text, typeof file === 'string' ? file : 'exercise.yaml', stored.input.submission) : null;
    // A session's exercise never changes: whichever request loaded it first, the answer is the same.
    if (exerciseCache.has(stored.id)) return exerciseCache.get(stored.id) ?? null;
    if (exerciseCache.size > 5_000) exerciseCache.clear();
    exerciseCache.set(stored.id, loaded?.exercise ?? null);
    return loaded?.exercise ?? null;
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
    const notice = live.get(stored.id)?.readOnly ?? null;
    if (notice !== null) {
      live.delete(stored.id);
      throw readOnlySession(notice);
    }
    let persisted: AppendResult;
    try {
      persisted =
        groupCommit === null
          ? await persistNewRecords(events, session, stored.lastSeq)
          : await groupCommit.append(newRecordsOf(session, stored.lastSeq));
    } catch (error) {
      live.delete(stored.id);
      throw error;
    }
    if (persisted.ok) return persisted;
    live.delete(stored.id);
    if (persisted.reason === 'stale') throw stale(persisted.lastSeq);
    // An undo elsewhere (another instance) replaced the session after it was checked: the store refused it.
    if (persisted.reason === 'replaced') throw replacedSession(persisted.replacedBy);
    throw notFound();
  }


  function exclusive<T>(visible: StoredSession, task: (stored: StoredSession) => Promise<T>): Promise<T> {
    return locks.run(visible.id, async (waited) => {
      const pending = groupCommit?.pending(visible.id) ?? null;
      if (pending !== null) await pending;
      // A request of the session may also have come and gone while `visible` was being read: its records are
      // in the live session kept here, further than `visible` says.
      const kept = live.get(visible.id);
      const overtaken = kept !== undefined && kept.session.log.length - 1 > visible.lastSeq;
      if (!waited && pending === null && !overtaken) return task(visible);
      // Who may see a session never changes (its owner, their cohorts' instructors): only its state is read again.
      const stored = await events.getSession(visible.id);
      if (stored === null) throw notFound();
      return task(stored);
    });
  }

  return { liveOf, liveSession, remember, rememberExercise, exerciseOfSession, persistOrFail, liveFor, exclusive };
}

/** What the trainee and the instructor read about a session today's code can no longer replay to its end. */
function readOnlyNotice(error: ReplayError): string {
  const made = error.earlierVersion === null ? 'This session no longer replays on this version of tipflow' : `This session was made with an earlier version of tipflow (chart version ${error.earlierVersion.chart})`;
  return `${made}: it is shown read-only, as far as it still replays, and cannot be played on.`;
}
