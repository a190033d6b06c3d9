// Shared fast-check arbitraries: synthetic, contentless tips (DESIGN §3) and hostile variants of them.
// Property tests and the scenario generator both import this file, so it stays free of test-runner
// imports and of I/O. Arrays are small on purpose: a run routes hundreds of tips in a few seconds.
import fc from 'fast-check';
import type { EstimatedLocation, Tip } from '../domain/tip/schema.js';
import {
  FILE_ANNOTATIONS,
  INCIDENT_ANNOTATIONS,
  INCIDENT_TYPES,
  INDUSTRY_CLASSIFICATIONS,
  INTERNET_DETAIL_KINDS,
  IP_EVENT_NAMES,
} from '../domain/tip/vocabulary.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------------
// Documentation addresses, by the kind of network the bundled geo reference (fixtures/geo-reference.yaml)
// says covers them. Written out here rather than read from the fixture so the arbitraries stay pure; a
// property test checks this table against the bundled reference.

/** An IPv4 /27 as its first three octets and its first host number, or an IPv6 /48 as its prefix. */
export type AddressBlock = { v4: string; first: number } | { v6: string };

export const NETWORK_BLOCK_KINDS = ['residential', 'business', 'mobile', 'hosting', 'vpn', 'tor-exit', 'open-proxy', 'uncovered'] as const;
export type NetworkBlockKind = (typeof NETWORK_BLOCK_KINDS)[number];

const v4 = (prefix: string, first: number): AddressBlock => ({ v4: prefix, first });
const v6 = (prefix: string): AddressBlock => ({ v6: prefix });

export const NETWORK_BLOCKS: Readonly<Record<NetworkBlockKind, readonly AddressBlock[]>> = {
  residential: [
    v4('192.0.2', 0), v4('192.0.2', 32), v4('192.0.2', 64),
    v4('198.51.100', 32), v4('198.51.100', 64), v4('198.51.100', 160), v4('198.51.100', 224),
    v4('203.0.113', 0), v4('203.0.113', 32), v4('203.0.113', 64), v4('203.0.113', 128), v4('203.0.113', 160),
    v6('2001:db8:100'), v6('2001:db8:300'),
  ],
  business: [v4('203.0.113', 224)],
  mobile: [v4('192.0.2', 96), v4('198.51.100', 128), v4('198.51.100', 192), v4('203.0.113', 96), v6('2001:db8:200')],
  hosting: [v4('192.0.2', 128), v4('198.51.100', 0)],
  vpn: [v4('192.0.2', 160), v4('198.51.100', 96), v6('2001:db8:400')],
  'tor-exit': [v4('192.0.2', 192)],
  'open-proxy': [v4('203.0.113', 192)],
  // No geo entry covers these: NO_GEO_MATCH.
  uncovered: [v4('192.0.2', 224), v6('2001:db8:ffff')],
};

export const ANONYMIZING_KINDS = ['vpn', 'tor-exit', 'open-proxy'] as const satisfies readonly NetworkBlockKind[];

const arbAddressIn = (block: AddressBlock): fc.Arbitrary<string> =>
  'v4' in block
    ? fc.integer({ min: 0, max: 31 }).map((n) => `${block.v4}.${block.first + n}`)
    : fc.integer({ min: 1, max: 0xffff }).map((n) => `${block.v6}::${n.toString(16)}`);

/** A documentation address on a network of one of `kinds` (default: any, uncovered included). */
export function arbDocumentationIp(kinds: readonly NetworkBlockKind[] = NETWORK_BLOCK_KINDS): fc.Arbitrary<string> {
  return fc.constantFrom(...kinds.flatMap((kind) => NETWORK_BLOCKS[kind])).chain(arbAddressIn);
}

// ---------------------------------------------------------------------------------------------------
// Times. Event times are generated as an age before the tip's receivedAt so staleness varies.

/** 2018-01-01 .. 2026-06-01: both sides of the REPORT Act (7 May 2024) preservation change. */
const RECEIVED_MIN = Date.UTC(2018, 0, 1);
const RECEIVED_MAX = Date.UTC(2026, 5, 1);

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Receipt time of a tip, whole seconds. */
export const arbReceivedAtMs = fc.integer({ min: RECEIVED_MIN / 1000, max: RECEIVED_MAX / 1000 }).map((s) => s * 1000);
/** How long before receipt an event happened: up to 800 days, so every retention period can pass. */
export const arbEventAgeMs = fc.integer({ min: 0, max: 800 * 24 * 60 }).map((minutes) => minutes * 60 * 1000);

// ---------------------------------------------------------------------------------------------------
// Small vocabularies of synthetic strings (every free string is short, single-line and domain-free).

/** Countries other than the US: listed in the registry, EU members without a direct channel, and others. */
export const FOREIGN_COUNTRY_CODES = ['FR', 'DE', 'GB', 'CA', 'NL', 'IT', 'ES', 'BR', 'PH', 'AR', 'AU'] as const;
/** US states (ISO 3166-2:US): listed in the registry (TX, PA, CA, KS, VA) or not (OH, NY, DC). */
export const US_STATE_CODES = ['TX', 'PA', 'CA', 'KS', 'VA', 'OH', 'NY', 'DC'] as const;
/** Subdivision codes of other countries (ISO 3166-2 without the country). */
export const FOREIGN_REGION_CODES = ['54', '84', '95', 'NW', 'LND', 'ON', 'B', 'MI'] as const;
export const CITY_NAMES = ['Houston', 'Dallas', 'Scranton', 'Wichita', 'Nancy', 'Lyon', 'Koeln', 'London', 'Toronto', 'Sao Paulo'] as const;
export const P2P_NETWORKS = ['BitTorrent', 'eMule', 'Gnutella', 'Ares', 'Freenet'] as const;
export const ESP_NAMES = ['Example Mail (fictional)', 'Example Chat (fictional)', 'Example Photos (fictional)'] as const;

const arbScreenName = fc.stringMatching(/^[a-z][a-z0-9_]{2,14}$/);
const arbExampleHost = fc.tuple(fc.constantFrom('', 'mail.', 'www.', 'chat.'), fc.constantFrom('example.com', 'example.org', 'example.net')).map(([sub, domain]) => `${sub}${domain}`);
const arbExampleEmail = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9._]{0,12}[a-z0-9]$/), arbExampleHost).map(([local, host]) => `${local}@${host}`);
const arbExampleUrl = fc.tuple(arbExampleHost, fc.stringMatching(/^[a-z0-9-]{0,12}$/)).map(([host, path]) => `https://${host}/${path}`);
const arbSha256 = fc.stringMatching(/^[0-9a-f]{64}$/);
const arbPort = fc.integer({ min: 1, max: 65535 });
const arbUniqueSubarray = <T>(values: readonly T[]) => fc.subarray([...values]);

// ---------------------------------------------------------------------------------------------------
// Tip pieces. Optional fields are left out (never `undefined`) so a tip is the JSON it stands for.

/** A location as legal process reports it (subscriber information): a US state in the US, any subdivision elsewhere. */
export const arbReportedLocation: fc.Arbitrary<{ countryCode: string; region?: string; city?: string }> = fc.oneof(
  fc.record({ countryCode: fc.constant('US'), region: fc.constantFrom(...US_STATE_CODES, ''), city: fc.constantFrom(...CITY_NAMES) }, { requiredKeys: ['countryCode'] }),
  fc.record(
    { countryCode: fc.constantFrom(...FOREIGN_COUNTRY_CODES), region: fc.constantFrom(...FOREIGN_REGION_CODES, ''), city: fc.constantFrom(...CITY_NAMES) },
    { requiredKeys: ['countryCode'] },
  ),
);

/** An estimated location as a subject's ESP reports it (verified or not). */
export const arbEstimatedLocation: fc.Arbitrary<EstimatedLocation> = fc
  .tuple(arbReportedLocation, fc.option(fc.boolean(), { nil: undefined }))
  .map(([location, verified]) => (verified === undefined ? location : { ...location, verified }));

interface IpEventDraft {
  ip: string;
  port?: number;
  event?: (typeof IP_EVENT_NAMES)[number];
  ageMs?: number;
  possibleProxy?: boolean;
}

const arbIpEventDraft = (ip: fc.Arbitrary<string> = arbDocumentationIp()): fc.Arbitrary<IpEventDraft> =>
  fc.record(
    { ip, port: arbPort, event: fc.constantFrom(...IP_EVENT_NAMES), ageMs: arbEventAgeMs, possibleProxy: fc.boolean() },
    { requiredKeys: ['ip'] },
  );

interface SubjectDraft {
  screenName?: string;
  email?: string;
  ipEvents?: IpEventDraft[];
  estimatedLocation?: EstimatedLocation;
}

const arbSubjectDraft = (ipEvent: fc.Arbitrary<IpEventDraft> = arbIpEventDraft()): fc.Arbitrary<SubjectDraft> =>
  fc.record(
    {
      screenName: arbScreenName,
      email: arbExampleEmail,
      ipEvents: fc.array(ipEvent, { minLength: 1, maxLength: 3 }),
      estimatedLocation: arbEstimatedLocation,
    },
    { requiredKeys: [] },
  );

interface P2pDraft {
  ip: string;
  network: string;
  allNetworks?: string[];
  foiCount?: number;
  firstSeenAgeMs?: number;
  lastSeenAgeMs?: number;
  dateOnly: boolean;
  port?: number;
}

const arbP2pDraft = (ip: fc.Arbitrary<string> = arbDocumentationIp()): fc.Arbitrary<P2pDraft> =>
  fc.record(
    {
      ip,
      network: fc.constantFrom(...P2P_NETWORKS),
      allNetworks: fc.subarray(['B', 'E', 'G2', 'T', 'I']),
      foiCount: fc.nat({ max: 500_000 }),
      firstSeenAgeMs: arbEventAgeMs,
      lastSeenAgeMs: arbEventAgeMs,
      dateOnly: fc.boolean(),
      port: arbPort,
    },
    { requiredKeys: ['ip', 'network', 'dateOnly'] },
  );

const arbFileDraft = fc.record(
  {
    sha256: arbSha256,
    viewedByEsp: fc.boolean(),
    publiclyAvailable: fc.boolean(),
    industryClassification: fc.constantFrom(...INDUSTRY_CLASSIFICATIONS),
    annotations: arbUniqueSubarray(FILE_ANNOTATIONS),
  },
  { requiredKeys: ['sha256'] },
);

const arbIncidentDraft = fc.record(
  {
    type: fc.constantFrom(...INCIDENT_TYPES),
    escalateToHighPriority: fc.boolean(),
    annotations: arbUniqueSubarray(INCIDENT_ANNOTATIONS),
    ageMs: arbEventAgeMs,
  },
  { requiredKeys: ['type'] },
);

const arbInternetDetail = fc.record({ kind: fc.constantFrom(...INTERNET_DETAIL_KINDS), url: arbExampleUrl }, { requiredKeys: ['kind'] });

interface TipParts {
  n: number;
  source: 'esp' | 'public';
  receivedAtMs: number;
  espName?: string;
  incident: { type: (typeof INCIDENT_TYPES)[number]; escalateToHighPriority?: boolean; annotations?: (typeof INCIDENT_ANNOTATIONS)[number][]; ageMs?: number };
  internetDetails?: { kind: (typeof INTERNET_DETAIL_KINDS)[number]; url?: string }[];
  subjects?: SubjectDraft[];
  files?: { sha256: string; viewedByEsp?: boolean; publiclyAvailable?: boolean; industryClassification?: (typeof INDUSTRY_CLASSIFICATIONS)[number]; annotations?: (typeof FILE_ANNOTATIONS)[number][] }[];
  p2p?: P2pDraft[];
}

function buildTip(parts: TipParts): Tip {
  const at = (ageMs: number) => parts.receivedAtMs - ageMs;
  const tip: Tip = {
    id: `TIP-${String(parts.n).padStart(4, '0')}`,
    source: parts.source,
    receivedAt: isoSeconds(parts.receivedAtMs),
    incident: {
      type: parts.incident.type,
      ...(parts.incident.escalateToHighPriority === undefined ? {} : { escalateToHighPriority: parts.incident.escalateToHighPriority }),
      ...(parts.incident.annotations === undefined ? {} : { annotations: parts.incident.annotations }),
      ...(parts.incident.ageMs === undefined ? {} : { dateTime: isoSeconds(at(parts.incident.ageMs)) }),
    },
  };
  // An ESP report names its provider; a public report may or may not carry a reporter section.
  if (parts.source === 'esp') tip.reporter = { espName: parts.espName ?? ESP_NAMES[0] };
  else if (parts.espName !== undefined) tip.reporter = { espName: parts.espName };
  if (parts.internetDetails !== undefined) tip.internetDetails = parts.internetDetails;
  if (parts.subjects !== undefined) {
    tip.subjects = parts.subjects.map((s, index) => ({
      id: `S${index + 1}`,
      ...(s.screenName === undefined ? {} : { screenName: s.screenName }),
      ...(s.email === undefined ? {} : { email: s.email }),
      ...(s.ipEvents === undefined
        ? {}
        : {
            ipEvents: s.ipEvents.map(({ ageMs, ...event }) => ({ ...event, ...(ageMs === undefined ? {} : { dateTime: isoSeconds(at(ageMs)) }) })),
          }),
      ...(s.estimatedLocation === undefined ? {} : { estimatedLocation: s.estimatedLocation }),
    }));
  }
  if (parts.files !== undefined) tip.files = parts.files.map((f, index) => ({ id: `F${index + 1}`, ...f }));
  if (parts.p2p !== undefined) {
    tip.p2p = parts.p2p.map(({ firstSeenAgeMs, lastSeenAgeMs, dateOnly, ...row }) => {
      const format = dateOnly ? isoDate : isoSeconds;
      return {
        ...row,
        ...(firstSeenAgeMs === undefined ? {} : { firstSeen: format(at(Math.max(firstSeenAgeMs, lastSeenAgeMs ?? 0))) }),
        ...(lastSeenAgeMs === undefined ? {} : { lastSeen: format(at(lastSeenAgeMs)) }),
      };
    });
  }
  return tip;
}

interface TipShape {
  /** IP event generator for subjects (default: any documentation address, every optional field). */
  ipEvent?: fc.Arbitrary<IpEventDraft>;
  /** Estimated locations on subjects (default: sometimes). */
  estimatedLocations?: boolean;
  p2p?: fc.Arbitrary<P2pDraft>;
  maxSubjects?: number;
  maxP2p?: number;
}

function arbTipWith(shape: TipShape = {}): fc.Arbitrary<Tip> {
  const subject = arbSubjectDraft(shape.ipEvent).map((s) => {
    if (shape.estimatedLocations !== false) return s;
    const { estimatedLocation: _dropped, ...rest } = s;
    return rest;
  });
  return fc
    .record(
      {
        n: fc.nat({ max: 9999 }),
        source: fc.constantFrom('esp' as const, 'public' as const),
        receivedAtMs: arbReceivedAtMs,
        espName: fc.constantFrom(...ESP_NAMES),
        incident: arbIncidentDraft,
        internetDetails: fc.array(arbInternetDetail, { maxLength: 2 }),
        subjects: fc.array(subject, { maxLength: shape.maxSubjects ?? 3 }),
        files: fc.array(arbFileDraft, { maxLength: 3 }),
        p2p: fc.array(shape.p2p ?? arbP2pDraft(), { maxLength: shape.maxP2p ?? 2 }),
      },
      { requiredKeys: ['n', 'source', 'receivedAtMs', 'incident'] },
    )
    .map(buildTip);
}

/** A valid synthetic tip: documentation addresses of every network kind, example.* domains, all vocabularies. */
export const arbTip: fc.Arbitrary<Tip> = arbTipWith();

/**
 * A tip whose located indicators are all anonymized (ESP-flagged proxies, VPN, Tor, open proxies) and
 * which has no reported location; it may also carry indicators without a geo match.
 */
export const arbAnonymizedOnlyTip: fc.Arbitrary<Tip> = arbTipWith({
  estimatedLocations: false,
  ipEvent: fc.oneof(
    arbIpEventDraft(arbDocumentationIp(ANONYMIZING_KINDS)),
    arbIpEventDraft(arbDocumentationIp()).map((e) => ({ ...e, possibleProxy: true })),
    arbIpEventDraft(arbDocumentationIp(['uncovered'])),
  ),
  p2p: arbP2pDraft(arbDocumentationIp([...ANONYMIZING_KINDS, 'uncovered'])),
});

/**
 * A tip the rule book sends to legal process: at least one IP event, none that can decide a jurisdiction
 * (CGNAT without a port, no timestamp, no geo match, or anonymized), and no reported location.
 */
export const arbLegalProcessTip: fc.Arbitrary<Tip> = fc
  .tuple(
    arbTipWith({
      estimatedLocations: false,
      maxP2p: 1,
      ipEvent: fc.oneof(
        // CGNAT: a mobile network and no source port.
        arbIpEventDraft(arbDocumentationIp(['mobile'])).map(({ port: _port, ...e }) => e),
        // No timestamp on a network that would otherwise place the subject.
        arbIpEventDraft(arbDocumentationIp(['residential', 'business', 'mobile', 'hosting'])).map(({ ageMs: _age, ...e }) => ({ ...e, possibleProxy: false })),
        arbIpEventDraft(arbDocumentationIp(['uncovered'])),
        arbIpEventDraft(arbDocumentationIp(ANONYMIZING_KINDS)),
      ),
      p2p: arbP2pDraft(arbDocumentationIp(['uncovered', 'mobile'])).map(({ port: _port, ...row }) => row),
    }),
    // The one indicator that is sure to be a legal-process candidate.
    arbIpEventDraft(arbDocumentationIp(['mobile'])).map(({ port: _port, possibleProxy: _proxy, ...e }) => e),
    arbEventAgeMs,
  )
  .map(([tip, blocked, ageMs]) => {
    const subjects = [...(tip.subjects ?? [])];
    const dateTime = isoSeconds(Date.parse(tip.receivedAt) - (blocked.ageMs ?? ageMs));
    const { ageMs: _age, ...event } = blocked;
    subjects.push({ id: `S${subjects.length + 1}`, ipEvents: [{ ...event, dateTime }] });
    return { ...tip, subjects };
  });

/** A tip with at least one determining IP event: a residential or business network, a source port, a time, no proxy flag. */
export const arbReferableTip: fc.Arbitrary<Tip> = fc
  .tuple(arbTip, arbIpEventDraft(arbDocumentationIp(['residential', 'business'])), arbEventAgeMs)
  .map(([tip, draft, ageMs]) => {
    const { ageMs: _age, possibleProxy: _proxy, port, ...event } = draft;
    const dateTime = isoSeconds(Date.parse(tip.receivedAt) - ageMs);
    const subjects = [...(tip.subjects ?? []), { id: `S${(tip.subjects ?? []).length + 1}`, ipEvents: [{ ...event, port: port ?? 40000, dateTime }] }];
    return { ...tip, subjects };
  });

/**
 * A tip placed only by one reported location whose country and region codes are paired freely (a US
 * location with a code such as 84 or LND). The schema may accept or refuse it; whatever it accepts must
 * route. Kept apart from arbTip, which pairs codes as real subdivisions.
 */
export const arbLooseLocationTip: fc.Arbitrary<Tip> = fc
  .tuple(
    arbTip,
    fc.record(
      {
        countryCode: fc.oneof(fc.constant('US'), fc.constantFrom(...FOREIGN_COUNTRY_CODES)),
        region: fc.constantFrom(...US_STATE_CODES, ...FOREIGN_REGION_CODES, ''),
        city: fc.constantFrom(...CITY_NAMES),
        verified: fc.boolean(),
      },
      { requiredKeys: ['countryCode'] },
    ),
  )
  .map(([tip, estimatedLocation]) => {
    const { subjects: _subjects, p2p: _p2p, ...rest } = tip;
    return { ...rest, subjects: [{ id: 'S1', estimatedLocation }] };
  });

/** Tips that take every kind of routing path, weighted towards the ones that refer. */
export const arbRoutableTip: fc.Arbitrary<Tip> = fc.oneof(
  { arbitrary: arbTip, weight: 3 },
  { arbitrary: arbReferableTip, weight: 2 },
  { arbitrary: arbLegalProcessTip, weight: 2 },
  { arbitrary: arbAnonymizedOnlyTip, weight: 1 },
);

// ---------------------------------------------------------------------------------------------------
// Hostile variants (DESIGN §3 "never allowed").

export const HOSTILE_KINDS = ['unknown-field', 'non-documentation-ip', 'non-example-domain', 'data-uri', 'base64', 'data-uri-in-url'] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

export interface ContentLikeTip {
  /** The submission: a valid tip with one hostile change. */
  tip: Record<string, unknown>;
  kind: HostileKind;
  /** JSON path of the hostile value as the schema's errors name it (`subjects[0].ipEvents[1].ip`). */
  path: string;
}

/** Field names that could carry content; none is a field of the tip schema. */
export const CONTENT_FIELD_NAMES = ['content', 'imageData', 'narrative', 'description', 'body', 'attachment', 'thumbnail', 'notes', 'fileBytes', 'transcript'] as const;

const isDocumentationV4 = (ip: string) => /^(192\.0\.2|198\.51\.100|203\.0\.113)\./.test(ip);
/** Public, private and neighbouring addresses, IPv4 and IPv6; none is in a documentation range. */
export const arbNonDocumentationIp: fc.Arbitrary<string> = fc.oneof(
  fc.ipV4().filter((ip) => !isDocumentationV4(ip)),
  fc.constantFrom('8.8.8.8', '10.0.0.1', '192.0.3.1', '192.0.1.255', '198.51.101.7', '203.0.114.9', '127.0.0.1'),
  fc.integer({ min: 1, max: 0xffff }).map((n) => `2001:db9::${n.toString(16)}`),
  fc.integer({ min: 1, max: 0xffff }).map((n) => `2600:${n.toString(16)}::1`),
  fc.constantFrom('::ffff:8.8.8.8', 'fe80::1', '2001:4860:4860::8888'),
);

const isExampleHost = (host: string) => /(^|\.)example\.(com|org|net)\.?$/i.test(host);
/** Host names outside example.com/.org/.net, including look-alikes. */
export const arbNonExampleDomain: fc.Arbitrary<string> = fc.oneof(
  // A real top-level domain: inside a free string a dotted name is a domain only under one (john.doe is a name).
  fc
    .tuple(fc.domain(), fc.constantFrom('com', 'net', 'org', 'io', 'de', 'ru', 'рф', 'chat', 'app', 'co'))
    .map(([d, tld]) => `${d.split('.').slice(0, -1).join('.')}.${tld}`)
    .filter((d) => !isExampleHost(d)),
  fc.constantFrom('example.co.uk', 'notexample.com', 'example.com.evil.org', 'examplecom.org', 'example-org.net', 'mail.google.com'),
);

const BASE64_ALPHABET = /^[A-Za-z0-9+/]{40,76}$/;
const arbBase64Blob = fc.stringMatching(BASE64_ALPHABET).map((s) => (s.length % 4 === 0 ? s : `${s}${'='.repeat(Math.min(2, 4 - (s.length % 4)))}`));

/** Free strings that carry a data: URI or base64 data. */
export const arbDataUriString: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom('data:', 'DATA:', ' data:', 'Data:'), fc.constantFrom('image/png;base64,iVBORw0KGgo=', 'text/plain,hello', 'image/jpeg;base64,/9j/4AAQ')).map(([a, b]) => `${a}${b}`),
);
export const arbBase64String: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom('pic ', '', 'x;', 'avatar '), fc.constantFrom('base64,', 'BASE64,', 'Base64,'), fc.stringMatching(/^[A-Za-z0-9+/]{1,30}={0,2}$/)).map(([a, b, c]) => `${a}${b}${c}`),
  arbBase64Blob,
);

type Json = Record<string, unknown>;
const asList = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

/** The element `index % length` of `tip[key]`, created (with the minimum a valid element needs) when the list is empty. */
function elementOf(tip: Json, key: 'subjects' | 'files' | 'p2p' | 'internetDetails', index: number): { item: Json; at: number } {
  const list = asList(tip[key]);
  if (list.length > 0) {
    const at = index % list.length;
    return { item: list[at] as Json, at };
  }
  const fresh: Json =
    key === 'subjects' ? { id: 'SX1' } : key === 'files' ? { id: 'FX1', sha256: 'ab'.repeat(32) } : key === 'p2p' ? { ip: '192.0.2.10', network: 'BitTorrent' } : { kind: 'webPage' };
  tip[key] = [fresh];
  return { item: fresh, at: 0 };
}

function ipEventOf(tip: Json, index: number): { item: Json; path: string } {
  const { item: subject, at } = elementOf(tip, 'subjects', index);
  const events = asList(subject.ipEvents);
  if (events.length === 0) {
    const fresh: Json = { ip: '192.0.2.10' };
    subject.ipEvents = [fresh];
    return { item: fresh, path: `subjects[${at}].ipEvents[0]` };
  }
  const e = index % events.length;
  return { item: events[e] as Json, path: `subjects[${at}].ipEvents[${e}]` };
}

type FreeStringPlace = 'espName' | 'screenName' | 'city' | 'network';

/** Puts `value` in a free string of the tip; returns its path. */
function putFreeString(tip: Json, place: FreeStringPlace, index: number, value: string): string {
  switch (place) {
    case 'espName':
      tip.reporter = { ...(tip.reporter as Json | undefined), espName: value };
      return 'reporter.espName';
    case 'screenName': {
      const { item, at } = elementOf(tip, 'subjects', index);
      item.screenName = value;
      return `subjects[${at}].screenName`;
    }
    case 'city': {
      const { item, at } = elementOf(tip, 'subjects', index);
      item.estimatedLocation = { countryCode: 'US', ...(item.estimatedLocation as Json | undefined), city: value };
      return `subjects[${at}].estimatedLocation.city`;
    }
    case 'network': {
      const { item, at } = elementOf(tip, 'p2p', index);
      item.network = value;
      return `p2p[${at}].network`;
    }
  }
}

type Mutation =
  | { kind: 'unknown-field'; where: 'tip' | 'incident' | 'reporter' | 'subject' | 'ipEvent' | 'estimatedLocation' | 'file' | 'p2p' | 'internetDetail'; field: string; value: string; index: number }
  | { kind: 'non-documentation-ip'; where: 'ipEvent' | 'p2p'; ip: string; index: number }
  | { kind: 'non-example-domain'; where: 'email' | 'url' | 'screenName' | 'espName'; domain: string; index: number }
  | { kind: 'data-uri' | 'base64'; where: FreeStringPlace; value: string; index: number }
  | { kind: 'data-uri-in-url'; value: string; index: number };

function applyMutation(original: Tip, m: Mutation): ContentLikeTip {
  const tip = structuredClone(original) as unknown as Json;
  switch (m.kind) {
    case 'unknown-field': {
      let target: Json;
      let path: string;
      switch (m.where) {
        case 'tip':
          [target, path] = [tip, ''];
          break;
        case 'incident':
          [target, path] = [tip.incident as Json, 'incident'];
          break;
        case 'reporter':
          tip.reporter = { ...(tip.reporter as Json | undefined) };
          [target, path] = [tip.reporter as Json, 'reporter'];
          break;
        case 'subject': {
          const { item, at } = elementOf(tip, 'subjects', m.index);
          [target, path] = [item, `subjects[${at}]`];
          break;
        }
        case 'ipEvent': {
          const { item, path: p } = ipEventOf(tip, m.index);
          [target, path] = [item, p];
          break;
        }
        case 'estimatedLocation': {
          const { item, at } = elementOf(tip, 'subjects', m.index);
          item.estimatedLocation = { countryCode: 'US', ...(item.estimatedLocation as Json | undefined) };
          [target, path] = [item.estimatedLocation as Json, `subjects[${at}].estimatedLocation`];
          break;
        }
        case 'file': {
          const { item, at } = elementOf(tip, 'files', m.index);
          [target, path] = [item, `files[${at}]`];
          break;
        }
        case 'p2p': {
          const { item, at } = elementOf(tip, 'p2p', m.index);
          [target, path] = [item, `p2p[${at}]`];
          break;
        }
        case 'internetDetail': {
          const { item, at } = elementOf(tip, 'internetDetails', m.index);
          [target, path] = [item, `internetDetails[${at}]`];
          break;
        }
      }
      target[m.field] = m.value;
      return { tip, kind: m.kind, path: path === '' ? m.field : `${path}.${m.field}` };
    }
    case 'non-documentation-ip': {
      if (m.where === 'ipEvent') {
        const { item, path } = ipEventOf(tip, m.index);
        item.ip = m.ip;
        return { tip, kind: m.kind, path: `${path}.ip` };
      }
      const { item, at } = elementOf(tip, 'p2p', m.index);
      item.ip = m.ip;
      return { tip, kind: m.kind, path: `p2p[${at}].ip` };
    }
    case 'non-example-domain': {
      switch (m.where) {
        case 'email': {
          const { item, at } = elementOf(tip, 'subjects', m.index);
          item.email = `someone@${m.domain}`;
          return { tip, kind: m.kind, path: `subjects[${at}].email` };
        }
        case 'url': {
          const { item, at } = elementOf(tip, 'internetDetails', m.index);
          item.url = `https://${m.domain}/`;
          return { tip, kind: m.kind, path: `internetDetails[${at}].url` };
        }
        case 'screenName':
        case 'espName':
          return { tip, kind: m.kind, path: putFreeString(tip, m.where, m.index, `see ${m.domain}`) };
      }
      break;
    }
    case 'data-uri':
    case 'base64':
      return { tip, kind: m.kind, path: putFreeString(tip, m.where, m.index, m.value) };
    case 'data-uri-in-url': {
      const { item, at } = elementOf(tip, 'internetDetails', m.index);
      item.url = `https://www.example.com/view?src=${m.value}`;
      return { tip, kind: m.kind, path: `internetDetails[${at}].url` };
    }
  }
  throw new Error(`unhandled mutation ${JSON.stringify(m)}`);
}

const arbFreeStringPlace = fc.constantFrom<FreeStringPlace>('espName', 'screenName', 'city', 'network');
const arbIndex = fc.nat({ max: 5 });

const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('unknown-field' as const),
    where: fc.constantFrom('tip' as const, 'incident' as const, 'reporter' as const, 'subject' as const, 'ipEvent' as const, 'estimatedLocation' as const, 'file' as const, 'p2p' as const, 'internetDetail' as const),
    field: fc.constantFrom(...CONTENT_FIELD_NAMES),
    value: fc.oneof(fc.constantFrom('a short note', 'iVBORw0KGgo='), fc.string({ maxLength: 20 })),
    index: arbIndex,
  }),
  fc.record({ kind: fc.constant('non-documentation-ip' as const), where: fc.constantFrom('ipEvent' as const, 'p2p' as const), ip: arbNonDocumentationIp, index: arbIndex }),
  fc.record({
    kind: fc.constant('non-example-domain' as const),
    where: fc.constantFrom('email' as const, 'url' as const, 'screenName' as const, 'espName' as const),
    domain: arbNonExampleDomain,
    index: arbIndex,
  }),
  fc.record({ kind: fc.constant('data-uri' as const), where: arbFreeStringPlace, value: arbDataUriString, index: arbIndex }),
  fc.record({ kind: fc.constant('base64' as const), where: arbFreeStringPlace, value: arbBase64String, index: arbIndex }),
  // DESIGN §3 never allows a data: URI or base64 anywhere in a tip, a URL's query included.
  fc.record({
    kind: fc.constant('data-uri-in-url' as const),
    value: fc.constantFrom(
      'data:image/png;base64,iVBORw0KGgo=',
      'data:text/plain,hello',
      'data%3Aimage%2Fpng%3Bbase64%2CiVBORw0KGgo%3D',
      'x.png;base64,iVBORw0KGgo=',
    ),
    index: arbIndex,
  }),
);

/**
 * A valid tip with one content-like change: an unknown field, a non-documentation IP, a non-example
 * domain, a data: URI or base64 in a free string, or a data: URI in a URL's query.
 */
export const arbContentLikeTip: fc.Arbitrary<ContentLikeTip> = fc.tuple(arbTip, arbMutation).map(([tip, m]) => applyMutation(tip, m));
