// Caveat tags (src/domain/routing/tags.ts): tag equality, and the GEO.TAG / GEO.UNTAG events that turn the
// tags held into a target list, in the answer key's order. The property applies the events with the
// machine's own actions (addTag, removeTag) and checks each is one the decision rules accept.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAVEAT_CODES } from '../../src/domain/caveats/codes.js';
import { addTag, removeTag } from '../../src/domain/routing/actions.js';
import { initialRoutingContext, type Tag } from '../../src/domain/routing/context.js';
import { hasTag, nextTagEvent, sameTag, tagEventsToward, tagsNotIn, type TagEvent } from '../../src/domain/routing/tags.js';

const onIp = (caveat: Tag['caveat'], indicatorId = 'ip[0]'): Tag => ({ indicatorId, caveat });
const onTip = (caveat: Tag['caveat']): Tag => ({ indicatorId: null, caveat });
const BLANK = initialRoutingContext({ submission: null });

/** The tags after each event, as the machine's actions change them; throws on an event the rules refuse. */
function applied(current: readonly Tag[], events: readonly TagEvent[]): Tag[] {
  return events.reduce<Tag[]>((tags, event) => {
    const held = hasTag(tags, event);
    if (event.type === 'GEO.TAG' && held) throw new Error(`${event.caveat} on ${String(event.indicatorId)} is tagged twice`);
    if (event.type === 'GEO.UNTAG' && !held) throw new Error(`${event.caveat} on ${String(event.indicatorId)} is removed but not held`);
    const context = { ...BLANK, tags };
    return event.type === 'GEO.TAG' ? addTag(context, event).tags ?? tags : removeTag(context, event).tags ?? tags;
  }, [...current]);
}

/** nextTagEvent, applied until it says the tags are the target. */
function stepwise(current: readonly Tag[], target: readonly Tag[]): TagEvent[] {
  const events: TagEvent[] = [];
  let tags = [...current];
  for (let event = nextTagEvent(tags, target); event !== null; event = nextTagEvent(tags, target)) {
    events.push(event);
    tags = applied(tags, [event]);
    if (events.length > current.length + target.length) throw new Error('nextTagEvent does not converge');
  }
  return events;
}

const keyOf = (t: Tag) => `${t.indicatorId ?? 'tip'}:${t.caveat}`;
const asSet = (tags: readonly Tag[]) => new Set(tags.map(keyOf));

describe('sameTag and hasTag', () => {
  it('are true for the same caveat on the same indicator', () => {
    expect(sameTag(onIp('VPN'), onIp('VPN'))).toBe(true);
    expect(sameTag(onTip('CONFLICTING_INDICATORS'), onTip('CONFLICTING_INDICATORS'))).toBe(true);
    expect(hasTag([onIp('TOR_EXIT'), onIp('VPN')], onIp('VPN'))).toBe(true);
  });

  it('are false for another caveat, another indicator, or the tip instead of an indicator', () => {
    expect(sameTag(onIp('VPN'), onIp('TOR_EXIT'))).toBe(false);
    expect(sameTag(onIp('VPN', 'ip[0]'), onIp('VPN', 'ip[1]'))).toBe(false);
    expect(sameTag(onTip('VPN'), onIp('VPN'))).toBe(false);
    expect(sameTag(onIp('VPN'), onTip('VPN'))).toBe(false);
    expect(hasTag([], onIp('VPN'))).toBe(false);
    expect(hasTag([onIp('VPN', 'ip[1]'), onTip('VPN')], onIp('VPN'))).toBe(false);
  });

  it('tagsNotIn keeps the order of its first list', () => {
    expect(tagsNotIn([onIp('VPN'), onTip('CONFLICTING_INDICATORS'), onIp('TOR_EXIT')], [onIp('VPN')])).toEqual([onTip('CONFLICTING_INDICATORS'), onIp('TOR_EXIT')]);
  });
});

describe('nextTagEvent', () => {
  it('is null when the tags held are the target, in any order', () => {
    expect(nextTagEvent([], [])).toBeNull();
    expect(nextTagEvent([onIp('VPN'), onTip('CONFLICTING_INDICATORS')], [onTip('CONFLICTING_INDICATORS'), onIp('VPN')])).toBeNull();
  });

  it('tags the first missing target tag before removing anything', () => {
    expect(nextTagEvent([onIp('HOSTING_PROVIDER')], [onIp('VPN'), onIp('TOR_EXIT')])).toEqual({ type: 'GEO.TAG', indicatorId: 'ip[0]', caveat: 'VPN' });
  });

  it('then removes the first extra tag held', () => {
    expect(nextTagEvent([onIp('HOSTING_PROVIDER'), onIp('VPN'), onIp('OPEN_PROXY')], [onIp('VPN')])).toEqual({ type: 'GEO.UNTAG', indicatorId: 'ip[0]', caveat: 'HOSTING_PROVIDER' });
  });

  it('sends a tip-level tag with indicatorId null', () => {
    expect(nextTagEvent([], [onTip('CONFLICTING_INDICATORS')])).toEqual({ type: 'GEO.TAG', indicatorId: null, caveat: 'CONFLICTING_INDICATORS' });
    expect(nextTagEvent([onTip('CONFLICTING_INDICATORS')], [])).toEqual({ type: 'GEO.UNTAG', indicatorId: null, caveat: 'CONFLICTING_INDICATORS' });
  });
});

describe('tagEventsToward', () => {
  const current = [onIp('HOSTING_PROVIDER'), onIp('VPN'), onTip('CONFLICTING_INDICATORS')];
  const target = [onIp('TOR_EXIT', 'ip[1]'), onIp('VPN'), onIp('STALE_IP_EVENT')];

  it('adds the missing tags in target order, then removes the extra ones in the order held', () => {
    expect(tagEventsToward(current, target)).toEqual([
      { type: 'GEO.TAG', indicatorId: 'ip[1]', caveat: 'TOR_EXIT' },
      { type: 'GEO.TAG', indicatorId: 'ip[0]', caveat: 'STALE_IP_EVENT' },
      { type: 'GEO.UNTAG', indicatorId: 'ip[0]', caveat: 'HOSTING_PROVIDER' },
      { type: 'GEO.UNTAG', indicatorId: null, caveat: 'CONFLICTING_INDICATORS' },
    ]);
  });

  it('removes first when asked (the terminal player\'s order)', () => {
    expect(tagEventsToward(current, target, { untagFirst: true }).map((e) => `${e.type} ${e.caveat}`)).toEqual([
      'GEO.UNTAG HOSTING_PROVIDER',
      'GEO.UNTAG CONFLICTING_INDICATORS',
      'GEO.TAG TOR_EXIT',
      'GEO.TAG STALE_IP_EVENT',
    ]);
  });

  it('is empty when nothing is to change', () => {
    expect(tagEventsToward(target, [...target].reverse())).toEqual([]);
  });

  it('tags a tag the target repeats once', () => {
    expect(tagEventsToward([], [onIp('VPN'), onIp('VPN')])).toEqual([{ type: 'GEO.TAG', indicatorId: 'ip[0]', caveat: 'VPN' }]);
  });
});

describe('tagEventsToward: properties', () => {
  const arbTag = fc.record({ indicatorId: fc.constantFrom('ip[0]', 'ip[1]', 'p2p[0]', null), caveat: fc.constantFrom(...CAVEAT_CODES) });
  // The machine never holds a tag twice; a target may repeat one (an exercise file can).
  const arbHeld = fc.uniqueArray(arbTag, { selector: keyOf, maxLength: 12 });
  const arbTarget = fc.oneof(arbHeld, fc.array(arbTag, { maxLength: 12 }));

  it('applied to the tags held, gives the target as a set, each event one the rules accept', () => {
    fc.assert(
      fc.property(arbHeld, arbTarget, (current, target) => {
        const after = applied(current, tagEventsToward(current, target));
        expect(asSet(after)).toEqual(asSet(target));
        expect(after.length).toBe(asSet(after).size);
        expect(asSet(applied(current, tagEventsToward(current, target, { untagFirst: true })))).toEqual(asSet(target));
      }),
      { numRuns: 300 },
    );
  });

  it('is the events nextTagEvent gives one at a time, in the same order', () => {
    fc.assert(
      fc.property(arbHeld, arbTarget, (current, target) => {
        expect(tagEventsToward(current, target)).toEqual(stepwise(current, target));
      }),
      { numRuns: 300 },
    );
  });

  it('the removals-first order holds the same events', () => {
    fc.assert(
      fc.property(arbHeld, arbTarget, (current, target) => {
        const byKey = (events: readonly TagEvent[]) => events.map((e) => `${e.type} ${keyOf(e)}`).sort();
        expect(byKey(tagEventsToward(current, target, { untagFirst: true }))).toEqual(byKey(tagEventsToward(current, target)));
      }),
      { numRuns: 200 },
    );
  });
});
