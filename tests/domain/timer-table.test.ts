// One timer table (issue 17, item 3): every named delay of the chart has its row (record name, label), and
// every row is a delay of the chart; the SLA words come from the table's numbers; the one "hide the triage
// deadline in an assessment" rule.
import { describe, expect, it } from 'vitest';
import { createRoutingMachine } from '../../machines/routing.js';
import { delayOfRecord, hidesTriageDeadline, TIMER_DELAYS, TIMER_RECORD_TYPES, TIMER_TABLE, triageSlaSummary } from '../../src/domain/routing/timer-table.js';
import { pendingTimerName, timerRecordType } from '../../src/domain/routing/timers.js';
import { bundledReference } from '../../src/io/bundled-reference.js';

describe('the timer table', () => {
  it("has a row for each of the chart's delays, and no other", () => {
    const delays = Object.keys(createRoutingMachine(bundledReference()).implementations.delays).sort();
    expect([...TIMER_DELAYS].sort()).toEqual(delays);
  });

  it('gives every record name once, and reads it back to its delay', () => {
    const records = TIMER_DELAYS.flatMap((d) => [TIMER_TABLE[d].record('legalProcess.preserved'), TIMER_TABLE[d].record('legalProcess.preservationRenewed')]);
    expect([...new Set(records)].sort()).toEqual([...TIMER_RECORD_TYPES].sort());
    for (const type of TIMER_RECORD_TYPES) expect(TIMER_DELAYS).toContain(delayOfRecord(type));
    expect(timerRecordType('xstate.after.preservation2703f.tip.routing.legalProcess.preservationRenewed')).toBe('TIMER.PRESERVATION_EXPIRY');
    expect(timerRecordType('xstate.after.preservation2703f.tip.routing.legalProcess.preserved')).toBe('TIMER.PRESERVATION_RENEWAL');
    expect(pendingTimerName('xstate.after.triageSla.tip.routing.triage', 'triage')).toBe('Triage deadline');
  });

  it('says the triage SLA from its numbers, and hides its due time only in an assessment before triage', () => {
    expect(triageSlaSummary()).toBe('P1 1 h, P2 24 h, P3 72 h');
    expect(hidesTriageDeadline('assessment', false, 'triageSla')).toBe(true);
    expect(hidesTriageDeadline('assessment', true, 'triageSla')).toBe(false);
    expect(hidesTriageDeadline('practice', false, 'triageSla')).toBe(false);
    expect(hidesTriageDeadline('assessment', false, 'acknowledgementSla')).toBe(false);
  });
});
