// Guided mode as fast-check commands: a trainee's well-typed decisions (the answer key's or random ones),
// an instructor's injects and the clock, sent to the real engine. Every command checks the per-step
// invariants of DESIGN §12 after it runs; the steps actually taken are kept so a run can be repeated.
import fc from 'fast-check';
import { expect } from 'vitest';
import { legalProcessCandidates, type AssessedIndicator } from '../../src/domain/assessment.js';
import { CAVEAT_CODES, CAVEAT_EFFECTS } from '../../src/domain/caveats/codes.js';
import { rankOf } from '../../src/domain/confidence.js';
import { INJECT_EVENT_TYPES, type RoutingEvent } from '../../src/domain/events.js';

type InjectType = (typeof INJECT_EVENT_TYPES)[number];
import { answerKeyDecision } from '../../src/domain/routing/answer-key.js';
import type { RoutingContext } from '../../src/domain/routing/context.js';
import { PRIORITIES, TRACKS } from '../../src/domain/triage.js';
import { INCIDENT_ANNOTATIONS, IP_EVENT_NAMES } from '../../src/domain/tip/vocabulary.js';
import { decisionPointOf, type ActorRole, type AuditRecord, type Engine, type RoutingSession } from '../../src/engine/index.js';
import { arbDocumentationIp, arbReportedLocation, DAY_MS, P2P_NETWORKS } from '../../src/scenario/arbitraries.js';

/** One thing done to a session: a send (with the options it went with) or moving the clock. */
export type Step = { kind: 'send'; event: unknown; actor: ActorRole; eventId?: string } | { kind: 'advance'; ms: number };

export interface GuidedModel {
  /** The log as it was after the previous step (a JSON copy, so later mutation would show). */
  log: AuditRecord[];
  steps: Step[];
}

export interface GuidedReal {
  engine: Engine;
  session: RoutingSession;
  /** The invariant checked after every step, given the log as it was before the step. */
  check: StepCheck;
}

export type StepCheck = (session: RoutingSession, previousLog: readonly AuditRecord[]) => void;

const REFERRAL_STATES = ['referral.awaitingAcknowledgement', 'referral.acknowledgementOverdue', 'closed.referred'];

export const determiningOf = (context: RoutingContext): AssessedIndicator[] => (context.assessment?.indicators ?? []).filter((i) => i.determining);
export const isReferred = (session: RoutingSession): boolean => session.outcome === 'referred' || REFERRAL_STATES.includes(session.state);

/** Invariant 2: a referral only with a completed geolocation assessment. */
export function checkNoReferralWithoutAssessment(session: RoutingSession): void {
  if (!isReferred(session)) return;
  expect(session.context.geolocationConfirmed, `referred (${session.state}) without a confirmed geolocation`).toBe(true);
  expect(session.context.assessment, `referred (${session.state}) without an assessment`).not.toBeNull();
}

/** Invariant 3: the referral carries every caveat of its determining indicators; tip confidence ≤ each. */
export function checkCaveatsTravel(session: RoutingSession): void {
  const assessment = session.context.assessment;
  if (assessment === null) return;
  for (const indicator of determiningOf(session.context)) {
    expect(rankOf(assessment.confidence), `tip confidence ${assessment.confidence} above determining ${indicator.id} (${indicator.confidence})`).toBeLessThanOrEqual(
      rankOf(indicator.confidence),
    );
    if (isReferred(session)) {
      for (const caveat of indicator.caveats) expect(assessment.caveats, `referral lost ${caveat} of ${indicator.id}`).toContain(caveat);
    }
  }
  if (assessment.conflicting) expect(rankOf(assessment.confidence)).toBeLessThanOrEqual(rankOf('low'));
}

/** Invariant 4 (any mode): a referral needs a determining indicator that is not anonymized. */
export function checkReferralHasNonAnonymizedDeterminer(session: RoutingSession): void {
  if (!isReferred(session)) return;
  const deciders = determiningOf(session.context).filter((i) => !i.anonymized && !i.caveats.some((c) => CAVEAT_EFFECTS[c].anonymizes === true));
  expect(deciders.length, 'referred with no non-anonymized determining indicator').toBeGreaterThan(0);
}

/** Invariant 5: one jurisdiction or none; the notified agencies never include it. */
export function checkOneJurisdiction(session: RoutingSession): void {
  const { jurisdiction, notify } = session.context;
  if (jurisdiction !== null) {
    expect(Array.isArray(jurisdiction)).toBe(false);
    expect(typeof jurisdiction.id).toBe('string');
    expect(notify, `${jurisdiction.id} is both the jurisdiction and notified`).not.toContain(jurisdiction.id);
  }
  expect(new Set(notify).size).toBe(notify.length);
  // A jurisdiction (and who is notified besides it) exists only while the tip is referred, so a stale one
  // cannot linger beside the next.
  if (jurisdiction !== null) expect(isReferred(session), `jurisdiction ${jurisdiction.id} set in ${session.state}`).toBe(true);
  if (notify.length > 0) expect(jurisdiction, `${notify.join(', ')} notified without a jurisdiction`).not.toBeNull();
}

/** Invariant 7 at rest: a P1 tip whose priority is lower was lowered by a TRIAGE.ASSIGN that gave a reason. */
export function checkNoSilentP1Downgrade(session: RoutingSession): void {
  const { exigency, priority } = session.context;
  if (exigency !== 'P1' || priority === null || priority === 'P1' || session.state === 'triage') return;
  const assigns = session.log.filter((r) => r.event.type === 'TRIAGE.ASSIGN');
  const last = assigns[assigns.length - 1];
  expect(last, 'a non-P1 priority on a P1 tip without any TRIAGE.ASSIGN in the log').toBeDefined();
  expect(last?.event.priority).toBe(priority);
  expect(typeof last?.event.reason, `P1 lowered to ${priority} without a logged reason`).toBe('string');
}

/**
 * Invariant 7 step by step: every accepted TRIAGE.ASSIGN below P1, made when the tip was P1 by the rule
 * book or by an earlier assignment, logs a reason. Stateful (it remembers the context before each step),
 * so make one per session.
 */
export function p1DowngradeChecker(): StepCheck {
  let wasP1 = false;
  return (session, previousLog) => {
    for (const record of session.log.slice(previousLog.length)) {
      if (record.event.type === 'TRIAGE.ASSIGN' && record.event.priority !== 'P1' && wasP1) {
        expect(typeof record.event.reason, `P1 lowered to ${String(record.event.priority)} without a logged reason (#${record.seq})`).toBe('string');
      }
    }
    checkNoSilentP1Downgrade(session);
    wasP1 = session.context.exigency === 'P1' || session.context.priority === 'P1';
  };
}

/** Invariant 9 (log side) and 10 (every timer that fired is recorded): append-only, gapless, one timer message per clock record. */
export function checkLog(session: RoutingSession, previous: readonly AuditRecord[]): void {
  const log = session.log;
  expect(log.length).toBeGreaterThanOrEqual(previous.length);
  expect(JSON.stringify(log.slice(0, previous.length)), 'the log was rewritten, not appended to').toBe(JSON.stringify(previous));
  log.forEach((record, index) => expect(record.seq).toBe(index));
  const clockRecords = log.filter((r) => r.actor === 'clock').length;
  expect(session.context.timerEvents.length, 'a timer fired without a timer message, or a message without a clock record').toBe(clockRecords);
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Applies one step to a session and checks invariant 9 for it (one record per accepted event, none for a refused one). */
export function applyStep(engine: Engine, session: RoutingSession, step: Step): void {
  const before = session.log.length;
  if (step.kind === 'advance') {
    const fired = engine.advance(session, step.ms);
    expect(session.log.length).toBe(before + fired.length);
    expect(session.log.slice(before)).toEqual(fired);
    for (const record of fired) expect(record.actor).toBe('clock');
    return;
  }
  const stateBefore = session.state;
  const result = engine.send(session, step.event, { actor: step.actor, ...(step.eventId === undefined ? {} : { eventId: step.eventId }) });
  if (!result.ok) {
    expect(session.log.length, `refused ${JSON.stringify(step.event)} was logged`).toBe(before);
    expect(session.state).toBe(stateBefore);
  } else if (result.duplicate) {
    expect(session.log.length, 'a duplicate event id was logged again').toBe(before);
  } else {
    expect(session.log.length, `accepted ${JSON.stringify(step.event)} was not logged exactly once`).toBe(before + 1);
    expect(session.log[before]).toBe(result.audit);
    expect(result.audit.event.type).toBe((step.event as { type: string }).type);
  }
}

/**
 * A command whose steps are decided when it runs, from the session (the answer key, a candidate
 * indicator): up to `repeat` steps, each checked as it is taken.
 */
class StepCommand implements fc.Command<GuidedModel, GuidedReal> {
  private done: string[] = [];
  constructor(
    private readonly label: string,
    private readonly stepFor: (session: RoutingSession) => Step | null,
    private readonly repeat = 1,
  ) {}
  check(): boolean {
    return true;
  }
  run(model: GuidedModel, real: GuidedReal): void {
    this.done = [];
    for (let i = 0; i < this.repeat; i += 1) {
      const step = this.stepFor(real.session);
      if (step === null) break;
      this.done.push(step.kind === 'advance' ? `advance ${step.ms} ms` : `send ${JSON.stringify(step.event)} as ${step.actor}${step.eventId === undefined ? '' : ` id ${step.eventId}`}`);
      applyStep(real.engine, real.session, step);
      model.steps.push(step);
      real.check(real.session, model.log);
      model.log = copy(real.session.log);
    }
  }
  toString(): string {
    return this.done.length === 0 ? this.label : this.done.join(', ');
  }
}

// ---------------------------------------------------------------------------------------------------
// Well-typed events.

const INDICATOR_IDS = ['subjects[0].ipEvents[0]', 'subjects[0].ipEvents[1]', 'subjects[1].ipEvents[0]', 'p2p[0]', 'p2p[1]', 'subjects[0].estimatedLocation'] as const;
const JURISDICTION_IDS = ['US-TX-ICAC-HOU', 'US-TX-ICAC', 'US-PA-ICAC', 'US-FED', 'US-OH-ICAC', 'FR-NAT', 'NL-NAT', 'EUROPOL-ES', 'INTERPOL-BR', 'GB-NAT', 'XX-NOWHERE'] as const;
const REASONS = ['duplicate of a tip already referred', 'training: lowered on purpose', 'outside our area', 'needs more information'] as const;
/** Explicit event ids, some shaped like the engine's own record ids (`#3`, and the older `e3`, `t4`). */
const EVENT_IDS = ['req-1', 'e2', 'e3', 'e5', 't4', '#3', '#5'] as const;

const withOptionalReason = fc.option(fc.constantFrom(...REASONS), { nil: undefined });

export const arbDecisionEvent: fc.Arbitrary<RoutingEvent> = fc.oneof(
  fc
    .record({ priority: fc.constantFrom(...PRIORITIES), track: fc.constantFrom(...TRACKS, 'referral'), reason: withOptionalReason })
    .map(({ reason, ...rest }) => ({ type: 'TRIAGE.ASSIGN' as const, ...rest, ...(reason === undefined ? {} : { reason }) })),
  fc
    .record({ type: fc.constantFrom('GEO.TAG' as const, 'GEO.UNTAG' as const), indicatorId: fc.constantFrom(...INDICATOR_IDS, null), caveat: fc.constantFrom(...CAVEAT_CODES) }),
  fc.constant({ type: 'GEO.CONFIRM' as const }),
  fc.constantFrom(...JURISDICTION_IDS).map((jurisdictionId) => ({ type: 'ROUTE.REFER' as const, jurisdictionId })),
  fc.constant({ type: 'ROUTE.LEGAL_PROCESS' as const }),
  withOptionalReason.map((reason) => ({ type: 'ROUTE.INFORMATIONAL' as const, ...(reason === undefined ? {} : { reason }) })),
);

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

type InjectBuilder = (session: RoutingSession) => RoutingEvent;

/**
 * One inject of each kind, built when it runs: some need the session (its time, its legal-process
 * candidates).
 */
export const arbInjectKit: fc.Arbitrary<Record<InjectType, InjectBuilder>> = fc.record({
  'AGENCY.ACKNOWLEDGE': fc.constant(() => ({ type: 'AGENCY.ACKNOWLEDGE' as const })),
  'AGENCY.DECLINE': fc.constantFrom(...REASONS).map((reason) => () => ({ type: 'AGENCY.DECLINE' as const, reason })),
  'PRESERVATION.CONFIRMED': fc.constant(() => ({ type: 'PRESERVATION.CONFIRMED' as const })),
  'SUBSCRIBER.RETURNED': fc
    .record({
      pick: fc.nat({ max: 3 }),
      fallbackId: fc.constantFrom(...INDICATOR_IDS),
      location: arbReportedLocation,
    })
    .map(({ pick, fallbackId, location }) => (session: RoutingSession) => {
      const candidates = session.context.assessment === null ? [] : legalProcessCandidates(session.context.assessment);
      const indicatorId = candidates.length === 0 ? fallbackId : (candidates[pick % candidates.length]?.id ?? fallbackId);
      return { type: 'SUBSCRIBER.RETURNED' as const, indicatorId, location };
    }),
  'INDICATOR.ADD': fc
    .record(
      {
        subjectId: fc.constantFrom('S1', 'S2', 'S9'),
        ip: arbDocumentationIp(),
        port: fc.integer({ min: 1, max: 65535 }),
        event: fc.constantFrom(...IP_EVENT_NAMES),
        ageMs: fc.integer({ min: 0, max: 400 * DAY_MS }),
        possibleProxy: fc.boolean(),
        asP2p: fc.boolean(),
        network: fc.constantFrom(...P2P_NETWORKS),
      },
      { requiredKeys: ['subjectId', 'ip', 'asP2p', 'network'] },
    )
    .map(({ subjectId, ip, port, event, ageMs, possibleProxy, asP2p, network }) => (session: RoutingSession) => {
      const time = ageMs === undefined ? undefined : isoSeconds(session.clock.now - ageMs);
      if (asP2p) {
        return { type: 'INDICATOR.ADD' as const, p2p: { ip, network, ...(port === undefined ? {} : { port }), ...(time === undefined ? {} : { lastSeen: time }) } };
      }
      const ipEvent = {
        ip,
        ...(port === undefined ? {} : { port }),
        ...(event === undefined ? {} : { event }),
        ...(time === undefined ? {} : { dateTime: time }),
        ...(possibleProxy === undefined ? {} : { possibleProxy }),
      };
      return { type: 'INDICATOR.ADD' as const, subjectId, ipEvent };
    }),
  'TIP.SUPPLEMENT': fc
    .record(
      {
        escalateToHighPriority: fc.boolean(),
        annotations: fc.subarray([...INCIDENT_ANNOTATIONS]),
        files: fc.array(
          fc.record(
            { id: fc.constantFrom('F1', 'F2', 'F7'), sha256: fc.stringMatching(/^[0-9a-f]{64}$/), annotations: fc.subarray(['potentialMeme', 'viral'] as const) },
            { requiredKeys: ['id', 'sha256'] },
          ),
          { maxLength: 2 },
        ),
      },
      { requiredKeys: [] },
    )
    .map((supplement) => () => ({ type: 'TIP.SUPPLEMENT' as const, supplement })),
});

/** Up to 400 simulated days, mostly shorter. */
export const arbAdvanceMs: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 0, max: 3 * 60 * 60 * 1000 }),
  fc.integer({ min: 0, max: 40 * DAY_MS }),
  fc.integer({ min: 0, max: 400 * DAY_MS }),
);

/** Half the time no id (the engine numbers the record), half the time one the client chose. */
const arbEventId: fc.Arbitrary<string | undefined> = fc.oneof(fc.constant(undefined), fc.constantFrom(...EVENT_IDS));

/** The commands of a guided session: answer-key decisions, random decisions, injects, the clock, duplicate sends. */
export function guidedCommands(engine: Engine, maxCommands = 30): fc.Arbitrary<Iterable<fc.Command<GuidedModel, GuidedReal>>> {
  // The answer key for up to a dozen decisions (tagging alone can take several), so runs get past
  // geolocation. A fresh command per generated value: a command remembers what it did, for the report.
  const answerKey = fc.integer({ min: 1, max: 12 }).map(
    (repeat) =>
      new StepCommand(
        `answer key ×${repeat}`,
        (session) => {
          const point = decisionPointOf(session);
          if (point === null) return null;
          return { kind: 'send', event: copy(answerKeyDecision(point, session.context, engine.reference)), actor: 'trainee' };
        },
        repeat,
      ),
  );
  const decision = fc.tuple(arbDecisionEvent, arbEventId).map(
    ([event, eventId]) =>
      new StepCommand(`decide ${event.type}`, () => ({ kind: 'send', event, actor: 'trainee', ...(eventId === undefined ? {} : { eventId }) })),
  );
  // Mostly an inject the current state has a transition for (so runs reach acknowledgement, preservation,
  // subscriber returns), sometimes any inject (so refusals are exercised too).
  const inject = fc.tuple(arbInjectKit, fc.nat(), fc.nat({ max: 3 }).map((n) => n === 0), arbEventId).map(
    ([kit, pick, anywhere, eventId]) =>
      new StepCommand('inject', (session) => {
        const allowed = new Set(session.allowedEvents());
        const types = INJECT_EVENT_TYPES.filter((type) => anywhere || allowed.has(type));
        const type = (types.length === 0 ? INJECT_EVENT_TYPES : types)[pick % (types.length === 0 ? INJECT_EVENT_TYPES.length : types.length)] ?? 'AGENCY.ACKNOWLEDGE';
        return { kind: 'send', event: kit[type](session), actor: 'instructor', ...(eventId === undefined ? {} : { eventId }) };
      }),
  );
  const clock = arbAdvanceMs.map((ms) => new StepCommand(`advance ${ms} ms`, () => ({ kind: 'advance', ms })));
  const duplicate = fc.tuple(fc.nat(), arbDecisionEvent).map(
    ([pick, event]) =>
      new StepCommand('resend with a used event id', (session) => {
        const record = session.log[pick % session.log.length];
        return record === undefined ? null : { kind: 'send', event, actor: 'trainee', eventId: record.eventId };
      }),
  );
  const malformed = fc
    .constantFrom<unknown>(
      { type: 'TRIAGE.ASSIGN', priority: 'P9', track: 'referral' },
      { type: 'ROUTING.CLOSED' },
      { type: 'xstate.after.triageSla.tip.routing.triage' },
      // The log's own record types are never events from outside.
      { type: 'TIMER.TRIAGE_SLA' },
      { type: 'CLOCK.ADVANCE', ms: 1 },
      { type: 'INJECT.MESSAGE', injectId: 'x', text: 'y' },
      { type: 'ROUTE.REFER' },
      { type: 'GEO.CONFIRM', note: 'extra field' },
      { type: 'INDICATOR.ADD', subjectId: 'S1', ipEvent: { ip: '8.8.8.8' } },
    )
    .map((event) => new StepCommand('malformed', () => ({ kind: 'send', event, actor: 'trainee' })));
  return fc.commands(
    [answerKey, answerKey, answerKey, answerKey, decision, inject, inject, clock, duplicate, malformed],
    { maxCommands },
  );
}

/** Starts a guided session and runs commands on it; returns what was done so it can be repeated. */
export function runGuided(
  engine: Engine,
  tip: unknown,
  at: string | undefined,
  commands: Iterable<fc.Command<GuidedModel, GuidedReal>>,
  check: StepCheck,
): { session: RoutingSession; steps: Step[] } {
  const session = engine.start(tip, at === undefined ? {} : { at });
  const model: GuidedModel = { log: copy(session.log), steps: [] };
  check(session, []);
  fc.modelRun(() => ({ model, real: { engine, session, check } }), commands);
  return { session, steps: model.steps };
}
