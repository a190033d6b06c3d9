// The inspector's API: sandboxes of sample tips stepped with any accepted event, rewound to any step, and a
// trainee's session read step by step by their instructor only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, sendEvent, startClassroom, startSession, type TestServer } from './helpers.js';

let t: TestServer;
let teacher: string;
let other: string;
let alice: string;

beforeAll(async () => {
  const room = await startClassroom(['alice']);
  ({ t, teacher, other } = room);
  alice = room.trainees.alice;
});
afterAll(() => t.close());

interface Inspected {
  id: string;
  closed: boolean;
  state: string;
  steps: { seq: number; activeStates: string[]; context: { priority: string | null; outcome: string | null } }[];
  allowed: string[];
  examples: { type: string }[];
}
const inspected = (reply: { body: Record<string, unknown> }) => reply.body.inspected as Inspected;

describe('inspector API', () => {
  it('lists the sample tips to instructors only', async () => {
    const reply = await call(t, 'GET', '/api/inspect/tips', { token: teacher });
    expect(reply.status).toBe(200);
    expect((reply.body.tips as { name: string }[]).map((x) => x.name)).toContain('webmail-houston');
    expect((await call(t, 'GET', '/api/inspect/tips', { token: alice })).status).toBe(403);
    expect((await call(t, 'GET', '/api/inspect/tips')).status).toBe(401);
  });

  it('draws the machine for the page: every state in the SVG, styles served as a file, and active paths that name its states', async () => {
    const reply = await call(t, 'GET', '/api/inspect/machines/routing', { token: teacher });
    expect(reply.status).toBe(200);
    const machine = reply.body.machine as { root: string; svg: string; states: { id: string }[] };
    expect(machine.svg).not.toContain('<style');
    for (const state of machine.states) expect(machine.svg).toContain(`data-state-id="${state.id}"`);
    const sandbox = inspected(await call(t, 'POST', '/api/inspect/sandboxes', { token: teacher, body: { tip: 'mobile-cgnat-no-port' } }));
    const ids = new Set(machine.states.map((s) => s.id));
    for (const path of sandbox.steps[0]?.activeStates ?? []) expect(ids.has(`${machine.root}.${path}`), path).toBe(true);
    const css = await fetch(`${t.url}/assets/diagram.css`);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
    expect(await css.text()).toContain('.state.active');
    expect((await call(t, 'GET', '/api/inspect/machines/routing', { token: alice })).status).toBe(403);
  });

  it('steps a sandbox with the suggested events to a final state, and rewinds it to an earlier step', async () => {
    const created = await call(t, 'POST', '/api/inspect/sandboxes', { token: teacher, body: { tip: 'webmail-houston' } });
    expect(created.status, created.text).toBe(201);
    let sandbox = inspected(created);
    expect(sandbox.steps).toHaveLength(1);
    expect(sandbox.steps[0]?.activeStates).toContain('routing.triage');
    // The last step carries the clock now, even when an advance fired nothing.
    const start = Date.parse((sandbox.steps[0] as unknown as { now: string }).now);
    const quiet = inspected(await call(t, 'POST', `/api/inspect/sandboxes/${sandbox.id}/advance`, { token: teacher, body: { ms: 60_000 } }));
    expect(quiet.steps).toHaveLength(1);
    expect(Date.parse((quiet.steps[0] as unknown as { now: string }).now) - start).toBe(60_000);
    for (let i = 0; i < 30 && !sandbox.closed; i += 1) {
      const event = sandbox.examples[0];
      expect(event, `no suggestion in ${sandbox.state}`).toBeDefined();
      const stepped = await call(t, 'POST', `/api/inspect/sandboxes/${sandbox.id}/events`, { token: teacher, body: { event } });
      expect(stepped.status, stepped.text).toBe(200);
      sandbox = inspected(stepped);
    }
    expect(sandbox.closed).toBe(true);
    expect(sandbox.steps.at(-1)?.context.outcome).toBe('referred');
    const rewound = inspected(await call(t, 'POST', `/api/inspect/sandboxes/${sandbox.id}/rewind`, { token: teacher, body: { seq: 1 } }));
    expect(rewound.steps).toHaveLength(2);
    expect(rewound.steps[1]).toEqual(sandbox.steps[1]);
    expect(rewound.closed).toBe(false);
    const refused = await call(t, 'POST', `/api/inspect/sandboxes/${sandbox.id}/events`, { token: teacher, body: { event: { type: 'ROUTE.REFER', jurisdictionId: 'US-TX-ICAC' } } });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatch(/not allowed/);
    expect((await call(t, 'POST', `/api/inspect/sandboxes/${sandbox.id}/rewind`, { token: teacher, body: { seq: 99 } })).status).toBe(422);
    expect((await call(t, 'GET', `/api/inspect/sandboxes/${sandbox.id}`, { token: other })).status).toBe(404);
    expect((await call(t, 'POST', '/api/inspect/sandboxes', { token: teacher, body: { tip: '../package' } })).status).toBe(400);
    expect((await call(t, 'POST', '/api/inspect/sandboxes', { token: teacher, body: { tip: 'no-such-tip' } })).status).toBe(404);
  });

  it("reads a trainee's session step by step for their instructor only", async () => {
    const { id, lastSeq } = await startSession(t, alice);
    const sent = await sendEvent(t, alice, id, { type: 'TRIAGE.ASSIGN', priority: 'P2', track: 'referral' }, 'i1', lastSeq);
    expect(sent.status, sent.text).toBe(200);
    const reply = await call(t, 'GET', `/api/inspect/sessions/${id}`, { token: teacher });
    expect(reply.status).toBe(200);
    const session = inspected(reply);
    expect(session.steps.map((s) => s.seq)).toEqual([0, 1]);
    expect(session.steps[1]?.context.priority).toBe('P2');
    expect(session.examples).toEqual([]);
    expect((await call(t, 'GET', `/api/inspect/sessions/${id}`, { token: other })).status).toBe(404);
    expect((await call(t, 'GET', `/api/inspect/sessions/${id}`, { token: alice })).status).toBe(403);
  });

  it('names the session that goes on when a practice undo replaced the inspected one (the page follows it, notice or not)', async () => {
    const { id, lastSeq } = await startSession(t, alice);
    const sent = await sendEvent(t, alice, id, { type: 'TRIAGE.ASSIGN', priority: 'P2', track: 'referral' }, 'r1', lastSeq);
    expect(sent.status, sent.text).toBe(200);
    expect((await call(t, 'GET', `/api/inspect/sessions/${id}`, { token: teacher })).body.inspected).toMatchObject({ replacedBy: null });
    const undone = await call(t, 'POST', `/api/sessions/${id}/undo`, { token: alice, body: { expectedSeq: lastSeq + 1 } });
    expect(undone.status, undone.text).toBe(201);
    const next = (undone.body.view as { id: string }).id;
    expect((await call(t, 'GET', `/api/inspect/sessions/${id}`, { token: teacher })).body.inspected).toMatchObject({ id, replacedBy: next });
    expect((await call(t, 'GET', `/api/inspect/sessions/${next}`, { token: teacher })).body.inspected).toMatchObject({ id: next, replacedBy: null });
  });

  it('branches a sandbox from an earlier step and keeps the original whole, and says what the earlier step accepted', async () => {
    let sandbox = inspected(await call(t, 'POST', '/api/inspect/sandboxes', { token: teacher, body: { tip: 'webmail-houston' } }));
    for (let i = 0; i < 3; i += 1) sandbox = inspected(await call(t, 'POST', `/api/inspect/sandboxes/${sandbox.id}/events`, { token: teacher, body: { event: sandbox.examples[0] } }));
    expect(sandbox.steps).toHaveLength(4);

    const choices = await call(t, 'GET', `/api/inspect/sandboxes/${sandbox.id}/steps/0`, { token: teacher });
    expect(choices.status, choices.text).toBe(200);
    const atZero = choices.body.choices as { seq: number; closed: boolean; allowed: string[]; examples: { type: string }[] };
    expect(atZero.seq).toBe(0);
    expect(atZero.allowed).toContain('TRIAGE.ASSIGN');
    expect(atZero.allowed).not.toEqual(sandbox.allowed);
    expect(atZero.examples[0]?.type).toBe('TRIAGE.ASSIGN');
    expect((await call(t, 'GET', `/api/inspect/sandboxes/${sandbox.id}/steps/9`, { token: teacher })).status).toBe(422);
    expect((await call(t, 'GET', `/api/inspect/sandboxes/${sandbox.id}/steps/x`, { token: teacher })).status).toBe(400);
    expect((await call(t, 'GET', `/api/inspect/sandboxes/${sandbox.id}/steps/0`, { token: other })).status).toBe(404);

    const branched = await call(t, 'POST', `/api/inspect/sandboxes/${sandbox.id}/branch`, { token: teacher, body: { seq: 1 } });
    expect(branched.status, branched.text).toBe(201);
    const branch = inspected(branched) as Inspected & { branchOf: { id: string; seq: number } | null };
    expect(branch.id).not.toBe(sandbox.id);
    expect(branch.branchOf).toEqual({ id: sandbox.id, seq: 1 });
    expect(branch.steps).toEqual(sandbox.steps.slice(0, 2));
    // The original keeps every step; the branch goes its own way.
    const original = inspected(await call(t, 'GET', `/api/inspect/sandboxes/${sandbox.id}`, { token: teacher }));
    expect(original.steps).toEqual(sandbox.steps);
    const onBranch = inspected(await call(t, 'POST', `/api/inspect/sandboxes/${branch.id}/events`, { token: teacher, body: { event: branch.examples[0] } }));
    expect(onBranch.steps).toHaveLength(3);
    expect(inspected(await call(t, 'GET', `/api/inspect/sandboxes/${sandbox.id}`, { token: teacher })).steps).toHaveLength(4);
    // A branch can start with its first event; a refused one makes no branch.
    const withEvent = inspected(await call(t, 'POST', `/api/inspect/sandboxes/${sandbox.id}/branch`, { token: teacher, body: { seq: 0, event: atZero.examples[0] } }));
    expect(withEvent.steps.map((s) => s.seq)).toEqual([0, 1]);
    expect((withEvent.steps[1] as unknown as { record: { event: unknown } } | undefined)?.record.event).toMatchObject({ type: 'TRIAGE.ASSIGN' });
    const refused = await call(t, 'POST', `/api/inspect/sandboxes/${sandbox.id}/branch`, { token: teacher, body: { seq: 0, event: { type: 'GEO.CONFIRM' } } });
    expect(refused.status).toBe(422);
    const advanced = inspected(await call(t, 'POST', `/api/inspect/sandboxes/${sandbox.id}/branch`, { token: teacher, body: { seq: 0, ms: 60_000 } }));
    expect(Date.parse((advanced.steps.at(-1) as unknown as { now: string }).now) - Date.parse((sandbox.steps[0] as unknown as { now: string }).now)).toBe(60_000);
    expect((await call(t, 'POST', `/api/inspect/sandboxes/${sandbox.id}/branch`, { token: teacher, body: { seq: 0, ms: 1, event: { type: 'GEO.CONFIRM' } } })).status).toBe(400);
    expect((await call(t, 'POST', `/api/inspect/sandboxes/${sandbox.id}/branch`, { token: other, body: { seq: 1 } })).status).toBe(404);
    expect((await call(t, 'POST', `/api/inspect/sandboxes/${sandbox.id}/branch`, { token: teacher, body: { seq: 40 } })).status).toBe(422);
  });
});
