// The opt-in inspection hook (the Stately bridge plugs in here): it sees the actor's events and
// snapshots and changes nothing in the session.
import type { InspectionEvent } from 'xstate';
import { timerRecordType } from '../../src/domain/routing/timers.js';
import { describe, expect, it } from 'vitest';
import { Engine, runAutoDriver } from '../../src/engine/index.js';
import { DAY, engine, houstonTip } from './helpers.js';

describe('engine inspection hook', () => {
  it('reports every event the actor takes and leaves the log unchanged', () => {
    const seen: InspectionEvent[] = [];
    const watched = new Engine(engine.reference, { inspect: (e) => seen.push(e) });
    const a = watched.start(houstonTip());
    const b = engine.start(houstonTip());
    for (const session of [a, b]) {
      runAutoDriver(session === a ? watched : engine, session);
      (session === a ? watched : engine).advance(session, 200 * DAY);
    }
    expect(JSON.stringify(a.toRecord())).toBe(JSON.stringify(b.toRecord()));
    expect(seen.some((e) => e.type === '@xstate.actor')).toBe(true);
    const sent = seen.filter((e) => e.type === '@xstate.event').map((e) => (e as { event: { type: string } }).event.type);
    // Timer records carry the domain's name; XState delivered its own delayed event for each.
    const delivered = sent.map((type) => timerRecordType(type) ?? type);
    for (const record of a.log.slice(1)) expect(delivered).toContain(record.event.type);
  });
});
