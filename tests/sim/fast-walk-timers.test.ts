// The fast walk knows every timer of the chart (issue 17, item 5): each of the chart's named delays maps
// to the instants the fast walk computes for it, and each of those instants is one it has. A delay the
// chart gains fails tests/domain/timer-table.test.ts until the table lists it, and then fails the type of
// TIMER_INSTANTS until the fast walk says when it falls.
import { describe, expect, it } from 'vitest';
import { createRoutingMachine } from '../../machines/routing.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { INSTANTS, TIMER_INSTANTS } from '../../src/sim/fast-walk.js';

describe("the fast walk's timers", () => {
  it("has instants for exactly the chart's delays, each an instant it computes", () => {
    const delays = Object.keys(createRoutingMachine(bundledReference()).implementations.delays).sort();
    expect(Object.keys(TIMER_INSTANTS).sort()).toEqual(delays);
    for (const instants of Object.values(TIMER_INSTANTS)) {
      expect(instants.length).toBeGreaterThan(0);
      for (const instant of instants) expect(INSTANTS).toContain(instant);
    }
  });
});
