// The machine's chart as the server draws it (the same SVG as `tipflow diagram --format svg`), with the
// active states of the selected step highlighted by toggling classes that /assets/diagram.css styles.
// The SVG is the server's own output (no scripts, no inline styles), so it is inserted as markup once and
// then only its classes change. "Fit" draws it as wide as the card but never so small that a label cannot
// be read (issue 18: the whole chart in a card is about 35 %, labels of 4 px), and brings the active state
// into view; "Whole chart" is the overview.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { MachineDiagram } from './types.js';

type Zoom = 'fit' | 'whole' | 1;
const ZOOMS: { zoom: Zoom; label: string }[] = [
  { zoom: 'fit', label: 'Fit' },
  { zoom: 'whole', label: 'Whole chart' },
  { zoom: 1, label: '100 %' },
];
/** The smallest scale "Fit" draws at: the chart's 11 px labels stay above 8 px, its 14 px state names above 10 px. */
export const MIN_FIT_SCALE = 0.75;

/** The scale "Fit" draws a chart `width` wide at in a box `boxWidth` wide. */
export const fitScale = (boxWidth: number, width: number): number => (width <= 0 || boxWidth <= 0 ? 1 : Math.min(1, Math.max(MIN_FIT_SCALE, boxWidth / width)));

/** Marks the active states and the transitions leaving them; `active` are paths below the root. */
export function highlight(svg: Element, root: string, active: readonly string[]): void {
  const ids = new Set(active.map((path) => `${root}.${path}`));
  for (const state of svg.querySelectorAll('[data-state-id]')) state.classList.toggle('active', ids.has(state.getAttribute('data-state-id') ?? ''));
  for (const transition of svg.querySelectorAll('.transition[data-source]')) {
    const on = ids.has(transition.getAttribute('data-source') ?? '');
    transition.classList.toggle('from-active', on);
    // The arrowhead is a marker, which CSS cannot recolour: switch to the drawing's active one.
    for (const path of transition.querySelectorAll('path[marker-end]')) {
      const marker = path.getAttribute('marker-end') ?? '';
      path.setAttribute('marker-end', marker.replace(/-arrow(-active)?\)$/, on ? '-arrow-active)' : '-arrow)'));
    }
  }
}

/** The deepest active state of the routing region: the one a person looks for. */
export const focusState = (active: readonly string[]): string | undefined => [...active].filter((p) => p.startsWith('routing.')).sort((a, b) => b.length - a.length)[0];

export function Chart({ machine, active }: { machine: MachineDiagram; active: readonly string[] }) {
  const host = useRef<HTMLDivElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const [zoom, setZoom] = useState<Zoom>('fit');
  const [boxWidth, setBoxWidth] = useState(0);

  // Fit follows the card's width (the window, the layout's columns).
  useEffect(() => {
    const box = scroller.current;
    if (box === null) return;
    setBoxWidth(box.clientWidth);
    const observer = new ResizeObserver(() => setBoxWidth(box.clientWidth));
    observer.observe(box);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    if (host.current !== null) host.current.innerHTML = machine.svg;
  }, [machine.svg]);

  useLayoutEffect(() => {
    const svg = host.current?.querySelector('svg');
    if (svg === null || svg === undefined) return;
    const [, , width = 0, height = 0] = (svg.getAttribute('viewBox') ?? '').split(/\s+/).map(Number);
    if (zoom === 'whole') {
      svg.removeAttribute('width');
      svg.removeAttribute('height');
    } else {
      const scale = zoom === 'fit' ? fitScale(boxWidth, width) : zoom;
      svg.setAttribute('width', String(Math.ceil(width * scale)));
      svg.setAttribute('height', String(Math.ceil(height * scale)));
    }
    highlight(svg, machine.root, active);
  }, [machine, active, zoom, boxWidth]);

  // Unless the whole chart is shown, bring the active state into view inside the chart's scroll box.
  useEffect(() => {
    const box = scroller.current;
    const leaf = focusState(active);
    if (box === null || zoom === 'whole' || leaf === undefined) return;
    const target = host.current?.querySelector(`[data-state-id="${CSS.escape(`${machine.root}.${leaf}`)}"] > rect`);
    if (target === null || target === undefined) return;
    const t = target.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    box.scrollTo({ left: box.scrollLeft + t.left - b.left - (b.width - t.width) / 2, top: box.scrollTop + t.top - b.top - (b.height - t.height) / 2 });
  }, [machine, active, zoom, boxWidth]);

  const leaves = active.filter((p) => !active.some((other) => other.startsWith(`${p}.`)));
  return (
    <>
      <div class="row chart-tools" role="group" aria-label="Chart size (Fit: as wide as the card with readable labels, at the active state; Whole chart: all of it at once)">
        {ZOOMS.map((z) => (
          <button key={String(z.zoom)} type="button" class="secondary small" aria-pressed={zoom === z.zoom} onClick={() => setZoom(z.zoom)}>
            {z.label}
          </button>
        ))}
      </div>
      <div ref={scroller} class={`chart-scroll${zoom === 'whole' ? ' whole' : ''}`} role="region" aria-label={`Chart of the ${machine.machineId} machine`} tabIndex={0}>
        <div ref={host} class="chart-host" />
      </div>
      <p class="small chart-active" aria-live="polite">
        Active: {leaves.length === 0 ? 'none' : leaves.map((p) => p.split('.').join(' › ')).join(' · ')}
      </p>
    </>
  );
}
