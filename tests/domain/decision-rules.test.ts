// One rule, one guard (issue 17): each guard of the chart is named as the question it asks and answered by
// one rule of decision-rules.ts, which also gives the refusal's code and message. Each guard here, true and
// false; the codes; and the chart refusing what a removed catch-all rule used to (a referral before the
// geolocation is confirmed is not allowed in that state at all).
import { describe, expect, it } from 'vitest';
import type { RoutingEvent } from '../../src/domain/events.js';
import { initialRoutingContext, type RoutingContext } from '../../src/domain/routing/context.js';
import { decisionRefusal, REFUSAL_CODES, RULE_GUARDS, ruleRefusal, type RuleGuard } from '../../src/domain/routing/decision-rules.js';
import { TIP_LIMITS, type Tip } from '../../src/domain/tip/schema.js';
import { Engine } from '../../src/engine/index.js';
import { assess, IP, ipEvent, p2pRow, reference, tipWith, tipWithEvents } from './builders.js';

const withAssessment = (tip: Tip, extra: Partial<RoutingContext> = {}): RoutingContext => ({ ...initialRoutingContext({ submission: tip }), assessment: assess(tip), geolocationConfirmed: true, ...extra });
const holds = (guard: RuleGuard, context: RoutingContext, event: RoutingEvent) => ruleRefusal(guard, context, event, reference) === null;
const codeOf = (guard: RuleGuard, context: RoutingContext, event: RoutingEvent) => ruleRefusal(guard, context, event, reference)?.code ?? null;

const houston = withAssessment(tipWithEvents([ipEvent(IP.houston)]));
const vpnOnly = withAssessment(tipWithEvents([ipEvent(IP.netherlandsVpn)]));
const mobileNoPort = withAssessment(tipWithEvents([ipEvent(IP.pennsylvaniaMobile, { port: undefined })]));
const tag = (caveat: string, indicatorId: string | null): RoutingEvent => ({ type: 'GEO.TAG', caveat, indicatorId }) as RoutingEvent;
const untag = (caveat: string, indicatorId: string | null): RoutingEvent => ({ type: 'GEO.UNTAG', caveat, indicatorId }) as RoutingEvent;
const refer = (jurisdictionId: string): RoutingEvent => ({ type: 'ROUTE.REFER', jurisdictionId });
const FIRST = 'subjects[0].ipEvents[0]';

describe('each guard is one rule, with a code', () => {
  it('hasReasonForP1Downgrade', () => {
    const exigent = initialRoutingContext({ submission: tipWith({ type: 'child-sex-trafficking' }) });
    expect(holds('hasReasonForP1Downgrade', exigent, { type: 'TRIAGE.ASSIGN', priority: 'P1', track: 'referral' })).toBe(true);
    expect(holds('hasReasonForP1Downgrade', exigent, { type: 'TRIAGE.ASSIGN', priority: 'P2', track: 'referral', reason: 'a duplicate of a referred tip' })).toBe(true);
    expect(codeOf('hasReasonForP1Downgrade', exigent, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' })).toBe('P1_DOWNGRADE_WITHOUT_REASON');
  });

  it('fitsAnIndicator', () => {
    expect(holds('fitsAnIndicator', houston, tag('VPN', FIRST))).toBe(true);
    expect(holds('fitsAnIndicator', houston, tag('CONFLICTING_INDICATORS', null))).toBe(true);
    expect(codeOf('fitsAnIndicator', houston, tag('CONFLICTING_INDICATORS', FIRST))).toBe('TAG_LEVEL_MISMATCH');
    expect(codeOf('fitsAnIndicator', houston, tag('VPN', null))).toBe('TAG_LEVEL_MISMATCH');
    expect(codeOf('fitsAnIndicator', houston, tag('VPN', 'subjects[0].ipEvents[9]'))).toBe('UNKNOWN_INDICATOR');
    expect(codeOf('fitsAnIndicator', { ...houston, assessment: null }, tag('VPN', FIRST))).toBe('INDICATORS_NOT_RESOLVED');
  });

  it('fitsIndicatorKind: a reported location never carries a network-only caveat (chart version 4)', () => {
    const reported = withAssessment(tipWithEvents([ipEvent(IP.houston)], { countryCode: 'US', region: 'TX', city: 'Houston' }));
    const location = 'subjects[0].estimatedLocation';
    expect(reported.assessment?.indicators.map((i) => [i.id, i.source])).toContainEqual([location, 'estimatedLocation']);
    expect(holds('fitsIndicatorKind', reported, tag('USER_PROVIDED_ONLY', location))).toBe(true);
    expect(holds('fitsIndicatorKind', reported, tag('COUNTRY_ONLY', location))).toBe(true);
    expect(holds('fitsIndicatorKind', reported, tag('VPN', FIRST))).toBe(true);
    expect(codeOf('fitsIndicatorKind', reported, tag('VPN', location))).toBe('NETWORK_CAVEAT_ON_REPORTED_LOCATION');
    expect(codeOf('fitsIndicatorKind', reported, tag('CGNAT_NO_PORT', location))).toBe('NETWORK_CAVEAT_ON_REPORTED_LOCATION');
    // A tag already held can still be taken off (the rule reads GEO.TAG only), and an unknown indicator is fitsAnIndicator's.
    expect(holds('fitsIndicatorKind', reported, untag('VPN', location))).toBe(true);
    expect(holds('fitsIndicatorKind', reported, tag('VPN', 'subjects[0].ipEvents[9]'))).toBe(true);
    expect(decisionRefusal(reported, tag('VPN', location), reference)).toEqual({ code: 'NETWORK_CAVEAT_ON_REPORTED_LOCATION', message: `VPN is said of a network address; ${location} is a reported location (no address, port or time)` });
  });

  it('isNotYetTagged and isTagged', () => {
    const tagged = { ...houston, tags: [{ caveat: 'VPN' as const, indicatorId: FIRST }] };
    expect(holds('isNotYetTagged', houston, tag('VPN', FIRST))).toBe(true);
    expect(codeOf('isNotYetTagged', tagged, tag('VPN', FIRST))).toBe('ALREADY_TAGGED');
    expect(holds('isTagged', tagged, untag('VPN', FIRST))).toBe(true);
    expect(codeOf('isTagged', houston, untag('VPN', FIRST))).toBe('NOT_TAGGED');
  });

  it('hasDeterminingIndicator, isKnownJurisdiction, wasNotDeclined', () => {
    expect(holds('hasDeterminingIndicator', houston, refer('US-TX-ICAC-HOU'))).toBe(true);
    expect(codeOf('hasDeterminingIndicator', vpnOnly, refer('US-TX-ICAC-HOU'))).toBe('NO_DETERMINING_INDICATOR');
    expect(holds('isKnownJurisdiction', houston, refer('US-OH-ICAC'))).toBe(true);
    expect(codeOf('isKnownJurisdiction', houston, refer('NOWHERE'))).toBe('UNKNOWN_JURISDICTION');
    const declined = { ...houston, declined: [{ jurisdictionId: 'US-TX-ICAC-HOU', reason: 'outside our area', indicatorsVersion: 0 }] };
    expect(codeOf('wasNotDeclined', declined, refer('US-TX-ICAC-HOU'))).toBe('JURISDICTION_DECLINED');
    expect(holds('wasNotDeclined', { ...declined, indicatorsVersion: 1 }, refer('US-TX-ICAC-HOU'))).toBe(true);
    expect(holds('wasNotDeclined', declined, refer('US-TX-ICAC'))).toBe(true);
  });

  it('hasLegalProcessCandidate and matchesSubscriberIndicator', () => {
    expect(holds('hasLegalProcessCandidate', mobileNoPort, { type: 'ROUTE.LEGAL_PROCESS' })).toBe(true);
    expect(codeOf('hasLegalProcessCandidate', houston, { type: 'ROUTE.LEGAL_PROCESS' })).toBe('NO_LEGAL_PROCESS_CANDIDATE');
    const returned = (indicatorId: string): RoutingEvent => ({ type: 'SUBSCRIBER.RETURNED', indicatorId, location: { countryCode: 'US', region: 'PA', city: 'Scranton' } });
    expect(holds('matchesSubscriberIndicator', mobileNoPort, returned(FIRST))).toBe(true);
    expect(codeOf('matchesSubscriberIndicator', houston, returned(FIRST))).toBe('NOT_A_LEGAL_PROCESS_INDICATOR');
  });

  it('subscriberStaysWithinTipLimits and indicatorStaysWithinTipLimits', () => {
    const full = tipWith({ p2p: Array.from({ length: TIP_LIMITS.p2p }, () => p2pRow(IP.houston)) });
    const fullContext = withAssessment(full);
    const addP2p: RoutingEvent = { type: 'INDICATOR.ADD', p2p: p2pRow(IP.london) };
    expect(codeOf('indicatorStaysWithinTipLimits', fullContext, addP2p)).toBe('TIP_LIMIT');
    expect(holds('indicatorStaysWithinTipLimits', houston, addP2p)).toBe(true);
    const returned: RoutingEvent = { type: 'SUBSCRIBER.RETURNED', indicatorId: 'p2p[0]', location: { countryCode: 'US' } };
    expect(holds('subscriberStaysWithinTipLimits', houston, returned)).toBe(true);
  });

  it('a guard passes the events it does not read, and every code a rule gives is listed', () => {
    for (const guard of Object.keys(RULE_GUARDS) as RuleGuard[]) expect(holds(guard, houston, { type: 'GEO.CONFIRM' })).toBe(true);
    expect(REFUSAL_CODES).toContain(decisionRefusal(vpnOnly, refer('US-TX-ICAC-HOU'), reference)?.code);
  });
});

describe('the engine gives the rule’s code and words', () => {
  const engine = new Engine(reference);
  it('a refused referral carries the rule’s code; one before the geolocation is confirmed is not allowed in that state', () => {
    const session = engine.start(tipWithEvents([ipEvent(IP.houston)]));
    const early = engine.send(session, refer('US-TX-ICAC-HOU'));
    expect(early.ok).toBe(false);
    if (!early.ok) expect(early.refusal).toMatchObject({ code: 'NOT_ALLOWED_HERE' });
    expect(engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }).ok).toBe(true);
    expect(engine.send(session, { type: 'GEO.CONFIRM' }).ok).toBe(true);
    const nowhere = engine.send(session, refer('NOWHERE'));
    expect(nowhere.ok).toBe(false);
    if (!nowhere.ok) expect(nowhere.refusal).toMatchObject({ code: 'UNKNOWN_JURISDICTION', message: 'ROUTE.REFER refused in referral.selecting: NOWHERE is not a jurisdiction of the registry' });
  });
});
