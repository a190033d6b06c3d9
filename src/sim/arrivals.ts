// When each tip of a year's stream arrives. Tip i of N takes the (i + u)/N quantile of the year's arrival
// intensity (u uniform in [0, 1) from its own stream): arrival times are in index order, spread as the
// intensity says, and computed from the index alone, so any chunk can compute its own.
import { HOUR_MS } from '../domain/routing/timers.js';

export interface ArrivalShape {
  weekendFactor: number;
  growthWithinYear: number;
}

export class ArrivalProfile {
  readonly startMs: number;
  readonly endMs: number;
  private readonly cumulative: Float64Array;
  private readonly hours: number;

  constructor(
    readonly year: number,
    /** Tips in the whole stream (the year's reports). */
    readonly total: number,
    shape: ArrivalShape,
  ) {
    this.startMs = Date.UTC(year, 0, 1);
    this.endMs = Date.UTC(year + 1, 0, 1);
    this.hours = Math.round((this.endMs - this.startMs) / HOUR_MS);
    this.cumulative = new Float64Array(this.hours + 1);
    for (let h = 0; h < this.hours; h += 1) {
      const day = new Date(this.startMs + h * HOUR_MS).getUTCDay();
      const weekend = day === 0 || day === 6 ? shape.weekendFactor : 1;
      const trend = 1 + shape.growthWithinYear * ((h + 0.5) / this.hours - 0.5);
      this.cumulative[h + 1] = (this.cumulative[h] ?? 0) + weekend * trend;
    }
  }

  /** Arrival of tip `index` (whole seconds, epoch ms); `u` in [0, 1) places it within its share. */
  arrivalMs(index: number, u: number): number {
    const total = this.cumulative[this.hours] ?? 1;
    const target = ((index + u) / this.total) * total;
    let lo = 0;
    let hi = this.hours - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.cumulative[mid] ?? 0) <= target) lo = mid;
      else hi = mid - 1;
    }
    const base = this.cumulative[lo] ?? 0;
    const width = (this.cumulative[lo + 1] ?? base + 1) - base;
    const ms = this.startMs + (lo + Math.min(1, (target - base) / width)) * HOUR_MS;
    return Math.min(this.endMs - 1000, Math.floor(ms / 1000) * 1000);
  }
}
