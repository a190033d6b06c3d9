// The analysts' queues: one per priority, first come first served, `analysts[p]` people each taking one
// tip at a time (triage, then geolocation and the route decision). Tips arrive in index order, so the
// queue runs over the stream's heads alone, in one place (the coordinating thread), and hands each chunk
// the analyst times its tips need before the chunk is routed. It also keeps the backlog over time.
import { PRIORITIES, type Priority } from '../domain/triage.js';
import type { TipHead } from './synthetic-tips.js';
import { HOUR_MS } from '../domain/routing/timers.js';

/** A binary min-heap of the times each analyst is next free. */
class FreeTimes {
  private readonly heap: Float64Array;

  constructor(size: number, start: number) {
    this.heap = new Float64Array(size).fill(start);
  }

  get earliest(): number {
    return this.heap[0] ?? 0;
  }

  /** The earliest-free analyst becomes free again at `t`. */
  replaceEarliest(t: number): void {
    const h = this.heap;
    const n = h.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && (h[r] ?? 0) < (h[l] ?? 0) ? r : l;
      if ((h[c] ?? 0) >= t) break;
      h[i] = h[c] ?? 0;
      i = c;
    }
    h[i] = t;
  }
}

export interface BacklogSeries {
  startMs: number;
  hours: number;
  /** Per priority: tips waiting for an analyst at the end of each hour. */
  waiting: Record<Priority, Float64Array>;
}

export class TriageQueues {
  private readonly free: Record<Priority, FreeTimes>;
  /** Per priority and hour: arrivals to the queue, and analysts starting on a tip. */
  private readonly arrivals: Record<Priority, Float64Array>;
  private readonly starts: Record<Priority, Float64Array>;
  private readonly hours: number;

  constructor(
    analysts: Record<Priority, number>,
    private readonly startMs: number,
    endMs: number,
  ) {
    this.hours = Math.ceil((endMs - startMs) / HOUR_MS);
    const make = (f: (p: Priority) => unknown) => Object.fromEntries(PRIORITIES.map((p) => [p, f(p)]));
    this.free = make((p) => new FreeTimes(analysts[p], startMs)) as Record<Priority, FreeTimes>;
    this.arrivals = make(() => new Float64Array(this.hours)) as Record<Priority, Float64Array>;
    this.starts = make(() => new Float64Array(this.hours)) as Record<Priority, Float64Array>;
  }

  private hourOf(ms: number): number {
    return Math.min(this.hours - 1, Math.max(0, Math.floor((ms - this.startMs) / HOUR_MS)));
  }

  /** Triage and route times of a tip that needs an analyst; writes them into `out` at `offset`. */
  admit(head: TipHead, out: Float64Array, offset: number): void {
    if (head.rejected || head.bundled) {
      out[offset] = Number.NaN;
      out[offset + 1] = Number.NaN;
      return;
    }
    const p = head.exigency;
    const free = this.free[p];
    const start = Math.max(head.arrivalMs, free.earliest);
    const triaged = start + head.triageMs;
    const routed = triaged + head.routingMs;
    free.replaceEarliest(routed);
    const arrivals = this.arrivals[p];
    const starts = this.starts[p];
    const ha = this.hourOf(head.arrivalMs);
    arrivals[ha] = (arrivals[ha] ?? 0) + 1;
    // A start after the last hour is still waiting at the end of it.
    if (start < this.startMs + this.hours * HOUR_MS) {
      const hs = this.hourOf(start);
      starts[hs] = (starts[hs] ?? 0) + 1;
    }
    out[offset] = triaged;
    out[offset + 1] = routed;
  }

  backlog(): BacklogSeries {
    const waiting = {} as Record<Priority, Float64Array>;
    for (const p of PRIORITIES) {
      const series = new Float64Array(this.hours);
      let level = 0;
      for (let h = 0; h < this.hours; h += 1) {
        level += (this.arrivals[p][h] ?? 0) - (this.starts[p][h] ?? 0);
        series[h] = level;
      }
      waiting[p] = series;
    }
    return { startMs: this.startMs, hours: this.hours, waiting };
  }
}
