// The geolocation assessment of a tip (DESIGN §5): every indicator resolved and tagged, the determining
// indicators chosen by class, tip confidence, conflicts and the primary location.
import { CAVEAT_EFFECTS, sortedCaveats, type CaveatCode } from './caveats/codes.js';
import { indicatorCaveats, type IndicatorFacts } from './caveats/indicator-caveats.js';
import { confidenceFromPrecision, minConfidence, rankOf, type Confidence } from './confidence.js';
import { indicatorsOf, timeOf, type IndicatorSource, type RawIndicator } from './indicators.js';
import type { GeoDatabase, NetworkKind } from './reference/geo.js';
import type { Tip } from './tip/schema.js';

export interface AssessedIndicator extends Pick<RawIndicator, 'id' | 'source' | 'subjectId' | 'ip' | 'port' | 'time'> {
  isp: string | null;
  kind: NetworkKind | null;
  retentionDays: number | null;
  country: string | null;
  region: string | null;
  city: string | null;
  caveats: CaveatCode[];
  confidence: Confidence;
  anonymized: boolean;
  attributionBlocked: boolean;
  /** 1: network on residential/business/mobile, or a verified location; 2: hosting; 3: unverified location. */
  evidenceClass: 1 | 2 | 3 | null;
  eligible: boolean;
  determining: boolean;
}

export interface GeoAssessment {
  routingTime: string;
  indicators: AssessedIndicator[];
  /** Sorted union of every indicator's caveats and the tip-level ones. */
  caveats: CaveatCode[];
  tipCaveats: CaveatCode[];
  confidence: Confidence;
  conflicting: boolean;
  /** Id of the primary indicator (highest confidence, then most recent, then document order), or null. */
  primaryId: string | null;
  reasons: string[];
}

const capBy = (confidence: Confidence, caveats: readonly CaveatCode[]): Confidence =>
  caveats.reduce<Confidence>((level, code) => {
    const cap = CAVEAT_EFFECTS[code].cap;
    return cap === undefined ? level : minConfidence(level, cap);
  }, confidence);

function evidenceClassOf(source: IndicatorSource, kind: NetworkKind | null, verified: boolean): 1 | 2 | 3 | null {
  if (source === 'estimatedLocation') return verified ? 1 : 3;
  if (kind === 'residential' || kind === 'business' || kind === 'mobile') return 1;
  if (kind === 'hosting') return 2;
  return null;
}

/** Two indicators disagree when their countries differ, or both are in the US with different non-empty states. */
export function disagree(a: Pick<AssessedIndicator, 'country' | 'region'>, b: Pick<AssessedIndicator, 'country' | 'region'>): boolean {
  if (a.country !== b.country) return true;
  return a.country === 'US' && a.region !== null && b.region !== null && a.region !== b.region;
}

export function describeLocation(i: Pick<AssessedIndicator, 'city' | 'region' | 'country'>): string {
  return [i.city, i.region, i.country].filter((part) => part !== null).join(', ') || 'no location';
}

export function assessGeolocation(tip: Tip, geo: GeoDatabase, routingTime: string): GeoAssessment {
  const routingTimeMs = timeOf(routingTime);
  const raw = indicatorsOf(tip);
  // Loops rather than chains of filter/map/some: the simulator assesses every one of millions of tips.
  const assessed: AssessedIndicator[] = [];
  for (const indicator of raw) {
    const entry = indicator.ip === null ? null : geo.lookup(indicator.ip);
    const location =
      indicator.reported ??
      (entry === null ? { country: null, region: null, city: null } : { country: entry.country || null, region: entry.region || null, city: entry.city || null });
    const facts: IndicatorFacts = { indicator, geo: entry, location, routingTimeMs };
    const caveats = indicatorCaveats(facts);
    let anonymized = false;
    let attributionBlocked = false;
    for (const code of caveats) {
      const effect = CAVEAT_EFFECTS[code];
      if (effect.anonymizes === true) anonymized = true;
      if (effect.blocksAttribution === true) attributionBlocked = true;
    }
    const evidenceClass = evidenceClassOf(indicator.source, entry?.kind ?? null, indicator.verified);
    const reported = indicator.source === 'estimatedLocation';
    assessed.push({
      id: indicator.id,
      source: indicator.source,
      subjectId: indicator.subjectId,
      ip: indicator.ip,
      port: indicator.port,
      time: indicator.time,
      isp: entry?.isp ?? null,
      kind: reported ? null : (entry?.kind ?? null),
      retentionDays: reported ? null : (entry?.retentionDays ?? null),
      country: location.country,
      region: location.region,
      city: location.city,
      caveats,
      confidence: anonymized ? 'none' : capBy(confidenceFromPrecision(location), caveats),
      anonymized,
      attributionBlocked,
      evidenceClass,
      eligible: location.country !== null && !anonymized && !attributionBlocked && evidenceClass !== null,
      determining: false,
    });
  }

  let bestClass: number | null = null;
  for (const i of assessed) if (i.eligible && (bestClass === null || (i.evidenceClass ?? 9) < bestClass)) bestClass = i.evidenceClass;
  const determining: AssessedIndicator[] = [];
  for (const i of assessed) if (i.eligible && i.evidenceClass === bestClass) determining.push(i);
  for (const indicator of determining) {
    indicator.determining = true;
    if (indicator.evidenceClass === 3) {
      indicator.caveats = [...indicator.caveats, 'USER_PROVIDED_ONLY'];
      indicator.confidence = capBy(indicator.confidence, ['USER_PROVIDED_ONLY']);
    }
  }
  const union: CaveatCode[] = [];
  for (const indicator of assessed) {
    indicator.caveats = sortedCaveats(indicator.caveats);
    for (const code of indicator.caveats) union.push(code);
  }

  let conflicting = false;
  for (let a = 0; a < determining.length && !conflicting; a += 1) {
    for (let b = a + 1; b < determining.length; b += 1) {
      if (disagree(determining[a] as AssessedIndicator, determining[b] as AssessedIndicator)) {
        conflicting = true;
        break;
      }
    }
  }
  const tipCaveats: CaveatCode[] = conflicting ? ['CONFLICTING_INDICATORS'] : [];
  let confidence: Confidence = 'none';
  for (let k = 0; k < determining.length; k += 1) {
    const level = (determining[k] as AssessedIndicator).confidence;
    confidence = k === 0 ? level : minConfidence(confidence, level);
  }
  confidence = capBy(confidence, tipCaveats);

  // The first under comparePrimary (a total order: document order breaks every tie).
  const compare = comparePrimary(assessed);
  let primary: AssessedIndicator | null = null;
  for (const indicator of determining) if (primary === null || compare(indicator, primary) < 0) primary = indicator;
  const caveats = sortedCaveats([...union, ...tipCaveats]);

  const reasons: string[] = [];
  reasons.push(
    `Geolocation: ${assessed.length} indicator${assessed.length === 1 ? '' : 's'}, ${determining.length} determining` +
      (bestClass === null ? '' : ` (${['', 'network or verified location', 'hosting network', 'unverified user-provided location'][bestClass]})`) +
      `; tip confidence ${confidence}.`,
  );
  let anonymizedCount = 0;
  let blocked = 0;
  for (const i of assessed) {
    if (i.anonymized) anonymizedCount += 1;
    else if (i.attributionBlocked) blocked += 1;
  }
  if (anonymizedCount > 0) reasons.push(`${anonymizedCount} anonymized indicator${anonymizedCount === 1 ? '' : 's'} (proxy, VPN, Tor or open proxy) excluded from deciding jurisdiction.`);
  if (blocked > 0) reasons.push(`${blocked} indicator${blocked === 1 ? '' : 's'} cannot be attributed to a subscriber without legal process (no source port or no timestamp).`);
  if (conflicting) reasons.push('Determining indicators disagree on country or US state: CONFLICTING_INDICATORS, confidence at most low.');
  if (primary !== null) reasons.push(`Primary location: ${describeLocation(primary)} from ${primary.id} (${primary.kind ?? (primary.source === 'estimatedLocation' ? 'reported location' : 'unknown network')}, confidence ${primary.confidence}).`);

  return { routingTime, indicators: assessed, caveats, tipCaveats, confidence, conflicting, primaryId: primary?.id ?? null, reasons };
}

/** Highest confidence first, then most recent event time (timed before untimed), then document order. */
function comparePrimary(all: readonly AssessedIndicator[]) {
  const order = (indicator: AssessedIndicator): number => {
    const index = all.indexOf(indicator);
    return index >= 0 ? index : Math.max(0, all.findIndex((i) => i.id === indicator.id));
  };
  return (a: AssessedIndicator, b: AssessedIndicator): number => {
    const byConfidence = rankOf(b.confidence) - rankOf(a.confidence);
    if (byConfidence !== 0) return byConfidence;
    const ta = a.time === null ? null : timeOf(a.time);
    const tb = b.time === null ? null : timeOf(b.time);
    if (ta !== tb) {
      if (ta === null) return 1;
      if (tb === null) return -1;
      return tb - ta;
    }
    return order(a) - order(b);
  };
}

export function primaryIndicator(assessment: GeoAssessment): AssessedIndicator | null {
  return assessment.indicators.find((i) => i.id === assessment.primaryId) ?? null;
}

/** Determining indicators ranked as the primary is chosen: the order in which jurisdictions are tried. */
export function rankedDeterminingIndicators(assessment: GeoAssessment): AssessedIndicator[] {
  return assessment.indicators.filter((i) => i.determining).sort(comparePrimary(assessment.indicators));
}

/** Indicators legal process can still resolve: not anonymized, and attribution-blocked or without a geo match. */
export function legalProcessCandidates(assessment: GeoAssessment): AssessedIndicator[] {
  return assessment.indicators.filter((i) => !i.anonymized && (i.attributionBlocked || i.caveats.includes('NO_GEO_MATCH')));
}
