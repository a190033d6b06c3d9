// An exercise file's problems by line: a list (focused when shown, so a screen reader starts there) and the
// file's text with line numbers, each problem under its line; errors and warnings told apart in words too.
import { useEffect, useRef } from 'preact/hooks';
import type { Diagnostic } from '../api-types.js';
import { plural } from './format.js';

/** Files longer than this show only the lines around each problem. */
const FULL_LISTING_LINES = 120;
const CONTEXT_LINES = 3;

function linesToShow(total: number, diagnostics: readonly Diagnostic[]): (number | 'gap')[] {
  if (total <= FULL_LISTING_LINES) return Array.from({ length: total }, (_, i) => i + 1);
  const wanted = new Set<number>();
  for (const d of diagnostics) for (let n = d.line - CONTEXT_LINES; n <= d.line + CONTEXT_LINES; n += 1) if (n >= 1 && n <= total) wanted.add(n);
  const out: (number | 'gap')[] = [];
  let previous = 0;
  for (const n of [...wanted].sort((a, b) => a - b)) {
    if (n > previous + 1) out.push('gap');
    out.push(n);
    previous = n;
  }
  if (previous < total) out.push('gap');
  return out;
}

const lineId = (n: number) => `source-line-${n}`;

export function DiagnosticsView({ fileName, text, diagnostics, focus = true }: { fileName: string; text: string; diagnostics: Diagnostic[]; focus?: boolean }) {
  const listRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focus) listRef.current?.focus();
  }, [diagnostics, focus]);

  const sorted = [...diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
  const errors = sorted.filter((d) => d.severity === 'error').length;
  const warnings = sorted.length - errors;
  const lines = text.split(/\r?\n/);
  const byLine = new Map<number, Diagnostic[]>();
  for (const d of sorted) byLine.set(d.line, [...(byLine.get(d.line) ?? []), d]);
  const showLine = (n: number) => {
    const target = document.getElementById(lineId(n));
    target?.scrollIntoView({ block: 'center' });
    target?.focus();
  };

  return (
    <div class="diagnostics">
      <div class="diag-summary" role="region" tabIndex={-1} ref={listRef} aria-labelledby="diag-title">
        <h3 id="diag-title">
          {errors > 0 ? plural(errors, 'error') : 'No errors'}
          {warnings > 0 ? ` and ${plural(warnings, 'warning')}` : ''} in <span class="mono">{fileName}</span>
        </h3>
        <ol class="diag-list">
          {sorted.map((d, i) => (
            <li key={i} class={`diag ${d.severity}`}>
              <span class={`badge ${d.severity === 'error' ? 'wrong' : 'partly'}`}>{d.severity === 'error' ? 'Error' : 'Warning'}</span>{' '}
              {d.line >= 1 && d.line <= lines.length ? (
                <button type="button" class="link" onClick={() => showLine(d.line)}>
                  line {d.line}, column {d.column}
                </button>
              ) : (
                <span>the file</span>
              )}
              : {d.message}
            </li>
          ))}
        </ol>
      </div>
      <div class="source" role="region" aria-label={`${fileName} with line numbers`} tabIndex={0}>
        <ol class="source-lines">
          {linesToShow(lines.length, sorted).map((n, i) =>
            n === 'gap' ? (
              <li key={`gap-${i}`} class="source-gap" aria-hidden="true">
                ⋯
              </li>
            ) : (
              <SourceLine key={n} n={n} text={lines[n - 1] ?? ''} problems={byLine.get(n) ?? []} />
            ),
          )}
        </ol>
      </div>
    </div>
  );
}

function SourceLine({ n, text, problems }: { n: number; text: string; problems: Diagnostic[] }) {
  const worst = problems.some((p) => p.severity === 'error') ? 'error' : problems.length > 0 ? 'warning' : '';
  return (
    <li class={`source-line ${worst}`} id={lineId(n)} tabIndex={problems.length > 0 ? -1 : undefined}>
      <span class="ln">{n}</span>
      <code class="src">{text === '' ? ' ' : text}</code>
      {problems.map((p, i) => (
        <span key={i} class={`inline-diag ${p.severity}`}>
          <span class="visually-hidden">{p.severity === 'error' ? 'Error' : 'Warning'} at column {p.column}: </span>
          <span aria-hidden="true">{p.severity === 'error' ? '✖' : '▲'} col {p.column}: </span>
          {p.message}
        </span>
      ))}
    </li>
  );
}
