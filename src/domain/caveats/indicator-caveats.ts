// The caveat rules for a single indicator (DESIGN §5). Each rule is one predicate, named by its code; the
// assessment, the answer key, the grader and the property tests all use this table.
import type { GeoEntry } from '../reference/geo.js';
import { timeOf, type RawIndicator } from '../indicators.js';
import { kindCanCarry } from './choices.js';
import type { CaveatCode } from './codes.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What an indicator's caveats are decided from: the raw indicator, its geo entry and the routing time. */
export interface IndicatorFacts {
  indicator: RawIndicator;
  geo: GeoEntry | null;
  location: { country: string | null; region: string | null; city: string | null };
  routingTimeMs: number;
}

const isNetworkIndicator = (f: IndicatorFacts) => f.indicator.source !== 'estimatedLocation';
const kindIs = (f: IndicatorFacts, kind: GeoEntry['kind']) => f.geo?.kind === kind;

export function isStale(f: IndicatorFacts): boolean {
  if (!isNetworkIndicator(f) || f.geo === null || f.geo.retentionDays === 0 || f.indicator.time === null) return false;
  return f.routingTimeMs - timeOf(f.indicator.time) > f.geo.retentionDays * DAY_MS;
}

/**
 * Indicator-level rules; USER_PROVIDED_ONLY and CONFLICTING_INDICATORS depend on the whole tip (assessment).
 * Whether a rule can apply to a reported location at all is the code's `networkOnly` (CAVEAT_EFFECTS), applied
 * by `indicatorCaveats` through `kindCanCarry` (the same rule the caveat choices and the chart's GEO.TAG guard
 * use), not repeated in each predicate.
 */
export const INDICATOR_CAVEAT_RULES: ReadonlyArray<readonly [CaveatCode, (f: IndicatorFacts) => boolean]> = [
  ['ESP_FLAGGED_PROXY', (f) => f.indicator.source === 'ipEvent' && f.indicator.possibleProxy],
  ['VPN', (f) => kindIs(f, 'vpn')],
  ['TOR_EXIT', (f) => kindIs(f, 'tor-exit')],
  ['OPEN_PROXY', (f) => kindIs(f, 'open-proxy')],
  ['HOSTING_PROVIDER', (f) => kindIs(f, 'hosting')],
  ['MOBILE_IMPRECISE', (f) => kindIs(f, 'mobile')],
  ['CGNAT_NO_PORT', (f) => kindIs(f, 'mobile') && f.indicator.port === null],
  ['MISSING_TIMESTAMP', (f) => f.indicator.time === null],
  ['COUNTRY_ONLY', (f) => f.location.country !== null && f.location.region === null],
  ['REGION_ONLY', (f) => f.location.region !== null && f.location.city === null],
  ['STALE_IP_EVENT', isStale],
  ['NO_GEO_MATCH', (f) => f.geo === null],
];

/** The caveats of one indicator, in the table's order: a code its kind cannot carry (`kindCanCarry`) never applies. */
export function indicatorCaveats(facts: IndicatorFacts): CaveatCode[] {
  const codes: CaveatCode[] = [];
  for (const [code, applies] of INDICATOR_CAVEAT_RULES) if (kindCanCarry(facts.indicator.source, code) && applies(facts)) codes.push(code);
  return codes;
}
