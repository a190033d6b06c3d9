// The world's events keep the tip within its own schema's limits (issue 14): an INDICATOR.ADD past a list's
// limit is refused with the limit named, a TIP.SUPPLEMENT adds files only up to the tip's limit and says so.
import { describe, expect, it } from 'vitest';
import { TIP_LIMITS, tipSchema, type Tip } from '../../src/domain/tip/schema.js';
import { engine, houstonTip } from '../engine/helpers.js';

const ipEvent = (n: number) => ({ ip: `192.0.2.${(n % 250) + 1}`, port: 40000 + n, event: 'Login' as const, dateTime: '2019-05-30T22:09:00Z' });
const file = (n: number) => ({ id: `F${n}`, sha256: n.toString(16).padStart(64, '0') });

/** A session of `tip` at the geolocation step (where a new indicator is taken). */
function atGeolocation(tip: Tip) {
  expect(tipSchema.safeParse(tip).success).toBe(true);
  const session = engine.start(tip);
  expect(engine.send(session, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }).ok).toBe(true);
  expect(session.state).toBe('geolocation.tagging');
  return session;
}

describe('tip limits under the world events', () => {
  it(`takes IP events on a subject up to ${TIP_LIMITS.ipEventsPerSubject}, then refuses the next, and the tip still parses`, () => {
    const events = Array.from({ length: TIP_LIMITS.ipEventsPerSubject - 1 }, (_, n) => ipEvent(n));
    const session = atGeolocation(houstonTip({ subjects: [{ id: 'S1', ipEvents: events }] }));
    expect(engine.send(session, { type: 'INDICATOR.ADD', subjectId: 'S1', ipEvent: ipEvent(500) }, { actor: 'instructor' }).ok).toBe(true);
    const over = engine.send(session, { type: 'INDICATOR.ADD', subjectId: 'S1', ipEvent: ipEvent(501) }, { actor: 'instructor' });
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.refusal.message).toContain(`subject S1 already has ${TIP_LIMITS.ipEventsPerSubject} IP events`);
    expect(session.context.tip?.subjects?.[0]?.ipEvents).toHaveLength(TIP_LIMITS.ipEventsPerSubject);
    expect(tipSchema.safeParse(session.context.tip).success).toBe(true);
  });

  it(`refuses a new subject past ${TIP_LIMITS.subjects}, and still takes an IP event on a subject the tip has`, () => {
    const subjects = Array.from({ length: TIP_LIMITS.subjects }, (_, n) => ({ id: `S${n + 1}`, ipEvents: [ipEvent(n)] }));
    const session = atGeolocation(houstonTip({ subjects }));
    const over = engine.send(session, { type: 'INDICATOR.ADD', subjectId: 'NEW', ipEvent: ipEvent(900) }, { actor: 'instructor' });
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.refusal.message).toContain(`the tip already has ${TIP_LIMITS.subjects} subjects`);
    expect(engine.send(session, { type: 'INDICATOR.ADD', subjectId: 'S1', ipEvent: ipEvent(901) }, { actor: 'instructor' }).ok).toBe(true);
    expect(tipSchema.safeParse(session.context.tip).success).toBe(true);
  });

  it(`adds a supplement's files only up to the tip's ${TIP_LIMITS.files}, and says how many were left out`, () => {
    const files = Array.from({ length: TIP_LIMITS.files - 10 }, (_, n) => file(n));
    const session = atGeolocation(houstonTip({ files }));
    const supplement = { files: Array.from({ length: 30 }, (_, n) => file(10_000 + n)) };
    expect(engine.send(session, { type: 'TIP.SUPPLEMENT', supplement }, { actor: 'instructor' }).ok).toBe(true);
    expect(session.context.tip?.files).toHaveLength(TIP_LIMITS.files);
    expect(session.context.reasons.at(-1)).toBe(`20 of its files were not added: a tip holds at most ${TIP_LIMITS.files} files.`);
    expect(tipSchema.safeParse(session.context.tip).success).toBe(true);
  });

  it('adds a supplement within the limit whole, with no note', () => {
    const session = atGeolocation(houstonTip({ files: [file(1)] }));
    expect(engine.send(session, { type: 'TIP.SUPPLEMENT', supplement: { files: [file(1), file(2)] } }, { actor: 'instructor' }).ok).toBe(true);
    expect(session.context.tip?.files?.map((f) => f.id)).toEqual(['F1', 'F2']);
    expect(session.context.reasons.at(-1)).toBe('Supplemental report received: the tip is triaged again.');
  });
});
