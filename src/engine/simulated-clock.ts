// Simulated time for the routing actor. XState schedules delayed transitions through the actor's clock;
// this one never touches real timers: a timer fires only when the engine moves the clock past it, so a
// 1-year preservation period costs nothing and replays exactly.

/** The clock interface XState's actors accept (`createActor(machine, { clock })`). */
export interface Clock {
  setTimeout(fn: (...args: unknown[]) => void, timeout: number): unknown;
  clearTimeout(id: unknown): void;
}

export interface PendingTimer {
  id: number;
  /** Simulated epoch ms when it fires. */
  due: number;
  /** The delayed event XState will deliver (e.g. xstate.after.triageSla.tip.routing.triage). */
  eventType: string;
  fire: () => void;
}

export class SimulatedClock implements Clock {
  private nextId = 1;
  private readonly pending = new Map<number, PendingTimer>();
  /** Tells the clock which event a timer being set will deliver; see RoutingSession. */
  describeNext: () => string = () => 'unknown';

  private isoAt = Number.NaN;
  private isoText = '';

  constructor(public now: number) {}

  /** The current simulated time as ISO 8601 text (kept until the clock moves). */
  get nowIso(): string {
    if (this.isoAt !== this.now) {
      this.isoText = new Date(this.now).toISOString();
      this.isoAt = this.now;
    }
    return this.isoText;
  }

  setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    const id = this.nextId++;
    const delay = Number.isFinite(timeout) && timeout > 0 ? timeout : 0;
    this.pending.set(id, { id, due: this.now + delay, eventType: this.describeNext(), fire: fn });
    return id;
  }

  clearTimeout(id: unknown): void {
    if (typeof id === 'number') this.pending.delete(id);
  }

  /** The timer that fires next (earliest due, then first set), or null. */
  next(): PendingTimer | null {
    let best: PendingTimer | null = null;
    for (const timer of this.pending.values()) {
      if (best === null || timer.due < best.due || (timer.due === best.due && timer.id < best.id)) best = timer;
    }
    return best;
  }

  /** Moves the clock to the timer's due time and fires it. */
  fire(timer: PendingTimer): void {
    this.pending.delete(timer.id);
    this.now = Math.max(this.now, timer.due);
    timer.fire();
  }

  timers(): PendingTimer[] {
    return [...this.pending.values()].sort((a, b) => a.due - b.due || a.id - b.id);
  }
}
