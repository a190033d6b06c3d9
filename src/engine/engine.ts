// The deterministic engine (DESIGN §9): start, send, advance and replay routing sessions. It drives a real
// XState actor, so the chart's own semantics decide every step, on a simulated clock, so time is data.
import { createActor, getNextTransitions, type Actor, type InspectionEvent, type Observer, type SnapshotFrom } from 'xstate';
import { createRoutingMachine, ROUTING_CHART_VERSION, type RoutingMachine } from '../../machines/routing.js';
import { parseRoutingEvent, type RoutingEvent } from '../domain/events.js';
import { decisionRefusal, type RefusalCode } from '../domain/routing/decision-rules.js';
import type { RoutingContext, RoutingInput } from '../domain/routing/context.js';
import { outcomeOf, type Outcome } from '../domain/routing/outcome.js';
import type { Reference } from '../domain/reference/reference.js';
import { formatIssues, type InputIssue } from '../domain/tip/parse.js';
import { timeOf } from '../domain/indicators.js';
import { isoDateOrDateTime } from '../domain/tip/schema.js';
import { timerRecordType } from '../domain/routing/timers.js';
import { isNoteRecord, NOTE_EVENT_TYPES, routingPath, statePaths, type ActorRole, type AuditRecord, type NoteEvent } from './audit.js';
import { SimulatedClock } from './simulated-clock.js';

export type RoutingSnapshot = SnapshotFrom<RoutingMachine>;

export const SESSION_FORMAT = 'tipflow.session/2';
/** Formats replay still reads (migrated first, see migrate.ts). */
export const READABLE_SESSION_FORMATS: readonly string[] = ['tipflow.session/1', SESSION_FORMAT];

/** What a session was made with (DESIGN §9): the chart's version and the reference data's digest. */
export interface SessionVersions {
  chart: number;
  reference: string;
}

export interface StartOptions {
  /** ISO time the tip is routed at and the simulated clock starts from (default: the tip's receivedAt). */
  at?: string;
  openFileHashes?: readonly string[];
  sessionId?: string;
  /** Kept from the stored session on replay; a new session gets today's. */
  versions?: SessionVersions;
}

/** A session as stored: the input and the log. Everything else is rebuilt from them. */
export interface SessionRecord {
  format: typeof SESSION_FORMAT;
  id: string;
  /** `versions` is absent in sessions stored before it was recorded (chart version 1). */
  input: { submission: unknown; routingTime: string; openFileHashes: string[]; versions?: SessionVersions };
  /** The simulated clock now (ISO). */
  now: string;
  log: AuditRecord[];
}

export interface SendOptions {
  /**
   * Makes the send idempotent: an id already in the log returns its record and changes nothing.
   * 1 to 80 letters, digits and `._:-`; ids starting with `#` are the engine's own (`#<seq>`).
   */
  eventId?: string;
  actor?: ActorRole;
}

export interface ReplayOptions {
  /** Called with each logged record before it is replayed, with the session as it stands just before it. */
  beforeEach?: (entry: AuditRecord, session: RoutingSession) => void;
}

/**
 * What a refusal is about, for tools; never parse the message. A rule of the rule book (decision-rules.ts),
 * or the engine's own: an event not allowed in this state, a closed tip, an invalid event or event id.
 */
export type RefusalKind = RefusalCode | 'NOT_ALLOWED_HERE' | 'TIP_CLOSED' | 'INVALID_EVENT' | 'INVALID_EVENT_ID' | 'NO_TRANSITION';

export interface Refusal {
  message: string;
  code?: RefusalKind;
  /** Event types with a transition from the current state. */
  allowed: string[];
  issues?: InputIssue[];
}

export type SendResult =
  | { ok: true; session: RoutingSession; audit: AuditRecord; duplicate: boolean }
  | { ok: false; session: RoutingSession; refusal: Refusal };

const EVENT_ORDER = [
  'TRIAGE.ASSIGN', 'GEO.TAG', 'GEO.UNTAG', 'GEO.CONFIRM', 'ROUTE.REFER', 'ROUTE.LEGAL_PROCESS', 'ROUTE.INFORMATIONAL',
  'AGENCY.ACKNOWLEDGE', 'AGENCY.DECLINE', 'SUBSCRIBER.RETURNED', 'PRESERVATION.CONFIRMED', 'INDICATOR.ADD', 'TIP.SUPPLEMENT',
];

/** Ids a caller may give; the engine names the records it makes itself `#<seq>`, so the two never collide. */
const CALLER_EVENT_ID = /^[A-Za-z0-9._:-]{1,80}$/;

const STAMPED_EVENTS: ReadonlySet<string> = new Set(['SUBSCRIBER.RETURNED', 'INDICATOR.ADD', 'TIP.SUPPLEMENT', 'ROUTE.LEGAL_PROCESS']);

function withoutTime(event: RoutingEvent): RoutingEvent {
  const { at: _ignored, ...rest } = event;
  return rest as RoutingEvent;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export class ReplayError extends Error {
  /** Set when the session was made with an earlier chart or reference data than today's. */
  earlierVersion: SessionVersions | null = null;
}

type ScheduledEvents = Record<string, { event: { type: string } }>;

/**
 * The type of the delayed event XState registered last. The public `system.getSnapshot()` copies the whole
 * table on every call; the system's own table is read in place when present (tests pin the result: every
 * timer record carries its `xstate.after.*` event type).
 */
function newestScheduledEventType(actor: Actor<RoutingMachine>): string {
  const system = actor.system as unknown as { _snapshot?: { _scheduledEvents?: ScheduledEvents } };
  const table: ScheduledEvents = system._snapshot?._scheduledEvents ?? actor.system.getSnapshot()._scheduledEvents;
  let newest: string | undefined;
  for (const key in table) newest = key;
  return newest === undefined ? 'unknown' : (table[newest]?.event.type ?? 'unknown');
}

/** A live session: the actor, its clock and its log. `toRecord()` is its serializable form. */
export class RoutingSession {
  readonly log: AuditRecord[] = [];
  private readonly eventIds = new Map<string, AuditRecord>();
  private allowedAt: { snapshot: RoutingSnapshot; types: readonly string[] } | null = null;

  constructor(
    readonly id: string,
    readonly input: SessionRecord['input'],
    readonly actor: Actor<RoutingMachine>,
    readonly clock: SimulatedClock,
  ) {}

  get snapshot(): RoutingSnapshot {
    return this.actor.getSnapshot();
  }
  get context(): RoutingContext {
    return this.snapshot.context;
  }
  get now(): string {
    return this.clock.nowIso;
  }
  /** The outcome where the chart stands (closed.referred → referred; see outcomeOf), or null while none is decided. */
  get outcome(): Outcome | null {
    return outcomeOf(this.snapshot.value);
  }
  get closed(): boolean {
    return this.snapshot.hasTag('closed');
  }
  /** Where the tip is, e.g. referral.selecting. */
  get state(): string {
    return routingPath(this.snapshot.value);
  }

  /** Event types with a transition from the current state (guards may still refuse a given payload). */
  allowedEvents(): string[] {
    const snapshot = this.snapshot;
    // The transitions out of a state do not change while the snapshot does not: worked out once per snapshot.
    if (this.allowedAt?.snapshot !== snapshot) {
      const types = snapshot.hasTag('closed') ? new Set<string>() : new Set(getNextTransitions(snapshot).map((t) => t.eventType));
      this.allowedAt = { snapshot, types: EVENT_ORDER.filter((type) => types.has(type)) };
    }
    return [...this.allowedAt.types];
  }

  recordFor(eventId: string): AuditRecord | undefined {
    return this.eventIds.get(eventId);
  }

  append(record: AuditRecord): void {
    this.log.push(record);
    // Only caller-given ids can be sent again; the engine's own (#<seq>) never need looking up.
    if (!record.eventId.startsWith('#')) this.eventIds.set(record.eventId, record);
  }

  toRecord(): SessionRecord {
    return { format: SESSION_FORMAT, id: this.id, input: this.input, now: this.now, log: [...this.log] };
  }

  toJSON(): SessionRecord {
    return this.toRecord();
  }
}

export interface EngineOptions {
  /**
   * XState's inspection observer for every actor the engine creates (the opt-in Stately bridge, issue 8).
   * It only watches: what it sees changes nothing in the sessions.
   */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
}

export class Engine {
  readonly machine: RoutingMachine;
  private readonly inspect: EngineOptions['inspect'];

  /** What sessions started now are made with. */
  readonly versions: SessionVersions;

  constructor(
    readonly reference: Reference,
    options: EngineOptions = {},
  ) {
    this.machine = createRoutingMachine(reference);
    this.inspect = options.inspect;
    this.versions = { chart: ROUTING_CHART_VERSION, reference: reference.digest };
  }

  start(submission: unknown, options: StartOptions = {}): RoutingSession {
    const receivedAt = (submission as { receivedAt?: unknown } | null)?.receivedAt;
    const routingTime = options.at ?? (isoDateOrDateTime.safeParse(receivedAt).success ? (receivedAt as string) : iso(0));
    if (!isoDateOrDateTime.safeParse(routingTime).success) throw new RangeError(`routing time ${routingTime} is not an ISO 8601 date or date-time`);
    const startMs = timeOf(routingTime);
    const versions = options.versions ?? this.versions;
    const input: SessionRecord['input'] = { submission, routingTime: iso(startMs), openFileHashes: [...(options.openFileHashes ?? [])], versions };
    const clock = new SimulatedClock(startMs);
    const machineInput: RoutingInput = { submission, routingTime: input.routingTime, openFileHashes: input.openFileHashes };
    const actor = createActor(this.machine, { input: machineInput, clock, ...(this.inspect === undefined ? {} : { inspect: this.inspect }) });
    // XState registers a delayed event in the system's scheduled events just before it asks the clock for a
    // timer; reading the newest entry tells the clock which event the timer will deliver, for the log.
    clock.describeNext = () => newestScheduledEventType(actor);
    const session = new RoutingSession(options.sessionId ?? 'session', input, actor, clock);
    actor.start();
    this.assertHealthy(session);
    session.append({ seq: 0, at: session.now, eventId: '#0', event: { type: 'xstate.init' }, actor: 'system', from: null, to: session.snapshot.value });
    return session;
  }

  /** Validates an event from outside (zod) and delivers it. */
  send(session: RoutingSession, input: unknown, options: SendOptions = {}): SendResult {
    if (options.eventId !== undefined && !CALLER_EVENT_ID.test(options.eventId)) {
      return {
        ok: false,
        session,
        refusal: { message: `event id ${JSON.stringify(options.eventId.slice(0, 80))} is not valid: use 1 to 80 letters, digits and . _ : - (ids starting with # are the engine's)`, code: 'INVALID_EVENT_ID', allowed: session.allowedEvents() },
      };
    }
    if (options.eventId !== undefined) {
      const earlier = session.recordFor(options.eventId);
      if (earlier !== undefined) return { ok: true, session, audit: earlier, duplicate: true };
    }
    const parsed = parseRoutingEvent(input);
    if (!parsed.ok) {
      return { ok: false, session, refusal: { message: `not a valid event:\n${formatIssues(parsed.issues)}`, code: 'INVALID_EVENT', allowed: session.allowedEvents(), issues: parsed.issues } };
    }
    return this.deliver(session, parsed.value, options);
  }

  /** Delivers an event already known to be well-typed (the auto driver's, a replayed log's). */
  deliver(session: RoutingSession, event: RoutingEvent, options: SendOptions = {}): SendResult {
    if (options.eventId !== undefined) {
      const earlier = session.recordFor(options.eventId);
      if (earlier !== undefined) return { ok: true, session, audit: earlier, duplicate: true };
    }
    if (session.closed) {
      return { ok: false, session, refusal: { message: `the tip is closed (${session.state}); it accepts no more events`, code: 'TIP_CLOSED', allowed: [] } };
    }
    const before = session.snapshot;
    // The engine owns time: an event's own `at` is replaced by the clock's; injects that bring new facts
    // carry it into the machine (it becomes the routing time), decisions need none.
    const logged = 'at' in event ? withoutTime(event) : event;
    session.actor.send(STAMPED_EVENTS.has(event.type) ? ({ ...logged, at: session.now } as RoutingEvent) : logged);
    this.assertHealthy(session);
    const after = session.snapshot;
    if (after === before) {
      const allowed = session.allowedEvents();
      if (!allowed.includes(event.type)) {
        const message = `${event.type} is not allowed in ${session.state}; allowed here: ${allowed.join(', ') || 'nothing (wait for the clock or an inject)'}`;
        return { ok: false, session, refusal: { message, code: 'NOT_ALLOWED_HERE', allowed } };
      }
      const problem = decisionRefusal(before.context, event, this.reference);
      const message = `${event.type} refused in ${session.state}: ${problem?.message ?? 'no transition accepts it here'}`;
      return { ok: false, session, refusal: { message, code: problem?.code ?? 'NO_TRANSITION', allowed } };
    }
    const seq = session.log.length;
    const record: AuditRecord = {
      seq,
      at: session.now,
      eventId: options.eventId ?? `#${seq}`,
      event: logged,
      actor: options.actor ?? 'trainee',
      from: before.value,
      to: after.value,
    };
    session.append(record);
    return { ok: true, session, audit: record, duplicate: false };
  }

  /**
   * Appends a note: a record that does not move the machine (a clock advance, an inject's message, an inject
   * held or not delivered, a refused decision, a hint). Its state is the current one on both sides.
   */
  note(session: RoutingSession, event: NoteEvent, options: { actor: ActorRole; eventId?: string }): AuditRecord {
    if (!(NOTE_EVENT_TYPES as readonly string[]).includes(event.type)) throw new Error(`internal: ${event.type} is not a note`);
    if (options.eventId !== undefined) {
      const earlier = session.recordFor(options.eventId);
      if (earlier !== undefined) return earlier;
    }
    const seq = session.log.length;
    const value = session.snapshot.value;
    const record: AuditRecord = { seq, at: session.now, eventId: options.eventId ?? `#${seq}`, event, actor: options.actor, from: value, to: value };
    session.append(record);
    return record;
  }

  /** Whether the machine would take the event now (a transition is enabled and its guards agree), without sending it. */
  wouldAccept(session: RoutingSession, event: RoutingEvent): boolean {
    if (session.closed) return false;
    const logged = 'at' in event ? withoutTime(event) : event;
    return session.snapshot.can(STAMPED_EVENTS.has(event.type) ? ({ ...logged, at: session.now } as RoutingEvent) : logged);
  }

  /** Moves the simulated clock forward, firing (and logging) every timer that falls due on the way. */
  advance(session: RoutingSession, ms: number): AuditRecord[] {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance the clock by ${ms} ms`);
    return this.advanceTo(session, session.clock.now + ms);
  }

  advanceTo(session: RoutingSession, targetMs: number): AuditRecord[] {
    const fired: AuditRecord[] = [];
    for (let timer = session.clock.next(); timer !== null && timer.due <= targetMs; timer = session.clock.next()) {
      const record = this.fire(session);
      if (record !== null) fired.push(record);
    }
    session.clock.now = Math.max(session.clock.now, targetMs);
    return fired;
  }

  private fire(session: RoutingSession): AuditRecord | null {
    const timer = session.clock.next();
    if (timer === null) return null;
    const before = session.snapshot;
    const said = before.context.timerEvents.length;
    session.clock.fire(timer);
    this.assertHealthy(session);
    const after = session.snapshot;
    if (after === before) return null;
    const seq = session.log.length;
    // The domain's name for the timer, and the message its action gave (what the trainee's inbox shows).
    const message = after.context.timerEvents.length > said ? after.context.timerEvents[after.context.timerEvents.length - 1] : undefined;
    const event = { type: timerRecordType(timer.eventType) ?? timer.eventType, ...(message === undefined ? {} : { message }) };
    const record: AuditRecord = { seq, at: session.now, eventId: `#${seq}`, event, actor: 'clock', from: before.value, to: after.value };
    session.append(record);
    return record;
  }

  /**
   * Replays as far as the log still replays: the session up to the first record today's code does not
   * reproduce, and why (null when all of it replays). A session made with an earlier version is shown this
   * way, read-only, instead of breaking a list or a grid (DESIGN §9).
   */
  replayAsFarAsPossible(stored: SessionRecord): { session: RoutingSession; error: ReplayError | null } {
    let replayed = 1;
    try {
      return { session: this.replay(stored, { beforeEach: (_entry, session) => (replayed = session.log.length) }), error: null };
    } catch (error) {
      if (!(error instanceof ReplayError)) throw error;
      // The record that diverged may have half-applied: keep only what replayed before it.
      const log = stored.log.slice(0, Math.max(1, replayed));
      try {
        return { session: this.replay({ ...stored, log, now: log[log.length - 1]?.at ?? stored.input.routingTime }), error };
      } catch {
        // Not even its first record replays: the tip as the machine starts it today.
        const versions = stored.input.versions;
        return { session: this.start(stored.input.submission, { at: stored.input.routingTime, openFileHashes: stored.input.openFileHashes, sessionId: stored.id, ...(versions === undefined ? {} : { versions }) }), error };
      }
    }
  }

  /** Rebuilds a session from its record by replaying the log, and checks the replay reproduces it exactly. */
  replay(stored: SessionRecord, options: ReplayOptions = {}): RoutingSession {
    const format: unknown = stored.format;
    if (typeof format !== 'string' || !READABLE_SESSION_FORMATS.includes(format)) throw new ReplayError(`not a tipflow session (format ${String(format)})`);
    const versions = stored.input.versions ?? { chart: 1, reference: 'unknown' };
    try {
      // Sessions stored before versions were recorded are of format 1, whatever their envelope says.
      return this.replayLog(stored, versions, format === 'tipflow.session/1' || stored.input.versions === undefined, options);
    } catch (error) {
      if (error instanceof ReplayError && (versions.chart !== this.versions.chart || versions.reference !== this.versions.reference)) error.earlierVersion = versions;
      throw error;
    }
  }

  /**
   * `legacy`: a session of format 1, whose timer records carry XState's `xstate.after.*` names and no message.
   * It is migrated as it replays: each such record must name the timer that fires, and is then kept under
   * the domain's name with its message (the session's log is the migrated one).
   */
  private replayLog(record: SessionRecord, versions: SessionVersions, legacy: boolean, options: ReplayOptions): RoutingSession {
    const session = this.start(record.input.submission, { at: record.input.routingTime, openFileHashes: record.input.openFileHashes, sessionId: record.id, versions });
    const first = record.log[0];
    if (first === undefined || JSON.stringify(first) !== JSON.stringify(session.log[0])) {
      throw new ReplayError(`replay diverges at #0: the log says ${JSON.stringify(first ?? null)}, the machine started with ${JSON.stringify(session.log[0])}`);
    }
    for (const entry of record.log.slice(1)) {
      options.beforeEach?.(entry, session);
      if (isNoteRecord(entry)) {
        const target = timeOf(entry.at);
        if (target < session.clock.now) throw new ReplayError(`replay diverges at #${entry.seq}: its time ${entry.at} is before ${session.now}`);
        const due = session.clock.next();
        // The clock never passes a pending timer without firing it, so none can be due before a note's time.
        if (due !== null && due.due < target) throw new ReplayError(`replay diverges at #${entry.seq}: a timer (${timerRecordType(due.eventType) ?? due.eventType}) was due before ${entry.at}`);
        session.clock.now = target;
        this.note(session, entry.event as NoteEvent, { actor: entry.actor, eventId: entry.eventId.startsWith('#') ? undefined : entry.eventId });
      } else if (entry.actor === 'clock') {
        const fired = this.fire(session);
        if (fired === null) throw new ReplayError(`replay diverges at #${entry.seq}: no timer was pending for ${entry.event.type}`);
      } else {
        const target = timeOf(entry.at);
        if (target < session.clock.now) throw new ReplayError(`replay diverges at #${entry.seq}: its time ${entry.at} is before ${session.now}`);
        session.clock.now = target;
        const parsed = parseRoutingEvent(entry.event);
        if (!parsed.ok) throw new ReplayError(`replay diverges at #${entry.seq}: ${formatIssues(parsed.issues)}`);
        // Deliver the logged object itself (validated above) so the replayed record matches it byte for byte.
        const result = this.deliver(session, entry.event as RoutingEvent, { eventId: entry.eventId, actor: entry.actor });
        if (!result.ok) throw new ReplayError(`replay diverges at #${entry.seq}: ${result.refusal.message}`);
      }
      const replayed = session.log[session.log.length - 1];
      const expected = legacy && entry.actor === 'clock' && replayed !== undefined && timerRecordType(entry.event.type) === replayed.event.type ? { ...entry, event: replayed.event } : entry;
      if (JSON.stringify(replayed) !== JSON.stringify(expected)) {
        throw new ReplayError(`replay diverges at #${entry.seq}: the log says ${JSON.stringify(entry)}, the machine did ${JSON.stringify(replayed)}`);
      }
    }
    session.clock.now = Math.max(session.clock.now, timeOf(record.now));
    return session;
  }

  private assertHealthy(session: RoutingSession): void {
    const snapshot = session.snapshot;
    if (snapshot.status === 'error') {
      throw new Error(`internal error in the routing machine at ${statePaths(snapshot.value).join(', ')}: ${String(snapshot.error)}`);
    }
  }
}
