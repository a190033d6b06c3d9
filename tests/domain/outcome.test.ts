// The outcome is read off the state value (issue 17, item 2): every state of the chart's routing region has
// the outcome listed here, each final state of `closed` is one outcome, and a session's outcome follows the
// chart as it moves (a decline or subscriber information takes it back).
import { describe, expect, it } from 'vitest';
import type { StateNode } from 'xstate';
import { createRoutingMachine } from '../../machines/routing.js';
import { OUTCOMES, outcomeOf, type Outcome } from '../../src/domain/routing/outcome.js';
import { runAutoDriver } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { cgnatTip, DAY, engine, houstonTip } from '../engine/helpers.js';

const machine = createRoutingMachine(bundledReference());

/** Every leaf state of the routing region, as its path under `routing` (referral.selecting). */
function routingLeaves(node: StateNode = machine.root.states.routing as StateNode, prefix = ''): string[] {
  const children = Object.entries(node.states);
  if (children.length === 0) return [prefix];
  return children.flatMap(([key, child]) => routingLeaves(child, prefix === '' ? key : `${prefix}.${key}`));
}

/** The state value of a routing leaf, with the clock region beside it. */
function valueAt(path: string, clock = 'running') {
  const [phase = '', step] = path.split('.');
  return { routing: step === undefined ? phase : { [phase]: step }, clock };
}

/** What each state of the chart means for the tip (a state the chart gains must be placed here). */
const EXPECTED: Record<string, Outcome | null> = {
  'intake.validating': null,
  'intake.deduplicating': null,
  triage: null,
  'geolocation.resolving': null,
  'geolocation.tagging': null,
  'referral.selecting': null,
  'referral.awaitingAcknowledgement': 'referred',
  'referral.acknowledgementOverdue': 'referred',
  'legalProcess.preservationRequested': 'legal-process',
  'legalProcess.preserved': 'legal-process',
  'legalProcess.preservationRenewed': 'legal-process',
  'closed.referred': 'referred',
  'closed.informational': 'informational',
  'closed.bundled': 'bundled',
  'closed.rejected': 'rejected',
};

describe('outcomeOf (the outcome from the state value)', () => {
  it("gives every state of the chart's routing region its outcome, whatever the clock region does", () => {
    expect(routingLeaves().sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [path, outcome] of Object.entries(EXPECTED)) {
      for (const clock of ['running', 'espPreservationLapsed', 'stopped']) expect(outcomeOf(valueAt(path, clock)), `${path} (clock ${clock})`).toBe(outcome);
    }
  });

  it('has one final state of closed per outcome that closes a tip, named after it', () => {
    const closed = machine.root.states.routing?.states.closed;
    const finals = Object.entries(closed?.states ?? {}).filter(([, node]) => node.type === 'final').map(([key]) => key);
    expect(finals.sort()).toEqual(OUTCOMES.filter((o) => o !== 'legal-process').sort());
  });

  it('gives no outcome for a value outside the routing region or a state it does not know', () => {
    expect(outcomeOf('routing')).toBeNull();
    expect(outcomeOf({ clock: 'running' })).toBeNull();
    expect(outcomeOf({ routing: { closed: 'lost' }, clock: 'stopped' })).toBeNull();
  });
});

describe("a session's outcome follows the chart", () => {
  it('is referred while the agency has the tip, none again after a decline, referred once acknowledged', () => {
    const session = engine.start(houstonTip());
    expect(session.outcome).toBeNull();
    runAutoDriver(engine, session);
    expect([session.state, session.outcome]).toEqual(['referral.awaitingAcknowledgement', 'referred']);
    expect(engine.send(session, { type: 'AGENCY.DECLINE', reason: 'outside our area' }, { actor: 'instructor' }).ok).toBe(true);
    expect([session.state, session.outcome]).toEqual(['referral.selecting', null]);
    expect(engine.send(session, { type: 'ROUTE.REFER', jurisdictionId: 'US-FED' }).ok).toBe(true);
    expect(engine.send(session, { type: 'AGENCY.ACKNOWLEDGE' }, { actor: 'system' }).ok).toBe(true);
    expect([session.state, session.outcome]).toEqual(['closed.referred', 'referred']);
  });

  it('is legal process until subscriber information sends the tip back to geolocation, and informational when the records run out', () => {
    const returned = engine.start(cgnatTip());
    runAutoDriver(engine, returned);
    expect(returned.outcome).toBe('legal-process');
    const subscriber = { type: 'SUBSCRIBER.RETURNED', indicatorId: 'subjects[0].ipEvents[0]', location: { countryCode: 'US', region: 'PA', city: 'Scranton' } };
    expect(engine.send(returned, subscriber, { actor: 'instructor' }).ok).toBe(true);
    expect([returned.state, returned.outcome]).toEqual(['geolocation.tagging', null]);

    const expired = engine.start(cgnatTip());
    runAutoDriver(engine, expired);
    engine.advance(expired, 400 * DAY);
    expect([expired.state, expired.outcome]).toEqual(['closed.informational', 'informational']);
  });
});
