// What a record the clock or the exercise appended means, in words (after Wait, and in announcements).
import type { AuditRecord } from '../api-types.js';
import { clockText } from '../components/time-text.js';

const WORLD_EVENT_TEXT: Record<string, string> = {
  'AGENCY.ACKNOWLEDGE': 'The agency acknowledged the referral',
  'AGENCY.DECLINE': 'The agency declined the referral',
  'SUBSCRIBER.RETURNED': 'Subscriber information came back',
  'PRESERVATION.CONFIRMED': 'The carrier confirmed preservation',
  'INDICATOR.ADD': 'A new location indicator arrived',
  'TIP.SUPPLEMENT': 'The reporting provider supplemented its report',
};

/**
 * A record of the world's (an agency, the provider), a message or a timer, in words; null for the records
 * that say nothing to the trainee (the wait itself, an inject held for later, bookkeeping).
 */
export function recordText(record: AuditRecord): string | null {
  const type = record.event.type;
  const { text, message } = record.event as { text?: unknown; message?: unknown };
  if (type === 'INJECT.MESSAGE' && typeof text === 'string') return `${clockText(record.at)}: ${text}`;
  if (type.startsWith('TIMER.')) return `${clockText(record.at)}: ${typeof message === 'string' ? message : 'a deadline passed'}`;
  if (type === 'INJECT.HELD') return `${clockText(record.at)}: a scheduled message is for a later stage of the tip; it arrives when the tip gets there`;
  if (type.includes('.') && !(type in WORLD_EVENT_TEXT)) return null;
  const what = WORLD_EVENT_TEXT[type] ?? type;
  return `${clockText(record.at)}: ${what}`;
}
