// Location indicators of a tip: each IP event, each P2P observation and each reported estimated location,
// in document order (subjects' IP events, then P2P observations, then estimated locations). An indicator's
// id is its JSON path in the tip, so it is stable and names the place a trainee can look at.
import type { NetworkKind } from './reference/geo.js';
import type { Tip } from './tip/schema.js';

export const INDICATOR_SOURCES = ['ipEvent', 'p2p', 'estimatedLocation'] as const;
export type IndicatorSource = (typeof INDICATOR_SOURCES)[number];

export interface RawIndicator {
  id: string;
  source: IndicatorSource;
  subjectId: string | null;
  ip: string | null;
  port: number | null;
  /** Event time (IP event dateTime, P2P lastSeen) as ISO text; null when absent or not applicable. */
  time: string | null;
  possibleProxy: boolean;
  /** The IP event's name (Upload, Login, …); null for other indicators or when the report gives none. */
  event: string | null;
  /** A P2P observation's own facts (P2P indicators only). */
  p2p: { network: string; allNetworks: string[]; foiCount: number | null; firstSeen: string | null } | null;
  /** For estimated locations. */
  verified: boolean;
  reported: { country: string; region: string | null; city: string | null } | null;
}

const orNull = (value: string | undefined): string | null => (value === undefined || value === '' ? null : value);

export function indicatorsOf(tip: Tip): RawIndicator[] {
  const out: RawIndicator[] = [];
  const subjects = tip.subjects ?? [];
  subjects.forEach((subject, s) => {
    (subject.ipEvents ?? []).forEach((event, e) => {
      out.push({
        id: `subjects[${s}].ipEvents[${e}]`,
        source: 'ipEvent',
        subjectId: subject.id,
        ip: event.ip,
        port: event.port ?? null,
        time: event.dateTime ?? null,
        possibleProxy: event.possibleProxy === true,
        event: event.event ?? null,
        p2p: null,
        verified: false,
        reported: null,
      });
    });
  });
  (tip.p2p ?? []).forEach((row, p) => {
    out.push({
      id: `p2p[${p}]`,
      source: 'p2p',
      subjectId: null,
      ip: row.ip,
      port: row.port ?? null,
      time: row.lastSeen ?? null,
      possibleProxy: false,
      event: null,
      p2p: { network: row.network, allNetworks: [...(row.allNetworks ?? [])], foiCount: row.foiCount ?? null, firstSeen: row.firstSeen ?? null },
      verified: false,
      reported: null,
    });
  });
  subjects.forEach((subject, s) => {
    const location = subject.estimatedLocation;
    if (location === undefined) return;
    out.push({
      id: `subjects[${s}].estimatedLocation`,
      source: 'estimatedLocation',
      subjectId: subject.id,
      ip: null,
      port: null,
      time: null,
      possibleProxy: false,
      event: null,
      p2p: null,
      verified: location.verified === true,
      reported: { country: location.countryCode, region: orNull(location.region), city: orNull(location.city) },
    });
  });
  return out;
}

/** Milliseconds since the epoch for an ISO date or date-time (a date alone means 00:00:00Z). */
export function timeOf(iso: string): number {
  return utcTimeOf(iso) ?? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
}

/** The value of digits iso[from, from + n), or -1 when one is not a digit. */
function digits(iso: string, from: number, n: number): number {
  let value = 0;
  for (let i = from; i < from + n; i += 1) {
    const d = iso.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * The common forms, read without Date.parse (a tip's assessment reads a dozen times, and Date.parse is most of
 * it): YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ and YYYY-MM-DDTHH:MM:SS.sssZ with a year from 1000 and every field in
 * range. Anything else (offsets, 24:00, other precisions) is null: Date.parse reads it. Same value as Date.parse
 * wherever it answers (tests/domain/time-of.test.ts); a day past the month's end rolls over as Date.parse does.
 */
function utcTimeOf(iso: string): number | null {
  const n = iso.length;
  if ((n !== 10 && n !== 20 && n !== 24) || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) return null;
  const year = digits(iso, 0, 4);
  const month = digits(iso, 5, 2);
  const day = digits(iso, 8, 2);
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > 31) return null;
  if (n === 10) return Date.UTC(year, month - 1, day);
  if (iso.charCodeAt(10) !== 84 || iso.charCodeAt(13) !== 58 || iso.charCodeAt(16) !== 58 || iso.charCodeAt(n - 1) !== 90) return null;
  const hour = digits(iso, 11, 2);
  const minute = digits(iso, 14, 2);
  const second = digits(iso, 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
  let ms = 0;
  if (n === 24) {
    ms = digits(iso, 20, 3);
    if (iso.charCodeAt(19) !== 46 || ms < 0) return null;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

export type { NetworkKind };
