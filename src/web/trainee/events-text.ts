// What a record the clock or the exercise appended means, in words (after Wait, and in announcements).
import type { AuditRecord } from '../api-types.js';
import { clockText } from './format.js';

const WORLD_EVENT_TEXT: Record<string, string> = {
  'AGENCY.ACKNOWLEDGE': 'The agency acknowledged the referral',
  'AGENCY.DECLINE': 'The agency declined the referral',
  'SUBSCRIBER.RETURNED': 'Subscriber information came back',
  'PRESERVATION.CONFIRMED': 'The carrier confirmed preservation',
  'INDICATOR.ADD': 'A new location indicator arrived',
  'TIP.SUPPLEMENT': 'The reporting provider supplemented its report',
};

/** A record of the world's (an agency, the provider) in words; timers speak through the view's timerEvents. */
export function recordText(record: AuditRecord): string {
  const type = record.event.type;
  const what = WORLD_EVENT_TEXT[type] ?? type;
  return `${clockText(record.at)}: ${what}`;
}
