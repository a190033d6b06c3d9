// Tiny tip builders for the domain tests. Every built tip goes through the real schema, so a test can
// never assess a tip that intake would have rejected.
import { assessGeolocation, type AssessedIndicator, type GeoAssessment } from '../../src/domain/assessment.js';
import { createGeoDatabase, type GeoDatabase, type GeoEntry } from '../../src/domain/reference/geo.js';
import { formatIssues, parseTip } from '../../src/domain/tip/parse.js';
import type { EstimatedLocation, IpEvent, P2pObservation, Subject, Tip, TipFile } from '../../src/domain/tip/schema.js';
import { bundledReference } from '../../src/io/bundled-reference.js';

export const reference = bundledReference();

export const RECEIVED_AT = '2019-06-01T10:00:00Z';
export const EVENT_TIME = '2019-05-30T22:09:00Z';
export const HASH_A = 'ab'.repeat(32);
export const HASH_B = 'cd'.repeat(32);

/** Addresses of the bundled geo reference, by what they teach. */
export const IP = {
  houston: '192.0.2.10', // residential, US TX Houston, 180 days
  wichita: '192.0.2.40', // residential, US KS Wichita
  pennsylvaniaMobile: '192.0.2.100', // mobile, US PA, no city, 60 days
  ashburnHosting: '192.0.2.130', // hosting, US VA Ashburn, 30 days
  netherlandsVpn: '192.0.2.170', // vpn, NL, country only, 0 days
  germanyTor: '192.0.2.200', // tor-exit, DE, country only
  uncovered: '192.0.2.230', // no entry: NO_GEO_MATCH
  franceHosting: '198.51.100.10', // hosting, FR, country only
  parisVpn: '198.51.100.100', // vpn with a city, Paris
  london: '203.0.113.10', // residential, GB LND London
  russiaOpenProxy: '203.0.113.200', // open-proxy, RU, country only
  dallasBusiness: '203.0.113.230', // business, US TX Dallas
} as const;

/** Parses a tip with the real schema; a builder mistake fails loudly with the schema's own message. */
export function validTip(input: Tip): Tip {
  const parsed = parseTip(input);
  if (!parsed.ok) throw new Error(`test tip is invalid:\n${formatIssues(parsed.issues)}`);
  return parsed.value;
}

/** A public report (no reporter needed) of the given shape; received at RECEIVED_AT. */
export function tipWith(parts: {
  type?: Tip['incident']['type'];
  incident?: Partial<Tip['incident']>;
  subjects?: Subject[];
  p2p?: P2pObservation[];
  files?: TipFile[];
}): Tip {
  return validTip({
    id: 'TIP-TEST',
    source: 'public',
    receivedAt: RECEIVED_AT,
    incident: { type: parts.type ?? 'child-pornography-possession', ...parts.incident },
    ...(parts.subjects === undefined ? {} : { subjects: parts.subjects }),
    ...(parts.p2p === undefined ? {} : { p2p: parts.p2p }),
    ...(parts.files === undefined ? {} : { files: parts.files }),
  });
}

/** An IP event with a port and a recent time unless overridden (`undefined` removes a field). */
export function ipEvent(ip: string, overrides: Partial<IpEvent> = {}): IpEvent {
  return withoutUndefined({ ip, port: 51234, event: 'Upload', dateTime: EVENT_TIME, ...overrides });
}

/** A P2P observation with a port and a recent lastSeen unless overridden (`undefined` removes a field). */
export function p2pRow(ip: string, overrides: Partial<P2pObservation> = {}): P2pObservation {
  return withoutUndefined({ ip, network: 'BitTorrent', port: 6881, lastSeen: '2019-05-30', ...overrides });
}

export function subject(id: string, ipEvents: IpEvent[], estimatedLocation?: EstimatedLocation): Subject {
  return { id, ipEvents, ...(estimatedLocation === undefined ? {} : { estimatedLocation }) };
}

/** A tip whose only subject has these IP events (and optionally an estimated location). */
export function tipWithEvents(ipEvents: IpEvent[], estimatedLocation?: EstimatedLocation): Tip {
  return tipWith({ subjects: [subject('S1', ipEvents, estimatedLocation)] });
}

export function file(id: string, annotations?: TipFile['annotations'], sha256 = HASH_A): TipFile {
  return { id, sha256, ...(annotations === undefined ? {} : { annotations }) };
}

export function assess(tip: Tip, routingTime: string = tip.receivedAt, geo: GeoDatabase = reference.geo): GeoAssessment {
  return assessGeolocation(tip, geo, routingTime);
}

export function indicator(assessment: GeoAssessment, id: string): AssessedIndicator {
  const found = assessment.indicators.find((i) => i.id === id);
  if (found === undefined) throw new Error(`no indicator ${id} (have ${assessment.indicators.map((i) => i.id).join(', ')})`);
  return found;
}

/** A one-entry-per-call geo database for rules the bundled reference has no example of. */
export function geoDatabase(...entries: Partial<GeoEntry>[]): GeoDatabase {
  return createGeoDatabase(
    entries.map((e) => ({ cidr: '192.0.2.0/24', isp: 'Test Net', kind: 'residential', country: 'US', region: 'TX', city: 'Houston', retentionDays: 180, ...e })),
  );
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
