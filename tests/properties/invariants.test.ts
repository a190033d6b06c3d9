// The process invariants of DESIGN §12 (1–5, 7–11) as properties over generated tips, run on the real
// engine: auto mode through runAutoDriver, guided mode through random well-typed sends, injects and the
// clock (tests/properties/guided-model.ts). Invariant 6 (reachability) is in graph.test.ts.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { AssessedIndicator } from '../../src/domain/assessment.js';
import { CAVEAT_EFFECTS } from '../../src/domain/caveats/codes.js';
import { rankOf, type Confidence } from '../../src/domain/confidence.js';
import { timeOf } from '../../src/domain/indicators.js';
import { answerKeyDecision } from '../../src/domain/routing/answer-key.js';
import { legalProcessCandidates } from '../../src/domain/assessment.js';
import { espPreservationPeriodMs, PRESERVATION_2703F_MS, timerMessages } from '../../src/domain/routing/timers.js';
import { parseTip } from '../../src/domain/tip/parse.js';
import type { Tip } from '../../src/domain/tip/schema.js';
import { priorityFor } from '../../src/domain/triage.js';
import { decisionPointOf, Engine, routeResultOf, routingPath, runAutoDriver, type AuditRecord, type RoutingSession } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import {
  ANONYMIZING_KINDS,
  arbAnonymizedOnlyTip,
  arbContentLikeTip,
  arbDocumentationIp,
  arbLegalProcessTip,
  arbLooseLocationTip,
  arbReferableTip,
  arbReportedLocation,
  arbRoutableTip,
  arbTip,
  DAY_MS,
  NETWORK_BLOCKS,
  NETWORK_BLOCK_KINDS,
  type NetworkBlockKind,
} from '../../src/scenario/arbitraries.js';
import {
  applyStep,
  arbAdvanceMs,
  checkCaveatsTravel,
  checkLog,
  checkNoReferralWithoutAssessment,
  checkOneJurisdiction,
  checkReferralHasNonAnonymizedDeterminer,
  determiningOf,
  guidedCommands,
  isReferred,
  p1DowngradeChecker,
  runGuided,
  type GuidedModel,
  type GuidedReal,
  type StepCheck,
} from './guided-model.js';

const reference = bundledReference();
const engine = new Engine(reference);

const iso = (ms: number): string => new Date(ms).toISOString();
const json = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Routing time: the tip's receivedAt, or up to 60 days later (so more events are stale, timers shorter). */
const arbStartOffset = fc.option(fc.integer({ min: 0, max: 60 * DAY_MS }), { nil: undefined, freq: 3 });
const startAt = (tip: Tip, offset: number | undefined): string | undefined => (offset === undefined ? undefined : iso(timeOf(tip.receivedAt) + offset));

function routeAuto(tip: unknown, at?: string, e: Engine = engine): RoutingSession {
  const session = e.start(tip, at === undefined ? {} : { at });
  runAutoDriver(e, session);
  return session;
}

/** The network kind the arbitraries' address table gives an address (independent of the geo module). */
function blockKindOf(ip: string): NetworkBlockKind | null {
  for (const kind of NETWORK_BLOCK_KINDS) {
    for (const block of NETWORK_BLOCKS[kind]) {
      if ('v6' in block) {
        if (ip.startsWith(`${block.v6}::`)) return kind;
      } else {
        const [prefix, last] = [ip.slice(0, ip.lastIndexOf('.')), Number(ip.slice(ip.lastIndexOf('.') + 1))];
        if (prefix === block.v4 && last >= block.first && last < block.first + 32) return kind;
      }
    }
  }
  return null;
}

/** Whether the tip itself (not the rule book) says an indicator is anonymized: an ESP proxy flag or an anonymizing network. */
function anonymizedByConstruction(tip: Tip, indicatorId: string): boolean {
  const ipEvent = /^subjects\[(\d+)\]\.ipEvents\[(\d+)\]$/.exec(indicatorId);
  if (ipEvent !== null) {
    const event = tip.subjects?.[Number(ipEvent[1])]?.ipEvents?.[Number(ipEvent[2])];
    if (event === undefined) throw new Error(`harness: no ${indicatorId} in the tip`);
    return event.possibleProxy === true || (ANONYMIZING_KINDS as readonly string[]).includes(blockKindOf(event.ip) ?? '');
  }
  const p2p = /^p2p\[(\d+)\]$/.exec(indicatorId);
  if (p2p !== null) {
    const row = tip.p2p?.[Number(p2p[1])];
    if (row === undefined) throw new Error(`harness: no ${indicatorId} in the tip`);
    return (ANONYMIZING_KINDS as readonly string[]).includes(blockKindOf(row.ip) ?? '');
  }
  return false;
}

const jurisdictionOf = (i: AssessedIndicator): string | null =>
  i.country === null ? null : reference.jurisdictions.jurisdictionFor({ country: i.country, region: i.region, city: i.city }).id;

function guided(tip: Tip, offset: number | undefined, commands: Iterable<fc.Command<GuidedModel, GuidedReal>>, check: StepCheck) {
  return runGuided(engine, tip, startAt(tip, offset), commands, check);
}

describe('harness', () => {
  it('the arbitraries address table agrees with the bundled geo reference', () => {
    for (const kind of NETWORK_BLOCK_KINDS) {
      fc.assert(
        fc.property(arbDocumentationIp([kind]), (ip) => {
          const entry = reference.geo.lookup(ip);
          expect(entry?.kind ?? 'uncovered').toBe(kind);
        }),
        { numRuns: 50 },
      );
    }
  });
});

describe('process invariants (DESIGN §12)', () => {
  test.prop([arbTip, arbContentLikeTip], { numRuns: 200 })(
    'invariant 1: contentless: the schema rejects every content-like tip; every accepted tip round-trips',
    (tip, hostile) => {
      const parsed = parseTip(tip);
      expect(parsed.ok ? [] : parsed.issues).toEqual([]);
      if (!parsed.ok) return;
      expect(parsed.value).toEqual(tip);
      const again = parseTip(json(parsed.value));
      expect(again.ok && again.value).toEqual(parsed.value);

      const rejected = parseTip(hostile.tip);
      expect(rejected.ok, `${hostile.kind} at ${hostile.path} was accepted`).toBe(false);
      if (rejected.ok) return;
      expect(rejected.issues.map((i) => i.path), `the error should name ${hostile.path}`).toContain(hostile.path);
      expect(engine.start(hostile.tip).state).toBe('closed.rejected');
    },
  );

  test.prop([arbRoutableTip, arbStartOffset, guidedCommands(engine)], { numRuns: 150 })(
    'invariant 2: no referral without a completed geolocation assessment',
    (tip, offset, commands) => {
      const session = routeAuto(tip, startAt(tip, offset));
      checkNoReferralWithoutAssessment(session);
      if (session.state === 'referral.awaitingAcknowledgement') {
        expect(engine.send(session, { type: 'AGENCY.ACKNOWLEDGE' }, { actor: 'instructor' }).ok).toBe(true);
        expect(session.state).toBe('closed.referred');
        checkNoReferralWithoutAssessment(session);
      }
      guided(tip, offset, commands, (s) => checkNoReferralWithoutAssessment(s));
    },
  );

  test.prop([arbRoutableTip, arbStartOffset, guidedCommands(engine)], { numRuns: 150 })(
    'invariant 3: a referral carries all caveats of its determining indicators; tip confidence ≤ each of theirs',
    (tip, offset, commands) => {
      const session = routeAuto(tip, startAt(tip, offset));
      const result = routeResultOf(session);
      const determining = result.indicators.filter((i) => i.determining);
      // DESIGN §5: the minimum over the determining indicators, at most low on a conflict, none without any.
      const minimum = determining.map((i) => i.confidence).reduce<Confidence>((a, b) => (rankOf(a) <= rankOf(b) ? a : b), 'high');
      const expected = determining.length === 0 ? 'none' : result.caveats.includes('CONFLICTING_INDICATORS') && rankOf(minimum) > rankOf('low') ? 'low' : minimum;
      expect(result.confidence, 'tip confidence is not the minimum over its determining indicators').toBe(expected);
      for (const indicator of determining) {
        expect(rankOf(result.confidence)).toBeLessThanOrEqual(rankOf(indicator.confidence));
        if (result.outcome === 'referred') for (const caveat of indicator.caveats) expect(result.caveats).toContain(caveat);
      }
      if (result.outcome === 'referred') {
        const line = `Caveats and confidence travel with the referral: ${result.caveats.join(', ') || 'no caveats'}; confidence ${result.confidence}.`;
        expect(result.reasons).toContain(line);
      }
      checkCaveatsTravel(session);
      guided(tip, offset, commands, (s) => checkCaveatsTravel(s));
    },
  );

  test.prop([arbRoutableTip, arbAnonymizedOnlyTip, arbStartOffset, guidedCommands(engine)], { numRuns: 150 })(
    'invariant 4: an anonymized indicator never alone decides a jurisdiction',
    (tip, anonymizedOnly, offset, commands) => {
      const session = routeAuto(tip, startAt(tip, offset));
      // The first referral, and each next one the answer key makes after an agency declines.
      for (let round = 0; round < 4; round += 1) {
        if (isReferred(session)) {
          const id = session.context.jurisdiction?.id;
          const deciders = determiningOf(session.context).filter((i) => jurisdictionOf(i) === id);
          expect(deciders.length, `referred to ${id ?? 'nothing'} which no determining indicator points to`).toBeGreaterThan(0);
          const clean = deciders.filter((i) => !i.anonymized && !anonymizedByConstruction(tip, i.id) && !i.caveats.some((c) => CAVEAT_EFFECTS[c].anonymizes === true));
          expect(clean.map((i) => i.id), `${id ?? ''} is decided only by anonymized indicators ${deciders.map((i) => i.id).join(', ')}`).not.toEqual([]);
        }
        if (session.state !== 'referral.awaitingAcknowledgement') break;
        expect(engine.send(session, { type: 'AGENCY.DECLINE', reason: 'outside our area' }, { actor: 'instructor' }).ok).toBe(true);
        runAutoDriver(engine, session);
      }
      const anonymized = routeAuto(anonymizedOnly, startAt(anonymizedOnly, offset));
      expect(anonymized.outcome, 'a tip whose only located indicators are anonymized was referred').not.toBe('referred');
      expect(anonymized.context.jurisdiction).toBeNull();
      guided(tip, offset, commands, (s) => checkReferralHasNonAnonymizedDeterminer(s));
    },
  );

  test.prop([arbRoutableTip, arbStartOffset, guidedCommands(engine)], { numRuns: 150 })(
    'invariant 5: at most one primary jurisdiction at any time',
    (tip, offset, commands) => {
      const session = routeAuto(tip, startAt(tip, offset));
      checkOneJurisdiction(session);
      const { assessment, jurisdiction } = session.context;
      if (session.outcome === 'referred') {
        // The one jurisdiction is the primary location's (DESIGN §7).
        const primary = assessment?.indicators.find((i) => i.id === assessment.primaryId);
        expect(primary, 'referred without a primary location').toBeDefined();
        if (primary !== undefined) expect(jurisdiction?.id).toBe(jurisdictionOf(primary));
      } else {
        expect(jurisdiction).toBeNull();
      }
      // Declines and the answer key's next choices: still one jurisdiction at a time, never one that declined.
      while (session.state === 'referral.awaitingAcknowledgement') {
        const declined = session.context.jurisdiction?.id;
        expect(engine.send(session, { type: 'AGENCY.DECLINE', reason: 'outside our area' }, { actor: 'instructor' }).ok).toBe(true);
        checkOneJurisdiction(session);
        expect(session.context.jurisdiction).toBeNull();
        runAutoDriver(engine, session);
        checkOneJurisdiction(session);
        if (isReferred(session)) expect(session.context.jurisdiction?.id).not.toBe(declined);
      }
      guided(tip, offset, commands, (s) => checkOneJurisdiction(s));
    },
  );

  test.prop([arbRoutableTip, arbStartOffset, guidedCommands(engine)], { numRuns: 150 })(
    'invariant 7: P1 is never downgraded without a logged reason',
    (tip, offset, commands) => {
      const session = routeAuto(tip, startAt(tip, offset));
      if (priorityFor(tip).value === 'P1' && session.context.priority !== null) expect(session.context.priority).toBe('P1');
      guided(tip, offset, commands, p1DowngradeChecker());
    },
  );

  test.prop([arbRoutableTip, arbStartOffset, guidedCommands(engine)], { numRuns: 150 })(
    'invariant 8: replay of the event log reproduces the snapshot; the same events give identical logs',
    (tip, offset, commands) => {
      const at = startAt(tip, offset);
      const { session, steps } = guided(tip, offset, commands, () => undefined);
      const replayed = engine.replay(json(session.toRecord()));
      expect(replayed.actor.getPersistedSnapshot()).toEqual(session.actor.getPersistedSnapshot());
      expect(json(replayed.log)).toEqual(json(session.log));
      expect(replayed.now).toBe(session.now);

      // The same events on a fresh engine (a new machine) give the identical log and snapshot.
      const fresh = new Engine(reference);
      const repeat = fresh.start(tip, at === undefined ? {} : { at });
      for (const step of steps) applyStep(fresh, repeat, step);
      expect(JSON.stringify(repeat.log)).toBe(JSON.stringify(session.log));
      expect(repeat.actor.getPersistedSnapshot()).toEqual(session.actor.getPersistedSnapshot());

      const auto1 = routeAuto(tip, at);
      const auto2 = routeAuto(tip, at, fresh);
      expect(JSON.stringify(auto2.log)).toBe(JSON.stringify(auto1.log));
    },
  );

  test.prop([arbRoutableTip, arbStartOffset, guidedCommands(engine)], { numRuns: 150 })(
    'invariant 9: one audit record per accepted event, none for refused ones; the log is append-only',
    (tip, offset, commands) => {
      const at = startAt(tip, offset);
      const session = engine.start(tip, at === undefined ? {} : { at });
      const before = json(session.log);
      const records = runAutoDriver(engine, session);
      expect(session.log.length).toBe(before.length + records.length);
      checkLog(session, before);
      // applyStep checks each step's records; checkLog that nothing earlier changed.
      guided(tip, offset, commands, (s, previous: readonly AuditRecord[]) => checkLog(s, previous));
    },
  );

  test.prop(
    [
      arbLegalProcessTip,
      arbReferableTip,
      arbStartOffset,
      fc.option(fc.integer({ min: 0, max: 120 * DAY_MS }), { nil: undefined }),
      fc.array(arbAdvanceMs, { maxLength: 4 }),
      arbRoutableTip,
      guidedCommands(engine),
    ],
    { numRuns: 150 },
  )('invariant 10: a preservation or retention expiry always produces an event', (legalTip, referableTip, offset, confirmAfter, chunks, guidedTip, commands) => {
    // Legal process: ISP retention runs out, or the 2703(f) preservation is renewed once and then expires.
    const session = routeAuto(legalTip, startAt(legalTip, offset));
    const startMs = timeOf(session.input.routingTime);
    expect(session.state, 'harness: the legal-process tip should wait in legal process').toBe('legalProcess.preservationRequested');
    let confirmed = false;
    if (confirmAfter !== undefined) {
      engine.advance(session, confirmAfter);
      if (session.state === 'legalProcess.preservationRequested') {
        expect(engine.send(session, { type: 'PRESERVATION.CONFIRMED' }, { actor: 'instructor' }).ok).toBe(true);
        confirmed = true;
      }
    }
    for (const ms of chunks) engine.advance(session, ms);
    engine.advance(session, 800 * DAY_MS);
    expect(session.state, 'legal process never ends').toBe('closed.informational');
    const { log } = session;
    const timers = session.context.timerEvents;
    const clockRecords = log.filter((r) => r.actor === 'clock');
    expect(timers.length).toBe(clockRecords.length);
    const closing = log[log.length - 1];
    expect(closing?.actor, 'legal process closed without a clock event').toBe('clock');
    const closeMs = timeOf(closing?.at ?? '');
    if (confirmed) {
      const preservation = clockRecords.filter((r) => r.event.type === 'TIMER.PRESERVATION_RENEWAL' || r.event.type === 'TIMER.PRESERVATION_EXPIRY');
      expect(preservation.map((r) => r.event.type)).toEqual(['TIMER.PRESERVATION_RENEWAL', 'TIMER.PRESERVATION_EXPIRY']);
      expect(closing?.event.type).toBe('TIMER.PRESERVATION_EXPIRY');
      expect(timeOf(preservation[1]?.at ?? '') - timeOf(preservation[0]?.at ?? '')).toBe(PRESERVATION_2703F_MS);
      expect(timers).toContain(timerMessages.preservationRenewed());
      expect(timers).toContain(timerMessages.preservationExpired());
    } else {
      expect(closing?.event.type).toBe('TIMER.RECORDS_RETENTION');
      expect(timers).toContain(timerMessages.recordsExpired());
    }
    const espDue = Math.max(startMs, timeOf(legalTip.receivedAt) + espPreservationPeriodMs(legalTip.receivedAt));
    const espRecords = clockRecords.filter((r) => r.event.type === 'TIMER.ESP_PRESERVATION');
    if (espDue < closeMs) {
      expect(espRecords.map((r) => r.at), 'the ESP preservation lapsed while the tip was open, silently').toEqual([iso(espDue)]);
      expect(timers).toContain(timerMessages.espPreservationLapsed(session.context));
    } else if (espDue > closeMs) {
      expect(espRecords).toEqual([]);
    }

    // A referral waiting for acknowledgement: the acknowledgement SLA and the ESP preservation both lapse, with events.
    const referral = routeAuto(referableTip, startAt(referableTip, offset));
    expect(referral.state, 'harness: the referable tip should be referred').toBe('referral.awaitingAcknowledgement');
    const referralStart = timeOf(referral.input.routingTime);
    for (const ms of chunks) engine.advance(referral, ms);
    engine.advance(referral, 400 * DAY_MS);
    const referralClock = referral.log.filter((r) => r.actor === 'clock');
    expect(referral.context.timerEvents.length).toBe(referralClock.length);
    expect(referral.state).toBe('referral.acknowledgementOverdue');
    const referralEspDue = Math.max(referralStart, timeOf(referableTip.receivedAt) + espPreservationPeriodMs(referableTip.receivedAt));
    expect(referralClock.filter((r) => r.event.type === 'TIMER.ESP_PRESERVATION').map((r) => r.at)).toEqual([iso(referralEspDue)]);
    expect(referral.context.timerEvents).toContain(timerMessages.espPreservationLapsed(referral.context));

    // Any guided session, then a long wait: legal process always ends with a clock event, and the ESP
    // preservation lapses with an event exactly when it ends while the tip is open.
    const { session: g } = guided(guidedTip, offset, commands, () => undefined);
    const inLegalProcess = g.state.startsWith('legalProcess.');
    engine.advance(g, 800 * DAY_MS);
    const gClock = g.log.filter((r) => r.actor === 'clock');
    expect(g.context.timerEvents.length).toBe(gClock.length);
    if (inLegalProcess) {
      expect(g.state, 'legal process never ends').toBe('closed.informational');
      expect(g.log[g.log.length - 1]?.actor).toBe('clock');
    }

    const closedAt = g.log.find((r) => routingPath(r.to).startsWith('closed.'))?.at;
    const gCloseMs = closedAt === undefined ? Number.POSITIVE_INFINITY : timeOf(closedAt);
    const gEspDue = Math.max(timeOf(g.input.routingTime), timeOf(guidedTip.receivedAt) + espPreservationPeriodMs(guidedTip.receivedAt));
    const gEsp = gClock.filter((r) => r.event.type === 'TIMER.ESP_PRESERVATION').map((r) => r.at);
    if (gEspDue < gCloseMs) expect(gEsp, 'the ESP preservation lapsed while the tip was open, silently').toEqual([iso(gEspDue)]);
    else if (gEspDue > gCloseMs) expect(gEsp).toEqual([]);

    // The expiry's event takes effect: DESIGN §7 makes legal process informational on expiry, as the timer
    // message says, so the outcome agrees with the closed state. (Checked last, after the events.)
    expect(session.outcome, 'legal process expired into closed.informational but the outcome says otherwise').toBe('informational');
    if (g.closed) expect(`closed.${g.outcome ?? 'null'}`, 'the outcome disagrees with the closed state').toBe(g.state);
  });

  /** What the world does while a tip waits: the same for the auto-driven and the trainee-driven session. */
  type WorldAct =
    | { kind: 'decline'; reason: string }
    | { kind: 'acknowledge' }
    | { kind: 'confirm' }
    | { kind: 'subscriber'; location: { countryCode: string; region?: string; city?: string } }
    | { kind: 'indicator'; ip: string; port: number; ageMs: number }
    | { kind: 'advance'; ms: number };

  const arbWorldAct: fc.Arbitrary<WorldAct> = fc.oneof(
    fc.constantFrom('outside our area', 'needs more information').map((reason) => ({ kind: 'decline' as const, reason })),
    fc.constant({ kind: 'acknowledge' as const }),
    fc.constant({ kind: 'confirm' as const }),
    arbReportedLocation.map((location) => ({ kind: 'subscriber' as const, location })),
    fc
      .record({ ip: arbDocumentationIp(), port: fc.integer({ min: 1, max: 65535 }), ageMs: fc.integer({ min: 0, max: 30 * DAY_MS }) })
      .map((r) => ({ kind: 'indicator' as const, ...r })),
    arbAdvanceMs.map((ms) => ({ kind: 'advance' as const, ms })),
  );

  function actOnWorld(session: RoutingSession, act: WorldAct): void {
    switch (act.kind) {
      case 'advance':
        engine.advance(session, act.ms);
        return;
      case 'decline':
        engine.send(session, { type: 'AGENCY.DECLINE', reason: act.reason }, { actor: 'instructor' });
        return;
      case 'acknowledge':
        engine.send(session, { type: 'AGENCY.ACKNOWLEDGE' }, { actor: 'instructor' });
        return;
      case 'confirm':
        engine.send(session, { type: 'PRESERVATION.CONFIRMED' }, { actor: 'instructor' });
        return;
      case 'subscriber': {
        const candidate = session.context.assessment === null ? undefined : legalProcessCandidates(session.context.assessment)[0];
        if (candidate !== undefined) engine.send(session, { type: 'SUBSCRIBER.RETURNED', indicatorId: candidate.id, location: act.location }, { actor: 'instructor' });
        return;
      }
      case 'indicator':
        engine.send(
          session,
          { type: 'INDICATOR.ADD', p2p: { ip: act.ip, network: 'BitTorrent', port: act.port, lastSeen: iso(session.clock.now - act.ageMs).replace('.000Z', 'Z') } },
          { actor: 'instructor' },
        );
    }
  }

  /** Guided mode as a trainee who always sends the answer key's decision, through the public send. */
  function driveAsTrainee(session: RoutingSession): void {
    for (let step = 0; step < 1000; step += 1) {
      const point = decisionPointOf(session);
      if (point === null) return;
      const event = json(answerKeyDecision(point, session.context, reference));
      const result = engine.send(session, event, { actor: 'trainee' });
      expect(result.ok ? null : result.refusal.message, `the answer key's ${event.type} was refused to a trainee`).toBeNull();
    }
    throw new Error('harness: the trainee made 1000 decisions without settling');
  }

  const essentials = (session: RoutingSession) => {
    const r = routeResultOf(session);
    return { state: r.state, outcome: r.outcome, priority: r.priority, track: r.track, jurisdiction: r.jurisdiction, notify: r.notify, caveats: r.caveats, confidence: r.confidence };
  };

  test.prop([arbRoutableTip, arbStartOffset, fc.array(arbWorldAct, { maxLength: 6 }), arbLooseLocationTip], { numRuns: 150 })(
    "invariant 11: guided mode with the answer key's decisions reaches the auto outcome",
    (tip, offset, world, looseTip) => {
      // Any tip the schema accepts has an auto outcome (the router never fails on it), and a trainee reaches it.
      if (parseTip(looseTip).ok) {
        const auto = routeAuto(looseTip);
        const trainee = engine.start(looseTip);
        driveAsTrainee(trainee);
        expect(essentials(trainee)).toEqual(essentials(auto));
      }

      const at = startAt(tip, offset);
      const auto = routeAuto(tip, at);
      const trainee = engine.start(tip, at === undefined ? {} : { at });
      driveAsTrainee(trainee);
      expect(essentials(trainee)).toEqual(essentials(auto));
      for (const act of world) {
        actOnWorld(auto, act);
        runAutoDriver(engine, auto);
        actOnWorld(trainee, act);
        driveAsTrainee(trainee);
        expect(essentials(trainee), `after ${JSON.stringify(act)}`).toEqual(essentials(auto));
      }
    },
  );
});
