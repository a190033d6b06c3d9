// The after-action report of a cohort (DESIGN §14, issue 18): every current session of its trainees graded,
// as self-contained HTML (under a Content-Security-Policy of its own that allows its one stylesheet by hash
// and nothing else: no script, no request) or as a Markdown download; and the cohort's improvement plan,
// which the instructor edits in the web app and the report includes. Instructors of the cohort only (404 for
// anyone else's cohort, as every cohort route).
import { createHash } from 'node:crypto';
import type { Express, RequestHandler } from 'express';
import { z } from 'zod';
import type { Engine } from '../engine/index.js';
import { buildAar, isPlanDate, objectiveDeadlines, type AarModel, type AarSession, type StoredPlanRow } from '../scenario/aar.js';
import { AAR_CSS, renderAarHtml } from '../scenario/aar-html.js';
import { renderAarMarkdown } from '../scenario/aar-markdown.js';
import { gradeSession } from '../scenario/debrief.js';
import type { AccountStore, Cohort, ImprovementPlanRow, User } from '../store/account-store.js';
import type { EventStore } from '../store/event-store.js';
import { authOf } from './auth.js';
import type { OwnCohort } from './cohort-routes.js';
import type { LiveSessions } from './live-sessions.js';
import { ID_PARAM, parse } from './http-errors.js';
import { newId } from './passwords.js';
import { current } from './session-lists.js';

/** The report's policy: its inline stylesheet by hash, inline SVG (no request), nothing else at all. */
export const AAR_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(AAR_CSS, 'utf8').digest('base64')}'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

export const MAX_PLAN_ROWS = 50;
/** Plain text on one line: no control characters, and no URL (the report names none, so it opens offline). */
const plainText = (max: number, what: string) =>
  z
    .string({ error: `${what}: text` })
    .trim()
    .max(max, { error: `${what}: at most ${max} characters` })
    .refine((t) => ![...t].some((ch) => (ch.codePointAt(0) ?? 0) < 0x20 || ch === '\u007f'), { error: `${what}: plain text on one line` })
    .refine((t) => !/:\/\//.test(t), { error: `${what}: no web addresses` });
const planRowSchema = z.strictObject({
  id: z.string().regex(ID_PARAM, { error: "a plan row's id" }).optional(),
  action: plainText(300, 'the corrective action').pipe(z.string().min(1, { error: 'the corrective action: say what is to be done' })),
  capability: plainText(80, 'the capability').default(''),
  owner: plainText(80, 'the owner').default(''),
  due: z
    .string()
    .refine((d) => d === '' || isPlanDate(d), { error: 'the due date: a real date, YYYY-MM-DD' })
    .nullable()
    .default(null),
});
const planSchema = z.strictObject({ rows: z.array(planRowSchema).max(MAX_PLAN_ROWS, { error: `at most ${MAX_PLAN_ROWS} rows` }) });

const publicPlanRow = (r: ImprovementPlanRow) => ({ id: r.id, action: r.action, capability: r.capability, owner: r.owner, due: r.due, createdAt: r.createdAt, updatedAt: r.updatedAt });
const storedRow = (r: ImprovementPlanRow): StoredPlanRow => ({ id: r.id, action: r.action, capability: r.capability, owner: r.owner, due: r.due ?? '' });
const fileName = (cohort: Cohort, ext: string) => `aar-${cohort.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'cohort'}.${ext}`;

export interface AarRouteDeps extends Pick<LiveSessions, 'liveSession' | 'exerciseOfSession'> {
  engine: Engine;
  events: EventStore;
  accounts: AccountStore;
  now: () => number;
  authenticate: RequestHandler;
  instructorOnly: RequestHandler;
  ownCohort: OwnCohort;
}

export function registerAarRoutes(app: Express, deps: AarRouteDeps): void {
  const { engine, events, accounts, now, authenticate, instructorOnly, ownCohort, liveSession, exerciseOfSession } = deps;

  /** The cohort's sessions graded (those not replaced by an undo; sessions without an exercise have nothing to grade). */
  async function cohortSessions(cohort: Cohort): Promise<AarSession[]> {
    const members = await accounts.members(cohort.id);
    const sessions: AarSession[] = [];
    for (const member of members) {
      for (const stored of current(await events.listSessions({ owner: member.id }))) {
        const exercise = await exerciseOfSession(stored);
        if (exercise === null) continue;
        const debrief = gradeSession(engine, exercise, (await liveSession(stored)).toRecord());
        sessions.push({ id: stored.id, trainee: member.name, mode: stored.mode, exercise: { id: exercise.id, title: exercise.title }, debrief, deadlines: objectiveDeadlines(exercise) });
      }
    }
    return sessions;
  }

  async function cohortAar(user: User, id: unknown): Promise<{ cohort: Cohort; model: AarModel }> {
    const cohort = await ownCohort(user, id);
    const plan = (await accounts.improvementPlan(cohort.id)).map(storedRow);
    return { cohort, model: buildAar(await cohortSessions(cohort), { cohort: cohort.name, registry: engine.reference.jurisdictions, plan }) };
  }

  const sendMarkdown = (res: Parameters<RequestHandler>[1], cohort: Cohort, model: AarModel) =>
    res
      .status(200)
      .set({ 'Content-Type': 'text/markdown; charset=utf-8', 'Content-Disposition': `attachment; filename="${fileName(cohort, 'md')}"` })
      .send(renderAarMarkdown(model));

  app.get('/api/cohorts/:id/aar', authenticate, instructorOnly, async (req, res) => {
    const { cohort, model } = await cohortAar(authOf(res).user, req.params.id);
    if (req.query.format === 'md') {
      sendMarkdown(res, cohort, model);
      return;
    }
    res.status(200).set({ 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': AAR_CSP }).send(renderAarHtml(model));
  });

  app.get('/api/cohorts/:id/aar.md', authenticate, instructorOnly, async (req, res) => {
    const { cohort, model } = await cohortAar(authOf(res).user, req.params.id);
    sendMarkdown(res, cohort, model);
  });

  // The stored rows, and the rows the report would draft from the areas for improvement they do not cover yet.
  app.get('/api/cohorts/:id/improvement-plan', authenticate, instructorOnly, async (req, res) => {
    const { cohort, model } = await cohortAar(authOf(res).user, req.params.id);
    const stored = await accounts.improvementPlan(cohort.id);
    res.json({ rows: stored.map(publicPlanRow), suggested: model.plan.filter((r) => r.suggested).map((r) => ({ action: r.action, capability: r.capability })) });
  });

  app.put('/api/cohorts/:id/improvement-plan', authenticate, instructorOnly, async (req, res) => {
    const cohort = await ownCohort(authOf(res).user, req.params.id);
    const body = parse(planSchema, req.body);
    const known = new Set((await accounts.improvementPlan(cohort.id)).map((r) => r.id));
    // A row keeps its id when it is one of this plan's; any other id (a new row, a stale copy) gets a fresh one.
    const rows = body.rows.map((r) => ({ id: r.id !== undefined && known.has(r.id) ? r.id : newId(), action: r.action, capability: r.capability, owner: r.owner, due: r.due === '' ? null : r.due }));
    const saved = await accounts.replaceImprovementPlan(cohort.id, rows, new Date(now()).toISOString());
    res.json({ rows: saved.map(publicPlanRow) });
  });
}
