// timeOf reads the common ISO forms itself; wherever it does, its value must be Date.parse's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timeOf } from '../../src/domain/indicators.js';

/** What timeOf always meant: Date.parse, a date alone at 00:00:00Z. */
const reference = (iso: string): number => Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

describe('timeOf', () => {
  it('reads the three common forms as Date.parse does', () => {
    expect(timeOf('2019-06-01')).toBe(Date.UTC(2019, 5, 1));
    expect(timeOf('2019-06-01T10:20:30Z')).toBe(Date.UTC(2019, 5, 1, 10, 20, 30));
    expect(timeOf('2019-06-01T10:20:30.456Z')).toBe(Date.UTC(2019, 5, 1, 10, 20, 30, 456));
  });

  it('leaves offsets, 24:00 and odd precisions to Date.parse', () => {
    for (const iso of ['2019-06-01T10:20:30+02:00', '2019-06-01T24:00:00Z', '2019-06-01T10:20:30.4Z', '2019-06-01T10:20Z', '0999-01-01', '2019-02-30', '2019-13-01', 'not a date']) {
      expect(Object.is(timeOf(iso), reference(iso)), iso).toBe(true);
    }
  });

  it('agrees with Date.parse on generated dates and date-times, in range or not', () => {
    const field = (max: number) => fc.integer({ min: 0, max });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), field(14), field(33), field(25), field(61), field(61), field(999), fc.constantFrom(0, 1, 2), (y, mo, d, h, mi, s, ms, form) => {
        const date = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}`;
        const iso = form === 0 ? date : `${date}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${form === 2 ? `.${pad(ms, 3)}` : ''}Z`;
        expect(Object.is(timeOf(iso), reference(iso)), iso).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('agrees with Date.parse on arbitrary strings of the right lengths', () => {
    fc.assert(
      fc.property(fc.constantFrom(10, 20, 24).chain((n) => fc.string({ unit: fc.constantFrom(...'0123456789-T:.Z+ '), minLength: n, maxLength: n })), (iso) => {
        expect(Object.is(timeOf(iso), reference(iso)), iso).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });
});
