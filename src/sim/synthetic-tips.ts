// The synthetic tip stream: tip i of a run is drawn from its own PRNG stream (seed, i), so it is the same
// tip whichever worker builds it. The head (arrival, validity, bundling, incident, exigency, analyst
// minutes) is drawn first, so the queue can be run from heads alone; the rest of the tip follows.
// Every address is a documentation address of the bundled geo reference, every name fictional.
import type { Reference } from '../domain/reference/reference.js';
import type { IpEvent, Tip } from '../domain/tip/schema.js';
import { priorityFor, type Priority } from '../domain/triage.js';
import { INCIDENT_ANNOTATIONS, INCIDENT_TYPES, INTERNET_DETAIL_KINDS, IP_EVENT_NAMES, type IncidentAnnotation, type IncidentType } from '../domain/tip/vocabulary.js';
import type { ArrivalProfile } from './arrivals.js';
import { SIM_NETWORK_KINDS, type SimNetworkKind, type SimParams } from './params.js';
import { Rng, WeightedChoice } from './prng.js';
import { DAY_MS, MINUTE_MS } from '../domain/routing/timers.js';

export interface TipHead {
  index: number;
  arrivalMs: number;
  rejected: boolean;
  bundled: boolean;
  source: 'esp' | 'public';
  incident: { type: IncidentType; escalateToHighPriority?: true; annotations?: IncidentAnnotation[] };
  /** The rule book's priority at intake (it picks the analysts' queue). */
  exigency: Priority;
  triageMs: number;
  routingMs: number;
}

/** What the world does after the route decision, drawn up front so both routing paths see the same. */
export interface WorldDraws {
  acknowledgeU: number;
  acknowledgeAfterReturnU: number;
  preservationConfirmMs: number | null;
  subscriberReturnMs: number | null;
  locationU: number;
}

export interface SimTip {
  head: TipHead;
  /** The report as submitted (a valid Tip unless head.rejected). */
  submission: Tip;
  world: WorldDraws;
}

export interface SimLocation {
  countryCode: string;
  region?: string;
  city?: string;
}

type AddressBlock = { v4base: number; size: number } | { v6prefix: string };

function blockOf(cidr: string): AddressBlock {
  const [address = '', bitsText = ''] = cidr.split('/');
  const bits = Number(bitsText);
  if (!address.includes(':')) {
    const octets = address.split('.').map(Number);
    const base = ((octets[0] ?? 0) * 2 ** 24 + (octets[1] ?? 0) * 2 ** 16 + (octets[2] ?? 0) * 2 ** 8 + (octets[3] ?? 0)) >>> 0;
    return { v4base: base, size: 2 ** (32 - bits) };
  }
  if (!address.endsWith('::') || bits % 16 !== 0 || bits > 112) throw new RangeError(`simulate: IPv6 range ${cidr} must be written prefix::/bits with bits a multiple of 16`);
  return { v6prefix: address.slice(0, -2) };
}

function addressIn(block: AddressBlock, rng: Rng): string {
  if ('v6prefix' in block) return `${block.v6prefix}::${rng.int(1, 255).toString(16)}`;
  const n = block.v4base + rng.int(0, block.size - 1);
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayPrefixes = new Map<number, string>();

/** new Date(ms).toISOString(), faster: a tip needs several and the day part repeats. */
export function iso(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    if (dayPrefixes.size < 20_000) dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Math.floor(rest / 1000);
  return `${prefix}${TWO_DIGITS[h] ?? ''}:${TWO_DIGITS[m] ?? ''}:${TWO_DIGITS[sec] ?? ''}.${THREE_DIGITS[rest - sec * 1000] ?? ''}Z`;
}
const isoDate = (ms: number): string => iso(ms).slice(0, 10);
const ESP_NAMES = ['Example Mail (fictional)', 'Example Chat (fictional)', 'Example Photos (fictional)', 'Example Video (fictional)', 'Example Social (fictional)'] as const;
const P2P_NETWORKS = ['BitTorrent', 'eMule', 'Gnutella'] as const;
const CLASSIFICATIONS = ['A1', 'A2', 'B1', 'B2'] as const;
const HOSTS = ['www.', 'mail.', 'chat.', ''] as const;
const TLDS = ['com', 'org', 'net'] as const;
const SUBJECT_IDS = Array.from({ length: 32 }, (_, i) => `S${i + 1}`);
const FILE_IDS = Array.from({ length: 32 }, (_, i) => `F${i + 1}`);

function countChoice(table: Record<string, number>): WeightedChoice<number> {
  return new WeightedChoice(Object.entries(table).map(([k, w]) => [Number(k), w] as const));
}

export class TipFactory {
  readonly viralPool: string[];
  private readonly types: WeightedChoice<IncidentType>;
  private readonly kinds: WeightedChoice<SimNetworkKind>;
  private readonly blocks: Map<SimNetworkKind, AddressBlock[]>;
  private readonly subjects: WeightedChoice<number>;
  private readonly ipEvents: WeightedChoice<number>;
  readonly locations: WeightedChoice<SimLocation>;
  private readonly locationList: { location: SimLocation; weight: number }[];
  private readonly bundledShare: number;

  constructor(
    readonly params: SimParams,
    reference: Reference,
    readonly seed: number,
    readonly arrivals: ArrivalProfile,
    bundledShare: number,
  ) {
    this.bundledShare = bundledShare;
    this.types = new WeightedChoice(INCIDENT_TYPES.map((t) => [t, params.incident.types[t] ?? 0] as const));
    this.kinds = new WeightedChoice(SIM_NETWORK_KINDS.map((k) => [k, params.network.kinds[k] ?? 0] as const));
    this.blocks = new Map(SIM_NETWORK_KINDS.map((k) => [k, [] as AddressBlock[]]));
    for (const entry of reference.geo.entries) this.blocks.get(entry.kind)?.push(blockOf(entry.cidr));
    this.blocks.set('uncovered', params.network.uncovered.map(blockOf));
    for (const kind of SIM_NETWORK_KINDS) {
      if ((params.network.kinds[kind] ?? 0) > 0 && (this.blocks.get(kind) ?? []).length === 0) {
        throw new RangeError(`simulate: network kind ${kind} has a weight but no entry of the geo reference has that kind`);
      }
    }
    this.subjects = countChoice(params.esp.subjectsPerReport);
    this.ipEvents = countChoice(params.esp.ipEventsPerSubject);
    this.locationList = params.locations.map(({ weight, ...location }) => ({ location, weight }));
    this.locations = new WeightedChoice(this.locationList.map((l) => [l.location, l.weight] as const));
    const pool = new Rng(seed ^ 0x3c6ef372, 0);
    this.viralPool = Array.from({ length: params.world.viralPool }, () => sha256Of(pool));
  }

  /** The head of tip `index` and the stream positioned after it. */
  private drawHead(index: number): { head: TipHead; rng: Rng } {
    const p = this.params;
    const rng = new Rng(this.seed, index);
    const arrivalMs = this.arrivals.arrivalMs(index, rng.float());
    const rejected = rng.chance(p.rejectedShare);
    const bundled = !rejected && rng.chance(this.bundledShare);
    // Bundled reports are batched viral reports from providers: always ESP reports.
    const source = rng.chance(p.publicShare) && !bundled ? 'public' : 'esp';
    const type = this.types.draw(rng);
    const escalated = rng.chance(p.incident.escalatedShare);
    const annotations: IncidentAnnotation[] = [];
    for (const annotation of INCIDENT_ANNOTATIONS) if (rng.chance(p.incident.annotations[annotation] ?? 0)) annotations.push(annotation);
    const incident: TipHead['incident'] = { type };
    if (escalated) incident.escalateToHighPriority = true;
    if (annotations.length > 0) incident.annotations = annotations;
    const exigency = priorityFor({ id: 'X', source, receivedAt: '', incident }).value;
    const triageMs = Math.round(rng.exponential(p.minutes.triage[exigency] * MINUTE_MS));
    const routingMs = Math.round(rng.exponential(p.minutes.routing[exigency] * MINUTE_MS));
    return { head: { index, arrivalMs, rejected, bundled, source, incident, exigency, triageMs, routingMs }, rng };
  }

  head(index: number): TipHead {
    return this.drawHead(index).head;
  }

  tip(index: number): SimTip {
    const { head, rng } = this.drawHead(index);
    const p = this.params;
    const world: WorldDraws = {
      acknowledgeU: rng.float(),
      acknowledgeAfterReturnU: rng.float(),
      preservationConfirmMs: rng.chance(p.world.preservationConfirmedShare) ? Math.round(rng.exponential(p.world.preservationConfirmDays * DAY_MS)) : null,
      subscriberReturnMs: rng.chance(p.world.subscriberReturnShare) ? Math.round(rng.exponential(p.world.subscriberReturnDays * DAY_MS)) : null,
      locationU: rng.float(),
    };
    const a = head.arrivalMs;
    const id = `SIM-${this.arrivals.year}-${index}`;
    const receivedAt = iso(a);
    const espName = head.source === 'esp' ? rng.pick(ESP_NAMES) : null;
    const incident = { ...head.incident, dateTime: iso(a - Math.floor(rng.exponential(DAY_MS) / 1000) * 1000) };
    const internetDetails = [{ kind: rng.pick(INTERNET_DETAIL_KINDS), url: `https://${rng.pick(HOSTS)}example.${rng.pick(TLDS)}/` }];
    const tip: Tip =
      espName === null ? { id, source: head.source, receivedAt, incident, internetDetails } : { id, source: head.source, receivedAt, reporter: { espName }, incident, internetDetails };
    const memeOnly = head.bundled || (head.source === 'esp' && rng.chance(p.esp.memeOnlyShare));
    if (head.source === 'public') this.publicParts(tip, rng, a);
    else if (memeOnly) this.memeParts(tip, rng, head.bundled);
    else this.espParts(tip, rng, a);
    if (head.rejected) return { head, submission: defective(tip, rng), world };
    return { head, submission: tip, world };
  }

  private ipEvent(rng: Rng, a: number): IpEvent {
    const net = this.params.network;
    const kind = this.kinds.draw(rng);
    const ip = addressIn(rng.pick(this.blocks.get(kind) ?? []), rng);
    const portMissing = rng.chance(kind === 'mobile' ? net.portMissing.mobile : net.portMissing.other);
    const timeMissing = rng.chance(net.missingTimestampShare);
    const proxy = rng.chance(net.possibleProxyShare);
    const ageMs = Math.floor(rng.exponential(net.eventAgeDays * DAY_MS) / 1000) * 1000;
    // Built field by field (no spread of temporary objects): a stream allocates millions of these.
    const event: IpEvent = { ip };
    if (!portMissing) event.port = rng.int(1024, 65535);
    event.event = rng.pick(IP_EVENT_NAMES);
    if (!timeMissing) event.dateTime = iso(a - ageMs);
    if (proxy) event.possibleProxy = true;
    return event;
  }

  private estimatedLocation(rng: Rng, verifiedShare: number): NonNullable<NonNullable<Tip['subjects']>[number]['estimatedLocation']> {
    const location: NonNullable<NonNullable<Tip['subjects']>[number]['estimatedLocation']> = { ...this.locations.draw(rng) };
    if (rng.chance(verifiedShare)) location.verified = true;
    return location;
  }

  // The parts below are built field by field, in loops, with each draw in the order it always had: a stream
  // builds millions of these, and temporary objects (spreads of {} or of one field, callbacks) were a third of it.
  private espParts(tip: Tip, rng: Rng, a: number): void {
    const p = this.params;
    const subjectCount = this.subjects.draw(rng);
    const subjects: NonNullable<Tip['subjects']> = [];
    for (let s = 0; s < subjectCount; s += 1) {
      const events = this.ipEvents.draw(rng);
      const ipEvents: IpEvent[] = [];
      for (let e = 0; e < events; e += 1) ipEvents.push(this.ipEvent(rng, a));
      const located = rng.chance(p.esp.estimatedLocationShare);
      const subject: NonNullable<Tip['subjects']>[number] = { id: SUBJECT_IDS[s] ?? `S${s + 1}`, screenName: `user_${rng.hex8()}` };
      if (events > 0) subject.ipEvents = ipEvents;
      if (located) subject.estimatedLocation = this.estimatedLocation(rng, p.esp.verifiedShare);
      subjects.push(subject);
    }
    tip.subjects = subjects;
    const files = filesCount(rng, p.esp.filesPerReport);
    if (files > 0) {
      // One random 56-digit stem per report and 8 digits per file: unique hashes at a fraction of the draws.
      rng.next32(); // the first 8 digits of a whole hash, which the stem always dropped
      let stem = '';
      for (let i = 0; i < 7; i += 1) stem += rng.hex8();
      const list: NonNullable<Tip['files']> = [];
      for (let f = 0; f < files; f += 1) {
        const sha256 = `${rng.hex8()}${stem}`;
        const viewedByEsp = rng.chance(0.5);
        list.push({ id: FILE_IDS[f] ?? `F${f + 1}`, sha256, viewedByEsp, industryClassification: rng.pick(CLASSIFICATIONS) });
      }
      tip.files = list;
    }
    if (rng.chance(p.esp.p2pShare)) {
      const kind = this.kinds.draw(rng);
      const lastSeen = a - Math.floor(rng.exponential(p.network.eventAgeDays * DAY_MS));
      const row: NonNullable<Tip['p2p']>[number] = {
        ip: addressIn(rng.pick(this.blocks.get(kind) ?? []), rng),
        network: rng.pick(P2P_NETWORKS),
        allNetworks: ['B'],
        foiCount: rng.int(1, 400_000),
        firstSeen: isoDate(lastSeen - Math.floor(rng.exponential(60 * DAY_MS))),
        lastSeen: isoDate(lastSeen),
      };
      if (rng.chance(0.5)) row.port = rng.int(1024, 65535);
      tip.p2p = [row];
    }
  }

  /** Every file a potential meme or viral, no network indicator: the informational track, or a viral duplicate. */
  private memeParts(tip: Tip, rng: Rng, duplicate: boolean): void {
    const count = Math.max(1, filesCount(rng, this.params.esp.filesPerReport));
    tip.subjects = [{ id: 'S1', screenName: `user_${rng.hex8()}` }];
    const files: NonNullable<Tip['files']> = [];
    for (let f = 0; f < count; f += 1) {
      const pooled = duplicate && f === 0;
      const sha256 = pooled ? rng.pick(this.viralPool) : sha256Of(rng);
      files.push({ id: FILE_IDS[f] ?? `F${f + 1}`, sha256, annotations: [pooled || rng.chance(0.3) ? 'viral' : 'potentialMeme'] });
    }
    tip.files = files;
  }

  private publicParts(tip: Tip, rng: Rng, a: number): void {
    const p = this.params.public;
    const located = rng.chance(p.estimatedLocationShare);
    const withIp = rng.chance(p.ipEventShare);
    const subject: NonNullable<Tip['subjects']>[number] = { id: 'S1', email: `user${rng.hex8()}@example.${rng.pick(TLDS)}` };
    if (withIp) subject.ipEvents = [this.ipEvent(rng, a)];
    if (located) subject.estimatedLocation = this.estimatedLocation(rng, 0);
    tip.subjects = [subject];
  }

  /** Where subscriber information places an indicator: a listed location in its network's country, else that country, else any. */
  subscriberLocation(country: string | null, region: string | null, u: number): SimLocation {
    const inCountry = country === null ? this.locationList : this.locationList.filter((l) => l.location.countryCode === country);
    if (inCountry.length === 0) return { countryCode: country ?? 'US', ...(region === null ? {} : { region }) };
    const total = inCountry.reduce((sum, l) => sum + l.weight, 0);
    let left = u * total;
    for (const l of inCountry) {
      left -= l.weight;
      if (left < 0) return l.location;
    }
    return inCountry[inCountry.length - 1]?.location ?? { countryCode: 'US' };
  }
}

function sha256Of(rng: Rng): string {
  let out = '';
  for (let i = 0; i < 8; i += 1) out += rng.hex8();
  return out;
}

/** Files per report: exponential around the mean, at most 20. */
function filesCount(rng: Rng, mean: number): number {
  return Math.min(20, Math.floor(rng.exponential(mean + 0.5)));
}

/** A submission the tip schema refuses, without ever carrying content or a non-synthetic value. */
function defective(tip: Tip, rng: Rng): Tip {
  switch (rng.int(0, 2)) {
    case 0: {
      // An ESP report that does not name its provider (or a public one claiming the ESP source).
      const { reporter: _reporter, ...rest } = tip;
      return { ...rest, source: 'esp' };
    }
    case 1:
      return { ...tip, id: tip.id.toLowerCase() };
    default:
      return { ...tip, receivedAt: tip.receivedAt.slice(0, 16) };
  }
}
