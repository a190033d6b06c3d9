// Plain-text tables for terminals: columns padded to their widest cell; with a width, the widest columns
// wrap their cells at word boundaries so the table fits.
import { layoutRows, wrapLine } from './text-wrap.js';

export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], maxWidth = Number.POSITIVE_INFINITY): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  if (!Number.isFinite(maxWidth) || widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1) <= maxWidth) {
    const line = (cells: readonly string[]) => cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd();
    return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
  }
  const [head = '', ...body] = layoutRows([header, ...rows], maxWidth);
  if ([head, ...body].every((l) => l.length <= maxWidth)) return [head, '-'.repeat(Math.max(...[head, ...body].map((l) => l.length))), ...body].join('\n');
  // Too many columns for the terminal even with wrapped cells: one block per row, "field value" pairs.
  return rows
    .flatMap((row) => wrapLine(`• ${header[0] ?? ''} ${row[0] ?? ''}: ${header.slice(1).map((h, c) => `${h} ${row[c + 1] ?? '-'}`).join(' · ')}`, maxWidth))
    .join('\n');
}
