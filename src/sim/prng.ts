// A small seeded PRNG for the volume simulator: every tip gets its own stream, derived from (seed, index),
// so a tip's draws do not depend on which worker routes it or on how the stream is cut into chunks.
// sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), seeded through splitmix32 mixing.

/** splitmix32's finalizer: a well-mixed 32-bit value from any 32-bit input. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** Every 16-bit value as 4 hex digits: hashes and names are built from these, not toString(16). */
const HEX4: readonly string[] = Array.from({ length: 0x10000 }, (_, i) => i.toString(16).padStart(4, '0'));

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** The stream of tip `index` (0 ≤ index < 2^53) under `seed` (any 32-bit integer). */
  constructor(seed: number, index: number) {
    const lo = index >>> 0;
    const hi = Math.floor(index / 0x1_0000_0000) >>> 0;
    this.a = mix32(seed ^ 0x5bd1e995);
    this.b = mix32(lo ^ this.a);
    this.c = mix32(hi ^ this.b ^ 0x27d4eb2f);
    this.d = mix32(this.c ^ lo);
    for (let i = 0; i < 12; i += 1) this.next32();
  }

  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next32() / 0x1_0000_0000;
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }

  /** An element of `items`. */
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.float() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** 8 hex digits. */
  hex8(): string {
    const x = this.next32();
    return (HEX4[x >>> 16] as string) + (HEX4[x & 0xffff] as string);
  }
}

/** Draws from a discrete distribution given as [value, weight] pairs (weights need not sum to 1). */
export class WeightedChoice<T> {
  private readonly values: T[];
  private readonly cumulative: Float64Array;

  constructor(entries: readonly (readonly [T, number])[]) {
    const kept = entries.filter(([, w]) => w > 0);
    if (kept.length === 0) throw new RangeError('a weighted choice needs at least one positive weight');
    this.values = kept.map(([v]) => v);
    this.cumulative = new Float64Array(kept.length);
    let total = 0;
    kept.forEach(([, w], i) => {
      total += w;
      this.cumulative[i] = total;
    });
    for (let i = 0; i < kept.length; i += 1) this.cumulative[i] = (this.cumulative[i] ?? 0) / total;
  }

  draw(rng: Rng): T {
    const u = rng.float();
    const n = this.values.length;
    for (let i = 0; i < n - 1; i += 1) if (u < (this.cumulative[i] ?? 1)) return this.values[i] as T;
    return this.values[n - 1] as T;
  }
}
