import { describe, expect, it } from 'vitest';
import type { GeoAssessment } from '../../src/domain/assessment.js';
import type { RoutingEvent } from '../../src/domain/events.js';
import { initialRoutingContext, type Declined, type RoutingContext } from '../../src/domain/routing/context.js';
import { decisionProblem } from '../../src/domain/routing/decision-rules.js';
import { chooseRoute, type RouteChoice } from '../../src/domain/routing/route-choice.js';
import type { Tip } from '../../src/domain/tip/schema.js';
import { assess, IP, ipEvent, p2pRow, reference, tipWith, tipWithEvents } from './builders.js';

const registry = reference.jurisdictions;
const declinedBy = (jurisdictionId: string, indicatorsVersion = 0): Declined => ({ jurisdictionId, reason: 'outside our area', indicatorsVersion });
const route = (assessment: GeoAssessment, declined: Declined[] = [], version = 0): RouteChoice => chooseRoute(assessment, registry, declined, version);
const referredTo = (choice: RouteChoice): string | null => (choice.kind === 'refer' ? choice.jurisdiction.id : null);

/** Houston (primary, most recent) and Dallas, both determining. */
const houstonAndDallas = () =>
  assess(tipWithEvents([ipEvent(IP.dallasBusiness, { dateTime: '2019-05-20T00:00:00Z' }), ipEvent(IP.houston, { dateTime: '2019-05-30T00:00:00Z' })]));

describe('chooseRoute: referral', () => {
  it('refers to the primary location\'s jurisdiction', () => {
    const choice = route(houstonAndDallas());
    expect(choice.kind).toBe('refer');
    expect(referredTo(choice)).toBe('US-TX-ICAC-HOU');
  });

  it('refers on an unverified estimated location when nothing better exists', () => {
    expect(referredTo(route(assess(tipWithEvents([ipEvent(IP.parisVpn)], { countryCode: 'GB', region: 'LND', city: 'London' }))))).toBe('GB-NAT');
  });

  it('refers a stale event anyway', () => {
    const a = assess(tipWithEvents([ipEvent(IP.houston, { dateTime: '2010-01-01T00:00:00Z' })]));
    expect(a.caveats).toContain('STALE_IP_EVENT');
    expect(referredTo(route(a))).toBe('US-TX-ICAC-HOU');
  });

  it('refers when there is a determining indicator even if another one would need legal process', () => {
    expect(referredTo(route(assess(tipWithEvents([ipEvent(IP.uncovered), ipEvent(IP.london)]))))).toBe('GB-NAT');
  });

  it('after a decline, refers to the next determining indicator\'s jurisdiction', () => {
    expect(referredTo(route(houstonAndDallas(), [declinedBy('US-TX-ICAC-HOU')]))).toBe('US-TX-ICAC-DAL');
  });

  it('after every determining jurisdiction declined, goes informational', () => {
    const choice = route(houstonAndDallas(), [declinedBy('US-TX-ICAC-HOU'), declinedBy('US-TX-ICAC-DAL')]);
    expect(choice.kind).toBe('informational');
  });

  it('goes informational after a decline when every determining indicator points to the declining agency', () => {
    const a = assess(tipWithEvents([ipEvent(IP.houston), ipEvent('192.0.2.11', { dateTime: '2019-05-29T00:00:00Z' })]));
    expect(route(a, [declinedBy('US-TX-ICAC-HOU')]).kind).toBe('informational');
  });

  it('refers to a declining jurisdiction again once a new indicator arrived (a later indicatorsVersion)', () => {
    expect(referredTo(route(houstonAndDallas(), [declinedBy('US-TX-ICAC-HOU', 0)], 1))).toBe('US-TX-ICAC-HOU');
  });
});

describe('chooseRoute: legal process', () => {
  it.each([
    ['a mobile address without a port (CGNAT_NO_PORT)', tipWithEvents([ipEvent(IP.pennsylvaniaMobile, { port: undefined })])],
    ['an IP event without a timestamp (MISSING_TIMESTAMP)', tipWithEvents([ipEvent(IP.houston, { dateTime: undefined })])],
    ['a P2P observation without lastSeen (MISSING_TIMESTAMP)', tipWith({ p2p: [p2pRow(IP.london, { lastSeen: undefined })] })],
    ['an address no geo entry covers (NO_GEO_MATCH)', tipWithEvents([ipEvent(IP.uncovered)])],
    ['a blocked indicator beside anonymized ones', tipWithEvents([ipEvent(IP.parisVpn), ipEvent(IP.houston, { dateTime: undefined })])],
  ] as [string, Tip][])('chooses legal process with no determining indicator but %s', (_what, tip) => {
    expect(route(assess(tip)).kind).toBe('legal-process');
  });
});

describe('chooseRoute: informational', () => {
  it('goes informational when the only indicators are anonymized', () => {
    expect(route(assess(tipWithEvents([ipEvent(IP.parisVpn), ipEvent(IP.germanyTor), ipEvent(IP.houston, { possibleProxy: true })]))).kind).toBe('informational');
  });

  it('goes informational when an anonymized indicator is also attribution-blocked (legal process needs a non-anonymized one)', () => {
    const a = assess(tipWithEvents([ipEvent(IP.parisVpn, { dateTime: undefined }), ipEvent(IP.houston, { possibleProxy: true, dateTime: undefined })]));
    expect(a.caveats).toContain('MISSING_TIMESTAMP');
    expect(route(a).kind).toBe('informational');
  });

  it('goes informational when an ESP-flagged proxy has no geo match', () => {
    expect(route(assess(tipWithEvents([ipEvent(IP.uncovered, { possibleProxy: true })]))).kind).toBe('informational');
  });

  it('goes informational when the tip has no location indicator', () => {
    expect(route(assess(tipWith({}))).kind).toBe('informational');
  });
});

describe('decisionProblem: triage', () => {
  const p1Context = (): RoutingContext => initialRoutingContext({ submission: tipWith({ type: 'child-sex-trafficking' }) });
  const assign = (priority: 'P1' | 'P2' | 'P3', reason?: string): RoutingEvent => ({ type: 'TRIAGE.ASSIGN', priority, track: 'referral', ...(reason === undefined ? {} : { reason }) });

  it('refuses a P1 downgrade without a reason', () => {
    expect(decisionProblem(p1Context(), assign('P3'), reference)).toContain('needs a reason');
  });

  it('accepts a P1 downgrade with a reason', () => {
    expect(decisionProblem(p1Context(), assign('P2', 'duplicate of an exigent tip already referred'), reference)).toBeNull();
  });

  it('accepts keeping P1 without a reason', () => {
    expect(decisionProblem(p1Context(), assign('P1'), reference)).toBeNull();
  });

  it('refuses downgrading a priority a trainee set to P1, even when the rule book said P3', () => {
    const context: RoutingContext = { ...initialRoutingContext({ submission: tipWith({}) }), priority: 'P1' };
    expect(context.exigency).toBe('P3');
    expect(decisionProblem(context, assign('P3'), reference)).not.toBeNull();
  });

  it('accepts any priority without a reason for a tip that is not exigent', () => {
    expect(decisionProblem(initialRoutingContext({ submission: tipWith({}) }), assign('P2'), reference)).toBeNull();
  });
});

describe('decisionProblem: ROUTE.REFER', () => {
  const confirmed = (tip: Tip, extra: Partial<RoutingContext> = {}): RoutingContext => ({
    ...initialRoutingContext({ submission: tip }),
    assessment: assess(tip),
    geolocationConfirmed: true,
    ...extra,
  });
  const refer = (jurisdictionId: string): RoutingEvent => ({ type: 'ROUTE.REFER', jurisdictionId });
  const houston = tipWithEvents([ipEvent(IP.houston)]);

  it('accepts a referral after a confirmed assessment with a determining indicator', () => {
    expect(decisionProblem(confirmed(houston), refer('US-TX-ICAC-HOU'), reference)).toBeNull();
  });

  it('refuses a referral before the indicators are resolved', () => {
    expect(decisionProblem(confirmed(houston, { assessment: null }), refer('US-TX-ICAC-HOU'), reference)).not.toBeNull();
  });

  it('refuses a referral when no indicator is determining', () => {
    const vpnOnly = tipWithEvents([ipEvent(IP.parisVpn)]);
    expect(decisionProblem(confirmed(vpnOnly), refer('US-TX-ICAC-HOU'), reference)).toContain('no indicator can decide');
  });

  it.each([['US-XX1-ICAC'], ['EUROPOL-BR'], ['NOWHERE']])('refuses a referral to %s, which the registry does not know', (id) => {
    expect(decisionProblem(confirmed(houston), refer(id), reference)).toContain(`${id} is not a jurisdiction of the registry`);
  });

  it('refuses a referral to a jurisdiction that declined on the current indicators', () => {
    const context = confirmed(houston, { declined: [declinedBy('US-TX-ICAC-HOU', 2)], indicatorsVersion: 2 });
    expect(decisionProblem(context, refer('US-TX-ICAC-HOU'), reference)).toContain('declined');
  });

  it('accepts a referral to a jurisdiction that declined before a new indicator arrived', () => {
    const context = confirmed(houston, { declined: [declinedBy('US-TX-ICAC-HOU', 1)], indicatorsVersion: 2 });
    expect(decisionProblem(context, refer('US-TX-ICAC-HOU'), reference)).toBeNull();
  });

  it('accepts a well-formed referral to another registry jurisdiction (the grader, not the guard, judges it)', () => {
    expect(decisionProblem(confirmed(houston), refer('US-OH-ICAC'), reference)).toBeNull();
  });
});
