// The tip's location indicators as a trainee reads them, in indicatorsOf's order with its ids: what the
// report says of each, from the geolocation step on what the lookup found (carrier, network kind, location,
// record retention, age at the routing time), and the caveat codes a trainee may tag it with. Never the
// rule book's caveats or confidence: the lookup is taken as a narrow type that has none to copy.
import type { AssessedIndicator } from './assessment.js';
import { caveatChoicesFor } from './caveats/choices.js';
import type { CaveatCode } from './caveats/codes.js';
import { indicatorsOf, timeOf, type IndicatorSource, type RawIndicator } from './indicators.js';
import type { NetworkKind } from './reference/geo.js';
import type { Tip } from './tip/schema.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What the geolocation lookup found for a network indicator. */
export interface RowGeo {
  /** null: no geolocation entry covers the address. */
  isp: string | null;
  kind: NetworkKind | null;
  country: string | null;
  region: string | null;
  city: string | null;
  /** How long the carrier keeps subscriber records (0: none). */
  retentionDays: number | null;
  /** Whole days from the indicator's time to the routing time; null without a time. */
  ageDays: number | null;
}

export interface IndicatorRow {
  id: string;
  source: IndicatorSource;
  subjectId: string | null;
  ip: string | null;
  port: number | null;
  event: string | null;
  /** IP event dateTime, P2P lastSeen. */
  time: string | null;
  /** The reporting provider flagged the address as a possible proxy (IP events only). */
  possibleProxy: boolean;
  /** A P2P observation's own facts. */
  p2p: RawIndicator['p2p'];
  /** The location the report gives (estimated locations only). */
  reported: { country: string; region: string | null; city: string | null; verified: boolean } | null;
  /** The lookup, network indicators only, from the geolocation step on (null before, and for a reported location). */
  geo: RowGeo | null;
  /** The codes offered for this indicator, in the reference's order: they depend on `source` alone. */
  caveatChoices: CaveatCode[];
}

/** The lookup fields of an assessment: what the rows may show of it. */
export type LookupOf = Pick<AssessedIndicator, 'id' | 'isp' | 'kind' | 'country' | 'region' | 'city' | 'retentionDays'>;
export interface Lookup {
  routingTime: string;
  indicators: readonly LookupOf[];
}

export function indicatorRowsOf(tip: Tip, lookup: Lookup | null): IndicatorRow[] {
  const found = new Map((lookup?.indicators ?? []).map((i) => [i.id, i]));
  const routingMs = lookup === null ? null : timeOf(lookup.routingTime);
  return indicatorsOf(tip).map((raw) => {
    const hit = raw.source === 'estimatedLocation' ? undefined : found.get(raw.id);
    return {
      id: raw.id,
      source: raw.source,
      subjectId: raw.subjectId,
      ip: raw.ip,
      port: raw.port,
      event: raw.event,
      time: raw.time,
      possibleProxy: raw.possibleProxy,
      p2p: raw.p2p,
      reported: raw.reported === null ? null : { ...raw.reported, verified: raw.verified },
      geo:
        hit === undefined || routingMs === null
          ? null
          : {
              isp: hit.isp,
              kind: hit.kind,
              country: hit.country,
              region: hit.region,
              city: hit.city,
              retentionDays: hit.retentionDays,
              ageDays: raw.time === null ? null : Math.floor((routingMs - timeOf(raw.time)) / DAY_MS),
            },
      caveatChoices: caveatChoicesFor(raw.source),
    };
  });
}
