// When an exercise's scripted injects arrive (DESIGN §10): timed ones at their offset from the clock start,
// state-entry ones on the nth entry of their state. The exercise runner (runner.ts) reads it; what was
// delivered, held or not delivered is the runner's, kept in the log.
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
  private readonly onEntry: readonly Inject[];
  private readonly queue: Inject[] = [];
  /** Ids of the state-entry injects ever queued: each is triggered once. */
  private readonly queued = new Set<string>();
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
        if (this.queued.has(inject.id)) continue;
        if (inject.when?.state === path && (inject.when.occurrence ?? 1) === this.entries.count(path)) {
          this.queued.add(inject.id);
          this.queue.push(inject);
        }
      }
    }
  }

  /** The next state-entry inject waiting to be delivered, taken off the queue. */
  shiftQueued(): Inject | undefined {
    return this.queue.shift();
  }
}
