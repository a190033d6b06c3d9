// The one exercise runner (DESIGN §9): it owns a session of an exercise, the inject schedule, the interleaving
// of timers and injects, the injects held until the tip can take them, and the inbox. Every host (the
// terminal player, the headless `run`, the solvability proof, the classroom server) is an adapter that
// chooses what to send and does the I/O; none delivers an inject or moves the clock itself. Everything the
// runner does is a record in the session's log, so the log is the whole truth and replay rebuilds it.
import type { RoutingEvent } from '../domain/events.js';
import { isDecisionEvent, parseRoutingEvent } from '../domain/events.js';
import { timeOf } from '../domain/indicators.js';
import type { Jurisdiction } from '../domain/reference/jurisdictions.js';
import type { DecisionPoint } from '../domain/routing/answer-key.js';
import type { Tip } from '../domain/tip/schema.js';
import {
  decisionPointOf,
  isMachineRecord,
  type ActorRole,
  type AuditRecord,
  type Engine,
  type Refusal,
  type RoutingSession,
  type SessionRecord,
} from '../engine/index.js';
import type { AgencyCondition, Exercise, Inject } from './format.js';
import { DecisionCounts } from './state-entries.js';
import { InjectSchedule } from './inject-schedule.js';
import { inboxOf, type InboxEntry } from './inbox.js';

/** Event ids of the exercise's injects in the log are `inject-<id>`. */
export const INJECT_ID_PREFIX = 'inject-';

/** Why a wait ended before its target: a message arrived, a decision is needed, the tip closed. */
export type WaitStop = 'message' | 'decision' | 'closed';

export interface WaitResult {
  /** The records the wait appended, its own CLOCK.ADVANCE record last (none when the clock could not move). */
  records: AuditRecord[];
  /** The simulated time the wait ended at (ISO). */
  stoppedAt: string;
  /** Why it ended before its target, or null when it reached it. */
  reason: WaitStop | null;
}

export type WaitTarget = { ms: number } | { until: 'next' };

export type DecideResult =
  | { ok: true; record: AuditRecord; records: AuditRecord[]; duplicate: boolean }
  | { ok: false; refusal: Refusal; records: AuditRecord[] };

export type InjectResult =
  | { ok: true; delivered: boolean; records: AuditRecord[]; duplicate: boolean }
  | { ok: false; refusal: Refusal; records: AuditRecord[] };

type RecordListener = (records: readonly AuditRecord[]) => void;

const MAX_CASCADE = 200;
const MAX_WAIT_STEPS = 1_000;

export class ExerciseRunner {
  private readonly listeners = new Set<RecordListener>();
  /** Injects that arrived when the tip could not take them, oldest first (each has an INJECT.HELD record). */
  private held: Inject[] = [];
  /** Ids of injects the runner has dealt with (delivered, held, or recorded as not delivered). */
  private readonly handled = new Set<string>();
  /** Decisions made so far, counted over the log up to `counted` (the log only grows): a step costs the same at any length. */
  private readonly decisions = new DecisionCounts();
  private counted = 0;

  private constructor(
    readonly engine: Engine,
    readonly exercise: Exercise | null,
    readonly session: RoutingSession,
    private readonly schedule: InjectSchedule | null,
  ) {}

  /** A new session of the exercise; the injects its first state triggers arrive at once. */
  static start(engine: Engine, exercise: Exercise, tip: Tip, options: { sessionId?: string } = {}): ExerciseRunner {
    const session = engine.start(tip, { at: startTimeOf(exercise, tip), sessionId: options.sessionId ?? exercise.id });
    const runner = new ExerciseRunner(engine, exercise, session, new InjectSchedule(exercise, session.clock.now));
    runner.schedule?.note(session.log);
    runner.settle([]);
    return runner;
  }

  /** A runner over a session rebuilt from its log (resuming, the server's cache); `exercise` null: no injects. */
  static over(engine: Engine, exercise: Exercise | null, session: RoutingSession): ExerciseRunner {
    const schedule = exercise === null ? null : new InjectSchedule(exercise, startMsOf(session));
    const runner = new ExerciseRunner(engine, exercise, session, schedule);
    runner.restoreFromLog();
    return runner;
  }

  /** Replays a stored session and continues it (ReplayError when it no longer replays). */
  static resume(engine: Engine, exercise: Exercise | null, record: SessionRecord): ExerciseRunner {
    return ExerciseRunner.over(engine, exercise, engine.replay(record));
  }

  /** Hears every record the runner appends, in order, once per operation. Returns the unsubscribe function. */
  onRecords(listener: RecordListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get log(): readonly AuditRecord[] {
    return this.session.log;
  }

  /** What the trainee has read: the exercise's messages and what the clock did, from the log. */
  inbox(): InboxEntry[] {
    return inboxOf(this.session.log);
  }

  /** The decision the tip waits for, with its occurrence (the second route decision after a decline), or null. */
  pendingDecision(): { point: DecisionPoint; occurrence: number } | null {
    const point = decisionPointOf(this.session);
    if (point === null) return null;
    const log = this.session.log;
    for (; this.counted < log.length; this.counted += 1) {
      const record = log[this.counted];
      if (record !== undefined) this.decisions.note(record);
    }
    return { point, occurrence: this.decisions.next(point) };
  }

  /** Ids of the injects held back, waiting for the tip to reach a state that takes them. */
  get heldInjects(): readonly string[] {
    return this.held.map((i) => i.id);
  }

  /** Simulated epoch ms of the next scheduled thing (a timer or a scripted inject), or null. */
  nextScheduledMs(): number | null {
    if (this.session.closed) return null;
    const timer = this.session.clock.next();
    const due = this.nextTimed();
    const times = [timer?.due, due?.due].filter((t): t is number => t !== undefined);
    return times.length === 0 ? null : Math.min(...times);
  }

  /** Simulated epoch ms of the next scripted inject due, or null. */
  nextInjectMs(): number | null {
    return this.session.closed ? null : (this.nextTimed()?.due ?? null);
  }

  /** True when nothing can move the tip on: no decision, no timer and no scripted inject to come. */
  get stuck(): boolean {
    return !this.session.closed && decisionPointOf(this.session) === null && this.nextScheduledMs() === null;
  }

  /**
   * A decision (the trainee's, or the answer key's as `auto`). Accepted: the injects its new state triggers
   * arrive, and held ones the tip can now take. Refused: a DECISION.REFUSED record keeps the attempt and why
   * (a malformed event is refused without one: only well-formed decisions are kept).
   */
  decide(input: unknown, options: { actor?: ActorRole; eventId?: string } = {}): DecideResult {
    const actor = options.actor ?? 'trainee';
    return this.operation((records) => {
      const at = this.pendingDecision();
      const result = this.engine.send(this.session, input, { actor, ...(options.eventId === undefined ? {} : { eventId: options.eventId }) });
      if (result.ok) {
        if (result.duplicate) return { ok: true, record: result.audit, records, duplicate: true };
        records.push(result.audit);
        this.settle(records);
        return { ok: true, record: result.audit, records, duplicate: false };
      }
      // Kept: a well-formed decision refused while a decision is pending (never a malformed or a world event).
      const parsed = parseRoutingEvent(input);
      if (parsed.ok && at !== null && isDecisionEvent(parsed.value)) {
        records.push(
          this.engine.note(
            this.session,
            { type: 'DECISION.REFUSED', attempt: parsed.value, message: result.refusal.message, ...(at === null ? {} : { point: at.point, occurrence: at.occurrence }) },
            { actor },
          ),
        );
      }
      return { ok: false, refusal: result.refusal, records };
    });
  }

  /** An inject of the exercise sent now by the instructor (a contingency, or a scripted one early). */
  sendInject(injectId: string, options: { actor?: ActorRole } = {}): InjectResult {
    const inject = this.exercise?.injects?.find((i) => i.id === injectId);
    if (inject === undefined) return { ok: false, refusal: { message: `no inject ${injectId} in this exercise`, allowed: this.session.allowedEvents() }, records: [] };
    return this.operation((records) => {
      if (this.wasDelivered(inject.id)) return { ok: true, delivered: true, records, duplicate: true };
      const outcome = this.deliver(inject, records, { actor: options.actor ?? 'instructor', hold: false });
      if (outcome.refusal !== null) return { ok: false, refusal: outcome.refusal, records };
      this.settle(records);
      return { ok: true, delivered: outcome.delivered, records, duplicate: false };
    });
  }

  /**
   * Lets simulated time pass: timers fire and scripted injects arrive on the way, in time order. Stops at the
   * first delivered message, at a decision the tip reaches, or when it closes (DESIGN §10), and says where.
   * `until: 'next'` goes to the next scheduled thing. Waiting past a deadline is allowed: its timer fires.
   */
  wait(target: WaitTarget, options: { actor?: ActorRole; cause?: 'wait' | 'advance' } = {}): WaitResult {
    const actor = options.actor ?? 'trainee';
    const cause = options.cause ?? 'wait';
    return this.operation((records) => {
      const fromMs = this.session.clock.now;
      const from = this.session.now;
      const targetMs = 'ms' in target ? fromMs + Math.max(0, target.ms) : (this.nextScheduledMs() ?? fromMs);
      const startDecision = decisionPointOf(this.session);
      const startState = this.session.state;
      let reason: WaitStop | null = null;
      for (let step = 0; step < MAX_WAIT_STEPS; step += 1) {
        if (this.session.closed) {
          reason = 'closed';
          break;
        }
        // A reopened decision says more than the message that reopened it.
        if (this.session.state !== startState && decisionPointOf(this.session) !== null && (startDecision === null || records.some(isMachineRecord))) {
          reason = 'decision';
          break;
        }
        if (records.some((r) => r.event.type === 'INJECT.MESSAGE')) {
          reason = 'message';
          break;
        }
        if (!this.advanceOneStep(targetMs, records)) {
          this.session.clock.now = Math.max(this.session.clock.now, targetMs);
          break;
        }
      }
      if (this.session.clock.now > fromMs || records.length > 0) {
        const requested = 'ms' in target ? { ms: Math.max(0, target.ms) } : { until: 'next' as const };
        records.push(this.engine.note(this.session, { type: 'CLOCK.ADVANCE', cause, from, ...requested, ...(reason === null ? {} : { stopped: reason }) }, { actor }));
      }
      return { records, stoppedAt: this.session.now, reason };
    });
  }

  /** A paced clock's tick (DESIGN §10): `ms` of simulated time pass, with everything due on the way; never stops early. */
  tick(ms: number, options: { realAt: string }): AuditRecord[] {
    return this.operation((records) => {
      const from = this.session.now;
      const targetMs = this.session.clock.now + Math.max(0, Math.floor(ms));
      for (let step = 0; step < MAX_WAIT_STEPS && !this.session.closed; step += 1) if (!this.advanceOneStep(targetMs, records)) break;
      this.session.clock.now = Math.max(this.session.clock.now, targetMs);
      if (records.length > 0 || this.session.now !== from) {
        records.push(this.engine.note(this.session, { type: 'CLOCK.ADVANCE', cause: 'pace', from, ms: Math.max(0, Math.floor(ms)), realAt: options.realAt }, { actor: 'clock' }));
      }
      return records;
    });
  }

  /** Records that a hint was shown for the decision at hand (the debrief shows it, the rubric may cost it). */
  hintShown(options: { actor?: ActorRole } = {}): AuditRecord | null {
    const at = this.pendingDecision();
    if (at === null) return null;
    return this.operation((records) => {
      const record = this.engine.note(this.session, { type: 'HINT.USED', point: at.point, occurrence: at.occurrence }, { actor: options.actor ?? 'trainee' });
      records.push(record);
      return record;
    });
  }

  // ---- internals ----

  /** Runs one operation and tells the listeners what it appended. */
  private operation<T>(body: (records: AuditRecord[]) => T): T {
    const records: AuditRecord[] = [];
    const result = body(records);
    if (records.length > 0) for (const listener of this.listeners) listener(records);
    return result;
  }

  /** Fires the earliest timer or delivers the earliest scripted inject due by `targetMs`; false when none is. */
  private advanceOneStep(targetMs: number, records: AuditRecord[]): boolean {
    const due = this.nextTimed();
    const timer = this.session.clock.next();
    // An inject due with a timer arrives first: the author scheduled it for that moment.
    if (due !== undefined && due.due <= targetMs && (timer === null || due.due <= timer.due)) {
      records.push(...this.engine.advanceTo(this.session, due.due));
      this.deliver(due.inject, records, { actor: 'instructor', hold: true });
      this.settle(records);
      return true;
    }
    if (timer !== null && timer.due <= targetMs) {
      const fired = this.engine.advanceTo(this.session, timer.due);
      records.push(...fired);
      this.settle(records);
      return true;
    }
    return false;
  }

  /** The earliest timed inject not dealt with yet. */
  private nextTimed(): { inject: Inject; due: number } | undefined {
    return this.schedule?.timed.find((t) => !this.handled.has(t.inject.id));
  }

  /** Whether the inject's message has reached the trainee (its event, if any, taken by the machine). */
  wasDelivered(injectId: string): boolean {
    return this.session.recordFor(`${INJECT_ID_PREFIX}${injectId}`) !== undefined || this.session.log.some((r) => r.event.type === 'INJECT.MESSAGE' && r.event.injectId === injectId);
  }

  /**
   * After any change: the state-entry injects the new records triggered arrive, held injects the tip can
   * now take are delivered, and once the tip closes the held ones are recorded as never delivered.
   */
  private settle(records: AuditRecord[]): void {
    if (this.schedule === null) return;
    let noted = 0;
    for (let round = 0; round < MAX_CASCADE; round += 1) {
      this.schedule.note(records.slice(noted).filter(isMachineRecord));
      noted = records.length;
      const queued = this.schedule.shiftQueued();
      if (queued !== undefined) {
        if (!this.handled.has(queued.id)) this.deliver(queued, records, { actor: 'instructor', hold: true });
        continue;
      }
      if (this.session.closed) {
        for (const inject of this.held) {
          records.push(this.engine.note(this.session, { type: 'INJECT.UNDELIVERED', injectId: inject.id, why: 'the tip closed before it could take it' }, { actor: 'system' }));
        }
        this.held = [];
        return;
      }
      const ready = this.held.find((inject) => this.canTake(inject));
      if (ready === undefined) return;
      this.held = this.held.filter((i) => i !== ready);
      this.deliver(ready, records, { actor: 'instructor', hold: false, retry: true });
    }
  }

  /** Whether the tip would take the inject now (its event is allowed in the current state and its guard agrees). */
  private canTake(inject: Inject): boolean {
    const resolved = this.resolve(inject);
    if (resolved === null || resolved.event === null) return true;
    return this.engine.wouldAccept(this.session, resolved.event);
  }

  /**
   * What an inject says and does for the agency the tip was referred to: the first variant whose condition
   * holds, else the inject itself, unless its own condition excludes that agency (null: not for it).
   */
  private resolve(inject: Inject): { event: RoutingEvent | null; message: string } | null {
    const agency = this.session.context.jurisdiction;
    const variant = inject.variants?.find((v) => agencyMatches(v.if, agency));
    if (variant === undefined && inject.if !== undefined && !agencyMatches(inject.if, agency)) return null;
    const kind = variant?.kind ?? inject.kind;
    const reason = variant?.reason ?? ('reason' in inject ? inject.reason : undefined);
    const message = fillAgency(variant?.message ?? inject.message, agency);
    if (kind === 'agency-acknowledge') return { event: { type: 'AGENCY.ACKNOWLEDGE' }, message };
    if (kind === 'agency-decline') return { event: { type: 'AGENCY.DECLINE', reason: reason ?? 'no reason given' }, message };
    return { event: injectEvent(inject), message };
  }

  /**
   * Delivers one inject: its event to the machine (then its message), or its message alone. An inject the
   * tip cannot take now is held (`hold`, with an INJECT.HELD record) or refused; one not meant for the agency
   * the tip went to is recorded as not delivered.
   */
  private deliver(inject: Inject, records: AuditRecord[], options: { actor: ActorRole; hold: boolean; retry?: boolean }): { delivered: boolean; refusal: Refusal | null } {
    this.handled.add(inject.id);
    const resolved = this.resolve(inject);
    if (resolved === null) {
      const agency = this.session.context.jurisdiction;
      records.push(this.engine.note(this.session, { type: 'INJECT.UNDELIVERED', injectId: inject.id, why: `it is not for ${agency === null ? 'a tip that was not referred' : agency.name}` }, { actor: 'system' }));
      return { delivered: false, refusal: null };
    }
    if (resolved.event !== null) {
      if (this.session.closed) {
        records.push(this.engine.note(this.session, { type: 'INJECT.UNDELIVERED', injectId: inject.id, why: 'the tip is closed' }, { actor: 'system' }));
        return { delivered: false, refusal: null };
      }
      const result = this.engine.deliver(this.session, resolved.event, { actor: options.actor, eventId: `${INJECT_ID_PREFIX}${inject.id}` });
      if (!result.ok) {
        if (!options.hold) {
          if (options.retry === true) this.held.push(inject);
          else this.handled.delete(inject.id);
          return { delivered: false, refusal: result.refusal };
        }
        this.held.push(inject);
        records.push(this.engine.note(this.session, { type: 'INJECT.HELD', injectId: inject.id, why: `the tip is in ${this.session.state}, which does not take it yet` }, { actor: 'system' }));
        return { delivered: false, refusal: null };
      }
      if (!result.duplicate) records.push(result.audit);
    }
    records.push(this.engine.note(this.session, { type: 'INJECT.MESSAGE', injectId: inject.id, text: resolved.message }, { actor: options.actor }));
    return { delivered: true, refusal: null };
  }

  /**
   * The runner's state from the log alone: every inject with a record was dealt with; a held one waits until
   * a later record delivers it; injects triggered or due in a log made before the runner kept notes (no
   * INJECT.* record at all) are taken as delivered then, as that version did.
   */
  private restoreFromLog(): void {
    if (this.schedule === null) return;
    const log = this.session.log;
    this.schedule.note(log.filter(isMachineRecord));
    const legacy = !log.some((r) => r.event.type.startsWith('INJECT.'));
    const heldIds = new Set<string>();
    for (const record of log) {
      const injectId = record.eventId.startsWith(INJECT_ID_PREFIX) ? record.eventId.slice(INJECT_ID_PREFIX.length) : typeof record.event.injectId === 'string' ? record.event.injectId : null;
      if (injectId === null) continue;
      this.handled.add(injectId);
      if (record.event.type === 'INJECT.HELD') heldIds.add(injectId);
      else heldIds.delete(injectId);
    }
    for (let queued = this.schedule.shiftQueued(); queued !== undefined; queued = this.schedule.shiftQueued()) if (legacy) this.handled.add(queued.id);
    if (legacy) for (const { inject, due } of this.schedule.timed) if (due <= this.session.clock.now) this.handled.add(inject.id);
    this.held = (this.exercise?.injects ?? []).filter((i) => heldIds.has(i.id));
  }
}

export function startTimeOf(exercise: Exercise, tip: Tip): string {
  return exercise.clock?.start ?? tip.receivedAt;
}

/** The simulated time a session started at (its first record). */
export const startMsOf = (session: RoutingSession): number => timeOf(session.log[0]?.at ?? session.input.routingTime);

/** The machine event an inject sends (its default, before any variant), or null for a message the trainee only reads. */
export function injectEvent(inject: Inject): RoutingEvent | null {
  switch (inject.kind) {
    case 'agency-acknowledge':
      return { type: 'AGENCY.ACKNOWLEDGE' };
    case 'agency-decline':
      return { type: 'AGENCY.DECLINE', reason: inject.reason };
    case 'subscriber-returned':
      return { type: 'SUBSCRIBER.RETURNED', indicatorId: inject.indicatorId, location: inject.location };
    case 'new-indicator':
      return {
        type: 'INDICATOR.ADD',
        ...(inject.subjectId === undefined ? {} : { subjectId: inject.subjectId }),
        ...(inject.ipEvent === undefined ? {} : { ipEvent: inject.ipEvent }),
        ...(inject.p2p === undefined ? {} : { p2p: inject.p2p }),
      };
    case 'supplemental-report':
      return { type: 'TIP.SUPPLEMENT', supplement: inject.supplement };
    case 'preservation-confirmed':
      return { type: 'PRESERVATION.CONFIRMED' };
    case 'message':
      return null;
  }
}

/** Whether the agency the tip was referred to meets an inject's condition (no referral meets none). */
export function agencyMatches(condition: AgencyCondition, agency: Jurisdiction | null): boolean {
  if (agency === null) return false;
  return (condition.jurisdiction?.includes(agency.id) ?? false) || (condition.channel?.includes(agency.channel) ?? false);
}

/** An inject's text with `{agency}` filled in, on one line. */
export function fillAgency(message: string, agency: Jurisdiction | null): string {
  return message.replace(/\{agency\}/g, agency?.name ?? 'the agency').replace(/\s+/g, ' ').trim();
}
