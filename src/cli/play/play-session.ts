// One trainee's run of an exercise in `tipflow play`, without any terminal I/O: decisions go to the engine,
// scripted injects arrive by the same schedule as in `tipflow run` (InjectSchedule), waiting moves the
// simulated clock, undo rebuilds the session from its log without the last decision, and the whole
// state is a PlayRecord that `tipflow report`, `replay` and `play --resume` read.
import type { RoutingEvent } from '../../domain/events.js';
import type { DecisionPoint } from '../../domain/routing/answer-key.js';
import { timeOf } from '../../domain/indicators.js';
import { decisionPointOf, type AuditRecord, type Engine, type RoutingSession } from '../../engine/index.js';
import { describeEvent, injectEvent, startTimeOf } from '../../scenario/drive.js';
import type { Inject } from '../../scenario/format.js';
import { pendingDecision, practiceHint } from '../../scenario/hint.js';
import { InjectSchedule, type TimedInject } from '../../scenario/inject-schedule.js';
import type { LoadedExercise } from '../../scenario/load.js';
import { exerciseOf, PLAY_FORMAT, type PlayRecord } from '../../scenario/play-record.js';
import { DecisionCounts } from '../../scenario/state-entries.js';

export type InteractiveMode = 'practice' | 'assessment';

/** Something that happened without the trainee: an inject arrived, or a timer fired. */
export interface Happening {
  at: string;
  kind: 'message' | 'clock' | 'problem';
  text: string;
}

export type DecideResult = { ok: true; record: AuditRecord; happenings: Happening[] } | { ok: false; message: string };

export interface WaitResult {
  happenings: Happening[];
  /** Why the wait ended before its target, if it did. */
  interruptedBy: 'decision' | 'closed' | 'message' | null;
}

type InboxEntry = PlayRecord['inbox'][number];

export class PlaySession {
  private constructor(
    readonly engine: Engine,
    readonly loaded: LoadedExercise,
    readonly exerciseSource: PlayRecord['exercise'],
    readonly mode: InteractiveMode,
    private current: RoutingSession,
    private schedule: InjectSchedule,
    private inboxEntries: InboxEntry[],
    private refused: PlayRecord['refusals'],
    private hints: number,
    /** Timed injects that arrived before the tip could take them (see `deliver`), oldest first. */
    private held: Inject[] = [],
  ) {}

  static start(engine: Engine, loaded: LoadedExercise, source: PlayRecord['exercise'], mode: InteractiveMode): PlaySession {
    const { exercise, tip } = loaded;
    const session = engine.start(tip, { at: startTimeOf(exercise, tip), sessionId: exercise.id });
    const schedule = new InjectSchedule(exercise, session.clock.now);
    const play = new PlaySession(engine, loaded, source, mode, session, schedule, [], [], 0);
    schedule.note(session.log);
    play.deliverQueued();
    return play;
  }

  /** Continues a saved play: the session is rebuilt by replaying its log (ReplayError if it does not replay). */
  static resume(engine: Engine, record: PlayRecord, mode: InteractiveMode): PlaySession {
    const loaded = exerciseOf(record);
    const session = engine.replay(record.session);
    const schedule = InjectSchedule.settled(loaded.exercise, startMsOf(session), session.log, session.clock.now);
    const play = new PlaySession(engine, loaded, record.exercise, mode, session, schedule, [...record.inbox], [...record.refusals], record.hintsUsed, heldIn(schedule, session));
    play.deliverQueued();
    play.retryHeld();
    return play;
  }

  get session(): RoutingSession {
    return this.current;
  }
  get exercise() {
    return this.loaded.exercise;
  }
  get inbox(): readonly InboxEntry[] {
    return this.inboxEntries;
  }
  get hintsUsed(): number {
    return this.hints;
  }
  get startMs(): number {
    return startMsOf(this.current);
  }

  /** The decision the trainee faces now, with its occurrence (the second route decision after a decline). */
  decisionPoint(): { point: DecisionPoint; occurrence: number } | null {
    return pendingDecision(this.current);
  }

  /** Sends a trainee decision; on acceptance, the injects its new state triggers arrive at once. */
  decide(event: RoutingEvent): DecideResult {
    const at = this.decisionPoint();
    const result = this.engine.send(this.current, event, { actor: 'trainee' });
    if (!result.ok) {
      if (at !== null) this.refused.push({ ...at, event, message: result.refusal.message });
      return { ok: false, message: result.refusal.message };
    }
    const happenings = this.note(result.audit.seq);
    return { ok: true, record: result.audit, happenings: [...happenings, ...this.deliverQueued(), ...this.retryHeld()] };
  }

  nextTimedInject(): TimedInject | undefined {
    return this.schedule.nextTimed();
  }

  /** True when nothing can move the tip on: no decision, no timer and no scripted inject to come. */
  get stuck(): boolean {
    return !this.current.closed && this.decisionPoint() === null && this.current.clock.next() === null && this.schedule.nextTimed() === undefined;
  }

  /**
   * Moves the simulated clock to `targetMs`, firing timers and delivering timed injects on the way in the
   * order `tipflow run` does (an inject due with a timer arrives after it). Stops early when a message
   * arrives, the tip reaches a new decision, or it closes, so the trainee can react.
   */
  wait(targetMs: number): WaitResult {
    const happenings: Happening[] = [];
    const startState = this.current.state;
    for (;;) {
      if (this.current.closed) return { happenings, interruptedBy: 'closed' };
      if (this.current.state !== startState && decisionPointOf(this.current) !== null) return { happenings, interruptedBy: 'decision' };
      if (happenings.some((h) => h.kind === 'message')) return { happenings, interruptedBy: 'message' };
      const due = this.schedule.nextTimed();
      const timer = this.current.clock.next();
      if (due !== undefined && due.due <= targetMs && (timer === null || due.due <= timer.due)) {
        const before = this.current.log.length;
        this.engine.advanceTo(this.current, due.due);
        happenings.push(...this.note(before));
        happenings.push(...this.deliver(due.inject, { hold: true }));
        happenings.push(...this.deliverQueued(), ...this.retryHeld());
        continue;
      }
      if (timer !== null && timer.due <= targetMs) {
        const before = this.current.log.length;
        this.engine.advanceTo(this.current, timer.due);
        happenings.push(...this.note(before));
        happenings.push(...this.deliverQueued(), ...this.retryHeld());
        continue;
      }
      this.engine.advanceTo(this.current, targetMs);
      return { happenings, interruptedBy: null };
    }
  }

  /** The last accepted trainee decision, which undo would take back, or null. */
  lastDecision(): AuditRecord | null {
    for (let i = this.current.log.length - 1; i > 0; i -= 1) {
      const record = this.current.log[i];
      if (record?.actor === 'trainee') return record;
    }
    return null;
  }

  /**
   * Takes back the last trainee decision: the session is replayed from its log up to just before it, and
   * the clock goes back to the moment it was made; injects and timers that followed it are undone too.
   */
  undo(): AuditRecord | null {
    if (this.mode !== 'practice') throw new Error('internal: undo is for practice mode only');
    const last = this.lastDecision();
    if (last === null) return null;
    const record = this.current.toRecord();
    this.current = this.engine.replay({ ...record, log: record.log.slice(0, last.seq), now: last.at });
    this.schedule = InjectSchedule.settled(this.exercise, this.startMs, this.current.log, this.current.clock.now);
    this.held = heldIn(this.schedule, this.current);
    this.inboxEntries = this.inboxEntries.filter((entry) => this.schedule.sent.has(entry.injectId));
    const pending = this.decisionPoint();
    const counts = new DecisionCounts();
    for (const entry of this.current.log) counts.note(entry);
    this.refused = this.refused.filter((r) => r.occurrence < counts.next(r.point) || (pending !== null && r.point === pending.point && r.occurrence === pending.occurrence));
    return last;
  }

  /** Practice help for the decision at hand: the exercise's hint, or else the expected decision itself. */
  hint(): string {
    if (this.mode !== 'practice') throw new Error('internal: hints are for practice mode only');
    const hint = practiceHint(this.engine, this.exercise, this.current);
    if (hint.point !== null) this.hints += 1;
    return hint.text;
  }

  toRecord(): PlayRecord {
    return {
      format: PLAY_FORMAT,
      mode: this.mode,
      exercise: this.exerciseSource,
      refusals: [...this.refused],
      injectsSent: [...this.schedule.sent].filter((id) => !this.held.some((inject) => inject.id === id)),
      inbox: [...this.inboxEntries],
      hintsUsed: this.hints,
      finished: this.current.closed,
      session: this.current.toRecord(),
    };
  }

  /** Timer messages of the records from `fromIndex` on, and the state-entry injects they queue. */
  private note(fromIndex: number): Happening[] {
    const records = this.current.log.slice(fromIndex);
    this.schedule.note(records);
    const messages = this.current.context.timerEvents;
    const fired = records.filter((r) => r.actor === 'clock');
    // Each timer action records one message; the newest ones belong to the timers that just fired.
    return messages.slice(messages.length - fired.length).map((text, i) => ({ at: fired[i]?.at ?? this.current.now, kind: 'clock' as const, text }));
  }

  private deliverQueued(): Happening[] {
    const happenings: Happening[] = [];
    for (let inject = this.schedule.shiftQueued(); inject !== undefined; inject = this.schedule.shiftQueued()) happenings.push(...this.deliver(inject));
    return happenings;
  }

  /**
   * Delivers an inject. `tipflow run` decides at once, so a timed inject finds the tip where the author
   * meant it to be; a trainee may still be deciding earlier steps when its time comes. Such an inject is
   * held (`hold`) and arrives as soon as the tip can take it, instead of being lost.
   */
  private deliver(inject: Inject, options: { hold?: boolean } = {}): Happening[] {
    this.schedule.markSent(inject);
    const event = injectEvent(inject);
    const at = this.current.now;
    if (event === null) return [this.toInbox(inject, at)];
    const before = this.current.log.length;
    const result = this.engine.deliver(this.current, event, { actor: 'instructor', eventId: `inject-${inject.id}` });
    if (result.ok) return [this.toInbox(inject, at), ...this.note(before)];
    if (options.hold === true) {
      this.held.push(inject);
      return [{ at, kind: 'problem', text: 'A scheduled message is for a later stage of the tip; it will arrive when the tip gets there.' }];
    }
    return [{ at, kind: 'problem', text: `The scripted inject "${inject.id}" (${describeEvent(event)}) could not be applied here: ${result.refusal.message}` }];
  }

  /** Delivers the held injects the tip can take now. */
  private retryHeld(): Happening[] {
    const happenings: Happening[] = [];
    for (const inject of [...this.held]) {
      const event = injectEvent(inject);
      if (event === null || this.current.closed) continue;
      const before = this.current.log.length;
      const result = this.engine.deliver(this.current, event, { actor: 'instructor', eventId: `inject-${inject.id}` });
      if (!result.ok) continue;
      this.held = this.held.filter((h) => h !== inject);
      happenings.push(this.toInbox(inject, this.current.now), ...this.note(before), ...this.deliverQueued());
    }
    return happenings;
  }

  private toInbox(inject: Inject, at: string): Happening {
    const message = inject.message.replace(/\s+/g, ' ').trim();
    this.inboxEntries.push({ at, injectId: inject.id, message });
    return { at, kind: 'message', text: message };
  }
}

/** Timed injects past due that changed nothing in the log: held back, waiting for the tip (see `deliver`). */
function heldIn(schedule: InjectSchedule, session: RoutingSession): Inject[] {
  const logged = new Set(session.log.map((r) => r.eventId));
  return schedule.timed.filter((t) => t.due <= session.clock.now && injectEvent(t.inject) !== null && !logged.has(`inject-${t.inject.id}`)).map((t) => t.inject);
}

const startMsOf = (session: RoutingSession): number => timeOf(session.log[0]?.at ?? session.input.routingTime);
