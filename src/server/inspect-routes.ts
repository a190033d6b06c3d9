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
  /** The session that replaced a stored one (a practice undo), or null. */
  replacedBy: (stored: StoredSession) => string | null;
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
  /** The sandbox this one branched from, and the step it started from (null for a sandbox of a tip, and a session). */
  branchOf: BranchOf | null;
  /**
   * A trainee's session that a practice undo replaced: the session that goes on (the page follows it, also when
   * its stream missed the notice). Null otherwise, and for a sandbox.
   */
  replacedBy: string | null;
}

/** Where a branch came from: its first steps are that sandbox's steps up to `seq`. */
export interface BranchOf {
  id: string;
  seq: number;
}

/** What a sandbox accepted just after one of its steps (GET .../steps/:seq). */
export interface StepChoices {
  seq: number;
  closed: boolean;
  allowed: string[];
  examples: unknown[];
}

interface Sandbox {
  id: string;
  owner: string;
  session: RoutingSession;
  branchOf: BranchOf | null;
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
const branchSchema = z
  .strictObject({ seq: z.int().min(0), event: z.record(z.string(), z.unknown()).optional(), ms: z.int().min(1).max(MAX_ADVANCE_MS).optional() })
  .refine((b) => b.event === undefined || b.ms === undefined, { error: 'a branch starts with an event or a clock advance, not both' });
const seqParam = z.coerce.number().int().min(0).max(1_000_000);
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

  const inspected = (id: string, kind: InspectedSession['kind'], session: RoutingSession, branchOf: BranchOf | null = null, replacedBy: string | null = null): InspectedSession => ({
    id,
    kind,
    branchOf,
    replacedBy,
    tipId: session.context.tip?.id ?? null,
    closed: session.closed,
    state: session.state,
    steps: timelineOf(engine, session.toRecord()),
    allowed: session.allowedEvents(),
    examples: kind === 'sandbox' ? exampleEvents(engine, session) : [],
  });

  /** The oldest of an instructor's sandboxes (never `keep`, the one being branched) makes room for a new one. */
  const makeRoom = (owner: string, keep: string | null): void => {
    const mine = [...sandboxes.values()].filter((s) => s.owner === owner);
    if (mine.length < MAX_SANDBOXES_PER_INSTRUCTOR) return;
    const oldest = mine.find((s) => s.id !== keep);
    if (oldest !== undefined) sandboxes.delete(oldest.id);
  };

  /** The sandbox rebuilt from its log up to record `seq` (the moment just after it). */
  const upTo = (sandbox: Sandbox, seq: number): RoutingSession => {
    const record = sandbox.session.toRecord();
    const last = record.log[seq];
    if (last === undefined) throw new HttpError(422, { error: `the sandbox has no record #${seq} (last is #${record.log.length - 1})`, allowed: [] });
    return engine.replay({ ...record, log: record.log.slice(0, seq + 1), now: last.at });
  };

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
    makeRoom(owner, null);
    const id = deps.newId();
    const session = engine.start(tip.submission, { sessionId: id });
    sandboxes.set(id, { id, owner, session, branchOf: null });
    res.status(201).json({ inspected: inspected(id, 'sandbox', session) });
  });

  // A new sandbox holding this one's steps up to `seq` (a branch), then `event` or an advance by `ms` if
  // given: what came after `seq` stays in the original, so "continue from here" drops nothing. The branch
  // knows where it came from.
  app.post('/api/inspect/sandboxes/:id/branch', authenticate, instructorOnly, (req, res) => {
    const sandbox = own(res, req.params.id);
    const body = parse(branchSchema, req.body);
    const session = upTo(sandbox, body.seq);
    // The first move of the branch, if any, goes with it: a refused event makes no branch.
    if (body.event !== undefined) {
      const result = engine.send(session, body.event, { actor: 'instructor' });
      if (!result.ok) throw new HttpError(422, { error: result.refusal.message, allowed: result.refusal.allowed, ...(result.refusal.issues === undefined ? {} : { issues: result.refusal.issues }) });
    }
    if (body.ms !== undefined) {
      checkClockSpan(session.now, startMsOf(session), body.ms);
      engine.advance(session, body.ms);
    }
    const id = deps.newId();
    makeRoom(sandbox.owner, sandbox.id);
    const branchOf = { id: sandbox.id, seq: body.seq };
    sandboxes.set(id, { id, owner: sandbox.owner, session, branchOf });
    res.status(201).json({ inspected: inspected(id, 'sandbox', session, branchOf) });
  });

  // The events a sandbox accepted just after step `seq`, with suggestions, so the page offers the chosen
  // step's events when a person looks at an earlier one (sending them branches from there).
  app.get('/api/inspect/sandboxes/:id/steps/:seq', authenticate, instructorOnly, (req, res) => {
    const sandbox = own(res, req.params.id);
    const seq = parse(seqParam, req.params.seq);
    const session = upTo(sandbox, seq);
    const choices: StepChoices = { seq, closed: session.closed, allowed: session.allowedEvents(), examples: exampleEvents(engine, session) };
    res.json({ choices });
  });

  app.get('/api/inspect/sandboxes/:id', authenticate, instructorOnly, (req, res) => {
    const sandbox = own(res, req.params.id);
    res.json({ inspected: inspected(sandbox.id, 'sandbox', sandbox.session, sandbox.branchOf) });
  });

  app.post('/api/inspect/sandboxes/:id/events', authenticate, instructorOnly, (req, res) => {
    const sandbox = own(res, req.params.id);
    const body = parse(eventSchema, req.body);
    const result = engine.send(sandbox.session, body.event, { actor: 'instructor' });
    if (!result.ok) throw new HttpError(422, { error: result.refusal.message, allowed: result.refusal.allowed, ...(result.refusal.issues === undefined ? {} : { issues: result.refusal.issues }) });
    res.json({ inspected: inspected(sandbox.id, 'sandbox', sandbox.session, sandbox.branchOf) });
  });

  app.post('/api/inspect/sandboxes/:id/advance', authenticate, instructorOnly, (req, res) => {
    const sandbox = own(res, req.params.id);
    const body = parse(advanceSchema, req.body);
    checkClockSpan(sandbox.session.now, startMsOf(sandbox.session), body.ms);
    engine.advance(sandbox.session, body.ms);
    res.json({ inspected: inspected(sandbox.id, 'sandbox', sandbox.session, sandbox.branchOf) });
  });

  // Back to the moment just after record `seq`: the sandbox is rebuilt from its log up to it (what came
  // after is dropped, as in a debugger's "restart frame").
  app.post('/api/inspect/sandboxes/:id/rewind', authenticate, instructorOnly, (req, res) => {
    const sandbox = own(res, req.params.id);
    const body = parse(rewindSchema, req.body);
    sandbox.session = upTo(sandbox, body.seq);
    res.json({ inspected: inspected(sandbox.id, 'sandbox', sandbox.session, sandbox.branchOf) });
  });

  // A trainee's session, read only, for the instructor of their cohort (follow it with its /stream).
  app.get('/api/inspect/sessions/:id', authenticate, instructorOnly, async (req, res) => {
    const user = deps.userOf(res);
    const stored = await deps.readable(user, req.params.id);
    res.json({ inspected: inspected(stored.id, 'session', await deps.liveSession(stored), null, deps.replacedBy(stored)) });
  });
}
