// The inspector's timeline: one step per record, each equal to the session rebuilt from the log up to it.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { activeStatePaths, exampleEvents, inspectedContext, runAutoDriver, timelineOf, type RoutingSession } from '../../src/engine/index.js';
import { fixturePath } from '../../src/io/project-files.js';
import { readJsonFile } from '../../src/io/read-json.js';
import { cgnatTip, DAY, engine, houstonTip } from './helpers.js';

const copyOf = (session: RoutingSession): RoutingSession => engine.replay(session.toRecord());
const stateOf = (session: RoutingSession): string => activeStatePaths(session.snapshot.value).filter((p) => p.startsWith('routing.')).join(' ');

/** Sends the first suggestion again and again; the steps it took to close the tip, or null. */
function walkFirst(session: RoutingSession, limit: number): number | null {
  for (let i = 0; i < limit; i += 1) {
    if (session.closed) return i;
    const first = exampleEvents(engine, session)[0];
    if (first === undefined) return null;
    if (!engine.send(session, first, { actor: 'instructor' }).ok) return null;
  }
  return session.closed ? limit : null;
}

describe('timeline', () => {
  it('lists active states with their parents', () => {
    expect(activeStatePaths({ routing: { referral: 'selecting' }, clock: 'running' })).toEqual(['routing', 'routing.referral', 'routing.referral.selecting', 'clock', 'clock.running']);
  });

  it('has one step per record, each the state the log up to that record rebuilds', () => {
    for (const tip of [houstonTip(), cgnatTip()]) {
      const session = engine.start(tip);
      runAutoDriver(engine, session);
      engine.advance(session, 120 * DAY);
      const record = session.toRecord();
      const steps = timelineOf(engine, record);
      expect(steps.map((s) => s.seq)).toEqual(record.log.map((r) => r.seq));
      for (const step of steps) {
        const upTo = engine.replay({ ...record, log: record.log.slice(0, step.seq + 1), now: step.record.at });
        expect(step.record).toEqual(record.log[step.seq]);
        expect(step.activeStates).toEqual(activeStatePaths(upTo.snapshot.value));
        expect(step.context).toEqual(inspectedContext(upTo));
        // Each pending timer names its delay and the state (an active one) that scheduled it.
        for (const timer of step.timers) {
          expect(timer.delay).toMatch(/^[A-Za-z0-9]+$/);
          expect(step.activeStates).toContain(timer.state);
        }
      }
      expect(steps.at(-1)?.context.outcome).toBe(session.context.outcome);
    }
  });

  it('suggests an accepted event for every allowed decision, and the answer key at a decision point', () => {
    const session = engine.start(houstonTip());
    for (let i = 0; i < 20 && !session.closed; i += 1) {
      const examples = exampleEvents(engine, session);
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) expect(session.allowedEvents()).toContain(example.type);
      const first = examples[0];
      if (first === undefined) break;
      const result = engine.send(session, first, { actor: 'instructor' });
      expect(result.ok, result.ok ? '' : result.refusal.message).toBe(true);
    }
  });

  it('suggests at every open state the suggestions and the clock reach from each sample tip, and the first suggestion walks on to a final state', () => {
    const seen = new Map<string, number>();
    // Every third sample tip (a bounded run: each explored state replays its log a few times).
    for (const file of readdirSync(fixturePath('tips')).filter((f, i) => f.endsWith('.json') && (i % 3 === 0 || f === 'mobile-cgnat-no-port.json'))) {
      const frontier: RoutingSession[] = [engine.start(readJsonFile(fixturePath('tips', file)))];
      const visited = new Set<string>();
      while (frontier.length > 0 && visited.size < 30) {
        const session = frontier.shift() as RoutingSession;
        if (session.closed) continue;
        const state = stateOf(session);
        const key = `${state} ${session.context.tags.length} ${session.context.declined.length}`;
        if (visited.has(key)) continue;
        visited.add(key);
        seen.set(state, (seen.get(state) ?? 0) + 1);
        const examples = exampleEvents(engine, session);
        expect(examples.length, `${file} at ${state}: no suggestion`).toBeGreaterThan(0);
        for (const example of examples) {
          const next = copyOf(session);
          const result = engine.send(next, example, { actor: 'instructor' });
          expect(result.ok, `${file} at ${state}: ${example.type} refused: ${result.ok ? '' : result.refusal.message}`).toBe(true);
          frontier.push(next);
        }
        // The clock's way on: timers move the legal-process states (preservation renewed, records expired).
        const later = copyOf(session);
        engine.advance(later, 100 * DAY);
        frontier.push(later);
        expect(walkFirst(copyOf(session), 40), `${file} at ${state}: the first suggestion does not reach a final state`).not.toBeNull();
      }
    }
    // The states issue 18 named are among those checked.
    expect([...seen.keys()]).toEqual(expect.arrayContaining(['routing.legalProcess routing.legalProcess.preserved', 'routing.legalProcess routing.legalProcess.preservationRenewed']));
  });

  it('fills the subscriber answer at legal process: the indicator legal process names and a place, accepted by the machine', () => {
    const session = engine.start(cgnatTip());
    engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, { actor: 'instructor' });
    const tag = exampleEvents(engine, session).find((e) => e.type === 'GEO.TAG');
    expect(tag).toBeDefined();
    for (let i = 0; i < 10 && !session.allowedEvents().includes('ROUTE.LEGAL_PROCESS'); i += 1) {
      const next = exampleEvents(engine, session).find((e) => e.type === 'GEO.TAG' || e.type === 'GEO.CONFIRM');
      if (next === undefined) break;
      engine.send(session, next, { actor: 'instructor' });
    }
    expect(engine.send(session, { type: 'ROUTE.LEGAL_PROCESS' }, { actor: 'instructor' }).ok).toBe(true);
    expect(engine.send(session, { type: 'PRESERVATION.CONFIRMED' }, { actor: 'instructor' }).ok).toBe(true);
    expect(stateOf(session)).toContain('routing.legalProcess.preserved');
    const returned = exampleEvents(engine, session).find((e) => e.type === 'SUBSCRIBER.RETURNED');
    expect(returned).toEqual({ type: 'SUBSCRIBER.RETURNED', indicatorId: 'subjects[0].ipEvents[0]', location: { countryCode: 'US', region: 'PA', city: 'Scranton' } });
    expect(engine.send(session, returned as NonNullable<typeof returned>, { actor: 'instructor' }).ok).toBe(true);
    expect(stateOf(session)).toContain('routing.geolocation');
  });
});
