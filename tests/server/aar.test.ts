// The cohort's after-action report and improvement plan over HTTP (issue 18, item 1): HTML under its own
// Content-Security-Policy, a Markdown download, the stored plan in the report; the instructor of the cohort
// only (another instructor gets 404 as on every cohort route, a trainee 403).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, sendEvent, startClassroom, startSession, type Classroom } from './helpers.js';

let room: Classroom<'alice' | 'bob'>;
const base = () => `/api/cohorts/${room.cohort.id}`;

/** Plays webmail-houston to its close, referring to `jurisdictionId`. */
async function playHouston(token: string, jurisdictionId: string, mode = 'practice'): Promise<string> {
  const { id } = await startSession(room.t, token, 'webmail-houston', mode);
  expect((await sendEvent(room.t, token, id, { type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }, 'e1', 0)).status).toBe(200);
  const confirmed = await sendEvent(room.t, token, id, { type: 'GEO.CONFIRM' }, 'e2', 1);
  const referred = await sendEvent(room.t, token, id, { type: 'ROUTE.REFER', jurisdictionId }, 'e3', (confirmed.body.view as { lastSeq: number }).lastSeq);
  expect(referred.body.view).toMatchObject({ closed: true });
  return id;
}

beforeAll(async () => {
  room = await startClassroom(['alice', 'bob']);
  await playHouston(room.trainees.alice, 'US-TX-ICAC-HOU');
  await playHouston(room.trainees.bob, 'US-TX-ICAC');
});
afterAll(() => room.t.close());

describe('GET /api/cohorts/:id/aar', () => {
  it('gives the cohort’s instructor the report as HTML, under a policy that allows its one stylesheet and nothing else', async () => {
    const response = await fetch(`${room.t.url}${base()}/aar`, { headers: { authorization: `Bearer ${room.teacher}` } });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toContain('<h1>After-action report: Morning class</h1>');
    expect(html).toContain('Trainees</dt><dd>2 (alice, bob)</dd>');
    expect(html).not.toMatch(/https?:|<script/);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(style, 'utf8').digest('base64');
    expect(response.headers.get('content-security-policy')).toBe(`default-src 'none'; style-src 'sha256-${hash}'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`);
  });

  it('is not found for another instructor, refused to a trainee, and needs a sign-in', async () => {
    expect((await call(room.t, 'GET', `${base()}/aar`, { token: room.other })).status).toBe(404);
    expect((await call(room.t, 'GET', `${base()}/aar.md`, { token: room.other })).status).toBe(404);
    expect((await call(room.t, 'GET', '/api/cohorts/no-such-cohort/aar', { token: room.teacher })).status).toBe(404);
    expect((await call(room.t, 'GET', `${base()}/aar`, { token: room.trainees.alice })).status).toBe(403);
    expect((await call(room.t, 'GET', `${base()}/aar.md`, { token: room.trainees.bob })).status).toBe(403);
    expect((await call(room.t, 'GET', `${base()}/aar`)).status).toBe(401);
  });

  it('downloads the report as Markdown, at aar.md and with ?format=md', async () => {
    for (const path of [`${base()}/aar.md`, `${base()}/aar?format=md`]) {
      const response = await fetch(`${room.t.url}${path}`, { headers: { authorization: `Bearer ${room.teacher}` } });
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
      expect(response.headers.get('content-disposition')).toBe('attachment; filename="aar-Morning-class.md"');
      expect(text).toMatch(/^# After-action report: Morning class\n/);
      expect(text).toContain('- Ratings over 2 attempts: P 1, S 0, M 1, U 0');
      expect(text).toContain('Wrong route or referral: a referral to the wrong unit of the right state: 1 decision (1 trainee).');
    }
  });
});

describe('the improvement plan', () => {
  const plan = () => `${base()}/improvement-plan`;

  it('starts empty, with rows suggested from the areas for improvement', async () => {
    const reply = await call(room.t, 'GET', plan(), { token: room.teacher });
    expect(reply.status).toBe(200);
    expect(reply.body.rows).toEqual([]);
    expect((reply.body.suggested as { action: string }[]).map((r) => r.action)).toContain('Walk through the referral rules for each referral to the wrong unit of the right state (the rule book\'s order: determining indicators, then jurisdiction)');
  });

  it('refuses rows that are not plain short text with a real date', async () => {
    const put = (rows: unknown) => call(room.t, 'PUT', plan(), { token: room.teacher, body: { rows } });
    const bad = [
      [{ action: '', capability: 'referral' }],
      [{ action: 'x'.repeat(301) }],
      [{ action: 'Read https://example.com/rules' }],
      [{ action: 'Two\nlines' }],
      [{ action: 'Refresher', owner: 'o'.repeat(81) }],
      [{ action: 'Refresher', due: '2027-02-30' }],
      [{ action: 'Refresher', due: 'next week' }],
      [{ action: 'Refresher', colour: 'red' }],
      Array.from({ length: 51 }, () => ({ action: 'Refresher' })),
    ];
    for (const rows of bad) expect((await put(rows)).status, JSON.stringify(rows).slice(0, 80)).toBe(400);
    expect((await call(room.t, 'PUT', plan(), { token: room.other, body: { rows: [] } })).status).toBe(404);
    expect((await call(room.t, 'PUT', plan(), { token: room.trainees.alice, body: { rows: [] } })).status).toBe(403);
    expect((await call(room.t, 'GET', plan(), { token: room.trainees.alice })).status).toBe(403);
  });

  it('stores the instructor’s rows, keeps a row’s creation time across saves, and the report includes them', async () => {
    const first = await call(room.t, 'PUT', plan(), { token: room.teacher, body: { rows: [{ action: 'City task forces drill', capability: 'referral', owner: 'Training unit', due: '2027-01-15' }] } });
    expect(first.status).toBe(200);
    const [row] = first.body.rows as { id: string; action: string; capability: string; due: string; createdAt: string; updatedAt: string }[];
    expect(row).toMatchObject({ action: 'City task forces drill', capability: 'referral', owner: 'Training unit', due: '2027-01-15' });
    const second = await call(room.t, 'PUT', plan(), { token: room.teacher, body: { rows: [{ action: 'Caveat refresher', due: '' }, { id: row?.id, action: row?.action, capability: row?.capability, due: row?.due, owner: 'Sgt. Example' }] } });
    const rows = second.body.rows as { id: string; action: string; owner: string; due: string | null; createdAt: string }[];
    expect(rows.map((r) => [r.action, r.owner, r.due])).toEqual([
      ['Caveat refresher', '', null],
      ['City task forces drill', 'Sgt. Example', '2027-01-15'],
    ]);
    expect(rows[1]?.id).toBe(row?.id);
    expect(rows[1]?.createdAt).toBe(row?.createdAt);
    expect((await call(room.t, 'GET', plan(), { token: room.teacher })).body.rows).toEqual(second.body.rows);
    const md = await call(room.t, 'GET', `${base()}/aar.md`, { token: room.teacher });
    expect(md.text).toContain('| Caveat refresher |  |  |  |  |');
    expect(md.text).toContain('| City task forces drill | referral | Sgt. Example | 2027-01-15 |  |');
  });
});
