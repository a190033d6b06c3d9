// Terminal text wraps at word boundaries (issue 15, item 4): no line over the width, no word cut unless it
// is wider than the width, continuation lines at the bullet's or number's indent, tables wrap their cells.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { layoutRows, wrapLine, wrapText } from '../../src/io/text-wrap.js';

describe('wrapLine', () => {
  it('breaks at spaces and continues under the text of a numbered line', () => {
    expect(wrapLine('  3. US-PA-ICAC serves another state (PA, US); the primary location is Houston, TX, US', 40)).toEqual([
      '  3. US-PA-ICAC serves another state',
      '     (PA, US); the primary location is',
      '     Houston, TX, US',
    ]);
  });

  it('keeps a short line as it is, and cuts only a word wider than the width', () => {
    expect(wrapLine('short', 40)).toEqual(['short']);
    expect(wrapLine('a subjects[0].ipEvents[0].and.more.text b', 12)).toEqual(['a', 'subjects[0].', 'ipEvents[0].', 'and.more.tex', 't b']);
  });

  it('an infinite width leaves the text alone', () => {
    const text = 'x '.repeat(200);
    expect(wrapText(text, Number.POSITIVE_INFINITY)).toBe(text);
  });

  test.prop([fc.array(fc.stringMatching(/^[a-z.[\]0-9]{1,30}$/), { minLength: 1, maxLength: 40 }), fc.integer({ min: 20, max: 160 }), fc.constantFrom('', '  ', '  • ', '  12. ')])(
    'no line is longer than the width, and the words come back in order, uncut when they fit',
    (words, width, prefix) => {
      const lines = wrapLine(`${prefix}${words.join(' ')}`, width);
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(width);
      const rejoined = lines.map((l) => l.trim()).join(' ');
      if (words.every((w) => w.length + prefix.length <= width)) expect(rejoined).toBe(`${prefix}${words.join(' ')}`.trim());
    },
  );
});

describe('layoutRows', () => {
  it('pads columns when the table fits', () => {
    expect(layoutRows([['#', 'yours'], ['1', 'refer to US-TX-ICAC']])).toEqual(['#  yours', '1  refer to US-TX-ICAC']);
  });

  it('wraps the widest column at word boundaries when the table is too wide, never below its longest word', () => {
    const lines = layoutRows([['1', 'triage', 'your decision (priority P2, referral track) was refused at triage', 'wrong']], 50);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(50);
    expect(lines.map((l) => l.slice(11, 43).trim()).join(' ')).toBe('your decision (priority P2, referral track) was refused at triage');
    expect(lines[0]?.endsWith('wrong')).toBe(true);
  });
});
