// What the pages write around the decisions comes from the server (issue 18, items 3, 4 and 7): the
// analyst's words for every code, the triage deadlines, example agency ids the registry accepts, and
// whether the debrief is released (so the page never asks for it to be told 403).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NETWORK_KINDS } from '../../src/domain/reference/geo.js';
import { OUTCOMES } from '../../src/domain/routing/outcome.js';
import { TRIAGE_SLA_MS, HOUR_MS } from '../../src/domain/routing/timer-table.js';
import { FILE_ANNOTATIONS, INCIDENT_ANNOTATIONS, INCIDENT_TYPES, INTERNET_DETAIL_KINDS, TIP_SOURCES } from '../../src/domain/tip/vocabulary.js';
import { PRIORITIES, TRACKS } from '../../src/domain/triage.js';
import { PHASES } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { STATE_WORDS } from '../../src/scenario/plain-words.js';
import type { ClientReference } from '../../src/server/reference-api.js';
import { call, sendEvent, startClassroom, startSession, type Classroom } from './helpers.js';

let room: Classroom<'alice'>;
let reference: ClientReference;

beforeAll(async () => {
  room = await startClassroom(['alice']);
  const reply = await call(room.t, 'GET', '/api/reference', { token: room.trainees.alice });
  expect(reply.status).toBe(200);
  reference = reply.body as unknown as ClientReference;
});
afterAll(() => room.t.close());

describe('GET /api/reference: the words around the decisions', () => {
  it('has the analyst’s words for every code of each vocabulary a trainee page shows', () => {
    const vocabularies: [keyof ClientReference['words'], readonly string[]][] = [
      ['incidentTypes', INCIDENT_TYPES],
      ['annotations', [...new Set([...INCIDENT_ANNOTATIONS, ...FILE_ANNOTATIONS])]],
      ['internetKinds', INTERNET_DETAIL_KINDS],
      ['networkKinds', NETWORK_KINDS],
      ['sources', TIP_SOURCES],
      ['phases', PHASES],
      ['outcomes', OUTCOMES],
      ['priorities', PRIORITIES],
      ['tracks', TRACKS],
    ];
    for (const [table, codes] of vocabularies) {
      const words = reference.words[table];
      expect(Object.keys(words).sort(), table).toEqual([...codes].sort());
      for (const code of codes) expect(words[code], `${table}.${code}`).toMatch(/^[A-Za-z][\w ,:()'’.-]+$/);
    }
    expect(reference.words.incidentTypes['child-pornography-possession']).toBe('Child sexual abuse material: possession');
    expect(reference.words.internetKinds.chatIm).toBe('Chat or instant messaging');
    expect(reference.words.phases.legalProcess).toBe('Legal process');
  });

  it('words a code as something other than the code itself, wherever the code is not plain English', () => {
    const plain = /^[a-z]+$/; // sextortion, spam, email … read as words already
    for (const [table, words] of Object.entries(reference.words) as [string, Record<string, string>][]) {
      for (const [code, text] of Object.entries(words)) if (!plain.test(code)) expect(text.toLowerCase(), `${table}.${code}`).not.toBe(code.toLowerCase());
    }
  });

  it('sends the same state phrases as the debrief’s plain words (one table)', () => {
    expect(reference.words.states).toEqual(STATE_WORDS);
  });

  it('gives the triage deadline of each priority from the timer table', () => {
    for (const p of PRIORITIES) expect(reference.triageSla.byPriority[p]).toBe(`${TRIAGE_SLA_MS[p] / HOUR_MS} h`);
    expect(reference.triageSla.summary).toBe('P1 1 h, P2 24 h, P3 72 h');
  });

  it('offers one example id per derived template, each one the registry accepts through that channel, none listed and none a place of the geolocation data', () => {
    const registry = bundledReference().jurisdictions;
    const { defaults } = registry.reference;
    const geoCountries = new Set(bundledReference().geo.entries.map((e) => e.country));
    const listed = new Set(reference.jurisdictions.map((j) => j.id));
    expect(reference.derivedIdExamples).toHaveLength(3);
    const [state, europol, interpol] = reference.derivedIdExamples.map((id) => ({ id, found: registry.jurisdictionById(id) }));
    expect(state?.found?.channel).toBe('icac');
    expect(europol?.found?.channel).toBe('europol');
    expect(interpol?.found?.channel).toBe('interpol');
    // Europol's example is an EU member (the old hint's EUROPOL-BR was refused: Brazil is not in the EU).
    expect(defaults.euMembers).toContain(europol?.found?.country);
    expect(defaults.euMembers).not.toContain(interpol?.found?.country);
    for (const example of [state, europol, interpol]) {
      expect(listed.has(example?.id ?? ''), `${example?.id} is a listed agency`).toBe(false);
      if (example?.found?.country !== 'US') expect(geoCountries.has(example?.found?.country ?? ''), `${example?.id} names a country of the geolocation data`).toBe(false);
    }
    const geoUsRegions = new Set(bundledReference().geo.entries.filter((e) => e.country === 'US').map((e) => e.region));
    expect(geoUsRegions.has(state?.found?.region ?? '')).toBe(false);
  });
});

describe('the session view says whether the debrief is released', () => {
  it('is false while open and once closed until released, true once released, false again once withdrawn', async () => {
    const { t, teacher, cohort, trainees } = room;
    const view = await startSession(t, trainees.alice, 'informational-meme');
    expect(view.debriefReleased).toBe(false);
    const closed = await sendEvent(t, trainees.alice, view.id, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'informational' }, 'w1', view.lastSeq);
    expect(closed.status, closed.text).toBe(200);
    expect(closed.body.view).toMatchObject({ closed: true, debriefReleased: false });
    const viewNow = async () => (await call(t, 'GET', `/api/sessions/${view.id}`, { token: trainees.alice })).body.view as { debriefReleased: boolean };
    expect((await call(t, 'POST', `/api/cohorts/${cohort.id}/release`, { token: teacher, body: { exerciseId: 'informational-meme' } })).status).toBe(201);
    expect((await viewNow()).debriefReleased).toBe(true);
    // What the view says is what the debrief route does.
    expect((await call(t, 'GET', `/api/sessions/${view.id}/debrief`, { token: trainees.alice })).status).toBe(200);
    expect((await call(t, 'DELETE', `/api/cohorts/${cohort.id}/release?exerciseId=informational-meme`, { token: teacher })).status).toBe(204);
    expect((await viewNow()).debriefReleased).toBe(false);
    expect((await call(t, 'GET', `/api/sessions/${view.id}/debrief`, { token: trainees.alice })).status).toBe(403);
  });
});
