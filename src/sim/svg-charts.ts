// Small inline SVG charts for the offline HTML reports (the simulator's, the after-action report's): no
// scripts, no external files, no namespace URL (inline SVG in HTML needs none, and a report that names no
// URL can be checked to open offline), readable printed. Each chart carries a <title> and, when given, a
// <desc> for screen readers.

export interface Series {
  name: string;
  color: string;
  values: readonly number[];
}

const W = 960;
const PAD = { left: 64, right: 16, top: 28, bottom: 36 };

export const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** A round number ≥ max for the top of the y axis, and its step. */
function niceScale(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.25 };
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude;
  return { top: step * Math.ceil(max / step), step };
}

/** The opening tag of a chart, with its accessible name (title) and description. */
function svgOpen(width: number, height: number, title: string, desc: string | undefined): string {
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}"><title>${escapeXml(title)}</title>${desc === undefined ? '' : `<desc>${escapeXml(desc)}</desc>`}`;
}

const compact = (n: number): string => (n >= 1e6 ? `${+(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${+(n / 1e3).toFixed(1)}k` : `${+n.toFixed(2)}`);

function axes(height: number, top: number, step: number, labels: readonly string[], title: string): string {
  const plotH = height - PAD.top - PAD.bottom;
  const plotW = W - PAD.left - PAD.right;
  const parts: string[] = [`<text x="${PAD.left}" y="16" class="title">${escapeXml(title)}</text>`];
  for (let v = 0; v <= top + step / 2; v += step) {
    const y = PAD.top + plotH - (v / top) * plotH;
    parts.push(`<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" class="grid"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${(y + 4).toFixed(1)}" class="tick" text-anchor="end">${compact(v)}</text>`);
  }
  // At most ~13 labels on the time axis: month starts for long windows, evenly spaced days otherwise.
  const n = labels.length;
  const monthStarts = labels.map((l, i) => (l.endsWith('-01') ? i : -1)).filter((i) => i >= 0);
  const marks = n > 62 && monthStarts.length > 1 ? monthStarts : Array.from({ length: Math.min(n, 8) }, (_, k) => Math.round((k * (n - 1)) / Math.max(1, Math.min(n, 8) - 1)));
  for (const i of [...new Set(marks)]) {
    const x = PAD.left + ((i + 0.5) / n) * plotW;
    const label = labels[i] ?? '';
    parts.push(`<text x="${x.toFixed(1)}" y="${height - PAD.bottom + 16}" class="tick" text-anchor="middle">${escapeXml(n > 62 ? label.slice(0, 7) : label.slice(5))}</text>`);
  }
  return parts.join('');
}

function legend(series: readonly Series[], height: number): string {
  let x = PAD.left;
  return series
    .map((s) => {
      const item = `<rect x="${x}" y="${height - 12}" width="10" height="10" fill="${s.color}"/><text x="${x + 14}" y="${height - 3}" class="tick">${escapeXml(s.name)}</text>`;
      x += 24 + s.name.length * 7;
      return item;
    })
    .join('');
}

/** Stacked columns, one per label (e.g. a day), series stacked bottom to top. */
export function stackedColumns(title: string, labels: readonly string[], series: readonly Series[], height = 300, desc?: string): string {
  const h = height + 18;
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const { top, step } = niceScale(Math.max(0, ...totals));
  const plotH = height - PAD.top - PAD.bottom;
  const plotW = W - PAD.left - PAD.right;
  const bw = plotW / Math.max(1, labels.length);
  const rects: string[] = [];
  labels.forEach((_, i) => {
    let base = 0;
    for (const s of series) {
      const v = s.values[i] ?? 0;
      if (v <= 0) continue;
      const y = PAD.top + plotH - ((base + v) / top) * plotH;
      const hh = (v / top) * plotH;
      rects.push(`<rect x="${(PAD.left + i * bw).toFixed(2)}" y="${y.toFixed(2)}" width="${Math.max(0.6, bw - (bw > 3 ? 0.6 : 0)).toFixed(2)}" height="${hh.toFixed(2)}" fill="${s.color}"/>`);
      base += v;
    }
  });
  return `${svgOpen(W, h, title, desc)}${axes(height, top, step, labels, title)}${rects.join('')}${legend(series, h)}</svg>`;
}

/** One line per series over the labels. */
export function lineChart(title: string, labels: readonly string[], series: readonly Series[], height = 260, desc?: string): string {
  const h = height + 18;
  const { top, step } = niceScale(Math.max(0, ...series.flatMap((s) => [...s.values])));
  const plotH = height - PAD.top - PAD.bottom;
  const plotW = W - PAD.left - PAD.right;
  const n = Math.max(1, labels.length);
  const lines = series.map((s) => {
    const points = s.values.map((v, i) => `${(PAD.left + ((i + 0.5) / n) * plotW).toFixed(1)},${(PAD.top + plotH - (v / top) * plotH).toFixed(1)}`);
    return `<polyline fill="none" stroke="${s.color}" stroke-width="1.8" points="${points.join(' ')}"/>`;
  });
  return `${svgOpen(W, h, title, desc)}${axes(height, top, step, labels, title)}${lines.join('')}${legend(series, h)}</svg>`;
}

export interface Bar {
  label: string;
  value: number;
  /** Text shown after the bar. */
  text: string;
  color?: string;
}

/** Horizontal bars, longest scale = the largest value. */
export function horizontalBars(title: string, bars: readonly Bar[], color = '#3b6ea5', desc?: string): string {
  const row = 22;
  const labelW = 230;
  const height = PAD.top + bars.length * row + 8;
  const max = Math.max(0, ...bars.map((b) => b.value)) || 1;
  const plotW = W - labelW - 180;
  const rows = bars.map((b, i) => {
    const y = PAD.top + i * row;
    const w = (b.value / max) * plotW;
    return (
      `<text x="${labelW - 8}" y="${y + 15}" class="tick" text-anchor="end">${escapeXml(b.label)}</text>` +
      `<rect x="${labelW}" y="${y + 3}" width="${Math.max(b.value > 0 ? 1 : 0, w).toFixed(1)}" height="${row - 6}" fill="${b.color ?? color}"/>` +
      `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 15}" class="tick">${escapeXml(b.text)}</text>`
    );
  });
  return `${svgOpen(W, height, title, desc)}<text x="${PAD.left}" y="16" class="title">${escapeXml(title)}</text>${rows.join('')}</svg>`;
}

export interface StackedBar {
  label: string;
  /** One value per series, in the series' order. */
  values: readonly number[];
  /** Text shown after the bar. */
  text: string;
}

/** Horizontal bars of stacked parts (e.g. an objective's ratings), all on one scale: the largest total. */
export function stackedBars(title: string, series: readonly Pick<Series, 'name' | 'color'>[], bars: readonly StackedBar[], desc?: string): string {
  const row = 22;
  const labelW = 230;
  const plotTop = PAD.top;
  const height = plotTop + bars.length * row + 26;
  const max = Math.max(0, ...bars.map((b) => b.values.reduce((sum, v) => sum + v, 0))) || 1;
  const plotW = W - labelW - 180;
  const rows = bars.map((b, i) => {
    const y = plotTop + i * row;
    let x = labelW;
    const parts = b.values.map((v, k) => {
      const w = (v / max) * plotW;
      const part = v > 0 ? `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 6}" fill="${series[k]?.color ?? '#3b6ea5'}"/>` : '';
      x += w;
      return part;
    });
    return `<text x="${labelW - 8}" y="${y + 15}" class="tick" text-anchor="end">${escapeXml(b.label)}</text>${parts.join('')}<text x="${(x + 6).toFixed(1)}" y="${y + 15}" class="tick">${escapeXml(b.text)}</text>`;
  });
  return `${svgOpen(W, height, title, desc)}<text x="${PAD.left}" y="16" class="title">${escapeXml(title)}</text>${rows.join('')}${legend(series.map((s) => ({ ...s, values: [] })), height)}</svg>`;
}
