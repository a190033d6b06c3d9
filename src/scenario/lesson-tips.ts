// Tips for generated exercises (issue 15, item 3): a tip built around its lesson, so the lesson decides an
// expected action, with the rest of the report drawn from the volume simulator's mix
// (fixtures/sim/parameters.yaml) so generated tips look like the simulated year. Realistic by
// construction: one to three subjects, one to four location indicators, annotations that fit the
// incident type, a carrier's subscriber in the carrier's country, account-like names, ephemeral ports,
// public reports without a provider's name. Pure apart from the seeded stream it is given.
import { CAVEAT_EFFECTS, isCaveatCode, type CaveatCode } from '../domain/caveats/codes.js';
import type { GeoEntry } from '../domain/reference/geo.js';
import type { Channel } from '../domain/reference/jurisdictions.js';
import type { Reference } from '../domain/reference/reference.js';
import type { IpEvent, Tip } from '../domain/tip/schema.js';
import { INTERNET_DETAIL_KINDS, IP_EVENT_NAMES, type IncidentAnnotation, type IncidentType } from '../domain/tip/vocabulary.js';
import type { SimParams } from '../sim/params.js';
import { Rng, WeightedChoice } from '../sim/prng.js';

const DAY_MS = 24 * 60 * 60 * 1000;
type Subject = NonNullable<Tip['subjects']>[number];
type Location = { countryCode: string; region?: string; city?: string };

const ESP_NAMES = ['Example Mail (fictional)', 'Example Chat (fictional)', 'Example Photos (fictional)', 'Example Video (fictional)', 'Example Social (fictional)'] as const;
const SCREEN_WORDS = ['kestrel', 'nightowl', 'pixel', 'rover', 'maple', 'comet', 'falcon', 'orbit', 'cinder', 'harbor', 'juniper', 'quartz', 'sparrow', 'tundra', 'willow', 'ember'] as const;
const GIVEN_INITIALS = 'abcdeghjklmnprst';
const SURNAMES = ['ortiz', 'nguyen', 'smith', 'kowalski', 'haddad', 'moreau', 'schmidt', 'okafor', 'silva', 'larsen', 'tanaka', 'brennan'] as const;
const MAIL_HOSTS = ['mail.example.org', 'example.com', 'mail.example.net', 'example.org'] as const;
const CLASSIFICATIONS = ['A1', 'A2', 'B1', 'B2'] as const;

/** Which annotations fit which incident types (a sextortion annotation on a possession report reads oddly). */
export const FITTING_ANNOTATIONS: Readonly<Partial<Record<IncidentAnnotation, readonly IncidentType[]>>> = {
  sextortion: ['online-enticement', 'unsolicited-obscene-material-to-child', 'child-pornography-manufacture'],
  csamSolicitation: ['online-enticement', 'child-pornography-manufacture', 'child-pornography-distribution'],
  minorToMinorInteraction: ['online-enticement', 'unsolicited-obscene-material-to-child'],
  spam: ['child-pornography-distribution', 'misleading-domain-name', 'misleading-words-or-digital-images'],
  sadisticOnlineExploitation: ['online-enticement', 'child-sexual-molestation', 'child-pornography-manufacture'],
};

/** How the lesson's own indicator is built: the network it is on, and what is left out or added. */
interface LessonIndicator {
  kinds: readonly GeoEntry['kind'][] | 'uncovered' | 'reported';
  /** The entry must have a city / a region but no city / only a country. */
  precision?: 'city' | 'region' | 'country';
  channel?: Channel;
  port?: false;
  time?: false;
  proxy?: true;
  stale?: true;
  /** The lesson needs the indicator to be the only network one (an excluded indicator decides by its absence). */
  alone?: true;
  /** A second determining indicator in another country (CONFLICTING_INDICATORS). */
  conflict?: true;
  /** For a reported location: this one (a US location without a state goes to the federal channel). */
  reported?: Location & { verified?: true };
}

const DETERMINING_KINDS = ['residential', 'business'] as const;

function lessonIndicator(lesson: string): LessonIndicator {
  switch (lesson) {
    case 'ESP_FLAGGED_PROXY':
      return { kinds: DETERMINING_KINDS, proxy: true, alone: true };
    case 'VPN':
      return { kinds: ['vpn'], alone: true };
    case 'TOR_EXIT':
      return { kinds: ['tor-exit'], alone: true };
    case 'OPEN_PROXY':
      return { kinds: ['open-proxy'], alone: true };
    case 'HOSTING_PROVIDER':
      return { kinds: ['hosting'], alone: true };
    case 'MOBILE_IMPRECISE':
      return { kinds: ['mobile'], alone: true };
    case 'CGNAT_NO_PORT':
      return { kinds: ['mobile'], port: false, alone: true };
    case 'MISSING_TIMESTAMP':
      return { kinds: DETERMINING_KINDS, time: false, alone: true };
    case 'COUNTRY_ONLY':
      return { kinds: ['hosting', 'residential', 'business'], precision: 'country', alone: true };
    case 'REGION_ONLY':
      return { kinds: ['mobile', 'residential', 'business'], precision: 'region', alone: true };
    case 'STALE_IP_EVENT':
      return { kinds: DETERMINING_KINDS, stale: true, alone: true };
    case 'NO_GEO_MATCH':
      return { kinds: 'uncovered', alone: true };
    case 'USER_PROVIDED_ONLY':
      return { kinds: 'reported', alone: true };
    case 'CONFLICTING_INDICATORS':
      return { kinds: DETERMINING_KINDS, precision: 'city', conflict: true, alone: true };
    case 'legal-process':
      return { kinds: ['mobile'], port: false, alone: true };
    case 'informational':
      return { kinds: ['vpn', 'tor-exit', 'open-proxy'], alone: true };
    case 'referred':
      return { kinds: DETERMINING_KINDS };
    case 'federal':
      // No network entry is in the US without a state: the provider's verified location says only "US".
      return { kinds: 'reported', reported: { countryCode: 'US', verified: true }, alone: true };
    default:
      return { kinds: DETERMINING_KINDS, channel: lesson as Channel };
  }
}

function addressIn(cidr: string, rng: Rng): string {
  const [address = '', bitsText = '32'] = cidr.split('/');
  if (address.includes(':')) return `${address.replace(/::$/, '')}::${rng.int(1, 0xfff).toString(16)}`;
  const octets = address.split('.').map(Number);
  const size = 2 ** (32 - Number(bitsText));
  const last = (octets[3] ?? 0) + rng.int(1, Math.max(1, size - 2));
  return `${octets[0] ?? 0}.${octets[1] ?? 0}.${octets[2] ?? 0}.${last}`;
}

const precisionOf = (e: GeoEntry) => (e.city !== '' ? 'city' : e.region !== '' ? 'region' : e.country !== '' ? 'country' : 'none');

export class LessonTips {
  private readonly types: WeightedChoice<IncidentType>;
  private readonly kinds: WeightedChoice<GeoEntry['kind']>;
  private readonly subjects: WeightedChoice<number>;
  private readonly locations: WeightedChoice<Location>;

  constructor(
    private readonly reference: Reference,
    private readonly params: SimParams,
  ) {
    this.types = new WeightedChoice(Object.entries(params.incident.types).map(([t, w]) => [t as IncidentType, w] as const));
    this.kinds = new WeightedChoice(Object.entries(params.network.kinds).filter(([k]) => k !== 'uncovered').map(([k, w]) => [k as GeoEntry['kind'], w] as const));
    this.subjects = new WeightedChoice(Object.entries(params.esp.subjectsPerReport).map(([n, w]) => [Number(n), w] as const));
    this.locations = new WeightedChoice(params.locations.map(({ weight, ...location }) => [location, weight] as const));
  }

  /** A tip for `lesson`; `extras` is how many other indicators to add beside the lesson's (0 to 3). */
  tip(rng: Rng, lesson: string, extras: number): Tip {
    const p = this.params;
    const want = lessonIndicator(lesson);
    const receivedMs = Date.UTC(2019 + rng.int(0, 5), rng.int(0, 11), rng.int(1, 28), rng.int(0, 23), rng.int(0, 59));
    const source: Tip['source'] = want.kinds === 'reported' ? (rng.chance(0.3) ? 'public' : 'esp') : rng.chance(p.publicShare) ? 'public' : 'esp';
    const type = lesson === 'informational' && rng.chance(0.5) ? 'child-pornography-possession' : this.types.draw(rng);
    const annotations = (Object.keys(FITTING_ANNOTATIONS) as IncidentAnnotation[]).filter((a) => (FITTING_ANNOTATIONS[a] ?? []).includes(type) && rng.chance(Math.min(0.5, (p.incident.annotations[a] ?? 0) * 10)));
    const tip: Tip = {
      id: `TIP-G${String(rng.int(1000, 999_999)).padStart(6, '0')}`,
      source,
      receivedAt: new Date(receivedMs).toISOString().replace('.000Z', 'Z'),
      ...(source === 'esp' ? { reporter: { espName: rng.pick(ESP_NAMES) } } : {}),
      incident: {
        type,
        ...(rng.chance(p.incident.escalatedShare) ? { escalateToHighPriority: true } : {}),
        ...(annotations.length > 0 ? { annotations: annotations.slice(0, 1) } : {}),
        dateTime: new Date(receivedMs - rng.int(1, 72) * 3_600_000).toISOString().replace('.000Z', 'Z'),
      },
      internetDetails: [{ kind: rng.pick(INTERNET_DETAIL_KINDS.filter((k) => k !== 'nonInternet' && k !== 'peer2peer')), url: `https://${rng.pick(['www.', 'mail.', 'chat.', ''])}example.${rng.pick(['com', 'org', 'net'])}` }],
    };
    const subjectCount = source === 'public' ? 1 : Math.min(3, this.subjects.draw(rng));
    const subjects: Subject[] = Array.from({ length: subjectCount }, (_, i) => this.subject(rng, i, source));
    const first = subjects[0] as Subject;
    if (want.kinds === 'reported') first.estimatedLocation = want.reported ?? this.locations.draw(rng);
    else {
      const entry = this.entryFor(rng, want);
      first.ipEvents = [this.ipEvent(rng, receivedMs, entry, want)];
      if (want.conflict === true) {
        const other = this.entryFor(rng, { kinds: DETERMINING_KINDS, precision: 'city' }, entry === null ? undefined : entry.country);
        (subjects[1] ?? first).ipEvents = [...((subjects[1] ?? first).ipEvents ?? []), this.ipEvent(rng, receivedMs, other, { kinds: DETERMINING_KINDS })];
      }
    }
    // Other indicators, from the simulated year's mix: ones that cannot take the lesson's place (for a lesson
    // that decides by being the only network indicator, only reported locations beside it).
    for (let n = 0; n < extras; n += 1) {
      const subject = rng.pick(subjects);
      if (want.alone === true || subject.estimatedLocation === undefined && rng.chance(p.esp.estimatedLocationShare)) {
        if (subject.estimatedLocation === undefined && want.kinds !== 'reported' && lesson !== 'informational') subject.estimatedLocation = this.locations.draw(rng);
        continue;
      }
      const kind = this.kinds.draw(rng);
      const entry = rng.pick(this.reference.geo.entries.filter((e) => e.kind === kind));
      subject.ipEvents = [...(subject.ipEvents ?? []), this.ipEvent(rng, receivedMs, entry ?? null, { kinds: [kind] })];
    }
    tip.subjects = subjects;
    const files = lesson === 'informational' && rng.chance(0.5) ? 0 : Math.min(6, Math.max(1, Math.round(rng.exponential(p.esp.filesPerReport))));
    if (source === 'esp' && files > 0) {
      tip.files = Array.from({ length: files }, (_, f) => ({
        id: `F${f + 1}`,
        sha256: Array.from({ length: 8 }, () => rng.hex8()).join(''),
        viewedByEsp: rng.chance(0.6),
        industryClassification: rng.pick(CLASSIFICATIONS),
      }));
    }
    return tip;
  }

  private subject(rng: Rng, index: number, source: Tip['source']): Subject {
    const surname = rng.pick(SURNAMES);
    const screenName = `${rng.pick(SCREEN_WORDS)}_${rng.int(1000, 9999)}`;
    const email = rng.chance(0.5)
      ? `${GIVEN_INITIALS.charAt(rng.int(0, GIVEN_INITIALS.length - 1))}.${surname}.${rng.int(1970, 2006)}@${rng.pick(MAIL_HOSTS)}`
      : `${screenName.replace('_', '')}@${rng.pick(MAIL_HOSTS)}`;
    return { id: `S${index + 1}`, ...(source === 'public' || rng.chance(0.7) ? { email } : {}), ...(source === 'esp' ? { screenName } : {}) };
  }

  /** A geo entry of the wanted kind and precision (and channel, and not in `otherThan`), or null for an uncovered address. */
  private entryFor(rng: Rng, want: LessonIndicator, otherThan?: string): GeoEntry | null {
    if (want.kinds === 'uncovered' || want.kinds === 'reported') return null;
    const kinds = want.kinds;
    const registry = this.reference.jurisdictions;
    const fits = this.reference.geo.entries.filter(
      (e) =>
        kinds.includes(e.kind) &&
        e.country !== '' &&
        (want.precision === undefined || precisionOf(e) === want.precision) &&
        (otherThan === undefined || e.country !== otherThan) &&
        (want.stale !== true || e.retentionDays > 0) &&
        (want.channel === undefined || registry.jurisdictionFor({ country: e.country, region: e.region === '' ? null : e.region, city: e.city === '' ? null : e.city }).channel === want.channel),
    );
    const entry = fits.length === 0 ? undefined : rng.pick(fits);
    if (entry === undefined) throw new RangeError(`the geo reference has no entry for the lesson (${JSON.stringify(want)})`);
    return entry;
  }

  private ipEvent(rng: Rng, receivedMs: number, entry: GeoEntry | null, want: LessonIndicator): IpEvent {
    const uncovered = this.params.network.uncovered.find((c) => !c.includes(':')) ?? '192.0.2.224/27';
    const ip = addressIn(entry?.cidr ?? uncovered, rng);
    const ageDays = want.stale === true && entry !== null ? entry.retentionDays + rng.int(5, 60) : Math.min(Math.floor(rng.exponential(this.params.network.eventAgeDays)), Math.max(0, (entry?.retentionDays ?? 30) - 2));
    const event: IpEvent = { ip };
    if (want.port !== false) event.port = rng.int(49152, 65535);
    event.event = rng.pick(IP_EVENT_NAMES.filter((n) => n !== 'Unknown'));
    if (want.time !== false) event.dateTime = new Date(receivedMs - ageDays * DAY_MS - rng.int(0, 23) * 3_600_000).toISOString().replace('.000Z', 'Z');
    if (want.proxy === true) event.possibleProxy = true;
    return event;
  }

  /** Where subscriber information places an indicator: a listed location in the carrier's country, else its country. */
  subscriberLocation(rng: Rng, country: string | null): Location {
    const inCountry = this.params.locations.filter((l) => l.countryCode === country && l.city !== undefined);
    const pick = inCountry.length === 0 ? undefined : rng.pick(inCountry);
    if (pick === undefined) return { countryCode: country ?? 'US' };
    const { weight: _weight, ...location } = pick;
    return location;
  }
}

/** Caveats that decide by taking their indicator out of the deciding ones (it is anonymized or cannot be attributed). */
export const excludesIndicator = (code: CaveatCode): boolean => {
  const effect = CAVEAT_EFFECTS[code];
  return effect.anonymizes === true || effect.blocksAttribution === true || code === 'NO_GEO_MATCH';
};

export { isCaveatCode };
