// The ISP records clock ends when the records do (event time + the ISP's retention), whenever legal
// process is requested: it used to count from the tip's receipt, so a late request made it fire late.
import { describe, expect, it } from 'vitest';
import { runAutoDriver } from '../../src/engine/index.js';
import { cgnatTip, DAY, engine } from './helpers.js';

const HOUR = 3_600_000;

describe('ISP records retention timer', () => {
  it.each([0, 2 * HOUR, 3 * DAY, 20 * DAY])('falls due at the end of the records when legal process is requested %i ms after receipt', (wait) => {
    const session = engine.start(cgnatTip());
    engine.advance(session, wait);
    runAutoDriver(engine, session);
    expect(session.state).toBe('legalProcess.preservationRequested');
    const indicator = session.context.assessment?.indicators[0];
    if (indicator?.time === null || indicator?.time === undefined || indicator.retentionDays === null) throw new Error('the CGNAT tip has a timed IP event with a known ISP');
    const recordsEnd = Date.parse(indicator.time) + indicator.retentionDays * DAY;
    const timer = session.clock.timers().find((t) => t.eventType.startsWith('xstate.after.recordsRetention.'));
    expect(timer?.due).toBe(recordsEnd);
    expect(session.context.legalProcessAt).toBe(new Date(Date.parse('2023-03-01T09:00:00Z') + wait).toISOString());
  });
});
