// The inspector's API (issue 8), instructors only: step a free simulation ("sandbox") of a sample tip with
// any event the machine accepts, jump back to any step, and read a trainee's session step by step. Sandboxes
// live in memory only (they are throwaway experiments, not class records), a few per instructor.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Express, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { DIAGRAM_CSS, layoutDiagram, machineGraph, renderSvg } from '../diagram/index.js';
import type { TimelineStep } from '../api/contract.js';
import { exampleEvents, timelineOf, type Engine, type RoutingSession } from '../engine/index.js';
import { fixturePath } from '../io/project-files.js';
import { readJsonFile } from '../io/read-json.js';
import type { User } from '../store/account-store.js';
import type { StoredSession } from '../store/event-store.js';
import { HttpError, ID_PARAM, notFound, parse } from './http-errors.js';
import { checkClockSpan } from './limits.js';
import { MAX_ADVANCE_MS, startMsOf } from './session-view.js';

const MAX_SANDBOXES_PER_INSTRUCTOR = 20;

export interface InspectDeps {
  engine: Engine;
  authenticate: RequestHandler;
  instructorOnly: RequestHandler;
  userOf: (res: Response) => User;
  /** The stored session if the user may see it (throws the app's 404 otherwise). */
  readable: (user: User, id: unknown) => Promise<StoredSession>;
  /** The live session of a stored one. */
  liveSession: (stored: StoredSession) => Promise<RoutingSession>;
  newId: () => string;
}

export interface InspectedSession {
  id: string;
  kind: 'sandbox' | 'session';
  tipId: string | null;
  closed: boolean;
  state: string;
  /** The engine's timeline as it travels (the compiler checks that the engine's steps are the contract's). */
  steps: TimelineStep[];
  allowed: string[];
  /** Suggested parameters for the allowed events (the answer key first); sandboxes only. */
  examples: unknown[];
}

interface Sandbox {
  id: string;
  owner: string;
  session: RoutingSession;
}

interface SampleTip {
  name: string;
  tipId: string;
  submission: unknown;
}

function sampleTips(): SampleTip[] {
  const dir = fixturePath('tips');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const submission = readJsonFile(join(dir, f));
      const tipId = typeof submission === 'object' && submission !== null && 'id' in submission ? String((submission as { id: unknown }).id) : basename(f, '.json');
      return { name: basename(f, '.json'), tipId, submission };
    });
}

const createSchema = z.strictObject({ tip: z.string().regex(/^[a-z0-9-]{1,80}$/, { error: 'the name of a sample tip (GET /api/inspect/tips)' }) });
const eventSchema = z.strictObject({ event: z.record(z.string(), z.unknown()) });
const rewindSchema = z.strictObject({ seq: z.int().min(0) });
const advanceSchema = z.strictObject({ ms: z.int().min(1).max(MAX_ADVANCE_MS) });

export function registerInspectRoutes(app: Express, deps: InspectDeps): void {
  const { engine, authenticate, instructorOnly } = deps;
  const tips = sampleTips();
  const sandboxes = new Map<string, Sandbox>();
  let diagram: Promise<{ machineId: string; root: string; svg: string; states: { id: string; key: string; tags: string[] }[] }> | undefined;

  // The chart as the CLI draws it (tipflow diagram --format svg), laid out once; its styles come from
  // /assets/diagram.css because the page's CSP allows no inline style.
  app.get('/api/inspect/machines/routing', authenticate, instructorOnly, async (_req, res) => {
    diagram ??= (async () => {
      const graph = machineGraph(engine.machine);
      const layout = await layoutDiagram(graph);
      return {
        machineId: graph.machineId,
        root: graph.root,
        svg: renderSvg(graph, layout, { embedStyle: false, idPrefix: 'inspect', title: `the ${graph.machineId} statechart` }),
        states: graph.states.map((s) => ({ id: s.id, key: s.key, tags: s.tags })),
      };
    })();
    res.json({ machine: await diagram });
  });
  app.get('/assets/diagram.css', (_req, res) => {
    res.type('text/css').set('Cache-Control', 'no-cache').send(DIAGRAM_CSS);
  });

  const inspected = (id: string, kind: InspectedSession['kind'], session: RoutingSession): InspectedSession => ({
    id,
    kind,
    tipId: session.context.tip?.id ?? null,
    closed: session.closed,
    state: session.state,
    steps: timelineOf(engine, session.toRecord()),
    allowed: session.allowedEvents(),
    examples: kind === 'sandbox' ? exampleEvents(engine, session) : [],
  });

  const own = (res: Response, id: unknown): Sandbox => {
    const sandbox = typeof id === 'string' && ID_PARAM.test(id) ? sandboxes.get(id) : undefined;
    if (sandbox === undefined || sandbox.owner !== deps.userOf(res).id) throw notFound();
    return sandbox;
  };

  app.get('/api/inspect/tips', authenticate, instructorOnly, (_req, res) => {
    res.json({ tips: tips.map((t) => ({ name: t.name, tipId: t.tipId })) });
  });

  app.post('/api/inspect/sandboxes', authenticate, instructorOnly, (req, res) => {
    const body = parse(createSchema, req.body);
    const tip = tips.find((t) => t.name === body.tip);
    if (tip === undefined) throw new HttpError(404, { error: `no sample tip named ${body.tip}` });
    const owner = deps.userOf(res).id;
    const mine = [...sandboxes.values()].filter((s) => s.owner === owner);
    // The oldest of an instructor's sandboxes makes room for a new one.
    if (mine.length >= MAX_SANDBOXES_PER_INSTRUCTOR && mine[0] !== undefined) sandboxes.delete(mine[0].id);
    const id = deps.newId();
    const session = engine.start(tip.submission, { sessionId: id });
    sandboxes.set(id, { id, owner, session });
    res.status(201).json({ inspected: inspected(id, 'sandbox', session) });
  });

  app.get('/api/inspect/sandboxes/:id', authenticate, instructorOnly, (req, res) => {
    const sandbox = own(res, req.params.id);
    res.json({ inspected: inspected(sandbox.id, 'sandbox', sandbox.session) });
  });

  app.post('/api/inspect/sandboxes/:id/events', authenticate, instructorOnly, (req, res) => {
    const sandbox = own(res, req.params.id);
    const body = parse(eventSchema, req.body);
    const result = engine.send(sandbox.session, body.event, { actor: 'instructor' });
    if (!result.ok) throw new HttpError(422, { error: result.refusal.message, allowed: result.refusal.allowed, ...(result.refusal.issues === undefined ? {} : { issues: result.refusal.issues }) });
    res.json({ inspected: inspected(sandbox.id, 'sandbox', sandbox.session) });
  });

  app.post('/api/inspect/sandboxes/:id/advance', authenticate, instructorOnly, (req, res) => {
    const sandbox = own(res, req.params.id);
    const body = parse(advanceSchema, req.body);
    checkClockSpan(sandbox.session.now, startMsOf(sandbox.session), body.ms);
    engine.advance(sandbox.session, body.ms);
    res.json({ inspected: inspected(sandbox.id, 'sandbox', sandbox.session) });
  });

  // Back to the moment just after record `seq`: the sandbox is rebuilt from its log up to it (what came
  // after is dropped, as in a debugger's "restart frame").
  app.post('/api/inspect/sandboxes/:id/rewind', authenticate, instructorOnly, (req, res) => {
    const sandbox = own(res, req.params.id);
    const body = parse(rewindSchema, req.body);
    const record = sandbox.session.toRecord();
    const last = record.log[body.seq];
    if (last === undefined) throw new HttpError(422, { error: `the sandbox has no record #${body.seq} (last is #${record.log.length - 1})`, allowed: [] });
    sandbox.session = engine.replay({ ...record, log: record.log.slice(0, body.seq + 1), now: last.at });
    res.json({ inspected: inspected(sandbox.id, 'sandbox', sandbox.session) });
  });

  // A trainee's session, read only, for the instructor of their cohort (follow it with its /stream).
  app.get('/api/inspect/sessions/:id', authenticate, instructorOnly, async (req, res) => {
    const user = deps.userOf(res);
    const stored = await deps.readable(user, req.params.id);
    res.json({ inspected: inspected(stored.id, 'session', await deps.liveSession(stored)) });
  });
}
