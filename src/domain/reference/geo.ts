// The synthetic geolocation database: CIDR entries with a fictional ISP, a network kind, a location and a
// record-retention period. Longest prefix wins, as in a routing table.
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { freeString } from '../tip/schema.js';
import { isDocumentationCidr, parseIp } from '../tip/synthetic.js';
import { isUsRegionCode } from '../tip/vocabulary.js';

export const NETWORK_KINDS = ['residential', 'business', 'mobile', 'hosting', 'vpn', 'tor-exit', 'open-proxy'] as const;
export type NetworkKind = (typeof NETWORK_KINDS)[number];

export const geoEntrySchema = z.strictObject({
  cidr: z.string().refine(isDocumentationCidr, { error: (issue) => `${String(issue.input)} is not a CIDR inside a documentation range` }),
  isp: freeString,
  kind: z.enum(NETWORK_KINDS),
  country: z.string().regex(/^([A-Z]{2})?$/, { error: 'country is an ISO 3166-1 alpha-2 code or ""' }),
  region: z.string().regex(/^[A-Z0-9]{0,3}$/, { error: 'region is an ISO 3166-2 code without its country, or ""' }),
  city: z.union([z.literal(''), freeString]),
  retentionDays: z.int().min(0),
}).superRefine((entry, ctx) => {
  if (entry.country === 'US' && entry.region !== '' && !isUsRegionCode(entry.region)) {
    ctx.addIssue({ code: 'custom', path: ['region'], message: `${entry.region} is not a US state code (ISO 3166-2:US)` });
  }
});
export const geoReferenceSchema = z.strictObject({ entries: z.array(geoEntrySchema).min(1) });

export type GeoEntry = z.infer<typeof geoEntrySchema>;

interface CompiledEntry {
  entry: GeoEntry;
  range: ipaddr.IPv4 | ipaddr.IPv6;
  bits: number;
}

export interface GeoDatabase {
  readonly entries: readonly GeoEntry[];
  /** The most specific entry covering the address, or null (NO_GEO_MATCH). */
  lookup(ip: string): GeoEntry | null;
}

export function createGeoDatabase(entries: readonly GeoEntry[]): GeoDatabase {
  const compiled: CompiledEntry[] = entries.map((entry) => {
    const [range, bits] = ipaddr.parseCIDR(entry.cidr);
    return { entry, range, bits };
  });
  // Addresses repeat a lot in a simulated stream; the database is immutable, so answers can be kept.
  const cache = new Map<string, GeoEntry | null>();
  return {
    entries,
    lookup(ip) {
      const cached = cache.get(ip);
      if (cached !== undefined) return cached;
      const address = parseIp(ip);
      let best: CompiledEntry | null = null;
      if (address !== null) {
        for (const candidate of compiled) {
          if (candidate.range.kind() !== address.kind()) continue;
          if (best !== null && candidate.bits <= best.bits) continue;
          if (address.match(candidate.range, candidate.bits)) best = candidate;
        }
      }
      const answer = best?.entry ?? null;
      if (cache.size < 100_000) cache.set(ip, answer);
      return answer;
    },
  };
}
