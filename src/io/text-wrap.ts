// Text for terminals (issue 15, item 4): lines and table cells wrapped at word boundaries to a width, so a
// terminal never breaks "subjects[0].ipEvents[0]" or "acknowledgement" in the middle. A word longer than
// the width is the only thing ever cut. Pure: the caller says the width (the terminal's columns).

/** The indent a wrapped line continues at: its own leading spaces, plus a bullet's or a number's width. */
function hangingIndent(line: string): string {
  const match = /^(\s*)((?:[•»\-*]|\d+\.)\s+)?/.exec(line);
  return ' '.repeat((match?.[1]?.length ?? 0) + (match?.[2]?.length ?? 0));
}

/** One line as several, none longer than `width`, broken at spaces (a word wider than the width is cut). */
export function wrapLine(line: string, width: number): string[] {
  if (!Number.isFinite(width) || line.length <= width) return [line];
  const indent = hangingIndent(line);
  const lead = line.length - line.trimStart().length;
  const out: string[] = [];
  let current = line.slice(0, lead);
  let empty = true;
  for (const word of line.slice(lead).split(/ +/).filter((w) => w !== '')) {
    const joined = `${current}${empty ? '' : ' '}${word}`;
    if (joined.length <= width) {
      current = joined;
      empty = false;
      continue;
    }
    if (!empty) {
      out.push(current);
      current = indent;
    }
    let rest = word;
    while (current.length + rest.length > width) {
      const room = Math.max(width - current.length, 1);
      out.push(`${current}${rest.slice(0, room)}`);
      rest = rest.slice(room);
      current = indent;
    }
    current = `${current}${rest}`;
    empty = false;
  }
  out.push(current);
  return out.map((l) => l.trimEnd());
}

/** Every line of `text` wrapped to `width` (Infinity: unchanged). */
export function wrapText(text: string, width: number): string {
  if (!Number.isFinite(width)) return text;
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, width))
    .join('\n');
}

/** Words of one cell as lines of at most `width` characters. */
function wrapCell(cell: string, width: number): string[] {
  return cell.length <= width ? [cell] : wrapLine(cell, width).map((l) => l.trim());
}

/**
 * Rows padded to their columns, two spaces apart; when the table is wider than `maxWidth`, the widest
 * columns give up room (down to their longest word) and their cells wrap at word boundaries onto more lines.
 */
export function layoutRows(rows: readonly (readonly string[])[], maxWidth = Number.POSITIVE_INFINITY, gap = 2): string[] {
  const columns = Math.max(0, ...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(0, ...rows.map((r) => (r[c] ?? '').length)));
  const total = () => widths.reduce((a, b) => a + b, 0) + gap * Math.max(columns - 1, 0);
  // A column never gets narrower than its longest word, so no word is cut; the table may then stay too wide.
  const floor = Array.from({ length: columns }, (_, c) => Math.max(1, ...rows.flatMap((r) => (r[c] ?? '').split(' ').map((w) => w.length))));
  while (Number.isFinite(maxWidth) && total() > maxWidth) {
    const shrinkable = widths.map((w, c) => (w > (floor[c] ?? 0) ? w : -1));
    const widest = shrinkable.indexOf(Math.max(...shrinkable));
    if ((shrinkable[widest] ?? -1) < 0) break;
    widths[widest] = Math.max(floor[widest] ?? 0, (widths[widest] ?? 0) - (total() - maxWidth));
  }
  return rows.flatMap((row) => {
    const cells = Array.from({ length: columns }, (_, c) => wrapCell(row[c] ?? '', widths[c] ?? 0));
    const height = Math.max(1, ...cells.map((lines) => lines.length));
    return Array.from({ length: height }, (_, i) =>
      cells
        .map((lines, c) => (lines[i] ?? '').padEnd(widths[c] ?? 0))
        .join(' '.repeat(gap))
        .trimEnd(),
    );
  });
}
