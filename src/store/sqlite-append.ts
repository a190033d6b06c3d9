// Appending records to a session's log in SQLite: the statements and the checks, shared by the store (on the
// main thread) and its writer thread, so an append is checked and written the same way wherever it runs.
import type Database from 'better-sqlite3';
import type { AuditRecord } from '../engine/index.js';
import { StoreIntegrityError, type AppendRequest, type AppendResult } from './event-store.js';

export function appendStatements(db: Database.Database) {
  return {
    insertEvent: db.prepare(
      'INSERT INTO events (session_id, seq, at, event_id, actor, event_json, from_json, to_json) VALUES (@session_id, @seq, @at, @event_id, @actor, @event_json, @from_json, @to_json)',
    ),
    lastSeq: db.prepare<[{ id: string }], { last_seq: number | null; exists_: number }>(
      'SELECT (SELECT MAX(seq) FROM events WHERE session_id = @id) AS last_seq, (SELECT COUNT(*) FROM sessions WHERE id = @id) AS exists_',
    ),
    /** The event id stored at a session's sequence number, if any. */
    eventIdAt: db.prepare<[{ id: string; seq: number }], { event_id: string }>('SELECT event_id FROM events WHERE session_id = @id AND seq = @seq'),
    /** The session that replaced this one (an undo's fork), or null. */
    replacedBy: db.prepare<[{ id: string }], { replaced_by: string | null }>('SELECT replaced_by FROM sessions WHERE id = @id'),
    // Compared in epoch milliseconds: ISO text sorts +010000-… before 9999-….
    setClock: db.prepare<[{ id: string; clock_at: string; clock_ms: number }]>(
      'UPDATE sessions SET clock_at = @clock_at, clock_ms = @clock_ms WHERE id = @id AND (clock_ms IS NULL OR clock_ms < @clock_ms)',
    ),
  };
}
export type AppendStatements = ReturnType<typeof appendStatements>;

/** What a group of appends did: each one's result, and whether listeners should hear of it (records, or a clock moved). */
export interface GroupOutcome {
  results: AppendResult[];
  heard: boolean[];
}

/**
 * Applies a group of appends inside one IMMEDIATE transaction (the write lock is taken before reading, so two
 * writers cannot both see the same last sequence). A stale or unknown append is refused alone; records out of
 * sequence throw, and nothing of the group is written.
 *
 * `settling`: the group was sent to a writer thread that stopped before answering, so it may be committed
 * already: an append whose records are stored (its last record's event id at its sequence) is answered as
 * committed and heard (nobody was told of it), the others are applied as ever.
 */
export function applyGroup(db: Database.Database, statements: AppendStatements, appends: readonly AppendRequest[], settling = false): GroupOutcome {
  return db
    .transaction((): GroupOutcome => {
      const results: AppendResult[] = [];
      const heard: boolean[] = [];
      for (const { sessionId, expectedLastSeq, records, clockAt } of appends) {
        const row = statements.lastSeq.get({ id: sessionId });
        if (row === undefined || row.exists_ === 0) {
          results.push({ ok: false, reason: 'unknown-session' });
          heard.push(false);
          continue;
        }
        const replacedBy = statements.replacedBy.get({ id: sessionId })?.replaced_by ?? null;
        if (replacedBy !== null) {
          results.push({ ok: false, reason: 'replaced', replacedBy });
          heard.push(false);
          continue;
        }
        const lastSeq = row.last_seq ?? -1;
        if (settling && wasStored(statements, sessionId, expectedLastSeq, records)) {
          results.push({ ok: true, lastSeq: expectedLastSeq + records.length });
          heard.push(true);
          continue;
        }
        if (lastSeq !== expectedLastSeq) {
          results.push({ ok: false, reason: 'stale', lastSeq });
          heard.push(false);
          continue;
        }
        insertRecords(statements, sessionId, expectedLastSeq, records);
        const clockMoved = clockAt !== undefined && statements.setClock.run({ id: sessionId, clock_at: clockAt, clock_ms: Date.parse(clockAt) }).changes > 0;
        results.push({ ok: true, lastSeq: expectedLastSeq + records.length });
        heard.push(records.length > 0 || clockMoved);
      }
      return { results, heard };
    })
    .immediate();
}

/** Whether these records are in the session's log where the append would put them (a group is committed whole). */
function wasStored(statements: AppendStatements, sessionId: string, expectedLastSeq: number, records: readonly AuditRecord[]): boolean {
  const last = records.at(-1);
  if (last === undefined) return false;
  return statements.eventIdAt.get({ id: sessionId, seq: expectedLastSeq + records.length })?.event_id === last.eventId;
}

/** Inserts records that must follow `afterSeq` one by one (the caller holds the transaction). */
export function insertRecords(statements: AppendStatements, sessionId: string, afterSeq: number, records: readonly AuditRecord[]): void {
  records.forEach((record, i) => {
    if (record.seq !== afterSeq + 1 + i) throw new StoreIntegrityError(`record #${record.seq} does not follow #${afterSeq + i}`);
  });
  for (const record of records) {
    statements.insertEvent.run({
      session_id: sessionId,
      seq: record.seq,
      at: record.at,
      event_id: record.eventId,
      actor: record.actor,
      event_json: JSON.stringify(record.event),
      from_json: record.from === null ? null : JSON.stringify(record.from),
      to_json: JSON.stringify(record.to),
    });
  }
}
