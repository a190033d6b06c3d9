// Words for an indicator row of the view (SessionView.indicators: the server's rows, in the rule book's
// order with its ids): what kind of row it is, the facts worth a flag, and where a reported location is.
import type { IndicatorRow } from '../api-types.js';
import { clockText } from '../components/time-text.js';

/** "IP event: Upload", "P2P observation", "Estimated location (unverified)". */
export function rowWhat(row: IndicatorRow): string {
  if (row.source === 'ipEvent') return `IP event${row.event === null ? '' : `: ${row.event}`}`;
  if (row.source === 'p2p') return 'P2P observation';
  return `Estimated location${row.reported?.verified === true ? ' (verified)' : ' (unverified)'}`;
}

/** Facts worth a flag: the provider's proxy flag, the P2P networks, FOI count and first sighting. */
export function rowNotes(row: IndicatorRow): string[] {
  const notes = row.possibleProxy ? ['the reporting provider flagged a possible proxy'] : [];
  if (row.p2p !== null) {
    notes.push(`network ${row.p2p.network}`);
    if (row.p2p.allNetworks.length > 0) notes.push(`all networks ${row.p2p.allNetworks.join(' ')}`);
    if (row.p2p.foiCount !== null) notes.push(`${row.p2p.foiCount} files of interest`);
    if (row.p2p.firstSeen !== null) notes.push(`first seen ${clockText(row.p2p.firstSeen)}`);
  }
  return notes;
}

/** City, region, country, leaving out what is not known. */
export const placeText = (l: { city: string | null; region: string | null; country: string | null }): string => [l.city, l.region, l.country].filter((p) => p !== null && p !== '').join(', ');

/** The location the report gives (estimated locations), else null. */
export const reportedText = (row: IndicatorRow): string | null => (row.reported === null ? null : placeText(row.reported));
