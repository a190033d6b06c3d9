// What a PostgreSQL event store tells its listeners, whichever instance wrote it. A commit sends
// NOTIFY tipflow_append '<sessionId>:<lastSeq>:<version>'; the notification is only the wake-up: the feed
// reads the session's row and the records and messages after the ones it has told of, so a missed
// notification (a dropped LISTEN connection, a lost packet) is caught up on reconnect or by a periodic poll.
// The poll reads only the sessions changed since its last read (see POLL_SQL), not every session.
// Every telling runs on one chain, so listeners hear each session's changes in order, and once each: the
// session row's `version` counts its changes, and the feed remembers the last one it told of per session.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { AuditRecord } from '../engine/index.js';
import type { AppendedEvent, SessionMessage } from './event-store.js';
import { PgListener } from './pg-listener.js';
import { toRecord, type EventRow } from './pg-rows.js';

export const APPEND_CHANNEL = 'tipflow_append';

interface Told {
  seq: number;
  messages: number;
  version: number;
}
const NOTHING_TOLD: Told = { seq: -1, messages: 0, version: 0 };

/**
 * The poll: the sessions whose last change was made by a transaction at or after `$1` (a horizon), and the
 * horizon for the next poll, the oldest transaction still running when this statement's snapshot was taken
 * (pg_current_snapshot() is the statement's own snapshot). Why nothing is skipped: a change this read does
 * not see was made by a transaction that had not committed when the snapshot was taken, so it was running
 * (its id is at or above the snapshot's xmin) or had no id yet (it gets one above every id given so far, so
 * above xmin too); the next poll, reading from xmin on, sees it once it commits, in whatever order
 * transactions commit. A plain "counter above the largest seen" would skip a transaction that took a lower
 * value and committed after a higher one. The sessions changed since the oldest running transaction are
 * read through the index (sessions_changed); a transaction left open for long elsewhere on the server holds
 * the horizon back, so the poll reads more (never less) until it ends. Rows read again are told of only when
 * their `version` is past the one told.
 */
export const POLL_SQL =
  'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon, s.id, s.version FROM (SELECT 1) AS one LEFT JOIN sessions AS s ON s.changed_xid >= $1::xid8';
/** The baseline at the first subscriber: every session as it is now, and the horizon of the first poll. */
const BASELINE_SQL = 'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon, s.id, s.last_seq, s.messages, s.version FROM (SELECT 1) AS one LEFT JOIN sessions AS s ON TRUE';

/** One change this instance committed, told as it is (no read back) when it follows the last one told. */
export interface OwnChange {
  event: AppendedEvent;
  /** The session's last sequence, message count and version after the change. */
  after: Told;
}

export class PgAppendFeed {
  private readonly told = new Map<string, Told>();
  private chain: Promise<void> = Promise.resolve();
  private readonly listener: PgListener;
  private poller: ReturnType<typeof setInterval> | null = null;
  private readonly due = new Set<string>();
  /** Sessions this instance is writing now (a count each), and the wake-ups for them held meanwhile. */
  private readonly writing = new Map<string, number>();
  private readonly held = new Set<string>();
  private draining = false;
  private polling = false;
  private started: Promise<void> | null = null;
  private closed = false;
  /** Where the next poll reads from (a transaction id, as text): set by the baseline, moved on by each poll. */
  private horizon: string | null = null;
  /** Sessions whose reading back failed (the database away for a moment): the next poll tries them again. */
  private readonly missed = new Set<string>();

  constructor(
    private readonly pool: pg.Pool,
    connectionString: string,
    private readonly pollMs: number,
    private readonly deliver: (event: AppendedEvent) => void,
  ) {
    this.listener = new PgListener({
      connectionString,
      channel: APPEND_CHANNEL,
      onNotification: (payload) => {
        const [sessionId, , version] = splitPayload(payload);
        if (sessionId === undefined) return;
        if (version !== undefined && (this.told.get(sessionId)?.version ?? 0) >= version) return; // this instance's own, told already
        this.schedule([sessionId]);
      },
      // What was notified while the connection was down: caught up on everything.
      onReconnected: () => this.poll(),
    });
  }

  /**
   * Starts listening (on the first subscriber): what is in the store now is the baseline, told to no one;
   * every change after it is told. Writes wait for `ready()`, so none falls between the baseline and the feed.
   */
  start(): void {
    if (this.started !== null || this.closed) return;
    this.started = this.enqueue(async () => {
      // A LISTEN connection that cannot be made now is retried in the background (the poll covers meanwhile).
      await this.listener.start();
      // The baseline is needed before any write is told: waited for, however long the database is away.
      for (let wait = 100; !this.closed; wait = Math.min(wait * 2, 5_000)) {
        try {
          const rows = (await this.pool.query<{ horizon: string; id: string | null; last_seq: number; messages: number; version: string }>(BASELINE_SQL)).rows;
          for (const row of rows) if (row.id !== null) this.told.set(row.id, { seq: row.last_seq, messages: row.messages, version: Number(row.version) });
          this.horizon = rows[0]?.horizon ?? null;
          break;
        } catch {
          await sleep(wait);
        }
      }
      if (this.closed) return;
      this.poller = setInterval(() => this.poll(), this.pollMs);
      this.poller.unref();
    });
  }

  /** Resolves once the feed has its baseline (at once when nobody subscribed). */
  ready(): Promise<void> {
    return this.started ?? Promise.resolve();
  }

  get listening(): boolean {
    return this.started !== null;
  }

  /**
   * Before this instance writes to these sessions: until the returned release (after `own()`, or after a
   * failed write), their notifications and the poll's finds wait, so the write's own NOTIFY, heard before
   * `own()` is called, does not tell its changes read back and merged (a group's two appends of one session
   * as one). Other sessions are told as ever; a held wake-up is caught up at the release.
   */
  hold(sessionIds: readonly string[]): () => void {
    for (const id of sessionIds) this.writing.set(id, (this.writing.get(id) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const free: string[] = [];
      for (const id of sessionIds) {
        const left = (this.writing.get(id) ?? 1) - 1;
        if (left > 0) this.writing.set(id, left);
        else {
          this.writing.delete(id);
          if (this.held.delete(id)) free.push(id);
        }
      }
      if (free.length > 0) this.schedule(free);
    };
  }

  /** After this instance's commit: tells the change, or reads back what came before it first. */
  own(changes: readonly OwnChange[]): Promise<void> {
    if (this.started === null || changes.length === 0) return Promise.resolve();
    return this.enqueue(async () => {
      for (const { event, after } of changes) {
        const told = this.told.get(event.sessionId) ?? NOTHING_TOLD;
        if (told.version >= after.version) continue; // a notification or the poll told it already
        if (told.version === after.version - 1) {
          this.told.set(event.sessionId, after);
          this.deliver(event);
        } else await this.catchUpOrRetry(event.sessionId);
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.poller !== null) clearInterval(this.poller);
    await this.chain;
    await this.listener.close();
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(work);
    // A failed telling (the database gone for a moment) must not stop the ones after it: the poll retries.
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Reads the sessions changed since the last poll (POLL_SQL) and catches up those not told of yet. */
  private poll(): void {
    if (this.polling || this.closed || this.horizon === null) return;
    this.polling = true;
    const from = this.horizon;
    void this.enqueue(async () => {
      try {
        const rows = (await this.pool.query<{ horizon: string; id: string | null; version: string | null }>(POLL_SQL, [from])).rows;
        const moved = rows.filter((row) => row.id !== null && Number(row.version) > (this.told.get(row.id)?.version ?? 0)).map((row) => row.id ?? '');
        const next = rows[0]?.horizon;
        // Never back (it cannot go back, but a horizon that did would only read more).
        if (next !== undefined && BigInt(next) > BigInt(from)) this.horizon = next;
        const retry = [...this.missed];
        this.missed.clear();
        this.schedule([...moved, ...retry]);
      } finally {
        this.polling = false;
      }
    });
  }

  private schedule(sessionIds: readonly string[]): void {
    for (const id of sessionIds) (this.writing.has(id) ? this.held : this.due).add(id);
    if (this.draining || this.due.size === 0 || this.closed) return;
    this.draining = true;
    void this.enqueue(async () => {
      try {
        while (this.due.size > 0) {
          const [id] = this.due;
          if (id === undefined) break;
          this.due.delete(id);
          await this.catchUpOrRetry(id);
        }
      } finally {
        this.draining = false;
      }
    });
  }

  /**
   * A catching up that fails is tried again at the next poll: the poll's horizon has moved past its change,
   * so the poll would not find it again.
   */
  private async catchUpOrRetry(sessionId: string): Promise<void> {
    try {
      await this.catchUp(sessionId);
    } catch {
      this.missed.add(sessionId);
    }
  }

  /** Reads what the session has after what was told of, and tells it: its records, then its messages. */
  private async catchUp(sessionId: string): Promise<void> {
    const told = this.told.get(sessionId) ?? NOTHING_TOLD;
    const row = (await this.pool.query<{ last_seq: number; messages: number; version: string; clock_at: string | null }>('SELECT last_seq, messages, version, clock_at FROM sessions WHERE id = $1', [sessionId])).rows[0];
    if (row === undefined || Number(row.version) <= told.version) return;
    const records: AuditRecord[] =
      row.last_seq > told.seq
        ? (await this.pool.query<EventRow>('SELECT seq, at, event_id, actor, event_json, from_json, to_json FROM events WHERE session_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq', [sessionId, told.seq, row.last_seq])).rows.map(toRecord)
        : [];
    const messages: SessionMessage[] =
      row.messages > told.messages
        ? (await this.pool.query<{ inject_id: string; at: string; sent_by: string }>('SELECT inject_id, at, sent_by FROM messages WHERE session_id = $1 AND n > $2 AND n <= $3 ORDER BY n', [sessionId, told.messages, row.messages])).rows.map((m) => ({ injectId: m.inject_id, at: m.at, sentBy: m.sent_by }))
        : [];
    this.told.set(sessionId, { seq: row.last_seq, messages: row.messages, version: Number(row.version) });
    // Records (or the clock alone, when nothing else changed), then each message.
    if (records.length > 0 || messages.length === 0) this.deliver({ sessionId, records, ...(row.clock_at === null ? {} : { clockAt: row.clock_at }) });
    for (const message of messages) this.deliver({ sessionId, records: [], message });
  }
}

/** '<sessionId>:<lastSeq>:<version>', split at the last two colons (a session id may hold colons). */
export function splitPayload(payload: string): [string | undefined, number | undefined, number | undefined] {
  const parts = payload.split(':');
  if (parts.length < 3) return [parts.length === 2 ? parts[0] : undefined, undefined, undefined];
  const version = Number(parts.pop());
  const lastSeq = Number(parts.pop());
  return [parts.join(':'), Number.isFinite(lastSeq) ? lastSeq : undefined, Number.isFinite(version) ? version : undefined];
}

export const notifyPayload = (sessionId: string, lastSeq: number, version: number): string => `${sessionId}:${lastSeq}:${version}`;
