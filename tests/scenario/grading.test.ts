// Grading (issue 5, item 3; issue 15, item 1), pure: every decision kind compared with what was expected
// (right, partly right only where DESIGN §10 defines it, wrong, and why), and the P/S/M/U rating of each
// objective at and just below every threshold.
import { describe, expect, it } from 'vitest';
import type { Tag } from '../../src/domain/routing/context.js';
import { DEFAULT_THRESHOLDS, type ActionDecision, type Exercise, type Thresholds } from '../../src/scenario/format.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { capVerdict, describeDecision, gradeDecision, rateObjectives, ratingFor, VERDICT_SCORE, type GradedDecision, type Verdict } from '../../src/scenario/grading.js';

const registry = bundledReference().jurisdictions;

const IP0 = 'subjects[0].ipEvents[0]';
const IP1 = 'subjects[0].ipEvents[1]';
const P2P0 = 'p2p[0]';

const tag = (indicatorId: string | null, caveat: Tag['caveat']): Tag => ({ indicatorId, caveat });
const triage = (priority: 'P1' | 'P2' | 'P3', track: 'referral' | 'informational'): ActionDecision => ({ point: 'triage', priority, track });
const geo = (...caveats: Tag[]): ActionDecision => ({ point: 'geolocation', caveats });
const refer = (jurisdictionId?: string): ActionDecision => (jurisdictionId === undefined ? { point: 'route', route: 'refer' } : { point: 'route', route: 'refer', jurisdictionId });
const legalProcess: ActionDecision = { point: 'route', route: 'legal-process' };
const informational: ActionDecision = { point: 'route', route: 'informational' };

describe('gradeDecision: triage', () => {
  it('priority and track both right: right', () => {
    expect(gradeDecision(triage('P1', 'referral'), triage('P1', 'referral'))).toEqual({ verdict: 'right', why: 'priority and track as expected', missedCaveats: [], extraCaveats: [] });
  });

  // DESIGN §10: partial credit exists only for caveat lists and the wrong unit; a triage is right or wrong.
  it('priority wrong, track right: wrong, and says which priority was due', () => {
    const graded = gradeDecision(triage('P3', 'referral'), triage('P2', 'referral'));
    expect(graded.verdict).toBe('wrong');
    expect(graded.why).toBe('priority P3 instead of P2');
  });

  it('a priority lower than expected on an exigent tip: wrong, and says an exigent tip is never lowered', () => {
    const graded = gradeDecision(triage('P3', 'referral'), triage('P1', 'referral'));
    expect(graded.verdict).toBe('wrong');
    expect(graded.why).toBe('priority P3 on an exigent tip: it is P1, and an exigent tip is never lowered');
  });

  it('the why cites the rule book only when the expected decision is the rule book’s', () => {
    const reasons = { priority: 'Priority P1 (exigent): the report is annotated sextortion.' };
    expect(gradeDecision(triage('P2', 'referral'), triage('P1', 'referral'), { reasons, ruleDecision: triage('P1', 'referral') }).why).toBe(
      'priority P2 on an exigent tip (the report is annotated sextortion): it is P1, and an exigent tip is never lowered',
    );
    // A local-policy expectation (P2 where the rule book says P3) is not explained by the rule book's reason.
    expect(gradeDecision(triage('P3', 'referral'), triage('P2', 'referral'), { reasons: { priority: 'Priority P3: incident type x.' }, ruleDecision: triage('P3', 'referral') }).why).toBe('priority P3 instead of P2');
  });

  it('track wrong, priority right: wrong, and says which track was due', () => {
    const graded = gradeDecision(triage('P3', 'referral'), triage('P3', 'informational'));
    expect(graded.verdict).toBe('wrong');
    expect(graded.why).toBe('track referral instead of informational');
  });

  it('both wrong: wrong, naming both', () => {
    const graded = gradeDecision(triage('P2', 'informational'), triage('P1', 'referral'));
    expect(graded.verdict).toBe('wrong');
    expect(graded.why).toBe('priority P2 on an exigent tip: it is P1, and an exigent tip is never lowered; track informational instead of referral');
  });

  it('triage never reports caveats', () => {
    const graded = gradeDecision(triage('P2', 'informational'), triage('P1', 'referral'));
    expect(graded.missedCaveats).toEqual([]);
    expect(graded.extraCaveats).toEqual([]);
  });
});

describe('gradeDecision: geolocation caveats', () => {
  const three = [tag(IP0, 'CGNAT_NO_PORT'), tag(IP0, 'MOBILE_IMPRECISE'), tag(IP0, 'REGION_ONLY')];

  it('exactly the expected caveats, in any order: right', () => {
    const graded = gradeDecision(geo(...[...three].reverse()), geo(...three));
    expect(graded).toEqual({ verdict: 'right', why: 'every caveat tagged, none extra', missedCaveats: [], extraCaveats: [] });
  });

  it('no caveats where none are due: right', () => {
    expect(gradeDecision(geo(), geo()).verdict).toBe('right');
  });

  it('one missed of several: partly right, with the missed caveat named and what it means', () => {
    const graded = gradeDecision(geo(three[1] as Tag, three[2] as Tag), geo(...three));
    expect(graded.verdict).toBe('partly');
    expect(graded.missedCaveats).toEqual([tag(IP0, 'CGNAT_NO_PORT')]);
    expect(graded.extraCaveats).toEqual([]);
    expect(graded.why).toBe(
      `missed CGNAT_NO_PORT on ${IP0} (carrier-grade NAT without a source port: the carrier needs port and exact time to name a subscriber). 2 of 3 expected caveats tagged, none extra: 80% in common, partly right from 50%`,
    );
  });

  it('one of two found (half right, the boundary): partly right', () => {
    expect(gradeDecision(geo(tag(P2P0, 'HOSTING_PROVIDER')), geo(tag(P2P0, 'HOSTING_PROVIDER'), tag(P2P0, 'COUNTRY_ONLY'))).verdict).toBe('partly');
  });

  it('one of three found (half in common: twice one right over three expected plus one tagged): partly right', () => {
    const graded = gradeDecision(geo(three[0] as Tag), geo(...three));
    expect(graded.verdict).toBe('partly');
    expect(graded.missedCaveats).toEqual([tag(IP0, 'MOBILE_IMPRECISE'), tag(IP0, 'REGION_ONLY')]);
  });

  it('one of four found (40% in common): wrong', () => {
    expect(gradeDecision(geo(three[0] as Tag), geo(...three, tag(P2P0, 'VPN'))).verdict).toBe('wrong');
  });

  it("the rubric's caveat share moves the line for partly right", () => {
    expect(gradeDecision(geo(three[0] as Tag), geo(...three), { caveatShare: 0.6 }).verdict).toBe('wrong');
    expect(gradeDecision(geo(three[0] as Tag), geo(...three, tag(P2P0, 'VPN')), { caveatShare: 0.4 }).verdict).toBe('partly');
    expect(gradeDecision(geo(three[0] as Tag), geo(...three, tag(P2P0, 'VPN')), { caveatShare: 0.4 }).why).toMatch(/40% in common, partly right from 40%$/);
  });

  it('every expected caveat plus one extra: partly right, with the extra named', () => {
    const graded = gradeDecision(geo(tag(IP0, 'STALE_IP_EVENT'), tag(IP0, 'REGION_ONLY')), geo(tag(IP0, 'STALE_IP_EVENT')));
    expect(graded.verdict).toBe('partly');
    expect(graded.missedCaveats).toEqual([]);
    expect(graded.extraCaveats).toEqual([tag(IP0, 'REGION_ONLY')]);
    expect(graded.why).toBe(`extra REGION_ONLY on ${IP0} (it does not apply here). 1 of 1 expected caveat tagged, 1 extra: 67% in common, partly right from 50%`);
  });

  it('every expected caveat plus two extras: partly right (half in common), not wrong', () => {
    const graded = gradeDecision(geo(tag(IP0, 'STALE_IP_EVENT'), tag(IP0, 'REGION_ONLY'), tag(IP0, 'MOBILE_IMPRECISE')), geo(tag(IP0, 'STALE_IP_EVENT')));
    expect(graded.verdict).toBe('partly');
    expect(graded.why).toBe(`extra REGION_ONLY on ${IP0}; MOBILE_IMPRECISE on ${IP0} (they do not apply here). 1 of 1 expected caveat tagged, 2 extra: 50% in common, partly right from 50%`);
  });

  it('only extras where no caveat is due: wrong (nothing right)', () => {
    const graded = gradeDecision(geo(tag(IP0, 'VPN')), geo());
    expect(graded.verdict).toBe('wrong');
    expect(graded.missedCaveats).toEqual([]);
    expect(graded.extraCaveats).toEqual([tag(IP0, 'VPN')]);
    expect(graded.why).toBe(`extra VPN on ${IP0} (it does not apply here). No caveat applies to this tip`);
  });

  it('every expected caveat but three extras: wrong (40% in common)', () => {
    expect(gradeDecision(geo(tag(IP0, 'VPN'), tag(IP0, 'REGION_ONLY'), tag(IP1, 'COUNTRY_ONLY'), tag(IP1, 'VPN')), geo(tag(IP0, 'VPN'))).verdict).toBe('wrong');
  });

  it('nothing right: wrong, with every missed and extra caveat', () => {
    const graded = gradeDecision(geo(tag(IP0, 'HOSTING_PROVIDER')), geo(tag(P2P0, 'VPN'), tag(P2P0, 'COUNTRY_ONLY')));
    expect(graded.verdict).toBe('wrong');
    expect(graded.missedCaveats).toEqual([tag(P2P0, 'VPN'), tag(P2P0, 'COUNTRY_ONLY')]);
    expect(graded.extraCaveats).toEqual([tag(IP0, 'HOSTING_PROVIDER')]);
    expect(graded.why).toBe(
      `missed VPN on ${P2P0} (a VPN exit: the location is the VPN provider, not the person); COUNTRY_ONLY on ${P2P0} (only the country is known); extra HOSTING_PROVIDER on ${IP0} (it does not apply here). 0 of 2 expected caveats tagged, 1 extra: 0% in common, partly right from 50%`,
    );
  });

  it('no caveats where one is due: wrong', () => {
    const graded = gradeDecision(geo(), geo(tag(P2P0, 'VPN')));
    expect(graded.verdict).toBe('wrong');
    expect(graded.missedCaveats).toEqual([tag(P2P0, 'VPN')]);
  });

  it('the right caveat on the wrong indicator counts as one missed and one extra', () => {
    const graded = gradeDecision(geo(tag(IP1, 'STALE_IP_EVENT')), geo(tag(IP0, 'STALE_IP_EVENT')));
    expect(graded.verdict).toBe('wrong');
    expect(graded.missedCaveats).toEqual([tag(IP0, 'STALE_IP_EVENT')]);
    expect(graded.extraCaveats).toEqual([tag(IP1, 'STALE_IP_EVENT')]);
  });

  describe('tip-level tags (indicatorId null)', () => {
    it('the tip-level caveat on the tip: right', () => {
      expect(gradeDecision(geo(tag(null, 'CONFLICTING_INDICATORS')), geo(tag(null, 'CONFLICTING_INDICATORS'))).verdict).toBe('right');
    });

    it('missing the tip-level caveat: wrong, and the why says it belongs to the tip (no indicator)', () => {
      const graded = gradeDecision(geo(), geo(tag(null, 'CONFLICTING_INDICATORS')));
      expect(graded.verdict).toBe('wrong');
      expect(graded.missedCaveats).toEqual([tag(null, 'CONFLICTING_INDICATORS')]);
      expect(graded.why.split(' (')[0]).toBe('missed CONFLICTING_INDICATORS on the tip as a whole');
    });

    it('the tip-level caveat put on an indicator is not the tip-level tag', () => {
      const graded = gradeDecision(geo(tag(IP0, 'CONFLICTING_INDICATORS')), geo(tag(null, 'CONFLICTING_INDICATORS')));
      expect(graded.verdict).toBe('wrong');
      expect(graded.missedCaveats).toEqual([tag(null, 'CONFLICTING_INDICATORS')]);
      expect(graded.extraCaveats).toEqual([tag(IP0, 'CONFLICTING_INDICATORS')]);
      expect(graded.why).toMatch(new RegExp(`^missed CONFLICTING_INDICATORS on the tip as a whole \\(.*\\); extra CONFLICTING_INDICATORS on ${IP0.replace(/[[\].]/g, '\\$&')} \\(it does not apply here\\)`));
    });

    it('tip-level and indicator caveats together, one indicator caveat missed: partly right', () => {
      const expected = geo(tag(null, 'CONFLICTING_INDICATORS'), tag(IP0, 'REGION_ONLY'));
      expect(gradeDecision(geo(tag(null, 'CONFLICTING_INDICATORS')), expected).verdict).toBe('partly');
    });
  });
});

describe('gradeDecision: route', () => {
  it('referred to the expected jurisdiction: right', () => {
    expect(gradeDecision(refer('US-TX-ICAC-HOU'), refer('US-TX-ICAC-HOU'))).toEqual({ verdict: 'right', why: 'route as expected', missedCaveats: [], extraCaveats: [] });
  });

  it('the right country and channel but the wrong unit (the state instead of the city task force): partly right', () => {
    const graded = gradeDecision(refer('US-TX-ICAC'), refer('US-TX-ICAC-HOU'), { registry });
    expect(graded.verdict).toBe('partly');
    expect(graded.why).toBe("the right country and channel, the wrong unit: US-TX-ICAC is the state's task force, but Houston has its own, US-TX-ICAC-HOU (a listed city wins over its state's task force)");
  });

  it.each([
    ['another country', 'INTERPOL-BR', 'US-TX-ICAC-HOU', 'INTERPOL-BR serves another country (BR); the tip goes to US-TX-ICAC-HOU (US)'],
    ['another channel', 'US-FED', 'US-TX-ICAC-HOU', 'US-FED is another channel (US federal agency); the tip goes to US-TX-ICAC-HOU (US state ICAC task force)'],
    ['another state of the same channel', 'US-TX-ICAC', 'US-PA-ICAC', 'US-TX-ICAC serves another state (TX, US); the tip goes to US-PA-ICAC (PA, US)'],
    ['an agency the registry does not know', 'ZZ-NAT', 'US-PA-ICAC', 'ZZ-NAT is not an agency of the registry; the tip goes to US-PA-ICAC'],
  ])('a referral to %s: wrong, naming the difference', (_name, yours, expected, why) => {
    expect(gradeDecision(refer(yours), refer(expected), { registry })).toEqual({ verdict: 'wrong', why, missedCaveats: [], extraCaveats: [] });
  });

  it('without the registry a referral elsewhere is wrong (partial credit needs the registry to show the same channel)', () => {
    expect(gradeDecision(refer('US-TX-ICAC'), refer('US-TX-ICAC-HOU')).verdict).toBe('wrong');
  });

  it('an expected referral that names no jurisdiction accepts any referral', () => {
    expect(gradeDecision(refer('FR-NAT'), refer()).verdict).toBe('right');
  });

  it('legal process where legal process is due: right', () => {
    expect(gradeDecision(legalProcess, legalProcess).verdict).toBe('right');
  });

  it('informational where informational is due: right', () => {
    expect(gradeDecision(informational, informational).verdict).toBe('right');
  });

  const wrongKinds: [string, ActionDecision, ActionDecision, string][] = [
    ['referral where legal process is due', refer('US-PA-ICAC'), legalProcess, 'refer to US-PA-ICAC instead of legal process'],
    ['referral where informational is due', refer('FR-NAT'), informational, 'refer to FR-NAT instead of informational'],
    ['legal process where a referral is due', legalProcess, refer('US-PA-ICAC'), 'legal process instead of refer to US-PA-ICAC'],
    ['informational where a referral is due', informational, refer('DE-NAT'), 'informational instead of refer to DE-NAT'],
    ['legal process where informational is due', legalProcess, informational, 'legal process instead of informational'],
    ['informational where legal process is due', informational, legalProcess, 'informational instead of legal process'],
  ];
  it.each(wrongKinds)('the wrong kind of route (%s): wrong', (_name, yours, expected, why) => {
    expect(gradeDecision(yours, expected)).toEqual({ verdict: 'wrong', why, missedCaveats: [], extraCaveats: [] });
  });
});

describe('gradeDecision: no decision, or a decision of another kind', () => {
  it.each([triage('P1', 'referral'), geo(tag(P2P0, 'VPN')), geo(), refer('GB-NAT'), legalProcess, informational])('no decision where %j was due: wrong', (expected) => {
    expect(gradeDecision(null, expected)).toEqual({ verdict: 'wrong', why: 'no decision was made here', missedCaveats: [], extraCaveats: [] });
  });

  it('a decision of another kind than the one due: wrong', () => {
    const graded = gradeDecision(triage('P3', 'referral'), refer('GB-NAT'));
    expect(graded.verdict).toBe('wrong');
    expect(graded.why).toBe('a triage decision where a route decision was due');
  });
});

describe('describeDecision (the yours / expected columns)', () => {
  it('names every kind in a trainee’s words', () => {
    expect(describeDecision(null)).toBe('no decision');
    expect(describeDecision(triage('P2', 'referral'))).toBe('P2, referral track');
    expect(describeDecision(geo())).toBe('no caveats');
    expect(describeDecision(geo(tag(null, 'CONFLICTING_INDICATORS'), tag(IP0, 'REGION_ONLY')))).toBe(`CONFLICTING_INDICATORS; REGION_ONLY on ${IP0}`);
    expect(describeDecision(refer('PH-NAT'))).toBe('refer to PH-NAT');
    expect(describeDecision(legalProcess)).toBe('legal process');
    expect(describeDecision(informational)).toBe('informational');
  });
});

describe('capVerdict (late and hinted decisions count at most partly)', () => {
  it.each([
    ['right', 'partly', 'partly'],
    ['partly', 'partly', 'partly'],
    ['wrong', 'partly', 'wrong'],
    ['right', 'right', 'right'],
    ['right', 'wrong', 'wrong'],
  ] as const)('%s capped at %s is %s', (verdict, best, capped) => {
    expect(capVerdict(verdict, best)).toBe(capped);
  });
});

describe('ratingFor: thresholds', () => {
  it('the verdicts score 1, 0.5 and 0', () => {
    expect(VERDICT_SCORE).toEqual({ right: 1, partly: 0.5, wrong: 0 });
  });

  it('the default rubric is P 1, S 0.75, M 0.5', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({ P: 1, S: 0.75, M: 0.5 });
  });

  const defaults: [number, string][] = [
    [1, 'P'],
    [0.9999, 'S'],
    [0.75, 'S'],
    [0.7499, 'M'],
    [0.5, 'M'],
    [0.4999, 'U'],
    [0, 'U'],
  ];
  it.each(defaults)('default rubric: %d is %s', (score, rating) => {
    expect(ratingFor(score, DEFAULT_THRESHOLDS)).toBe(rating);
  });

  const custom: Thresholds = { P: 0.9, S: 0.6, M: 0.3 };
  const customCases: [number, string][] = [
    [1, 'P'],
    [0.9, 'P'],
    [0.8999, 'S'],
    [0.6, 'S'],
    [0.5999, 'M'],
    [0.3, 'M'],
    [0.2999, 'U'],
  ];
  it.each(customCases)('custom rubric P 0.9, S 0.6, M 0.3: %d is %s', (score, rating) => {
    expect(ratingFor(score, custom)).toBe(rating);
  });

  it('equal thresholds give the better rating (S 0.5 = M 0.5: 0.5 is S)', () => {
    expect(ratingFor(0.5, { P: 1, S: 0.5, M: 0.5 })).toBe('S');
    expect(ratingFor(0.4999, { P: 1, S: 0.5, M: 0.5 })).toBe('U');
  });

  it('means of several decisions meet thresholds given as two decimals (2 of 3 right against S 0.66)', () => {
    expect(ratingFor(2 / 3, { P: 1, S: 0.66, M: 0.33 })).toBe('S');
    expect(ratingFor(1 / 3, { P: 1, S: 0.66, M: 0.33 })).toBe('M');
  });
});

function exercise(objectives: { id: string; capability: 'triage' | 'geolocation' | 'referral' | 'legalProcess' }[], rubric?: Exercise['rubric']): Exercise {
  return {
    format: 'tipflow.exercise/1',
    id: 'grading-test',
    title: 'Grading test',
    summary: 'A test exercise.',
    lesson: 'icac',
    audience: ['tests'],
    duration: '15m',
    objectives: objectives.map((o) => ({ ...o, description: `Objective ${o.id}.` })),
    tip: 'tip.json',
    expectedActions: [{ id: 'triage', point: 'triage', objective: 'triage', priority: 'P3', track: 'referral' }],
    ...(rubric === undefined ? {} : { rubric }),
  };
}

function graded(objective: string | null, verdict: Verdict): GradedDecision {
  return {
    point: 'triage',
    occurrence: 1,
    objective,
    yours: triage('P3', 'referral'),
    expected: triage('P3', 'referral'),
    verdict,
    why: '',
    missedCaveats: [],
    extraCaveats: [],
    at: '2019-06-01T10:00:00.000Z',
    expectedActionId: null,
    words: { yours: 'P3, referral track', expected: 'P3, referral track' },
  };
}

describe('rateObjectives', () => {
  const three = [
    { id: 'triage', capability: 'triage' as const },
    { id: 'geolocation', capability: 'geolocation' as const },
    { id: 'referral', capability: 'referral' as const },
  ];

  it('rates each objective by the mean score of the decisions serving it, in objective order', () => {
    const ratings = rateObjectives(exercise(three), [graded('triage', 'right'), graded('geolocation', 'right'), graded('geolocation', 'partly'), graded('referral', 'partly'), graded('referral', 'wrong')]);
    expect(ratings.map((r) => [r.objective, r.capability, r.decisions, r.score, r.rating])).toEqual([
      ['triage', 'triage', 1, 1, 'P'],
      ['geolocation', 'geolocation', 2, 0.75, 'S'],
      ['referral', 'referral', 2, 0.25, 'U'],
    ]);
    expect(ratings[0]?.description).toBe('Objective triage.');
  });

  it('an objective no decision serves is U (unable to be performed), with no score', () => {
    const ratings = rateObjectives(exercise(three), [graded('triage', 'right'), graded('referral', 'right')]);
    expect(ratings.find((r) => r.objective === 'geolocation')).toMatchObject({ decisions: 0, score: 0, rating: 'U' });
  });

  it('decisions that serve no objective, or another one, do not count', () => {
    const ratings = rateObjectives(exercise([{ id: 'triage', capability: 'triage' }]), [graded('triage', 'right'), graded(null, 'wrong'), graded('other', 'wrong')]);
    expect(ratings).toEqual([{ objective: 'triage', capability: 'triage', description: 'Objective triage.', decisions: 1, score: 1, rating: 'P' }]);
  });

  it('one partly right decision is M under the default rubric', () => {
    expect(rateObjectives(exercise(three), [graded('referral', 'partly')])[2]?.rating).toBe('M');
  });

  it("the rubric's default replaces the built-in thresholds", () => {
    const ratings = rateObjectives(exercise(three, { default: { P: 0.5, S: 0.25, M: 0 } }), [graded('triage', 'partly'), graded('geolocation', 'wrong')]);
    expect(ratings.map((r) => r.rating)).toEqual(['P', 'M', 'U']);
  });

  it("an objective's own rubric overrides the default for that objective only", () => {
    const rubric = { default: { P: 1, S: 0.75, M: 0.5 }, objectives: { triage: { P: 1, S: 1, M: 0.5 }, referral: { P: 1, S: 0.5, M: 0.25 } } };
    const ratings = rateObjectives(exercise(three, rubric), [graded('triage', 'right'), graded('triage', 'right'), graded('triage', 'right'), graded('triage', 'partly'), graded('geolocation', 'partly'), graded('referral', 'partly')]);
    // triage 0.875: S under the default, M under its own (S needs 1); referral 0.5: M under the default, S under its own.
    expect(ratings.map((r) => [r.objective, r.score, r.rating])).toEqual([
      ['triage', 0.875, 'M'],
      ['geolocation', 0.5, 'M'],
      ['referral', 0.5, 'S'],
    ]);
  });

  it("an objective's own rubric applies without a rubric default (the built-in thresholds for the rest)", () => {
    const ratings = rateObjectives(exercise(three, { objectives: { geolocation: { P: 0.5, S: 0.4, M: 0.3 } } }), [graded('triage', 'partly'), graded('geolocation', 'partly')]);
    expect(ratings.map((r) => r.rating)).toEqual(['M', 'P', 'U']);
  });

  it('an objective with no decision is U whatever its rubric', () => {
    const ratings = rateObjectives(exercise(three, { objectives: { referral: { P: 0, S: 0, M: 0 } } }), []);
    expect(ratings.map((r) => r.rating)).toEqual(['U', 'U', 'U']);
  });
});
