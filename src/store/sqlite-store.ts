// The embedded event store: one SQLite file (better-sqlite3), WAL, synchronous FULL by default so an
// acknowledged append survives a crash of the process or the machine. better-sqlite3 answers synchronously;
// the methods are async only to keep the EventStore contract, and each still does its work in one statement
// or one transaction.
import type Database from 'better-sqlite3';
import type { AuditRecord } from '../engine/index.js';
import { StoreConflictError, StoreIntegrityError, StoreStaleError, type AppendedEvent, type AppendRequest, type AppendResult, type EventStore, type NewSession, type SessionMessage, type StoredSession } from './event-store.js';
import { FixedSessions } from './fixed-sessions.js';
import { exerciseTextDigest } from './sqlite-migrations.js';
import { openDatabase, type Durability } from './sqlite-database.js';
import { applyGroup, appendStatements, insertRecords, type AppendStatements, type GroupOutcome } from './sqlite-append.js';
import { SqliteWriter, WriterStoppedError } from './sqlite-writer.js';

interface SessionRow {
  id: string;
  exercise_id: string | null;
  owner: string | null;
  mode: string;
  created_at: string;
  input_json: string;
  meta_json: string;
  clock_at: string | null;
  last_seq: number | null;
  replaced_by: string | null;
}

/** The part of a stored session that changes (the rest is FixedSessions'). */
type SessionState = Pick<StoredSession, 'lastSeq' | 'clockAt' | 'replacedBy'>;

/** Session states kept with `soleWriter` (the cache starts over when full, as FixedSessions' does). */
const MAX_KEPT_STATES = 5_000;

interface EventRow {
  seq: number;
  at: string;
  event_id: string;
  actor: string;
  event_json: string;
  from_json: string | null;
  to_json: string;
}

export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly listeners = new Set<(event: AppendedEvent) => void>();
  private readonly statements;
  /**
   * What never changes of a session once created (its input, owner, meta…), parsed once: a step asks for
   * its session on every request, and the input holds the whole tip. Only the last sequence, the clock and
   * the replacement mark are read each time (and not even those by a sole writer: `states`).
   */
  private readonly fixed = new FixedSessions();
  /**
   * With `soleWriter`: each session's changing part (last sequence, clock, replacement mark) as this store
   * last read or wrote it. Nothing else writes the file's sessions (the writer lock sees to it), so the part
   * changes only by this store's own commits, which keep it; a request reads no row. Null: read every time.
   */
  private readonly states: Map<string, SessionState> | null;

  private readonly append_: AppendStatements;
  /** The writer thread of `commitGroup`, started on the first group; null until then, or when not asked for. */
  private writer: SqliteWriter | null = null;
  private writerOptions: { file: string; durability: Durability } | null;
  private closed = false;

  /**
   * `file` is a path, or ':memory:' for tests. `writerThread`: `commitGroup` writes on a thread of its own, so
   * the wait for the disk does not hold up the event loop (a file database only; the server asks for it).
   * `soleWriter`: this store is the only writer of the file's sessions (the caller holds the writer lock,
   * sqlite-writer-lock.ts): it keeps each session's changing part in memory instead of reading it each time.
   */
  constructor(file: string, durability: Durability = 'full', options: { writerThread?: boolean; soleWriter?: boolean } = {}) {
    this.db = openDatabase(file, durability);
    this.states = options.soleWriter === true ? new Map() : null;
    this.append_ = appendStatements(this.db);
    this.writerOptions = options.writerThread === true && file !== ':memory:' ? { file, durability } : null;
    this.statements = {
      insertSession: this.db.prepare(
        'INSERT INTO sessions (id, exercise_id, owner, mode, created_at, input_json, meta_json) VALUES (@id, @exercise_id, @owner, @mode, @created_at, @input_json, @meta_json)',
      ),
      session: this.db.prepare<[string], SessionRow>('SELECT s.*, (SELECT MAX(seq) FROM events e WHERE e.session_id = s.id) AS last_seq FROM sessions s WHERE s.id = ?'),
      sessionState: this.db.prepare<[string], { clock_at: string | null; last_seq: number | null; replaced_by: string | null }>(
        'SELECT s.clock_at, s.replaced_by, (SELECT MAX(seq) FROM events e WHERE e.session_id = s.id) AS last_seq FROM sessions s WHERE s.id = ?',
      ),
      sessions: this.db.prepare<[{ owner: string | null; exercise: string | null }], SessionRow>(
        'SELECT s.*, (SELECT MAX(seq) FROM events e WHERE e.session_id = s.id) AS last_seq FROM sessions s WHERE (@owner IS NULL OR s.owner = @owner) AND (@exercise IS NULL OR s.exercise_id = @exercise) ORDER BY s.created_at, s.id',
      ),
      insertMessage: this.db.prepare<[{ session_id: string; inject_id: string; at: string; sent_by: string }]>(
        'INSERT INTO messages (session_id, inject_id, at, sent_by) SELECT @session_id, @inject_id, @at, @sent_by WHERE EXISTS (SELECT 1 FROM sessions WHERE id = @session_id) ON CONFLICT DO NOTHING',
      ),
      messages: this.db.prepare<[string], { inject_id: string; at: string; sent_by: string }>('SELECT inject_id, at, sent_by FROM messages WHERE session_id = ? ORDER BY rowid'),
      markReplaced: this.db.prepare<[{ id: string; by: string }]>('UPDATE sessions SET replaced_by = @by WHERE id = @id AND replaced_by IS NULL'),
      putText: this.db.prepare<[string, string]>('INSERT OR IGNORE INTO exercise_texts (sha256, text) VALUES (?, ?)'),
      text: this.db.prepare<[string], { text: string }>('SELECT text FROM exercise_texts WHERE sha256 = ?'),
      log: this.db.prepare<[string], EventRow>('SELECT seq, at, event_id, actor, event_json, from_json, to_json FROM events WHERE session_id = ? ORDER BY seq'),
    };
  }

  async createSession(session: NewSession): Promise<StoredSession> {
    if (session.first.seq !== 0) throw new StoreIntegrityError('a session starts with record #0');
    const forkOf = session.meta?.forkOf;
    const forks = typeof forkOf === 'string' && forkOf !== session.id ? forkOf : null;
    const create = this.db.transaction(() => {
      if (forks !== null && session.forkedAtSeq !== undefined) {
        const forked = this.append_.lastSeq.get({ id: forks });
        const lastSeq = forked?.last_seq ?? -1;
        if (forked !== undefined && forked.exists_ === 1 && lastSeq !== session.forkedAtSeq) {
          throw new StoreStaleError(`session ${forks} has moved on to #${lastSeq} since the fork was made from #${session.forkedAtSeq}`, lastSeq);
        }
      }
      try {
        this.statements.insertSession.run({
          id: session.id,
          exercise_id: session.exerciseId ?? null,
          owner: session.owner ?? null,
          mode: session.mode ?? 'practice',
          created_at: session.createdAt,
          input_json: JSON.stringify(session.input),
          meta_json: JSON.stringify(session.meta ?? {}),
        });
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new StoreConflictError(`session ${session.id} already exists`);
        throw error;
      }
      insertRecords(this.append_, session.id, -1, [session.first]);
      // A fork replaces its session: from now on appends to that one are refused.
      if (forks !== null) this.statements.markReplaced.run({ id: forks, by: session.id });
    });
    create.immediate();
    if (forks !== null) this.states?.delete(forks);
    this.notify({ sessionId: session.id, records: [session.first] });
    const stored = this.sessionOf(session.id);
    if (stored === null) throw new StoreIntegrityError(`session ${session.id} vanished after it was created`);
    return stored;
  }

  async append(sessionId: string, expectedLastSeq: number, records: readonly AuditRecord[], clockAt?: string): Promise<AppendResult> {
    const [result] = this.appendMany([{ sessionId, expectedLastSeq, records, ...(clockAt === undefined ? {} : { clockAt }) }]);
    if (result === undefined) throw new StoreIntegrityError('an append gave no result');
    return result;
  }

  /** A group of appends committed on this thread, synchronously (the SQLite store's own, beside `commitGroup`). */
  appendMany(appends: readonly AppendRequest[]): AppendResult[] {
    let outcome: GroupOutcome;
    try {
      outcome = applyGroup(this.db, this.append_, appends);
    } catch (error) {
      this.forget(appends);
      throw error;
    }
    return this.settled(appends, outcome);
  }

  /** A group a stopped writer thread left unanswered, answered from the file and committed here where it was not. */
  private settle(appends: readonly AppendRequest[]): GroupOutcome {
    this.forget(appends);
    return applyGroup(this.db, this.append_, appends, true);
  }

  /** A committed group: the kept states follow it, then listeners hear of it. */
  private settled(appends: readonly AppendRequest[], outcome: GroupOutcome): AppendResult[] {
    this.noted(appends, outcome);
    this.tell(appends, outcome.heard);
    return outcome.results;
  }

  async commitGroup(appends: readonly AppendRequest[]): Promise<AppendResult[]> {
    if (this.closed) throw new StoreIntegrityError('the store is closed');
    // A thread that stopped (it refused what it had not answered) is replaced, so the next steps go on; one
    // that never committed anything cannot start here, so groups are committed on this thread from then on.
    if (this.writer?.stopped === true && this.writer.answered === 0) this.writerOptions = null;
    if (this.writerOptions === null) return this.appendMany(appends);
    if (this.writer === null || this.writer.stopped) this.writer = new SqliteWriter(this.writerOptions.file, this.writerOptions.durability);
    const outcome = await this.writer.apply(appends).catch((error: unknown) => {
      // The thread stopped before answering: whether it committed the group is read from the file (its
      // connection is gone, so what it committed is all there is), and the rest is committed here.
      if (error instanceof WriterStoppedError && !this.closed) return this.settle(appends);
      this.forget(appends);
      throw error;
    });
    return this.settled(appends, outcome);
  }

  /** Brings the kept session states up to date with what a committed group of appends did. */
  private noted(appends: readonly AppendRequest[], outcome: GroupOutcome): void {
    const states = this.states;
    if (states === null) return;
    appends.forEach(({ sessionId, clockAt }, i) => {
      const result = outcome.results[i];
      const state = states.get(sessionId);
      if (state === undefined || result === undefined || !result.ok) {
        states.delete(sessionId);
        return;
      }
      state.lastSeq = result.lastSeq;
      // As the append's setClock: the row keeps the later of its clock and the one given.
      if (clockAt !== undefined && (state.clockAt === null || Date.parse(state.clockAt) < Date.parse(clockAt))) state.clockAt = clockAt;
    });
  }

  /** A group that failed may or may not have been committed: its sessions' rows are read again next time. */
  private forget(appends: readonly AppendRequest[]): void {
    for (const { sessionId } of appends) this.states?.delete(sessionId);
  }

  /** Listeners hear of an append only once it is committed. */
  private tell(appends: readonly AppendRequest[], heard: readonly boolean[]): void {
    appends.forEach(({ sessionId, records, clockAt }, i) => {
      if (heard[i] === true) this.notify({ sessionId, records, ...(clockAt === undefined ? {} : { clockAt }) });
    });
  }

  async addMessage(sessionId: string, message: SessionMessage): Promise<boolean> {
    const added = this.statements.insertMessage.run({ session_id: sessionId, inject_id: message.injectId, at: message.at, sent_by: message.sentBy }).changes > 0;
    if (added) this.notify({ sessionId, records: [], message });
    return added;
  }

  async readMessages(sessionId: string): Promise<SessionMessage[] | null> {
    if (this.statements.session.get(sessionId) === undefined) return null;
    return this.statements.messages.all(sessionId).map((row) => ({ injectId: row.inject_id, at: row.at, sentBy: row.sent_by }));
  }

  async putExerciseText(text: string): Promise<string> {
    const sha256 = exerciseTextDigest(text);
    this.statements.putText.run(sha256, text);
    return sha256;
  }

  async exerciseText(sha256: string): Promise<string | null> {
    return this.statements.text.get(sha256)?.text ?? null;
  }

  async getSession(sessionId: string): Promise<StoredSession | null> {
    return this.sessionOf(sessionId);
  }

  private sessionOf(sessionId: string): StoredSession | null {
    const fixed = this.fixed.get(sessionId);
    if (fixed !== undefined) {
      const kept = this.states?.get(sessionId);
      if (kept !== undefined) return { ...fixed, ...kept };
      const row = this.statements.sessionState.get(sessionId);
      if (row === undefined) return null;
      const state: SessionState = { lastSeq: row.last_seq ?? -1, clockAt: row.clock_at, replacedBy: row.replaced_by };
      this.keepState(sessionId, state);
      return { ...fixed, ...state };
    }
    const row = this.statements.session.get(sessionId);
    if (row === undefined) return null;
    const stored = this.fixed.keep(toStoredSession(row));
    this.keepState(sessionId, { lastSeq: stored.lastSeq, clockAt: stored.clockAt, replacedBy: stored.replacedBy });
    return stored;
  }

  private keepState(sessionId: string, state: SessionState): void {
    if (this.states === null) return;
    if (this.states.size >= MAX_KEPT_STATES) this.states.clear();
    this.states.set(sessionId, state);
  }

  async readLog(sessionId: string): Promise<AuditRecord[] | null> {
    if (this.statements.session.get(sessionId) === undefined) return null;
    return this.statements.log.all(sessionId).map(toRecord);
  }

  async listSessions(filter: { owner?: string; exerciseId?: string } = {}): Promise<StoredSession[]> {
    return this.statements.sessions.all({ owner: filter.owner ?? null, exercise: filter.exerciseId ?? null }).map(toStoredSession);
  }

  subscribe(listener: (event: AppendedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.closed = true;
    this.writer?.close();
    if (this.db.open) this.db.close();
  }

  private notify(event: AppendedEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function toStoredSession(row: SessionRow): StoredSession {
  return {
    id: row.id,
    input: JSON.parse(row.input_json) as StoredSession['input'],
    exerciseId: row.exercise_id,
    owner: row.owner,
    mode: row.mode,
    meta: JSON.parse(row.meta_json) as Record<string, unknown>,
    createdAt: row.created_at,
    lastSeq: row.last_seq ?? -1,
    clockAt: row.clock_at,
    replacedBy: row.replaced_by,
  };
}

function toRecord(row: EventRow): AuditRecord {
  return {
    seq: row.seq,
    at: row.at,
    eventId: row.event_id,
    event: JSON.parse(row.event_json) as AuditRecord['event'],
    actor: row.actor as AuditRecord['actor'],
    from: row.from_json === null ? null : (JSON.parse(row.from_json) as AuditRecord['from']),
    to: JSON.parse(row.to_json) as AuditRecord['to'],
  };
}
