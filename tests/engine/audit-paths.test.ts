// The audit's state paths: routingPath reads the routing region alone, and answers as the first of statePaths'
// leaf paths under `routing` (its earlier definition), for any state value.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { StateValue } from 'xstate';
import { routingPath, statePaths } from '../../src/engine/audit.js';

/** As routingPath was defined: the first sorted leaf path that starts with `routing.`, without that prefix. */
const byAllPaths = (value: StateValue): string => statePaths(value).find((p) => p.startsWith('routing.'))?.slice('routing.'.length) ?? '';

// Keys that sort around the path separator too: 'a-b' < 'a.…' < 'ab' as strings, though 'a' < 'a-b' as keys.
const key = fc.constantFrom('routing', 'clock', 'triage', 'geolocation', 'tagging', 'referral', 'selecting', 'a', 'a-b', 'ab', 'routing-x');
const { value } = fc.letrec<{ value: StateValue }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, key, fc.dictionary(key, tie('value'), { minKeys: 1, maxKeys: 3 })),
}));

describe('routingPath', () => {
  it("names the routing region's leaf", () => {
    expect(routingPath({ routing: { referral: 'selecting' }, clock: 'running' })).toBe('referral.selecting');
    expect(routingPath({ routing: 'triage', clock: 'running' })).toBe('triage');
    expect(routingPath({ clock: 'running' })).toBe('');
    expect(routingPath('routing')).toBe('');
  });

  test.prop([value], { numRuns: 500 })('answers as the first leaf path under routing, for any state value', (v) => {
    expect(routingPath(v)).toBe(byAllPaths(v));
  });
});
