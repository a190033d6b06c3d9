// The one exercise runner (src/scenario/runner.ts, DESIGN §9 and §10): injects answer what the trainee did,
// an inject the tip cannot take yet is held and never shown as delivered, waiting stops at messages and
// reopened decisions, every inbox message has its record (invariant 15), and a session whose log no longer
// replays is reported, not thrown.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RoutingEvent } from '../../src/domain/events.js';
import { answerKeyDecision } from '../../src/domain/routing/answer-key.js';
import { ROUTING_CHART_VERSION } from '../../machines/routing.js';
import { Engine, isMachineRecord, ReplayError, type AuditRecord } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { fixturePath } from '../../src/io/project-files.js';
import { inboxOf } from '../../src/scenario/inbox.js';
import type { LoadedExercise } from '../../src/scenario/load.js';
import { ExerciseRunner, INJECT_ID_PREFIX } from '../../src/scenario/runner.js';
import { pendingDecision } from '../../src/scenario/state-entries.js';
import { expectedEvent as expectedOf, loadBundled } from './runner-helpers.js';
import { validateExerciseText } from '../../src/scenario/validate.js';

const engine = new Engine(bundledReference());
const DAY = 24 * 60 * 60 * 1000;
const SCENARIOS = fixturePath('scenarios');

const load = loadBundled;
const expectedEvent = (runner: ExerciseRunner, loaded: LoadedExercise) => expectedOf(engine, runner, loaded);

/** Decides as expected until no decision is pending, or the next one is `stopAt`. */
function decideExpected(runner: ExerciseRunner, loaded: LoadedExercise, stopAt?: RoutingEvent['type']): void {
  for (let event = expectedEvent(runner, loaded); event !== null && event.type !== stopAt; event = expectedEvent(runner, loaded)) {
    const result = runner.decide(event);
    if (!result.ok) throw new Error(`${event.type} refused: ${result.refusal.message}`);
  }
}

/** Invariant 15: every inbox message was delivered by a record the machine accepted, or is information only. */
function expectEveryMessageBacked(loaded: LoadedExercise, log: readonly AuditRecord[]): void {
  for (const entry of inboxOf(log)) {
    if (entry.kind === 'clock') {
      expect(log[entry.seq]?.actor).toBe('clock');
      continue;
    }
    const inject = loaded.exercise.injects?.find((i) => i.id === entry.injectId);
    expect(inject, `inbox message from unknown inject ${entry.injectId ?? ''}`).toBeDefined();
    if (inject?.kind === 'message') continue;
    const machine = log[entry.seq - 1];
    expect(machine?.eventId, `message of ${entry.injectId ?? ''} without the machine's record right before it`).toBe(`${INJECT_ID_PREFIX}${entry.injectId ?? ''}`);
    expect(machine !== undefined && isMachineRecord(machine)).toBe(true);
  }
}

describe('injects answer what the trainee did', () => {
  it('sextortion-p1-wichita: a referral to US-FED is acknowledged by the federal agency, never by the Kansas task force', () => {
    const loaded = load('sextortion-p1-wichita');
    const runner = ExerciseRunner.start(engine, loaded.exercise, loaded.tip);
    decideExpected(runner, loaded, 'ROUTE.REFER');
    expect(runner.decide({ type: 'ROUTE.REFER', jurisdictionId: 'US-FED' }).ok).toBe(true);
    const federal = engine.reference.jurisdictions.jurisdictionById('US-FED');
    expect(runner.session.state).toBe('closed.referred');
    const messages = runner.inbox().filter((m) => m.kind === 'message').map((m) => m.text);
    expect(messages).toEqual([`${federal?.name ?? ''} acknowledges the referral.`]);
    expect(messages.join(' ')).not.toContain('Kansas');
  });

  it('sextortion-p1-wichita: the expected agency answers in its own words', () => {
    const loaded = load('sextortion-p1-wichita');
    const runner = ExerciseRunner.start(engine, loaded.exercise, loaded.tip);
    decideExpected(runner, loaded);
    expect(runner.inbox().map((m) => m.text)).toEqual([expect.stringMatching(/^The Kansas ICAC Task Force acknowledges the referral within minutes/)]);
  });

  it('decline-hosting-then-wichita: only the agency the decline is written for declines; another acknowledges for itself', () => {
    const loaded = load('decline-hosting-then-wichita');
    const other = ExerciseRunner.start(engine, loaded.exercise, loaded.tip);
    decideExpected(other, loaded, 'ROUTE.REFER');
    expect(other.decide({ type: 'ROUTE.REFER', jurisdictionId: 'US-KS-ICAC' }).ok).toBe(true);
    expect(other.session.state).toBe('closed.referred');
    expect(other.inbox().map((m) => m.text)).toEqual(['Kansas ICAC Task Force acknowledges the referral.']);

    const virginia = ExerciseRunner.start(engine, loaded.exercise, loaded.tip);
    decideExpected(virginia, loaded, 'ROUTE.REFER');
    expect(virginia.decide({ type: 'ROUTE.REFER', jurisdictionId: 'US-VA-ICAC' }).ok).toBe(true);
    expect(virginia.log.filter(isMachineRecord).map((r) => r.event.type)).toContain('AGENCY.DECLINE');
    expect(virginia.inbox().map((m) => m.injectId)).toEqual(['virginia-declines', 'fresh-login']);
    // The new indicator arrived, so the correct referral to Kansas is accepted.
    decideExpected(virginia, loaded);
    expect(virginia.session.state).toBe('closed.referred');
    expect(virginia.session.context.jurisdiction?.id).toBe('US-KS-ICAC');
  });

  it('an inject restricted to an agency the tip did not go to is recorded as not delivered, and nothing reaches the inbox', () => {
    const loaded = load('webmail-houston');
    const exercise = { ...loaded.exercise, injects: [{ id: 'only-dallas', kind: 'agency-acknowledge' as const, when: { state: 'referral.awaitingAcknowledgement' as const }, message: 'Dallas acknowledges.', if: { jurisdiction: ['US-TX-ICAC'] } }] };
    const runner = ExerciseRunner.start(engine, exercise, loaded.tip);
    decideExpected(runner, loaded);
    expect(runner.session.state).toBe('referral.awaitingAcknowledgement');
    expect(runner.log.at(-1)?.event).toEqual({ type: 'INJECT.UNDELIVERED', injectId: 'only-dallas', why: 'it is not for Houston Metro ICAC Task Force' });
    expect(runner.inbox()).toEqual([]);
  });

  it('validate warns when an agency answer names an agency that a trainee who chose another would read', () => {
    const file = join(SCENARIOS, 'sextortion-p1-wichita.yaml');
    const text = readFileSync(file, 'utf8').replace('message: "{agency} acknowledges the referral."', 'message: The Kansas ICAC Task Force acknowledges the referral.');
    const report = validateExerciseText(engine, text, file);
    expect(report.diagnostics.map((d) => `${d.severity}: ${d.message}`)).toEqual([
      'warning: this answer names Kansas ICAC Task Force (US-KS-ICAC) but may reach a trainee who referred elsewhere: say {agency}, or put it in a variant with if: { jurisdiction: [US-KS-ICAC] }',
    ]);
  });
});

describe('an inject the tip cannot take yet', () => {
  it('mobile-cgnat-no-port: waiting 2 days in triage holds the preservation confirmation; it arrives when legal process is requested, and only then reaches the inbox', () => {
    const loaded = load('mobile-cgnat-no-port');
    const runner = ExerciseRunner.start(engine, loaded.exercise, loaded.tip);
    const waited = runner.wait({ ms: 2 * DAY });
    expect(waited.reason).toBeNull();
    expect(waited.records.map((r) => r.event.type)).toEqual(['TIMER.TRIAGE_SLA', 'INJECT.HELD', 'CLOCK.ADVANCE']);
    expect(runner.inbox().map((m) => m.kind)).toEqual(['clock']);
    expect(runner.heldInjects).toEqual(['preservation-confirmed']);
    decideExpected(runner, loaded);
    // Legal process requested: the held confirmation is taken at once, so the records cannot expire first.
    expect(runner.session.state).toBe('legalProcess.preserved');
    expect(runner.inbox().filter((m) => m.kind === 'message').map((m) => m.injectId)).toEqual(['preservation-confirmed']);
    expectEveryMessageBacked(loaded, runner.log);
    for (let step = 0; step < 20 && !runner.session.closed; step += 1) {
      if (expectedEvent(runner, loaded) !== null) decideExpected(runner, loaded);
      else runner.wait({ until: 'next' });
    }
    expect(runner.session.state).toBe('closed.referred');
    expect(runner.log.some((r) => r.event.type === 'TIMER.RECORDS_RETENTION')).toBe(false);
  });

  it('a held inject the tip never takes is recorded as not delivered when the tip closes', () => {
    const loaded = load('webmail-houston');
    const exercise = { ...loaded.exercise, injects: [...(loaded.exercise.injects ?? []), { id: 'late-confirm', kind: 'preservation-confirmed' as const, at: '+10m', message: 'Preservation confirmed.' }] };
    const runner = ExerciseRunner.start(engine, exercise, loaded.tip);
    runner.wait({ ms: 60 * 60 * 1000 });
    expect(runner.heldInjects).toEqual(['late-confirm']);
    decideExpected(runner, loaded);
    expect(runner.session.closed).toBe(true);
    expect(runner.log.at(-1)?.event).toEqual({ type: 'INJECT.UNDELIVERED', injectId: 'late-confirm', why: 'the tip closed before it could take it' });
    expect(runner.inbox().map((m) => m.injectId).filter((id) => id !== undefined)).toEqual(['acknowledged']);
  });
});

describe('waiting', () => {
  it('"wait 30 days" after requesting legal process stops at the preservation confirmation, then at the subscriber return (a reopened decision)', () => {
    const loaded = load('mobile-cgnat-no-port');
    const runner = ExerciseRunner.start(engine, loaded.exercise, loaded.tip);
    decideExpected(runner, loaded);
    expect(runner.session.state).toBe('legalProcess.preservationRequested');
    const first = runner.wait({ ms: 30 * DAY });
    expect(first).toMatchObject({ reason: 'message', stoppedAt: '2023-03-02T09:00:00.000Z' });
    expect(first.records.at(-1)?.event).toEqual({ type: 'CLOCK.ADVANCE', cause: 'wait', from: '2023-03-01T09:00:00.000Z', ms: 30 * DAY, stopped: 'message' });
    const second = runner.wait({ ms: 30 * DAY });
    expect(second).toMatchObject({ reason: 'decision', stoppedAt: '2023-03-13T09:00:00.000Z' });
    expect(runner.session.state).toBe('geolocation.tagging');
  });

  it('waiting past a named deadline is allowed and recorded: the timer fires with its message', () => {
    const loaded = load('sextortion-p1-wichita');
    const runner = ExerciseRunner.start(engine, loaded.exercise, loaded.tip);
    const waited = runner.wait({ ms: 2 * 60 * 60 * 1000 });
    expect(waited.reason).toBeNull();
    expect(waited.records[0]?.event).toMatchObject({ type: 'TIMER.TRIAGE_SLA', message: expect.stringMatching(/^Triage SLA breached/) });
    expect(runner.inbox()).toEqual([expect.objectContaining({ kind: 'clock', text: waited.records[0]?.event.message })]);
  });

  it('until next goes to the next scheduled thing and no further', () => {
    const loaded = load('mobile-cgnat-no-port');
    const runner = ExerciseRunner.start(engine, loaded.exercise, loaded.tip);
    const next = runner.nextScheduledMs();
    runner.wait({ until: 'next' });
    expect(runner.session.clock.now).toBe(next);
  });

  it("a paced clock's tick is a record that never stops early", () => {
    const loaded = load('mobile-cgnat-no-port');
    const runner = ExerciseRunner.start(engine, loaded.exercise, loaded.tip);
    decideExpected(runner, loaded);
    const records = runner.tick(30 * DAY, { realAt: '2026-12-03T10:00:00.000Z' });
    expect(records.at(-1)?.event).toEqual({ type: 'CLOCK.ADVANCE', cause: 'pace', from: '2023-03-01T09:00:00.000Z', ms: 30 * DAY, realAt: '2026-12-03T10:00:00.000Z' });
    expect(runner.session.now).toBe('2023-03-31T09:00:00.000Z');
    expect(records.filter((r) => r.event.type === 'INJECT.MESSAGE').map((r) => r.event.injectId)).toEqual(['preservation-confirmed', 'subscriber-returned']);
  });
});

describe('the log is the whole truth', () => {
  it('a refused decision is a record with the attempt and why; replay rebuilds the same runner', () => {
    const loaded = load('sextortion-p1-wichita');
    const runner = ExerciseRunner.start(engine, loaded.exercise, loaded.tip);
    const refused = runner.decide({ type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' });
    expect(refused.ok).toBe(false);
    expect(runner.log.at(-1)?.event).toMatchObject({ type: 'DECISION.REFUSED', attempt: { type: 'TRIAGE.ASSIGN', priority: 'P3' }, point: 'triage', occurrence: 1 });
    decideExpected(runner, loaded);
    const resumed = ExerciseRunner.resume(engine, loaded.exercise, JSON.parse(JSON.stringify(runner.session.toRecord())));
    expect(resumed.session.toRecord()).toEqual(runner.session.toRecord());
    expect(resumed.inbox()).toEqual(runner.inbox());
  });

  it('invariant 15: every inbox message was delivered by a record the machine accepted (or is information only), for any waits and decisions', () => {
    const ids = ['mobile-cgnat-no-port', 'decline-hosting-then-wichita', 'sextortion-p1-wichita', 'p2p-vpn-all-networks', 'informational-meme'];
    const step = fc.oneof(
      fc.constant({ kind: 'decide' as const }),
      fc.constant({ kind: 'key' as const }),
      fc.constant({ kind: 'next' as const }),
      fc.integer({ min: 1, max: 40 * DAY }).map((ms) => ({ kind: 'wait' as const, ms })),
      fc.constantFrom('vpn-nudge', 'meme-nudge', 'sla-reminder').map((id) => ({ kind: 'inject' as const, id })),
    );
    fc.assert(
      fc.property(fc.constantFrom(...ids), fc.array(step, { maxLength: 25 }), (id, steps) => {
        const loaded = load(id);
        const runner = ExerciseRunner.start(engine, loaded.exercise, loaded.tip);
        for (const s of steps) {
          if (s.kind === 'decide') {
            const event = expectedEvent(runner, loaded);
            if (event !== null) runner.decide(event);
          } else if (s.kind === 'key') {
            const at = runner.pendingDecision();
            if (at !== null) runner.decide(answerKeyDecision(at.point, runner.session.context, engine.reference), { actor: 'auto' });
          } else if (s.kind === 'next') runner.wait({ until: 'next' });
          else if (s.kind === 'wait') runner.wait({ ms: s.ms });
          else runner.sendInject(s.id);
          // The runner counts decisions as the log grows; the count over the whole log is the truth.
          expect(runner.pendingDecision()).toEqual(pendingDecision(runner.session));
        }
        expectEveryMessageBacked(loaded, runner.log);
        // And the log replays to the same runner.
        const resumed = ExerciseRunner.resume(engine, loaded.exercise, runner.session.toRecord());
        expect(resumed.inbox()).toEqual(runner.inbox());
      }),
      { numRuns: 60 },
    );
  });
});

describe('sessions of an earlier version', () => {
  it('a format-1 log with XState timer names migrates as it replays: domain names, with the messages', () => {
    const loaded = load('sextortion-p1-wichita');
    const runner = ExerciseRunner.start(engine, loaded.exercise, loaded.tip);
    runner.wait({ ms: 2 * 60 * 60 * 1000 });
    const record = runner.session.toRecord();
    const legacy = {
      ...record,
      format: 'tipflow.session/1' as const,
      input: { submission: record.input.submission, routingTime: record.input.routingTime, openFileHashes: record.input.openFileHashes },
      log: record.log
        .filter(isMachineRecord)
        .map((r, seq) => ({ ...r, seq, eventId: r.eventId.startsWith('#') ? `#${seq}` : r.eventId, event: r.event.type === 'TIMER.TRIAGE_SLA' ? { type: 'xstate.after.triageSla.tip.routing.triage' } : r.event })),
    };
    const replayed = engine.replay(legacy as never);
    expect(replayed.log.map((r) => r.event.type)).toEqual(['xstate.init', 'TIMER.TRIAGE_SLA']);
    expect(replayed.log[1]?.event.message).toMatch(/^Triage SLA breached/);
  });

  it('a session that no longer replays is reported as made with an earlier version, and shown as far as it replays', () => {
    const loaded = load('webmail-houston');
    const runner = ExerciseRunner.start(engine, loaded.exercise, loaded.tip);
    decideExpected(runner, loaded);
    const record = runner.session.toRecord();
    // As if an earlier chart had taken a decision today's refuses.
    const tampered = { ...record, input: { ...record.input, versions: { chart: 1, reference: 'cyrb53:old' } }, log: record.log.map((r) => (r.event.type === 'ROUTE.REFER' ? { ...r, event: { type: 'ROUTE.LEGAL_PROCESS' } } : r)) };
    let thrown: unknown = null;
    try {
      engine.replay(tampered);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ReplayError);
    expect((thrown as ReplayError).earlierVersion).toEqual({ chart: 1, reference: 'cyrb53:old' });
    const partial = engine.replayAsFarAsPossible(tampered);
    expect(partial.error).toBeInstanceOf(ReplayError);
    expect(partial.session.state).toBe('referral.selecting');
    expect(partial.session.input.versions).toEqual({ chart: 1, reference: 'cyrb53:old' });
  });

  it('sessions record the chart version and the reference digest they were made with', () => {
    const loaded = load('webmail-houston');
    const runner = ExerciseRunner.start(engine, loaded.exercise, loaded.tip);
    expect(runner.session.toRecord()).toMatchObject({ format: 'tipflow.session/2', input: { versions: { chart: ROUTING_CHART_VERSION, reference: expect.stringMatching(/^cyrb53:[0-9a-f]{14}-[0-9a-f]{14}$/) } } });
  });
});
