// Rows of the PostgreSQL store as the driver returns them, and the store's shapes they become.
import type { AuditRecord } from '../engine/index.js';
import type { StoredSession } from './event-store.js';

export interface EventRow {
  seq: number;
  at: string;
  event_id: string;
  actor: string;
  event_json: string;
  from_json: string | null;
  to_json: string;
}

export interface SessionRow {
  id: string;
  exercise_id: string | null;
  owner: string | null;
  mode: string;
  created_at: string;
  input_json: string;
  meta_json: string;
  clock_at: string | null;
  last_seq: number;
  replaced_by: string | null;
}

export function toRecord(row: EventRow): AuditRecord {
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

export function toStoredSession(row: SessionRow): StoredSession {
  return {
    id: row.id,
    input: JSON.parse(row.input_json) as StoredSession['input'],
    exerciseId: row.exercise_id,
    owner: row.owner,
    mode: row.mode,
    meta: JSON.parse(row.meta_json) as Record<string, unknown>,
    createdAt: row.created_at,
    lastSeq: row.last_seq,
    clockAt: row.clock_at,
    replacedBy: row.replaced_by,
  };
}

/** The columns of one record, in the order of the events table's INSERT. */
export const recordValues = (sessionId: string, record: AuditRecord): unknown[] => [
  sessionId,
  record.seq,
  record.at,
  record.eventId,
  record.actor,
  JSON.stringify(record.event),
  record.from === null ? null : JSON.stringify(record.from),
  JSON.stringify(record.to),
];
