// What a person calls a pending timer (the trainee's clock panel reads these from the session view).
import { describe, expect, it } from 'vitest';
import { delayOfTimerEvent, pendingTimerName, timerOfEvent } from '../../src/domain/routing/timers.js';

describe('pending timer names', () => {
  it('names each delay of the chart, and the 2703(f) timer by whether it was renewed', () => {
    expect(delayOfTimerEvent('xstate.after.triageSla.tip.routing.triage')).toBe('triageSla');
    expect(delayOfTimerEvent('ROUTING.CLOSED')).toBeNull();
    expect(pendingTimerName('xstate.after.triageSla.tip.routing.triage', 'triage')).toBe('Triage deadline');
    expect(pendingTimerName('xstate.after.preservation2703f.tip.routing.legalProcess.preserved', 'legalProcess.preserved')).toMatch(/renewable once/);
    expect(pendingTimerName('xstate.after.preservation2703f.tip.routing.legalProcess.preservationRenewed', 'legalProcess.preservationRenewed')).toMatch(/^Renewed/);
    for (const delay of ['acknowledgementSla', 'recordsRetention', 'espPreservation']) expect(pendingTimerName(`xstate.after.${delay}.x`, '')).not.toMatch(/xstate/);
  });

  it('takes a timer event apart into its delay and the state below the root that scheduled it (the inspector shows both)', () => {
    expect(timerOfEvent('xstate.after.triageSla.tip.routing.triage')).toEqual({ delay: 'triageSla', state: 'routing.triage' });
    expect(timerOfEvent('xstate.after.preservation2703f.tip.routing.legalProcess.preserved')).toEqual({ delay: 'preservation2703f', state: 'routing.legalProcess.preserved' });
    expect(timerOfEvent('TRIAGE.ASSIGN')).toBeNull();
  });
});
