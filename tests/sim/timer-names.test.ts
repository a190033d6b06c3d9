// The simulator counts timers by the chart's delays: every timer record name of the log maps to one, so the
// yearly report's breaches and expiries are counted from engine walks as from fast ones.
import { describe, expect, it } from 'vitest';
import { TIMER_RECORD_TYPES } from '../../src/domain/routing/timers.js';
import { timerName } from '../../src/sim/tip-record.js';

describe('simulator timer names', () => {
  it('maps every timer record of the log to the delay the tally counts', () => {
    expect(Object.fromEntries(TIMER_RECORD_TYPES.map((type) => [type, timerName(type)]))).toEqual({
      'TIMER.TRIAGE_SLA': 'triageSla',
      'TIMER.ACKNOWLEDGEMENT_SLA': 'acknowledgementSla',
      'TIMER.RECORDS_RETENTION': 'recordsRetention',
      'TIMER.PRESERVATION_RENEWAL': 'preservation2703f',
      'TIMER.PRESERVATION_EXPIRY': 'preservation2703f',
      'TIMER.ESP_PRESERVATION': 'espPreservation',
    });
  });

  it("still reads XState's delayed-event names of older walks", () => {
    expect(timerName('xstate.after.triageSla.tip.routing.triage')).toBe('triageSla');
  });
});
