// When an exercise's scripted injects arrive (DESIGN §10): timed ones at their offset from the clock start,
// state-entry ones on the nth entry of their state. Shared by the headless driver (drive.ts) and the
// interactive player (`tipflow play`), so both deliver the same inject at the same moment.
import type { AuditRecord } from '../engine/index.js';
import { offsetMs, type Exercise, type Inject } from './format.js';
import { StateEntries } from './state-entries.js';

export interface TimedInject {
  inject: Inject;
  /** Simulated epoch ms it arrives at. */
  due: number;
}

export class InjectSchedule {
  /** The injects of the script (contingency injects are the instructor's, sent only when needed). */
  readonly scripted: readonly Inject[];
  /** Timed injects, earliest first. */
  readonly timed: readonly TimedInject[];
  /** Ids of injects delivered (or attempted and refused), in order. */
  readonly sent = new Set<string>();
  private readonly onEntry: readonly Inject[];
  private readonly queue: Inject[] = [];
  private readonly entries = new StateEntries();

  constructor(exercise: Exercise, startMs: number) {
    this.scripted = (exercise.injects ?? []).filter((i) => i.contingency !== true);
    this.timed = this.scripted
      .filter((i) => i.at !== undefined)
      .map((i) => ({ inject: i, due: startMs + offsetMs(i.at ?? '+0m') }))
      .sort((a, b) => a.due - b.due);
    this.onEntry = this.scripted.filter((i) => i.when !== undefined);
  }

  /** Notes log records in order; a record entering a state queues the state-entry injects it triggers. */
  note(records: readonly AuditRecord[]): void {
    for (const record of records) {
      const path = this.entries.note(record);
      if (path === null) continue;
      for (const inject of this.onEntry) {
        if (this.sent.has(inject.id) || this.queue.includes(inject)) continue;
        if (inject.when?.state === path && (inject.when.occurrence ?? 1) === this.entries.count(path)) this.queue.push(inject);
      }
    }
  }

  /** The next state-entry inject waiting to be delivered, taken off the queue. */
  shiftQueued(): Inject | undefined {
    return this.queue.shift();
  }

  /** The earliest timed inject not delivered yet. */
  nextTimed(): TimedInject | undefined {
    return this.timed.find((t) => !this.sent.has(t.inject.id));
  }

  markSent(inject: Inject): void {
    this.sent.add(inject.id);
  }

  /**
   * The schedule of a session rebuilt from its log alone (resuming, taking a decision back): state-entry
   * injects are delivered the moment their state is entered, and timed ones when the clock passes them,
   * so every inject triggered within `log`, or due by `nowMs`, has been delivered.
   */
  static settled(exercise: Exercise, startMs: number, log: readonly AuditRecord[], nowMs: number): InjectSchedule {
    const schedule = new InjectSchedule(exercise, startMs);
    schedule.note(log);
    for (let inject = schedule.shiftQueued(); inject !== undefined; inject = schedule.shiftQueued()) schedule.markSent(inject);
    for (const { inject, due } of schedule.timed) if (due <= nowMs) schedule.markSent(inject);
    return schedule;
  }
}
