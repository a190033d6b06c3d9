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
  return Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
}

export type { NetworkKind };
