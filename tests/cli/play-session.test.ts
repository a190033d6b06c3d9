// The model behind `tipflow play` (src/cli/play/play-session.ts), in process: a trainee who makes the
// expected decisions and waits for the next message or deadline whenever nothing is to be decided gets the
// same log as `tipflow run` (the shared inject schedule), every decision rated right; a saved play resumes
// to the same state; undo returns exactly to the moment before the decision.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RoutingEvent } from '../../src/domain/events.js';
import { answerKeyDecision } from '../../src/domain/routing/answer-key.js';
import { Engine, isMachineRecord } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { PlaySession } from '../../src/cli/play/play-session.js';
import { gradeSession } from '../../src/scenario/debrief.js';
import { driveExercise } from '../../src/scenario/drive.js';
import { loadExerciseText, type LoadedExercise } from '../../src/scenario/load.js';
import { eventForExpectedAction } from '../../src/scenario/validate.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCENARIOS = join(ROOT, 'fixtures', 'scenarios');
const engine = new Engine(bundledReference());
const DAY = 24 * 60 * 60 * 1000;
const exercises = readdirSync(SCENARIOS).filter((name) => name.endsWith('.yaml')).sort();

function load(name: string): { loaded: LoadedExercise; text: string; file: string } {
  const file = join(SCENARIOS, name);
  const text = readFileSync(file, 'utf8');
  const { loaded } = loadExerciseText(text, file);
  if (loaded === null) throw new Error(`${name} does not load`);
  return { loaded, text, file };
}

/** The decision a careful trainee makes now: the exercise's expected action, else the rule book's. */
function expectedEvent(play: PlaySession): RoutingEvent | null {
  const at = play.decisionPoint();
  if (at === null) return null;
  const action = play.exercise.expectedActions.find((a) => a.point === at.point && (a.occurrence ?? 1) === at.occurrence);
  const context = play.session.context;
  return action === undefined ? answerKeyDecision(at.point, context, engine.reference) : eventForExpectedAction(action, context, engine);
}

/** Plays to the end: decide when there is a decision, otherwise wait for whatever comes next. */
function playThrough(play: PlaySession, afterEachStep: (play: PlaySession) => void = () => undefined): void {
  for (let step = 0; step < 200 && !play.session.closed; step += 1) {
    const event = expectedEvent(play);
    if (event !== null) {
      const result = play.decide(event);
      if (!result.ok) throw new Error(`${event.type} refused: ${result.message}`);
    } else {
      if (play.nextScheduledMs() === null) throw new Error(`stuck in ${play.session.state}`);
      play.waitForNext();
    }
    afterEachStep(play);
  }
}

const withoutActor = (log: readonly { actor: string }[]) => log.map(({ actor: _actor, ...rest }) => rest);

describe('a trainee who makes the expected decisions', () => {
  it.each(exercises)('%s: same log as tipflow run, every decision right', (name) => {
    const { loaded, text, file } = load(name);
    const play = PlaySession.start(engine, loaded, { file, text }, 'practice');
    playThrough(play);
    expect(play.session.closed).toBe(true);

    const decider = ({ point, occurrence, context }: { point: 'triage' | 'geolocation' | 'route'; occurrence: number; context: typeof play.session.context }) => {
      const action = loaded.exercise.expectedActions.find((a) => a.point === point && (a.occurrence ?? 1) === occurrence);
      return action === undefined ? null : eventForExpectedAction(action, context, engine);
    };
    const run = driveExercise(engine, loaded.exercise, loaded.tip, decider);
    expect(withoutActor(play.session.log)).toEqual(withoutActor(run.session.log));
    expect(new Set(play.toRecord().injectsSent)).toEqual(new Set(run.sentInjects));

    const record = play.toRecord();
    const debrief = gradeSession(engine, loaded.exercise, record.session, record.refusals);
    expect(debrief.decisions.map((d) => [d.point, d.verdict])).toEqual(debrief.decisions.map((d) => [d.point, 'right']));
    expect(debrief.overall.rating).toBe('P');
  });
});

describe('saving and resuming', () => {
  it.each(['mobile-cgnat-no-port.yaml', 'decline-hosting-then-wichita.yaml'])('%s: the record saved after any step resumes to the same state', (name) => {
    const { loaded, text, file } = load(name);
    const play = PlaySession.start(engine, loaded, { file, text }, 'assessment');
    playThrough(play, (current) => {
      const saved = JSON.parse(JSON.stringify(current.toRecord())) as ReturnType<PlaySession['toRecord']>;
      const resumed = PlaySession.resume(engine, saved, saved.mode === 'headless' ? 'practice' : saved.mode);
      const again = resumed.toRecord();
      expect(again.session).toEqual(saved.session);
      expect(new Set(again.injectsSent)).toEqual(new Set(saved.injectsSent));
      expect(again.inbox).toEqual(saved.inbox);
      expect(resumed.session.state).toBe(current.session.state);
      expect(resumed.session.clock.timers().map((t) => [t.due, t.eventType])).toEqual(current.session.clock.timers().map((t) => [t.due, t.eventType]));
    });
    expect(play.toRecord().finished).toBe(true);
  });
});

describe('undo (practice)', () => {
  it('takes back a referral and the agency answers that followed it, back to the moment it was made', () => {
    const { loaded, text, file } = load('decline-hosting-then-wichita.yaml');
    const play = PlaySession.start(engine, loaded, { file, text }, 'practice');
    for (let event = expectedEvent(play); event !== null && event.type !== 'ROUTE.REFER'; event = expectedEvent(play)) play.decide(event);
    play.wait(play.session.clock.now + 2 * 60 * 60 * 1000);
    const before = play.toRecord();
    const referral = play.decide({ type: 'ROUTE.REFER', jurisdictionId: 'US-VA-ICAC' });
    expect(referral.ok).toBe(true);
    expect(play.inbox.map((m) => m.injectId)).toEqual(['virginia-declines', 'fresh-login']);
    expect(play.session.state).toBe('geolocation.tagging');

    expect(play.undo()?.event).toEqual({ type: 'ROUTE.REFER', jurisdictionId: 'US-VA-ICAC' });
    const after = play.toRecord();
    expect(after.session.log).toEqual(before.session.log);
    expect(after.session.now).toBe(before.session.now);
    expect(after.inbox).toEqual([]);
    expect(play.session.state).toBe('referral.selecting');

    // The same referral again brings the same injects again.
    expect(play.decide({ type: 'ROUTE.REFER', jurisdictionId: 'US-VA-ICAC' }).ok).toBe(true);
    expect(play.inbox.map((m) => m.injectId)).toEqual(['virginia-declines', 'fresh-login']);
  });

  it('with nothing decided yet, there is nothing to take back', () => {
    const { loaded, text, file } = load('webmail-houston.yaml');
    const play = PlaySession.start(engine, loaded, { file, text }, 'practice');
    expect(play.undo()).toBeNull();
    expect(play.lastDecision()).toBeNull();
  });
});

describe('waiting', () => {
  it('stops when a scheduled message arrives, or when the tip needs a decision again', () => {
    const { loaded, text, file } = load('mobile-cgnat-no-port.yaml');
    const play = PlaySession.start(engine, loaded, { file, text }, 'practice');
    for (let event = expectedEvent(play); event !== null; event = expectedEvent(play)) play.decide(event);
    expect(play.session.state).toBe('legalProcess.preservationRequested');
    const first = play.wait(play.session.clock.now + 30 * DAY);
    expect(first.interruptedBy).toBe('message');
    expect(play.session.now).toBe('2023-03-02T09:00:00.000Z');
    expect(play.inbox.map((m) => m.injectId)).toEqual(['preservation-confirmed']);
    expect(play.session.state).toBe('legalProcess.preserved');
    const second = play.wait(play.session.clock.now + 30 * DAY);
    expect(second.interruptedBy).toBe('decision');
    expect(play.session.now).toBe('2023-03-13T09:00:00.000Z');
    expect(play.session.state).toBe('geolocation.tagging');
  });

  it('fires the triage SLA while the tip waits, and holds a message meant for a later stage until the tip gets there', () => {
    const { loaded, text, file } = load('mobile-cgnat-no-port.yaml');
    const play = PlaySession.start(engine, loaded, { file, text }, 'practice');
    const slept = play.wait(play.session.clock.now + 2 * DAY);
    expect(slept.interruptedBy).toBeNull();
    expect(slept.happenings.map((h) => h.kind)).toEqual(['clock', 'problem']);
    expect(slept.happenings[0]?.text).toMatch(/^Triage SLA breached: a P2 tip/);
    expect(play.toRecord().injectsSent).toEqual([]);
    // Saved now and resumed, the held message is still held.
    const resumed = PlaySession.resume(engine, play.toRecord(), 'practice');
    for (const current of [play, resumed]) {
      for (let event = expectedEvent(current); event !== null; event = expectedEvent(current)) current.decide(event);
      expect(current.session.state).toBe('legalProcess.preserved');
      expect(current.inbox.map((m) => m.injectId)).toEqual(['preservation-confirmed']);
      // The held inject's event, then its message: delivered only once the machine took it.
      expect(current.session.log.filter(isMachineRecord).at(-1)?.eventId).toBe('inject-preservation-confirmed');
      expect(current.session.log.at(-1)?.event).toMatchObject({ type: 'INJECT.MESSAGE', injectId: 'preservation-confirmed' });
    }
    expect(resumed.toRecord().session).toEqual(play.toRecord().session);
  });

  it('refuses hints and undo outside practice mode', () => {
    const { loaded, text, file } = load('webmail-houston.yaml');
    const play = PlaySession.start(engine, loaded, { file, text }, 'assessment');
    expect(() => play.hint()).toThrow(/practice/);
    expect(() => play.undo()).toThrow(/practice/);
  });

  it('gives the exercise hint in practice mode and counts it', () => {
    const { loaded, text, file } = load('webmail-houston.yaml');
    const play = PlaySession.start(engine, loaded, { file, text }, 'practice');
    expect(play.hint()).toBe('Hint: Possession without escalation or an exigent annotation is P3.');
    expect(play.toRecord().hintsUsed).toBe(1);
  });
});

describe('the situations that played differently in the terminal', () => {
  it('sextortion-p1-wichita: a referral to US-FED is answered by the federal agency, never by the Kansas task force', () => {
    const { loaded, text, file } = load('sextortion-p1-wichita.yaml');
    const play = PlaySession.start(engine, loaded, { file, text }, 'assessment');
    for (let event = expectedEvent(play); event !== null && event.type !== 'ROUTE.REFER'; event = expectedEvent(play)) play.decide(event);
    const referred = play.decide({ type: 'ROUTE.REFER', jurisdictionId: 'US-FED' });
    expect(referred.ok).toBe(true);
    const federal = engine.reference.jurisdictions.jurisdictionById('US-FED');
    expect(play.inbox.map((m) => m.message)).toEqual([`${federal?.name ?? ''} acknowledges the referral.`]);
  });

  it('mobile-cgnat-no-port: a wait in triage shows the held confirmation only once the machine took it, and the records never expire first', () => {
    const { loaded, text, file } = load('mobile-cgnat-no-port.yaml');
    const play = PlaySession.start(engine, loaded, { file, text }, 'practice');
    play.wait(play.session.clock.now + 2 * DAY);
    expect(play.inbox).toEqual([]);
    playThrough(play);
    expect(play.session.state).toBe('closed.referred');
    expect(play.session.log.some((r) => r.event.type === 'TIMER.RECORDS_RETENTION')).toBe(false);
  });

  it('an assessment waits for the next scheduled thing, and the wait is a record', () => {
    const { loaded, text, file } = load('webmail-houston.yaml');
    const play = PlaySession.start(engine, loaded, { file, text }, 'assessment');
    const next = play.nextScheduledMs();
    const waited = play.waitForNext();
    expect(play.session.clock.now).toBe(next);
    expect(waited.happenings.map((h) => h.kind)).toEqual(['clock']);
    expect(play.session.log.at(-1)?.event).toMatchObject({ type: 'CLOCK.ADVANCE', cause: 'wait', until: 'next' });
  });
});
