// The one date format of the web app (issue 18, item 4): the simulated clock's, in UTC.
import { describe, expect, it } from 'vitest';
import { clockParts, clockText } from '../../src/web/components/time-text.js';

describe('clockText, the one time format on screen', () => {
  it('writes an instant in UTC as day, month, year and minutes', () => {
    expect(clockText('2019-06-01T10:00:00Z')).toBe('1 Jun 2019, 10:00 UTC');
    expect(clockText('2023-11-04T02:15:30.250Z')).toBe('4 Nov 2023, 02:15 UTC');
  });

  it('converts an offset to UTC, so the day can change', () => {
    expect(clockText('2019-12-31T23:30:00-02:00')).toBe('1 Jan 2020, 01:30 UTC');
  });

  it('keeps a date alone a date, with no time and no shift of the day', () => {
    expect(clockText('2019-05-01')).toBe('1 May 2019');
    expect(clockText('2020-12-24')).toBe('24 Dec 2020');
  });

  it('shows text that is no time as it is, instead of "Invalid Date"', () => {
    expect(clockText('not a time')).toBe('not a time');
    expect(clockText('')).toBe('');
  });

  it('splits an instant for narrow cells into its date and its time', () => {
    expect(clockParts('2019-05-30T22:09:00Z')).toEqual(['30 May 2019', '22:09 UTC']);
    expect(clockParts('2019-05-30')).toEqual(['30 May 2019', null]);
  });
});
