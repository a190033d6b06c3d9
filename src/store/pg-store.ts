// The shared event store: PostgreSQL (the `pg` driver), for several server instances on one database. The
// same contract as the SQLite store: optimistic appends per session (the session's row is locked, its last
// sequence compared), unique (session, seq) and (session, event id), all of a group or nothing. Listeners
// hear of every instance's commits through the feed (pg-feed.ts).
import type pg from 'pg';
import type { AuditRecord } from '../engine/index.js';
import { StoreConflictError, StoreIntegrityError, StoreStaleError, type AppendedEvent, type AppendRequest, type AppendResult, type EventStore, type NewSession, type SessionMessage, type StoredSession } from './event-store.js';
import { exerciseTextDigest } from './sqlite-migrations.js';
import { APPEND_CHANNEL, notifyPayload, PgAppendFeed, type OwnChange } from './pg-feed.js';
import { inTransaction, isUniqueViolation, openPgPool, type PgOptions } from './pg-database.js';
import { recordValues, toRecord, toStoredSession, type EventRow, type SessionRow } from './pg-rows.js';
import { FixedSessions } from './fixed-sessions.js';

const DEFAULT_POLL_MS = 1_000;
const SESSION_COLUMNS = 'id, exercise_id, owner, mode, created_at, input_json, meta_json, clock_at, last_seq, replaced_by';

export class PgEventStore implements EventStore {
  private readonly listeners = new Set<(event: AppendedEvent) => void>();
  private readonly feed: PgAppendFeed;
  private readonly fixed = new FixedSessions();
  private closed = false;

  /** Opens its own pool on `connectionString` (migrating the database); closing the store ends it. */
  static async open(connectionString: string, options: PgOptions = {}): Promise<PgEventStore> {
    return new PgEventStore(await openPgPool(connectionString, options), connectionString, options, true);
  }

  /** On a migrated pool (openPgPool); `ownsPool`: close() ends it. The LISTEN connection is its own. */
  constructor(
    private readonly pool: pg.Pool,
    connectionString: string,
    options: PgOptions = {},
    private readonly ownsPool = false,
  ) {
    this.feed = new PgAppendFeed(pool, connectionString, options.pollMs ?? DEFAULT_POLL_MS, (event) => this.notify(event));
  }

  async createSession(session: NewSession): Promise<StoredSession> {
    if (session.first.seq !== 0) throw new StoreIntegrityError('a session starts with record #0');
    await this.writable();
    const release = this.feed.hold([session.id]);
    try {
      await this.createSessionNow(session);
    } finally {
      release();
    }
    const stored = await this.getSession(session.id);
    if (stored === null) throw new StoreIntegrityError(`session ${session.id} vanished after it was created`);
    return stored;
  }

  private async createSessionNow(session: NewSession): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      // A fork replaces its session: that row is locked first, so an append to it waits for the fork's commit
      // and then reads the mark; one that got there first has moved it past the fork's sequence.
      const forkOf = session.meta?.forkOf;
      const forks = typeof forkOf === 'string' && forkOf !== session.id ? forkOf : null;
      if (forks !== null) {
        const forked = (await client.query<{ last_seq: number }>('SELECT last_seq FROM sessions WHERE id = $1 FOR UPDATE', [forks])).rows[0];
        if (forked !== undefined && session.forkedAtSeq !== undefined && forked.last_seq !== session.forkedAtSeq) {
          throw new StoreStaleError(`session ${forks} has moved on to #${forked.last_seq} since the fork was made from #${session.forkedAtSeq}`, forked.last_seq);
        }
      }
      try {
        await client.query('INSERT INTO sessions (id, exercise_id, owner, mode, created_at, input_json, meta_json, last_seq, version) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 1)', [
          session.id,
          session.exerciseId ?? null,
          session.owner ?? null,
          session.mode ?? 'practice',
          session.createdAt,
          JSON.stringify(session.input),
          JSON.stringify(session.meta ?? {}),
        ]);
      } catch (error) {
        if (isUniqueViolation(error, 'sessions_pkey')) throw new StoreConflictError(`session ${session.id} already exists`);
        throw error;
      }
      await insertRecords(client, session.id, -1, [session.first]);
      if (forks !== null) await client.query('UPDATE sessions SET replaced_by = $2 WHERE id = $1 AND replaced_by IS NULL', [forks, session.id]);
      await client.query('SELECT pg_notify($1, $2)', [APPEND_CHANNEL, notifyPayload(session.id, 0, 1)]);
    });
    await this.feed.own([{ event: { sessionId: session.id, records: [session.first] }, after: { seq: 0, messages: 0, version: 1 } }]);
  }

  async append(sessionId: string, expectedLastSeq: number, records: readonly AuditRecord[], clockAt?: string): Promise<AppendResult> {
    const [result] = await this.commitGroup([{ sessionId, expectedLastSeq, records, ...(clockAt === undefined ? {} : { clockAt }) }]);
    if (result === undefined) throw new StoreIntegrityError('an append gave no result');
    return result;
  }

  /**
   * One transaction: the rows of every session of the group are locked first, in id order (two instances'
   * groups never wait for each other round a circle), then each append is checked and applied in order.
   */
  async commitGroup(appends: readonly AppendRequest[]): Promise<AppendResult[]> {
    await this.writable();
    if (appends.length === 0) return [];
    const release = this.feed.hold(appends.map((a) => a.sessionId));
    try {
      return await this.commitGroupNow(appends);
    } finally {
      release();
    }
  }

  private async commitGroupNow(appends: readonly AppendRequest[]): Promise<AppendResult[]> {
    const { results, changes } = await inTransaction(this.pool, async (client) => {
      const ids = [...new Set(appends.map((a) => a.sessionId))].sort();
      const locked = await client.query<{ id: string; last_seq: number; messages: number; version: string; clock_ms: string | null; replaced_by: string | null }>(
        'SELECT id, last_seq, messages, version, clock_ms, replaced_by FROM sessions WHERE id = ANY($1::text[]) ORDER BY id COLLATE "C" FOR UPDATE',
        [ids],
      );
      const state = new Map(locked.rows.map((r) => [r.id, { lastSeq: r.last_seq, messages: r.messages, version: Number(r.version), clockMs: r.clock_ms === null ? null : Number(r.clock_ms) }]));
      const replacedBy = new Map(locked.rows.flatMap((r) => (r.replaced_by === null ? [] : [[r.id, r.replaced_by] as const])));
      const results: AppendResult[] = [];
      const changes: OwnChange[] = [];
      for (const { sessionId, expectedLastSeq, records, clockAt } of appends) {
        const current = state.get(sessionId);
        if (current === undefined) {
          results.push({ ok: false, reason: 'unknown-session' });
          continue;
        }
        const by = replacedBy.get(sessionId);
        if (by !== undefined) {
          results.push({ ok: false, reason: 'replaced', replacedBy: by });
          continue;
        }
        if (current.lastSeq !== expectedLastSeq) {
          results.push({ ok: false, reason: 'stale', lastSeq: current.lastSeq });
          continue;
        }
        await insertRecords(client, sessionId, expectedLastSeq, records);
        const clockMs = clockAt === undefined ? null : Date.parse(clockAt);
        const clockMoved = clockMs !== null && (current.clockMs === null || current.clockMs < clockMs);
        const heard = records.length > 0 || clockMoved;
        const next = { lastSeq: expectedLastSeq + records.length, messages: current.messages, version: current.version + (heard ? 1 : 0), clockMs: clockMoved ? clockMs : current.clockMs };
        if (heard) {
          await client.query('UPDATE sessions SET last_seq = $2, version = $3, clock_at = CASE WHEN $4 THEN $5 ELSE clock_at END, clock_ms = CASE WHEN $4 THEN $6::bigint ELSE clock_ms END WHERE id = $1', [
            sessionId,
            next.lastSeq,
            next.version,
            clockMoved,
            clockAt ?? null,
            clockMoved ? clockMs : null,
          ]);
          await client.query('SELECT pg_notify($1, $2)', [APPEND_CHANNEL, notifyPayload(sessionId, next.lastSeq, next.version)]);
          changes.push({ event: { sessionId, records, ...(clockAt === undefined ? {} : { clockAt }) }, after: { seq: next.lastSeq, messages: next.messages, version: next.version } });
        }
        state.set(sessionId, next);
        results.push({ ok: true, lastSeq: next.lastSeq });
      }
      return { results, changes };
    });
    await this.feed.own(changes);
    if (!this.feed.listening) for (const { event } of changes) this.notify(event);
    return results;
  }

  async addMessage(sessionId: string, message: SessionMessage): Promise<boolean> {
    await this.writable();
    const release = this.feed.hold([sessionId]);
    try {
      return await this.addMessageNow(sessionId, message);
    } finally {
      release();
    }
  }

  private async addMessageNow(sessionId: string, message: SessionMessage): Promise<boolean> {
    const change = await inTransaction(this.pool, async (client): Promise<OwnChange | null> => {
      const row = (await client.query<{ last_seq: number; messages: number; version: string }>('SELECT last_seq, messages, version FROM sessions WHERE id = $1 FOR UPDATE', [sessionId])).rows[0];
      if (row === undefined) return null;
      const n = row.messages + 1;
      const inserted = await client.query('INSERT INTO messages (session_id, n, inject_id, at, sent_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (session_id, inject_id) DO NOTHING', [sessionId, n, message.injectId, message.at, message.sentBy]);
      if (inserted.rowCount !== 1) return null;
      const version = Number(row.version) + 1;
      await client.query('UPDATE sessions SET messages = $2, version = $3 WHERE id = $1', [sessionId, n, version]);
      await client.query('SELECT pg_notify($1, $2)', [APPEND_CHANNEL, notifyPayload(sessionId, row.last_seq, version)]);
      return { event: { sessionId, records: [], message }, after: { seq: row.last_seq, messages: n, version } };
    });
    if (change === null) return false;
    await this.feed.own([change]);
    if (!this.feed.listening) this.notify(change.event);
    return true;
  }

  async readMessages(sessionId: string): Promise<SessionMessage[] | null> {
    if (!(await this.exists(sessionId))) return null;
    const rows = (await this.pool.query<{ inject_id: string; at: string; sent_by: string }>('SELECT inject_id, at, sent_by FROM messages WHERE session_id = $1 ORDER BY n', [sessionId])).rows;
    return rows.map((row) => ({ injectId: row.inject_id, at: row.at, sentBy: row.sent_by }));
  }

  async putExerciseText(text: string): Promise<string> {
    const sha256 = exerciseTextDigest(text);
    await this.pool.query('INSERT INTO exercise_texts (sha256, text) VALUES ($1, $2) ON CONFLICT DO NOTHING', [sha256, text]);
    return sha256;
  }

  async exerciseText(sha256: string): Promise<string | null> {
    return (await this.pool.query<{ text: string }>('SELECT text FROM exercise_texts WHERE sha256 = $1', [sha256])).rows[0]?.text ?? null;
  }

  async getSession(sessionId: string): Promise<StoredSession | null> {
    const fixed = this.fixed.get(sessionId);
    if (fixed !== undefined) {
      const state = (await this.pool.query<{ clock_at: string | null; last_seq: number; replaced_by: string | null }>('SELECT clock_at, last_seq, replaced_by FROM sessions WHERE id = $1', [sessionId])).rows[0];
      return state === undefined ? null : { ...fixed, lastSeq: state.last_seq, clockAt: state.clock_at, replacedBy: state.replaced_by };
    }
    const row = (await this.pool.query<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = $1`, [sessionId])).rows[0];
    if (row === undefined) return null;
    return this.fixed.keep(toStoredSession(row));
  }

  async readLog(sessionId: string): Promise<AuditRecord[] | null> {
    if (!(await this.exists(sessionId))) return null;
    const rows = (await this.pool.query<EventRow>('SELECT seq, at, event_id, actor, event_json, from_json, to_json FROM events WHERE session_id = $1 ORDER BY seq', [sessionId])).rows;
    return rows.map(toRecord);
  }

  async listSessions(filter: { owner?: string; exerciseId?: string } = {}): Promise<StoredSession[]> {
    const rows = (
      await this.pool.query<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE ($1::text IS NULL OR owner = $1) AND ($2::text IS NULL OR exercise_id = $2) ORDER BY created_at, id`, [
        filter.owner ?? null,
        filter.exerciseId ?? null,
      ])
    ).rows;
    return rows.map(toStoredSession);
  }

  subscribe(listener: (event: AppendedEvent) => void): () => void {
    this.listeners.add(listener);
    if (!this.closed) this.feed.start();
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.feed.close();
    this.listeners.clear();
    if (this.ownsPool) await this.pool.end();
  }

  /** A write waits until the feed has its baseline, so listeners hear of every write after they subscribed. */
  private async writable(): Promise<void> {
    if (this.closed) throw new StoreIntegrityError('the store is closed');
    await this.feed.ready();
  }

  private async exists(sessionId: string): Promise<boolean> {
    return (await this.pool.query('SELECT 1 FROM sessions WHERE id = $1', [sessionId])).rowCount === 1;
  }

  private notify(event: AppendedEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

/** Inserts records that must follow `afterSeq`, in one statement (the caller holds the transaction). */
async function insertRecords(client: pg.PoolClient, sessionId: string, afterSeq: number, records: readonly AuditRecord[]): Promise<void> {
  records.forEach((record, i) => {
    if (record.seq !== afterSeq + 1 + i) throw new StoreIntegrityError(`record #${record.seq} does not follow #${afterSeq + i}`);
  });
  if (records.length === 0) return;
  const values = records.map((_, i) => `(${Array.from({ length: 8 }, (_unused, c) => `$${i * 8 + c + 1}`).join(', ')})`).join(', ');
  await client.query(`INSERT INTO events (session_id, seq, at, event_id, actor, event_json, from_json, to_json) VALUES ${values}`, records.flatMap((record) => recordValues(sessionId, record)));
}
