// The inspector's timeline: one step per record, each equal to the session rebuilt from the log up to it.
import { describe, expect, it } from 'vitest';
import { activeStatePaths, exampleEvents, inspectedContext, runAutoDriver, timelineOf } from '../../src/engine/index.js';
import { hasTag } from '../../src/domain/routing/tags.js';
import { cgnatTip, DAY, engine, houstonTip } from './helpers.js';

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
      expect(steps.at(-1)?.context.outcome).toBe(session.outcome);
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

  it('suggests tagging only a caveat the tip does not hold yet, so each suggested tag is accepted', () => {
    const session = engine.start(cgnatTip());
    expect(engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P2', track: 'referral' }).ok).toBe(true);
    expect(session.state).toBe('geolocation.tagging');
    for (let i = 0; i < 4; i += 1) {
      const tag = exampleEvents(engine, session).find((e) => e.type === 'GEO.TAG');
      if (tag?.type !== 'GEO.TAG') throw new Error('no GEO.TAG suggested in geolocation.tagging');
      expect(hasTag(session.context.tags, tag), `${tag.caveat} on ${String(tag.indicatorId)} is suggested again`).toBe(false);
      const result = engine.send(session, tag, { actor: 'instructor' });
      expect(result.ok, result.ok ? '' : result.refusal.message).toBe(true);
    }
    expect(session.context.tags).toHaveLength(4);
  });
});
