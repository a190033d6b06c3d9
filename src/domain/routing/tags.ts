// Caveat tags: when two tags are the same, and the GEO.TAG / GEO.UNTAG events that turn the tags held into
// a target list. The answer key, the validator's expected actions, the terminal player, the grader and the
// simulator's fast walk all ask these functions, so "tag toward a target, then confirm" is written once.
import type { RoutingEvent } from '../events.js';
import type { Tag } from './context.js';

/** What makes a tag the tag it is: its indicator and its code (the web app holds codes as plain strings). */
export interface TagKey {
  indicatorId: string | null;
  caveat: string;
}

/** Same caveat code on the same indicator (indicatorId null: on the tip as a whole). */
export const sameTag = (a: TagKey, b: TagKey): boolean => a.indicatorId === b.indicatorId && a.caveat === b.caveat;

export const hasTag = (list: readonly TagKey[], tag: TagKey): boolean => list.some((t) => sameTag(t, tag));

/** The tags of `list` that `other` does not hold, in the order of `list` (repeats kept). */
export const tagsNotIn = <T extends TagKey>(list: readonly T[], other: readonly TagKey[]): T[] => list.filter((t) => !hasTag(other, t));

export type TagEvent = Extract<RoutingEvent, { type: 'GEO.TAG' | 'GEO.UNTAG' }>;

const tagEvent = (tag: Tag): TagEvent => ({ type: 'GEO.TAG', indicatorId: tag.indicatorId, caveat: tag.caveat });
const untagEvent = (tag: Tag): TagEvent => ({ type: 'GEO.UNTAG', indicatorId: tag.indicatorId, caveat: tag.caveat });

/**
 * The next event that moves `current` toward `target`: the first target tag not held is tagged, else the
 * first held tag not in the target is removed; null when they hold the same tags (then confirm).
 */
export function nextTagEvent(current: readonly Tag[], target: readonly Tag[]): TagEvent | null {
  const missing = target.find((t) => !hasTag(current, t));
  if (missing !== undefined) return tagEvent(missing);
  const extra = current.find((t) => !hasTag(target, t));
  return extra === undefined ? null : untagEvent(extra);
}

/** Each tag once, at its first place. */
function distinctTags(list: readonly Tag[]): Tag[] {
  const kept: Tag[] = [];
  for (const tag of list) if (!hasTag(kept, tag)) kept.push(tag);
  return kept;
}

export interface TagEventsOptions {
  /** Send the removals before the additions (the terminal player's order); default: additions first. */
  untagFirst?: boolean;
}

/**
 * Every event that turns `current` into `target`. By default the order is the answer key's, the one
 * nextTagEvent gives step by step: the missing tags in target order, then the extra ones in current order.
 */
export function tagEventsToward(current: readonly Tag[], target: readonly Tag[], options: TagEventsOptions = {}): TagEvent[] {
  const tags = distinctTags(tagsNotIn(target, current)).map(tagEvent);
  const untags = distinctTags(tagsNotIn(current, target)).map(untagEvent);
  return options.untagFirst === true ? [...untags, ...tags] : [...tags, ...untags];
}
