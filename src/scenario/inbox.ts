// The trainee's inbox, read off the session's log (DESIGN §9, invariant 15): every message is a record, an
// inject's INJECT.MESSAGE (written right after the machine took its event, or alone for information-only
// injects) or a timer's record with the message its action gave. Nothing else reaches the inbox.
import type { AuditRecord } from '../engine/index.js';

export interface InboxEntry {
  /** Simulated time it arrived (ISO). */
  at: string;
  /** `message`: the exercise's (an agency, a provider, the instructor); `clock`: what a timer did. */
  kind: 'message' | 'clock';
  /** The inject it came from (messages only). */
  injectId?: string;
  text: string;
  /** The record it came from. */
  seq: number;
}

export function inboxEntryOf(record: AuditRecord): InboxEntry | null {
  const { event } = record;
  if (event.type === 'INJECT.MESSAGE' && typeof event.text === 'string' && typeof event.injectId === 'string') {
    return { at: record.at, kind: 'message', injectId: event.injectId, text: event.text, seq: record.seq };
  }
  if (record.actor === 'clock' && event.type.startsWith('TIMER.') && typeof event.message === 'string') {
    return { at: record.at, kind: 'clock', text: event.message, seq: record.seq };
  }
  return null;
}

export function inboxOf(log: readonly AuditRecord[]): InboxEntry[] {
  return log.map(inboxEntryOf).filter((entry): entry is InboxEntry => entry !== null);
}

/** Ids of the injects whose message reached the trainee, in log order. */
export function deliveredInjectsOf(log: readonly AuditRecord[]): string[] {
  return log.flatMap((r) => (r.event.type === 'INJECT.MESSAGE' && typeof r.event.injectId === 'string' ? [r.event.injectId] : []));
}
