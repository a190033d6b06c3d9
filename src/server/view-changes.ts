// A step's answer as the changes to the view its sender had (POST /api/sessions/:id/events?view=changes):
// the parts of the view that differ from the one shown at the step's expectedSeq, which the page merges into
// the view it holds ({ ...view, ...changes } is the whole view). Every part is the whole view's own value, so
// the changes never show what the whole view would not (DESIGN §12, invariant 14).
import type { SessionView, ViewChanges } from '../api/contract.js';
import type { Live } from './session-view.js';

export type { ViewChanges };

/** Always in the changes: small, and some (the clock's pace, replacedBy, debriefReleased) move without the log moving. */
const ALWAYS = new Set<string>(['lastSeq', 'state', 'phase', 'closed', 'allowed', 'clock', 'readOnly', 'replacedBy', 'debriefReleased']);
/** Small parts built anew with every view: compared by their JSON. The large ones are kept objects (session-view.ts). */
const BY_VALUE = new Set<string>(['tags', 'assessment', 'jurisdiction']);

/** The last view shown of each live session (a live session rebuilt from the log starts with none). */
const shown = new WeakMap<Live, SessionView>();

/** Notes the view built of a live session, the base of the next step's changes. */
export function noteShown(entry: Live, view: SessionView): void {
  shown.set(entry, view);
}

/** The view last shown of the live session, if it was shown at `seq` (what the step's sender holds), else null. */
export function shownAt(entry: Live, seq: number): SessionView | null {
  const view = shown.get(entry);
  return view !== undefined && view.lastSeq === seq ? view : null;
}

/** The parts of `next` that are not those of `base`, with the parts that are always sent. */
export function viewChanges(base: SessionView, next: SessionView): ViewChanges {
  const changes: Record<string, unknown> = {};
  // Own enumerable keys, as Object.entries has them (a view is a plain object), without the array of pairs.
  for (const key in next) {
    if (!Object.hasOwn(next, key)) continue;
    const value: unknown = next[key as keyof SessionView];
    if (ALWAYS.has(key) || !sameValue(key, base[key as keyof SessionView], value)) changes[key] = value;
  }
  return changes as unknown as ViewChanges;
}

function sameValue(key: string, before: unknown, after: unknown): boolean {
  if (before === after) return true;
  if (typeof before !== 'object' || typeof after !== 'object' || before === null || after === null) return false;
  return BY_VALUE.has(key) && JSON.stringify(before) === JSON.stringify(after);
}
