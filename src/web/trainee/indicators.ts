// The tip's location indicators, named by where they sit in the report (subjects[0].ipEvents[1], p2p[0],
// subjects[0].estimatedLocation: the ids the API and the debrief use), with what the facts say of each.
import { clockText } from './format.js';
import type { TipFacts } from './types.js';

export interface IndicatorRow {
  id: string;
  source: 'ipEvent' | 'p2p' | 'estimatedLocation';
  /** What kind of row it is, in words ("IP event: Upload", "P2P observation", …). */
  what: string;
  subject: string | null;
  ip: string | null;
  port: number | null;
  time: string | null;
  /** The location the report itself gives (estimated locations only). */
  reportedLocation: string | null;
  /** Facts worth a flag: the provider's proxy flag, the P2P networks and FOI count. */
  notes: string[];
}

const placeOf = (l: { countryCode: string; region?: string; city?: string }) => [l.city, l.region, l.countryCode].filter((p) => p !== undefined && p !== '').join(', ');

export function indicatorRows(facts: TipFacts | null): IndicatorRow[] {
  if (facts === null) return [];
  const rows: IndicatorRow[] = [];
  (facts.subjects ?? []).forEach((subject, s) => {
    (subject.ipEvents ?? []).forEach((e, i) => {
      rows.push({
        id: `subjects[${s}].ipEvents[${i}]`,
        source: 'ipEvent',
        what: `IP event${e.event === undefined ? '' : `: ${e.event}`}`,
        subject: subject.id,
        ip: e.ip,
        port: e.port ?? null,
        time: e.dateTime ?? null,
        reportedLocation: null,
        notes: e.possibleProxy === true ? ['the reporting provider flagged a possible proxy'] : [],
      });
    });
    if (subject.estimatedLocation !== undefined) {
      rows.push({
        id: `subjects[${s}].estimatedLocation`,
        source: 'estimatedLocation',
        what: `Estimated location${subject.estimatedLocation.verified === true ? ' (verified)' : ' (unverified)'}`,
        subject: subject.id,
        ip: null,
        port: null,
        time: null,
        reportedLocation: placeOf(subject.estimatedLocation),
        notes: [],
      });
    }
  });
  (facts.p2p ?? []).forEach((row, i) => {
    const notes = [`network ${row.network}`];
    if ((row.allNetworks ?? []).length > 0) notes.push(`all networks ${(row.allNetworks ?? []).join(' ')}`);
    if (row.foiCount !== undefined) notes.push(`${row.foiCount} files of interest`);
    if (row.firstSeen !== undefined) notes.push(`first seen ${clockText(row.firstSeen)}`);
    rows.push({ id: `p2p[${i}]`, source: 'p2p', what: 'P2P observation', subject: null, ip: row.ip, port: row.port ?? null, time: row.lastSeen ?? null, reportedLocation: null, notes });
  });
  return rows;
}
