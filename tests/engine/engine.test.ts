import { describe, expect, it } from 'vitest';
import { ReplayError, routeResultOf, runAutoDriver } from '../../src/engine/index.js';
import { cgnatTip, DAY, engine, HOUR, houstonTip } from './helpers.js';

describe('engine: starting a session', () => {
  it('starts at triage with one audit record and the clock at receivedAt', () => {
    const session = engine.start(houstonTip());
    expect(session.state).toBe('triage');
    expect(session.now).toBe('2019-06-01T10:00:00.000Z');
    expect(session.log).toHaveLength(1);
    expect(session.log[0]).toMatchObject({ seq: 0, actor: 'system', event: { type: 'xstate.init' } });
  });

  it('starts the clock at --at when given', () => {
    const session = engine.start(houstonTip(), { at: '2020-01-01T00:00:00Z' });
    expect(session.now).toBe('2020-01-01T00:00:00.000Z');
    expect(session.context.routingTime).toBe('2020-01-01T00:00:00.000Z');
  });

  it('closes an invalid report as rejected at intake, with the JSON path in the reasons', () => {
    const session = engine.start({ ...houstonTip(), subjects: [{ id: 'S1', ipEvents: [{ ip: '8.8.8.8' }] }] });
    expect(session.state).toBe('closed.rejected');
    expect(session.outcome).toBe('rejected');
    expect(session.context.reasons.join('\n')).toContain('subjects[0].ipEvents[0].ip: 8.8.8.8 is not a documentation address');
  });

  it('bundles a viral duplicate of an open tip', () => {
    const hash = 'ab'.repeat(32);
    const tip = houstonTip({ files: [{ id: 'F1', sha256: hash, annotations: ['viral'] }] });
    const session = engine.start(tip, { openFileHashes: [hash.toUpperCase()] });
    expect(session.state).toBe('closed.bundled');
    expect(routeResultOf(session).outcome).toBe('bundled');
  });
});

describe('engine: sending events', () => {
  it('refuses an event the state does not allow, listing the allowed ones', () => {
    const session = engine.start(houstonTip());
    const result = engine.send(session, { type: 'GEO.CONFIRM' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.refusal.allowed).toEqual(['TRIAGE.ASSIGN', 'TIP.SUPPLEMENT']);
    expect(result.refusal.message).toContain('GEO.CONFIRM is not allowed in triage');
    expect(session.log).toHaveLength(1);
  });

  it('refuses a malformed event with the path of the problem', () => {
    const session = engine.start(houstonTip());
    const result = engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P9', track: 'referral' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.refusal.message).toContain('priority');
  });

  it('refuses a P1 downgrade without a reason and accepts it with one', () => {
    const session = engine.start(houstonTip({ incident: { type: 'child-sex-trafficking' } }));
    const bare = engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' });
    expect(bare.ok).toBe(false);
    if (!bare.ok) expect(bare.refusal.message).toContain('needs a reason');
    const reasoned = engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral', reason: 'duplicate of an exigent tip already referred' });
    expect(reasoned.ok).toBe(true);
    expect(session.context.priority).toBe('P3');
  });

  it('makes sends idempotent by event id', () => {
    const session = engine.start(houstonTip());
    const first = engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, { eventId: 'abc' });
    const again = engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P1', track: 'referral' }, { eventId: 'abc' });
    expect(first.ok && again.ok).toBe(true);
    if (again.ok) expect(again.duplicate).toBe(true);
    expect(session.log).toHaveLength(2);
    expect(session.context.priority).toBe('P3');
  });

  it("never lets the engine's own record ids collide with a caller's, so replay keeps every record", () => {
    const session = engine.start(houstonTip());
    expect(engine.send(session, { type: 'TIP.SUPPLEMENT', supplement: {} }, { eventId: 'e3', actor: 'instructor' }).ok).toBe(true);
    expect(engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }).ok).toBe(true);
    expect(engine.send(session, { type: 'GEO.CONFIRM' }).ok).toBe(true);
    const ids = session.log.map((r) => r.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(engine.replay(JSON.parse(JSON.stringify(session))).log).toEqual(session.log);
  });

  it('refuses a caller event id in the engine-reserved form or with odd characters', () => {
    const session = engine.start(houstonTip());
    for (const eventId of ['#1', '', 'a b', 'x'.repeat(81)]) {
      const result = engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, { eventId });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.refusal.message).toContain('event id');
    }
    expect(session.log).toHaveLength(1);
  });

  it('records the simulated time, the actor role and both states in each audit record', () => {
    const session = engine.start(houstonTip());
    engine.advance(session, 10 * 60 * 1000);
    const result = engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, { actor: 'trainee' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.audit).toMatchObject({ seq: 1, at: '2019-06-01T10:10:00.000Z', actor: 'trainee', from: { routing: 'triage' }, to: { routing: { geolocation: 'tagging' } } });
  });

  it('refuses everything once the tip is closed', () => {
    const session = engine.start(houstonTip());
    runAutoDriver(engine, session);
    expect(engine.send(session, { type: 'AGENCY.ACKNOWLEDGE' }).ok).toBe(true);
    expect(session.state).toBe('closed.referred');
    const after = engine.send(session, { type: 'AGENCY.ACKNOWLEDGE' });
    expect(after.ok).toBe(false);
    if (!after.ok) expect(after.refusal.message).toContain('closed');
  });
});

describe('engine: the simulated clock', () => {
  it('fires nothing until the clock is advanced, then logs each expiry as an event', () => {
    const session = engine.start(houstonTip({ incident: { type: 'child-sex-trafficking' } }));
    expect(session.context.timerEvents).toEqual([]);
    const fired = engine.advance(session, 1 * HOUR);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ actor: 'clock', at: '2019-06-01T11:00:00.000Z' });
    // Timer records carry the domain's name and the message the timer gave, never XState's internal name.
    expect(fired[0]?.event.type).toBe('TIMER.TRIAGE_SLA');
    expect(session.context.timerEvents[0]).toContain('Triage SLA breached');
    expect(fired[0]?.event.message).toBe(session.context.timerEvents[0]);
  });

  it('keeps the triage SLA counting from arrival when a supplemental report comes in during triage', () => {
    const session = engine.start(houstonTip({ incident: { type: 'child-sex-trafficking' } }));
    engine.advance(session, 45 * 60 * 1000);
    expect(engine.send(session, { type: 'TIP.SUPPLEMENT', supplement: { annotations: ['sextortion'] } }, { actor: 'instructor' }).ok).toBe(true);
    const fired = engine.advance(session, 16 * 60 * 1000);
    expect(fired.map((r) => r.at)).toEqual(['2019-06-01T11:00:00.000Z']);
  });

  it('restarts the triage SLA at one hour when a supplemental report makes a P3 tip exigent during triage, and says P1', () => {
    const session = engine.start(houstonTip());
    expect(session.context.exigency).toBe('P3');
    engine.advance(session, 60 * 60 * 1000);
    expect(engine.send(session, { type: 'TIP.SUPPLEMENT', supplement: { annotations: ['sextortion'] } }, { actor: 'instructor' }).ok).toBe(true);
    expect(session.context.exigency).toBe('P1');
    // Due one hour after the escalation, not 72 hours after arrival.
    const fired = engine.advance(session, 61 * 60 * 1000);
    expect(fired.map((r) => [r.at, r.event.type])).toEqual([['2019-06-01T12:00:00.000Z', 'TIMER.TRIAGE_SLA']]);
    expect(fired[0]?.event.message).toBe('Triage SLA breached: a P1 tip waited more than 1 h for triage.');
  });

  it('keeps a 90-day preservation running for 90 simulated days, not one real millisecond', () => {
    const session = engine.start(cgnatTip());
    runAutoDriver(engine, session);
    expect(session.state).toBe('legalProcess.preservationRequested');
    expect(engine.send(session, { type: 'PRESERVATION.CONFIRMED' }).ok).toBe(true);
    expect(engine.advance(session, 89 * DAY)).toEqual([]);
    expect(session.state).toBe('legalProcess.preserved');
    engine.advance(session, 2 * DAY);
    expect(session.state).toBe('legalProcess.preservationRenewed');
    engine.advance(session, 90 * DAY);
    expect(session.state).toBe('closed.informational');
    expect(session.outcome).toBe('informational');
    expect(session.context.timerEvents.join('\n')).toContain('renewed 2703(f) preservation expired');
  });

  it('closes a legal-process tip as informational when the ISP records expire before preservation is confirmed', () => {
    const session = engine.start(cgnatTip());
    runAutoDriver(engine, session);
    // Keystone Wireless keeps records 60 days from the 2023-02-28T20:00Z login.
    engine.advance(session, 58 * DAY);
    expect(session.state).toBe('legalProcess.preservationRequested');
    engine.advance(session, 2 * DAY);
    expect(session.state).toBe('closed.informational');
    expect(routeResultOf(session).outcome).toBe('informational');
    expect(session.context.timerEvents.join('\n')).toContain('ISP records expired');
  });
});

describe('engine: injects', () => {
  it('re-geolocates on subscriber information and refers to the subscriber location', () => {
    const session = engine.start(cgnatTip());
    runAutoDriver(engine, session);
    expect(routeResultOf(session).outcome).toBe('legal-process');
    const returned = engine.send(session, { type: 'SUBSCRIBER.RETURNED', indicatorId: 'subjects[0].ipEvents[0]', location: { countryCode: 'US', region: 'PA', city: 'Scranton' } }, { actor: 'instructor' });
    expect(returned.ok).toBe(true);
    runAutoDriver(engine, session);
    const result = routeResultOf(session);
    expect(result.outcome).toBe('referred');
    expect(result.jurisdiction?.id).toBe('US-PA-ICAC');
  });

  it('never refers to a declining agency again without a new indicator', () => {
    const session = engine.start(houstonTip());
    runAutoDriver(engine, session);
    engine.send(session, { type: 'AGENCY.DECLINE', reason: 'outside our area' }, { actor: 'instructor' });
    expect(session.state).toBe('referral.selecting');
    const again = engine.send(session, { type: 'ROUTE.REFER', jurisdictionId: 'US-TX-ICAC-HOU' });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.refusal.message).toContain('declined');
    const added = engine.send(session, { type: 'INDICATOR.ADD', subjectId: 'S1', ipEvent: { ip: '192.0.2.11', port: 40000, dateTime: '2019-05-31T08:00:00Z' } }, { actor: 'instructor' });
    expect(added.ok).toBe(true);
    runAutoDriver(engine, session);
    expect(routeResultOf(session).jurisdiction?.id).toBe('US-TX-ICAC-HOU');
  });

  it('triages again after a supplemental report that escalates the tip', () => {
    const session = engine.start(houstonTip());
    runAutoDriver(engine, session);
    engine.send(session, { type: 'AGENCY.DECLINE', reason: 'needs more' }, { actor: 'instructor' });
    const supplement = engine.send(session, { type: 'TIP.SUPPLEMENT', supplement: { escalateToHighPriority: true } }, { actor: 'instructor' });
    expect(supplement.ok).toBe(true);
    expect(session.state).toBe('triage');
    expect(session.context.exigency).toBe('P1');
  });
});

describe('engine: replay', () => {
  it('rebuilds a session from its JSON record, byte for byte', () => {
    const session = engine.start(cgnatTip());
    runAutoDriver(engine, session);
    engine.send(session, { type: 'PRESERVATION.CONFIRMED' }, { actor: 'instructor' });
    engine.advance(session, 100 * DAY);
    const record = JSON.parse(JSON.stringify(session));
    const replayed = engine.replay(record);
    expect(JSON.stringify(replayed.toRecord())).toBe(JSON.stringify(session.toRecord()));
    expect(replayed.actor.getPersistedSnapshot()).toEqual(session.actor.getPersistedSnapshot());
  });

  it('refuses a log whose recorded states the machine does not reproduce, naming the record', () => {
    const session = engine.start(houstonTip());
    runAutoDriver(engine, session);
    const record = session.toRecord();
    const tampered = { ...record, log: record.log.map((r) => (r.seq === 1 ? { ...r, to: { routing: 'triage', clock: 'running' } } : r)) };
    expect(() => engine.replay(tampered)).toThrow(ReplayError);
    expect(() => engine.replay(tampered)).toThrow(/#1/);
  });

  it('refuses a log with an event the machine would not accept', () => {
    const session = engine.start(houstonTip());
    runAutoDriver(engine, session);
    const record = session.toRecord();
    const tampered = { ...record, log: record.log.map((r) => (r.seq === 1 ? { ...r, event: { type: 'GEO.CONFIRM' } } : r)) };
    expect(() => engine.replay(tampered)).toThrow(/#1: GEO.CONFIRM is not allowed in triage/);
  });
});

describe('engine: sessions of chart version 3', () => {
  // Version 3 accepted a network-only caveat on a reported location; version 4 refuses it (fitsIndicatorKind).
  const location = 'subjects[0].estimatedLocation';
  /** A session stored by chart version 3: triaged, then (when `tagged`) VPN on the reported location, as 3 logged it. */
  function storedByVersion3(tagged: boolean) {
    const session = engine.start(houstonTip({ subjects: [{ id: 'S1', ipEvents: [{ ip: '192.0.2.10', port: 51234, event: 'Upload', dateTime: '2019-05-30T22:09:00Z' }], estimatedLocation: { countryCode: 'US', region: 'TX', city: 'Houston' } }] }));
    expect(engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }).ok).toBe(true);
    const record = session.toRecord();
    const value = session.snapshot.value;
    const tag = { seq: record.log.length, at: record.now, eventId: `#${record.log.length}`, event: { type: 'GEO.TAG', indicatorId: location, caveat: 'VPN' }, actor: 'trainee' as const, from: value, to: value };
    return { ...record, input: { ...record.input, versions: { chart: 3, reference: engine.versions.reference } }, log: tagged ? [...record.log, tag] : record.log };
  }

  it('refuses the network-only tag on a reported location today, with its code', () => {
    const session = engine.replay(storedByVersion3(false));
    const refused = engine.send(session, { type: 'GEO.TAG', indicatorId: location, caveat: 'VPN' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.refusal.code).toBe('NETWORK_CAVEAT_ON_REPORTED_LOCATION');
    expect(engine.versions.chart).toBe(4);
  });

  it('replays a version 3 session that never made such a tag, keeping its version', () => {
    const { session, error } = engine.replayAsFarAsPossible(storedByVersion3(false));
    expect(error).toBeNull();
    expect(session.state).toBe('geolocation.tagging');
    expect(session.input.versions?.chart).toBe(3);
  });

  it('shows a version 3 session with such a tag up to it, reported as made with the earlier chart', () => {
    const stored = storedByVersion3(true);
    expect(() => engine.replay(stored)).toThrow(ReplayError);
    const { session, error } = engine.replayAsFarAsPossible(stored);
    expect(error?.earlierVersion).toEqual({ chart: 3, reference: engine.versions.reference });
    expect(error?.message).toContain('#2');
    expect(session.log).toHaveLength(stored.log.length - 1);
    expect(session.state).toBe('geolocation.tagging');
  });
});
