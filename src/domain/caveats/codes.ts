// Geolocation caveat codes (DESIGN §5, fixed names) and what each does to an indicator.
import type { Confidence } from '../confidence.js';

export const CAVEAT_CODES = [
  'ESP_FLAGGED_PROXY',
  'VPN',
  'TOR_EXIT',
  'OPEN_PROXY',
  'HOSTING_PROVIDER',
  'MOBILE_IMPRECISE',
  'CGNAT_NO_PORT',
  'MISSING_TIMESTAMP',
  'COUNTRY_ONLY',
  'REGION_ONLY',
  'STALE_IP_EVENT',
  'NO_GEO_MATCH',
  'USER_PROVIDED_ONLY',
  'CONFLICTING_INDICATORS',
] as const;
export type CaveatCode = (typeof CAVEAT_CODES)[number];

export interface CaveatEffect {
  /** The indicator describes an anonymizer, not a person: excluded from deciding jurisdiction. */
  anonymizes?: true;
  /** Subscriber attribution is impossible without more data: not eligible to decide jurisdiction. */
  blocksAttribution?: true;
  /** Highest confidence the indicator (or, for tip-level codes, the tip) may keep. */
  cap?: Confidence;
  /** Applies to the tip as a whole, not one indicator. */
  tipLevel?: true;
  /**
   * Says something about a network address (an IP event or a P2P address): never applies to a location the
   * provider or the subject reported (an estimatedLocation indicator), which has no address, port or time.
   */
  networkOnly?: true;
  /** One line for trainees: what the caveat means. */
  meaning: string;
}

export const CAVEAT_EFFECTS: Readonly<Record<CaveatCode, CaveatEffect>> = {
  ESP_FLAGGED_PROXY: { networkOnly: true, anonymizes: true, meaning: 'the reporting provider flagged this address as a possible proxy' },
  VPN: { networkOnly: true, anonymizes: true, meaning: 'a VPN exit: the location is the VPN provider, not the person' },
  TOR_EXIT: { networkOnly: true, anonymizes: true, meaning: 'a Tor exit relay: the location is the relay, not the person' },
  OPEN_PROXY: { networkOnly: true, anonymizes: true, meaning: 'an open proxy: the location is the proxy, not the person' },
  HOSTING_PROVIDER: { networkOnly: true, cap: 'low', meaning: 'a hosting network: likely a server, seedbox or VPN endpoint' },
  MOBILE_IMPRECISE: { networkOnly: true, cap: 'medium', meaning: 'a mobile network: the location can be off by ~200 km' },
  CGNAT_NO_PORT: { networkOnly: true, blocksAttribution: true, cap: 'low', meaning: 'carrier-grade NAT without a source port: the carrier needs port and exact time to name a subscriber' },
  MISSING_TIMESTAMP: { networkOnly: true, blocksAttribution: true, cap: 'low', meaning: 'no event time: an address cannot be tied to a subscriber without one' },
  COUNTRY_ONLY: { cap: 'low', meaning: 'only the country is known' },
  REGION_ONLY: { cap: 'medium', meaning: 'the region is known but not the city' },
  STALE_IP_EVENT: { networkOnly: true, cap: 'medium', meaning: "older than the carrier's record retention: subscriber records may be gone" },
  NO_GEO_MATCH: { networkOnly: true, meaning: 'no geolocation entry covers this address' },
  USER_PROVIDED_ONLY: { cap: 'low', meaning: 'only an unverified, user-provided location places the subject' },
  CONFLICTING_INDICATORS: { tipLevel: true, cap: 'low', meaning: 'the determining indicators disagree on country or US state' },
};

export const isCaveatCode = (value: string): value is CaveatCode => (CAVEAT_CODES as readonly string[]).includes(value);

/** The codes in sorted order (the default string sort), and each code's bit in a set of codes. */
const SORTED_CODES: readonly CaveatCode[] = [...CAVEAT_CODES].sort();
const BIT: Readonly<Record<string, number | undefined>> = Object.fromEntries(SORTED_CODES.map((code, i) => [code, 1 << i]));

/**
 * Sorted, unique: the form caveat lists take everywhere in output. Built from a bit set (every assessment sorts
 * a few short lists per indicator); the same list as `[...new Set(codes)].sort()`.
 */
export function sortedCaveats(codes: Iterable<CaveatCode>): CaveatCode[] {
  let set = 0;
  for (const code of codes) {
    const bit = BIT[code];
    if (bit === undefined) throw new RangeError(`${String(code)} is not a caveat code`);
    set |= bit;
  }
  const sorted: CaveatCode[] = [];
  for (let i = 0; set !== 0; i += 1, set >>>= 1) if ((set & 1) !== 0) sorted.push(SORTED_CODES[i] as CaveatCode);
  return sorted;
}
