// The instructor's screens in the analyst's words (issue 18, item 7): the API carries the words of
// src/scenario/plain-words.ts (the web compiles only src/web, so it never copies them): an exercise's lesson,
// an inject's kind and scripted state, a session's place and outcome, each attempt's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, sendEvent, startClassroom, startSession, type TestServer } from './helpers.js';

let t: TestServer;
let teacher: string;
let ada: string;
let cohortId: string;

beforeAll(async () => {
  const room = await startClassroom(['ada']);
  ({ t, teacher } = room);
  ada = room.trainees.ada;
  cohortId = room.cohort.id;
});
afterAll(() => t.close());

describe('words on the instructor screens', () => {
  it("says an exercise's lesson in words when it is a caveat code or a channel, and null otherwise", async () => {
    const { body } = await call(t, 'GET', '/api/exercises', { token: teacher });
    const exercises = body.exercises as { id: string; lesson: string; lessonWords: string | null }[];
    const cgnat = exercises.find((e) => e.lesson === 'CGNAT_NO_PORT');
    expect(cgnat?.lessonWords).toMatch(/\w+ \w+/);
    expect(cgnat?.lessonWords).not.toContain('CGNAT_NO_PORT');
    expect(exercises.find((e) => e.lesson === 'europol')?.lessonWords).toBe('EU member state, via Europol');
    expect(exercises.find((e) => e.lesson === 'sextortion')?.lessonWords).toBeNull();
    // Trainees never get the lesson, in words or not.
    const forAda = (await call(t, 'GET', '/api/exercises', { token: ada })).body.exercises as Record<string, unknown>[];
    expect(forAda.every((e) => !('lesson' in e) && !('lessonWords' in e))).toBe(true);
  });

  it("says an inject's kind and scripted state in words", async () => {
    const { body } = await call(t, 'GET', '/api/exercises/sextortion-p1-wichita/injects', { token: teacher });
    const injects = body.injects as { id: string; kind: string; when: { state: string } | null; words: { kind: string; when: string | null } }[];
    expect(injects.find((i) => i.id === 'sla-reminder')?.words).toEqual({ kind: "the reporting provider's supplemental report", when: null });
    const scripted = injects.find((i) => i.when !== null);
    expect(scripted?.words.when).toMatch(/^(at|while|after) /);
  });

  it('says where a session stands, how it ended and the last decision’s point, on the grid and for each attempt', async () => {
    const view = await startSession(t, ada, 'webmail-houston', 'practice');
    const triaged = await sendEvent(t, ada, view.id, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'informational', reason: 'no location' }, 'w-1', view.lastSeq);
    expect(triaged.status).toBe(200);
    const grid = await call(t, 'GET', `/api/cohorts/${cohortId}/progress`, { token: teacher });
    const row = (grid.body.trainees as { all: { sessionId: string; closed: boolean; outcome: string | null; words: { where: string; outcome: string | null; point: string | null } }[]; attempts: { sessionId: string; words: { outcome: string | null } }[] }[])[0];
    const p = row?.all.find((s) => s.sessionId === view.id);
    expect(p?.closed).toBe(true);
    expect(p?.outcome).toBe('informational');
    expect(p?.words).toEqual({ where: 'after the tip was closed as informational', outcome: 'Closed as informational', point: 'triage' });
    expect(row?.attempts.find((a) => a.sessionId === view.id)?.words.outcome).toBe('Closed as informational');
  });
});
