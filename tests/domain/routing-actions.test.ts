// Each of the chart's actions changes one thing (issue 17, item 1): assignPriority the priority, assignTrack
// the track, each with its reason; an expiry's record only records (the transition to closed.informational
// closes the tip, and the outcome comes from that state).
import { describe, expect, it } from 'vitest';
import { assignPriority, assignTrack, recordTimer } from '../../src/domain/routing/actions.js';
import { initialRoutingContext } from '../../src/domain/routing/context.js';
import { timerMessages } from '../../src/domain/routing/timers.js';
import { trackFor } from '../../src/domain/triage.js';
import { runAutoDriver } from '../../src/engine/index.js';
import { cgnatTip, DAY, engine } from '../engine/helpers.js';
import { IP, tipWithEvents, ipEvent } from './builders.js';

/** A P3 referral-track tip, just accepted at intake. */
const context = () => initialRoutingContext({ submission: tipWithEvents([ipEvent(IP.houston)]) });

describe('assignPriority and assignTrack', () => {
  it("sets only the priority, with the rule book's reason when the analyst agrees", () => {
    const c = context();
    const changes = assignPriority(c, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'informational' });
    expect(Object.keys(changes).sort()).toEqual(['priority', 'reasons']);
    expect(changes.priority).toBe('P3');
    expect(changes.reasons).toHaveLength(1);
    expect(changes.reasons?.[0]).not.toContain('assigned');
  });

  it('says how and why the analyst departed from the rule book', () => {
    const changes = assignPriority(context(), { type: 'TRIAGE.ASSIGN', priority: 'P1', track: 'referral', reason: 'the reporter says the child is in danger' });
    expect(changes.reasons).toEqual(["Priority P1 assigned (raised from the rule book's P3): the reporter says the child is in danger"]);
  });

  it('sets only the track, and says when the rule book said otherwise', () => {
    const c = context();
    const agrees = assignTrack(c, { type: 'TRIAGE.ASSIGN', priority: 'P1', track: 'referral' });
    expect(Object.keys(agrees).sort()).toEqual(['reasons', 'track']);
    expect(agrees.track).toBe('referral');
    const departs = assignTrack(c, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'informational' });
    expect(departs).toEqual({ track: 'informational', reasons: ['Track informational assigned (the rule book says referral).'] });
  });

  it('keeps the reasons in the order priority, then track, when the chart runs both on TRIAGE.ASSIGN', () => {
    const tip = tipWithEvents([ipEvent(IP.houston)]);
    const session = engine.start(tip);
    expect(engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P2', track: 'referral' }).ok).toBe(true);
    expect(session.context.reasons.slice(0, 2)).toEqual(["Priority P2 assigned (raised from the rule book's P3).", trackFor(tip).reason]);
    expect([session.context.priority, session.context.track]).toEqual(['P2', 'referral']);
  });
});

describe('an expiry of legal process', () => {
  it('records its message and nothing else', () => {
    const c = context();
    expect(recordTimer(c, timerMessages.recordsExpired())).toEqual({ timerEvents: [timerMessages.recordsExpired()], reasons: [timerMessages.recordsExpired()] });
  });

  it('closes the tip by its transition: closed.informational, no jurisdiction, the message logged once', () => {
    const session = engine.start(cgnatTip());
    runAutoDriver(engine, session);
    expect(session.state).toBe('legalProcess.preservationRequested');
    const fired = engine.advance(session, 400 * DAY);
    expect(fired.map((r) => r.event.type)).toContain('TIMER.RECORDS_RETENTION');
    expect([session.state, session.outcome, session.context.jurisdiction, session.context.notify]).toEqual(['closed.informational', 'informational', null, []]);
    expect(session.context.timerEvents.filter((m) => m === timerMessages.recordsExpired())).toHaveLength(1);
  });
});
