// The bundled exercises (fixtures/scenarios): every file validates strictly (no error, no warning), its
// scripted run closes the tip, and the outcome is the one its lesson implies.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assessGeolocation } from '../../src/domain/assessment.js';
import type { Outcome } from '../../src/domain/routing/outcome.js';
import { answerKeyDecision } from '../../src/domain/routing/answer-key.js';
import { decisionPointOf, Engine, isMachineRecord } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { fixturePath } from '../../src/io/project-files.js';
import { driveExercise, injectEvent, startTimeOf, type Decider } from '../../src/scenario/drive.js';
import { offsetMs } from '../../src/scenario/format.js';
import { loadExerciseText, type LoadedExercise } from '../../src/scenario/load.js';
import { eventForExpectedAction, validateExerciseText } from '../../src/scenario/validate.js';

const engine = new Engine(bundledReference());
const dir = fixturePath('scenarios');
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.yaml'))
  .sort();

interface Expected {
  lesson: string;
  outcome: Outcome;
  /** The jurisdiction the tip is closed with (the last referral), when it is referred. */
  jurisdictionId?: string;
  /** Agencies that declined on the way. */
  declined?: string[];
}

/** What each file's lesson implies. A new bundled exercise needs a row here. */
const EXPECTED: Record<string, Expected> = {
  'attache-manila.yaml': { lesson: 'attache', outcome: 'referred', jurisdictionId: 'PH-NAT' },
  'conflicting-london-sydney.yaml': { lesson: 'CONFLICTING_INDICATORS', outcome: 'referred', jurisdictionId: 'AU-NAT' },
  'decline-hosting-then-wichita.yaml': { lesson: 'decline', outcome: 'referred', jurisdictionId: 'US-KS-ICAC', declined: ['US-VA-ICAC'] },
  'direct-london.yaml': { lesson: 'direct', outcome: 'referred', jurisdictionId: 'GB-NAT' },
  'europol-milano.yaml': { lesson: 'europol', outcome: 'referred', jurisdictionId: 'IT-NAT' },
  'informational-meme.yaml': { lesson: 'informational', outcome: 'informational' },
  'interpol-niamey.yaml': { lesson: 'interpol', outcome: 'referred', jurisdictionId: 'INTERPOL-NE' },
  'local-policy-mobile-enticement.yaml': { lesson: 'local-policy', outcome: 'referred', jurisdictionId: 'US-PA-ICAC' },
  'mobile-cgnat-no-port.yaml': { lesson: 'CGNAT_NO_PORT', outcome: 'referred', jurisdictionId: 'US-PA-ICAC' },
  'p2p-hosting-country-only.yaml': { lesson: 'HOSTING_PROVIDER', outcome: 'referred', jurisdictionId: 'FR-NAT' },
  'p2p-residential-nancy.yaml': { lesson: 'direct', outcome: 'referred', jurisdictionId: 'FR-NAT' },
  'p2p-vpn-all-networks.yaml': { lesson: 'VPN', outcome: 'informational' },
  'sextortion-p1-wichita.yaml': { lesson: 'sextortion', outcome: 'referred', jurisdictionId: 'US-KS-ICAC' },
  'stale-event-koeln.yaml': { lesson: 'STALE_IP_EVENT', outcome: 'referred', jurisdictionId: 'DE-NAT' },
  'webmail-houston.yaml': { lesson: 'icac', outcome: 'referred', jurisdictionId: 'US-TX-ICAC-HOU' },
};

const REQUIRED_LESSONS = ['HOSTING_PROVIDER', 'VPN', 'CGNAT_NO_PORT', 'CONFLICTING_INDICATORS', 'STALE_IP_EVENT', 'direct', 'attache', 'europol', 'interpol', 'icac', 'decline'];

function load(file: string): LoadedExercise {
  const path = `${dir}/${file}`;
  const { loaded, diagnostics } = loadExerciseText(readFileSync(path, 'utf8'), path);
  expect(diagnostics).toEqual([]);
  if (loaded === null) throw new Error(`${file} does not load`);
  return loaded;
}

/** The scripted run, deciding with the file's expected actions (the answer key where it has none). */
function drive(loaded: LoadedExercise) {
  const decide: Decider = ({ point, occurrence, context }) => {
    const expected = loaded.exercise.expectedActions.find((a) => a.point === point && (a.occurrence ?? 1) === occurrence);
    return expected === undefined ? null : eventForExpectedAction(expected, context, engine);
  };
  return driveExercise(engine, loaded.exercise, loaded.tip, decide);
}

describe('bundled exercises', () => {
  it('has at least 12 files, each with a row in the table of expected outcomes', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it('covers the required lessons', () => {
    const lessons = new Set(files.map((file) => load(file).exercise.lesson));
    for (const lesson of REQUIRED_LESSONS) expect(lessons, `no exercise teaches ${lesson}`).toContain(lesson);
  });

  it('deviates from the rule book in at most one exercise, and says why there', () => {
    const overriding = files.filter((file) => load(file).exercise.expectedActions.some((a) => a.override !== undefined));
    expect(overriding).toEqual(['local-policy-mobile-enticement.yaml']);
  });

  describe.each(files)('%s', (file) => {
    const expected = EXPECTED[file];

    it('validates strictly: no error and no warning', () => {
      const path = `${dir}/${file}`;
      const text = readFileSync(path, 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schemas/scenario.schema.json');
      const report = validateExerciseText(engine, text, path);
      expect(report.diagnostics).toEqual([]);
      expect(report.outcome).toBe(expected?.outcome);
    });

    it('teaches its lesson and closes with the outcome the lesson implies', () => {
      const loaded = load(file);
      expect(loaded.exercise.lesson).toBe(expected?.lesson);
      const run = drive(loaded);
      expect(run.problem).toBeNull();
      expect(run.unsentInjects).toEqual([]);
      expect(run.session.closed).toBe(true);
      expect(run.session.state).toBe(`closed.${expected?.outcome ?? ''}`);
      expect(run.session.outcome).toBe(expected?.outcome);
      expect(run.session.context.jurisdiction?.id).toBe(expected?.jurisdictionId);
      expect(run.session.context.declined.map((d) => d.jurisdictionId)).toEqual(expected?.declined ?? []);
      // Every referral is acknowledged: the tip closes, it is not left waiting.
      if (expected?.outcome === 'referred') expect(run.session.log.filter(isMachineRecord).at(-1)?.event.type).toBe('AGENCY.ACKNOWLEDGE');
    });
  });
});

describe('what particular exercises teach', () => {
  it('CGNAT: legal process, preservation, subscriber return, then a second assessment and route', () => {
    const run = drive(load('mobile-cgnat-no-port.yaml'));
    const types = run.session.log.map((r) => r.event.type);
    expect(types).toEqual(expect.arrayContaining(['ROUTE.LEGAL_PROCESS', 'PRESERVATION.CONFIRMED', 'SUBSCRIBER.RETURNED', 'ROUTE.REFER', 'AGENCY.ACKNOWLEDGE']));
    expect(types.indexOf('ROUTE.LEGAL_PROCESS')).toBeLessThan(types.indexOf('PRESERVATION.CONFIRMED'));
    expect(types.indexOf('PRESERVATION.CONFIRMED')).toBeLessThan(types.indexOf('SUBSCRIBER.RETURNED'));
    expect(types.indexOf('SUBSCRIBER.RETURNED')).toBeLessThan(types.indexOf('ROUTE.REFER'));
    expect(types.filter((t) => t === 'GEO.CONFIRM')).toHaveLength(2);
  });

  it('decline: the declining agency is not chosen again; a new indicator leads to another jurisdiction', () => {
    const run = drive(load('decline-hosting-then-wichita.yaml'));
    const referrals = run.session.log.flatMap((r) => (r.event.type === 'ROUTE.REFER' ? [r.event['jurisdictionId']] : []));
    expect(referrals).toEqual(['US-VA-ICAC', 'US-KS-ICAC']);
    const types = run.session.log.map((r) => r.event.type);
    expect(types.indexOf('AGENCY.DECLINE')).toBeLessThan(types.indexOf('INDICATOR.ADD'));
  });

  it('stale event: the event is stale at the exercise clock, not at receipt', () => {
    const { exercise, tip } = load('stale-event-koeln.yaml');
    const start = startTimeOf(exercise, tip);
    expect(Date.parse(start)).toBeGreaterThan(Date.parse(tip.receivedAt));
    expect(assessGeolocation(tip, engine.reference.geo, start).caveats).toContain('STALE_IP_EVENT');
    expect(assessGeolocation(tip, engine.reference.geo, tip.receivedAt).caveats).not.toContain('STALE_IP_EVENT');
  });

  it('sextortion: the tip is P1, so an untriaged tip breaches its SLA after one hour', () => {
    const { exercise, tip } = load('sextortion-p1-wichita.yaml');
    const session = engine.start(tip, { at: startTimeOf(exercise, tip) });
    expect(session.context.exigency).toBe('P1');
    engine.advance(session, 59 * 60_000);
    expect(session.context.timerEvents).toEqual([]);
    engine.advance(session, 2 * 60_000);
    expect(session.context.timerEvents).toEqual(['Triage SLA breached: a P1 tip waited more than 1 h for triage.']);
  });

  // Contingency injects are never part of the scripted run; each is accepted where the instructor sends it.
  it.each([
    ['sextortion-p1-wichita.yaml', 'sla-reminder', 'triage'],
    ['informational-meme.yaml', 'meme-nudge', 'triage'],
    ['p2p-vpn-all-networks.yaml', 'vpn-nudge', 'referral.selecting'],
  ])('%s: contingency inject %s is accepted in %s', (file, injectId, state) => {
    const { exercise, tip } = load(file);
    const inject = exercise.injects?.find((i) => i.id === injectId);
    if (inject === undefined) throw new Error(`${file} has no inject ${injectId}`);
    expect(inject.contingency).toBe(true);
    const session = engine.start(tip, { at: startTimeOf(exercise, tip) });
    for (let step = 0; session.state !== state && step < 20; step += 1) {
      const point = decisionPointOf(session);
      if (point === null) break;
      expect(engine.deliver(session, answerKeyDecision(point, session.context, engine.reference)).ok).toBe(true);
    }
    expect(session.state).toBe(state);
    engine.advanceTo(session, Date.parse(startTimeOf(exercise, tip)) + offsetMs(inject.at ?? '+0m'));
    const event = injectEvent(inject);
    if (event === null) {
      // A message is read by the trainee and never reaches the machine.
      expect(inject.kind).toBe('message');
      return;
    }
    const result = engine.deliver(session, event, { actor: 'instructor' });
    expect(result.ok).toBe(true);
  });
});
