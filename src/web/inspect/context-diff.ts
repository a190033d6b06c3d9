// One step's context against the step before: which readable fields changed, and for lists which items came
// and went, so the panel can say "priority: null → P1" and "caveats + ESP_FLAGGED_PROXY".
import type { InspectedContext } from './types.js';

export interface FieldDiff {
  key: keyof InspectedContext;
  /** The value now, in words. */
  now: string;
  /** The value before, in words (null on the first step). */
  before: string | null;
  changed: boolean;
  /** For lists: items added and removed since the step before. */
  added: string[];
  removed: string[];
}

type Item = string | { indicatorId: string | null; caveat: string };

const itemText = (item: Item): string => (typeof item === 'string' ? item : `${item.indicatorId ?? 'tip'}: ${item.caveat}`);
const valueText = (value: unknown): string => (value === null ? 'null' : typeof value === 'string' ? value : JSON.stringify(value));

export const CONTEXT_ORDER: (keyof InspectedContext)[] = ['priority', 'track', 'exigency', 'confidence', 'geolocationConfirmed', 'caveats', 'tags', 'jurisdiction', 'notify', 'declined', 'outcome', 'timerEvents'];

export function diffContext(now: InspectedContext, before: InspectedContext | null): FieldDiff[] {
  return CONTEXT_ORDER.map((key) => {
    const value: unknown = now[key];
    const old: unknown = before === null ? undefined : before[key];
    if (Array.isArray(value)) {
      const items = (value as Item[]).map(itemText);
      const oldItems = Array.isArray(old) ? (old as Item[]).map(itemText) : [];
      const added = before === null ? [] : items.filter((i) => !oldItems.includes(i));
      const removed = before === null ? [] : oldItems.filter((i) => !items.includes(i));
      return { key, now: items.length === 0 ? 'none' : items.join(', '), before: before === null ? null : oldItems.length === 0 ? 'none' : oldItems.join(', '), changed: added.length + removed.length > 0, added, removed };
    }
    const changed = before !== null && valueText(value) !== valueText(old);
    return { key, now: valueText(value), before: before === null ? null : valueText(old), changed, added: [], removed: [] };
  });
}
