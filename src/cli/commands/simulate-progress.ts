// Progress of `tipflow simulate` on stderr: a bar with rate and ETA redrawn in place on a terminal, plain
// lines (every 10 %) when stderr is a file or a pipe.
import type { Progress } from '../../sim/run.js';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

export function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(rest).padStart(2, '0')}s` : `${rest}s`;
}

export function progressLine(p: Progress, width = 28): { bar: string; text: string } {
  const fraction = p.total === 0 ? 1 : p.done / p.total;
  const rate = p.elapsedMs > 0 ? p.done / (p.elapsedMs / 1000) : 0;
  const eta = rate > 0 ? (p.total - p.done) / rate : Number.NaN;
  const filled = Math.round(fraction * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const text = `${(fraction * 100).toFixed(1).padStart(5)} %  ${int(p.done)} / ${int(p.total)} tips  ${int(rate)} tips/s  ETA ${clock(eta)}  RSS ${Math.round(p.rssBytes / 1e6)} MB`;
  return { bar, text };
}

export function createProgressReporter(stream: NodeJS.WriteStream): { update: (p: Progress) => void; finish: () => void } {
  const tty = stream.isTTY === true;
  let lastDraw = 0;
  let lastDecile = -1;
  let drawn = false;
  return {
    update(p) {
      const { bar, text } = progressLine(p);
      if (tty) {
        if (p.done < p.total && p.elapsedMs - lastDraw < 100) return;
        lastDraw = p.elapsedMs;
        stream.write(`\r${bar} ${text}\x1b[K`);
        drawn = true;
        return;
      }
      const decile = Math.floor((p.total === 0 ? 1 : p.done / p.total) * 10);
      if (decile === lastDecile) return;
      lastDecile = decile;
      stream.write(`simulate: ${text}\n`);
    },
    finish() {
      if (tty && drawn) stream.write('\n');
    },
  };
}
