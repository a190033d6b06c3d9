// Exercises: the bundled ones and those instructors upload (validated as `tipflow validate` does, with an
// inline tip), which of them each user is offered, and GET/POST/DELETE /api/exercises.
import type { Express, RequestHandler } from 'express';
import { z } from 'zod';
import { freeStringProblem } from '../domain/tip/synthetic.js';
import type { Engine } from '../engine/index.js';
import { lessonWords } from '../scenario/plain-words.js';
import { serialiseExercise } from '../scenario/serialise.js';
import { validateExerciseText } from '../scenario/validate.js';
import type { AccountStore, ExerciseDeletion, User } from '../store/account-store.js';
import { StoreConflictError } from '../store/event-store.js';
import type { Attempts } from './attempts.js';
import { authOf } from './auth.js';
import { serverExerciseFromText, type ServerExercise } from './exercises.js';
import { clip, EXERCISE_ID, forbidden, HttpError, MAX_ISSUES, parse } from './http-errors.js';

/** An uploaded exercise's text (UTF-8 bytes), and the body limit of the upload (its JSON escapes included). */
export const EXERCISE_TEXT_LIMIT = 200 * 1024;
export const UPLOAD_BODY_LIMIT = '512kb';

const uploadSchema = z.strictObject({
  fileName: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}\.ya?ml$/, { error: 'a file name such as my-exercise.yaml (letters, digits, . _ -)' })
    // Kept with the upload and its sessions: synthetic like any name (no www.google.com.yaml).
    .check((ctx) => {
      const problem = freeStringProblem(ctx.value.replace(/\.ya?ml$/, ''), 80);
      if (problem !== null) ctx.issues.push({ code: 'custom', input: ctx.value, message: `the file name ${problem}` });
    }),
  text: z.string().min(1),
});

/** Names joined as a sentence says them: A; A and B; A, B and C. */
const listed = (names: readonly string[]): string => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`);

export interface ExerciseCatalog {
  /** Whether an id is a bundled exercise's. */
  isBundled: (id: string) => boolean;
  /** A bundled exercise, or one uploaded by this instructor; null otherwise. */
  exerciseOfInstructor: (instructorId: string, id: string) => Promise<ServerExercise | null>;
  /** The exercises a user is offered. */
  offeredTo: (user: User) => Promise<ServerExercise[]>;
  /** Deletes an instructor's upload unless one of their cohorts has it assigned, and forgets its cached copy. */
  deleteUpload: (instructorId: string, id: string) => Promise<ExerciseDeletion>;
  /** Forgets the cached copy of an upload another instance deleted. */
  forgetUpload: (instructorId: string, id: string) => void;
  /** Forgets every cached upload (another instance's deletions may have been missed). */
  forgetAllUploads: () => void;
}

export function createExerciseCatalog({ accounts, exercises, announceDeletion }: { accounts: AccountStore; exercises: readonly ServerExercise[]; announceDeletion?: (instructorId: string, id: string) => Promise<void> }): ExerciseCatalog {
  const exerciseById = new Map(exercises.map((e) => [e.id, e]));
  const uploadedCache = new Map<string, ServerExercise | null>();
  /** Counts the deletions: an upload read before one is not cached (its id may be reused at once). */
  let deletions = 0;
  const cacheKey = (instructorId: string, id: string) => `${instructorId}\u0000${id}`;
  /**
   * An instructor's upload (never changed once stored; forgotten when deleted, as its id may be reused), or
   * null. Ids are per instructor: another's upload of the same id is a different exercise.
   */
  async function uploaded(instructorId: string, id: string): Promise<ServerExercise | null> {
    const key = cacheKey(instructorId, id);
    const cached = uploadedCache.get(key);
    if (cached !== undefined || uploadedCache.has(key)) return cached ?? null;
    const deletionsBefore = deletions;
    const stored = await accounts.getExercise(instructorId, id);
    if (stored === null) return null;
    const loaded = serverExerciseFromText(stored.text, stored.fileName);
    if (deletions === deletionsBefore) {
      if (uploadedCache.size > 1_000) uploadedCache.clear();
      uploadedCache.set(key, loaded);
    }
    return loaded;
  }
  const uploadsOf = async (instructorId: string): Promise<ServerExercise[]> => {
    const stored = await accounts.exercisesOfInstructor(instructorId);
    return (await Promise.all(stored.map((e) => uploaded(instructorId, e.id)))).flatMap((e) => e ?? []);
  };
  /** A bundled exercise, or one uploaded by this instructor; null otherwise. */
  const exerciseOfInstructor = async (instructorId: string, id: string): Promise<ServerExercise | null> => exerciseById.get(id) ?? (await uploaded(instructorId, id));

  /**
   * The exercises a user is offered. An instructor: the bundled ones and their own uploads. A trainee, for
   * each of their cohorts: the exercises assigned to it, or, when it has none, the bundled ones and the
   * uploads of its instructor.
   */
  async function offeredTo(user: User): Promise<ServerExercise[]> {
    if (user.role === 'instructor') return [...exercises, ...(await uploadsOf(user.id))];
    const cohorts = await accounts.cohortsOfMember(user.id);
    if (cohorts.length === 0) return [...exercises];
    const out = new Map<string, ServerExercise>();
    for (const cohort of cohorts) {
      const assigned = await accounts.assignments(cohort.id);
      const list =
        assigned.length === 0
          ? [...exercises, ...(await uploadsOf(cohort.instructorId))]
          : (await Promise.all(assigned.map((a) => exerciseOfInstructor(cohort.instructorId, a.exerciseId)))).flatMap((e) => e ?? []);
      for (const e of list) out.set(e.id, e);
    }
    return [...out.values()];
  }

  async function deleteUpload(instructorId: string, id: string): Promise<ExerciseDeletion> {
    const outcome = await accounts.deleteExercise(instructorId, id);
    if (outcome.deleted) {
      forgetUpload(instructorId, id);
      // The other instances forget their copy before the deletion is answered (its id may be reused at once).
      await announceDeletion?.(instructorId, id);
    }
    return outcome;
  }

  function forgetUpload(instructorId: string, id: string): void {
    deletions += 1;
    uploadedCache.delete(cacheKey(instructorId, id));
  }

  function forgetAllUploads(): void {
    deletions += 1;
    uploadedCache.clear();
  }

  return { isBundled: (id) => exerciseById.has(id), exerciseOfInstructor, offeredTo, deleteUpload, forgetUpload, forgetAllUploads };
}

export interface ExerciseRouteDeps extends Pick<ExerciseCatalog, 'isBundled' | 'offeredTo' | 'deleteUpload'> {
  engine: Engine;
  attempts: Attempts;
  accounts: AccountStore;
  now: () => number;
  authenticate: RequestHandler;
  instructorOnly: RequestHandler;
}

export function registerExerciseRoutes(app: Express, deps: ExerciseRouteDeps): void {
  const { engine, accounts, now, authenticate, instructorOnly, isBundled, offeredTo, deleteUpload, attempts } = deps;
  /** An exercise as an instructor lists it: `uploaded` says it is an instructor's upload (which its instructor may delete). */
  const summaryOf = (e: ServerExercise) => ({ id: e.id, title: e.title, lesson: e.lesson, lessonWords: lessonWords(e.lesson), duration: e.duration, summary: e.summary, brief: e.brief, uploaded: !isBundled(e.id) });
  /**
   * An exercise as a trainee lists it (DESIGN §10): the title, duration and brief only (the summary and
   * lesson are the instructor's: they name answers), with the modes and assessment attempts they have.
   */
  const traineeSummaryOf = async (user: User, e: ServerExercise) => ({ id: e.id, title: e.title, duration: e.duration, brief: e.brief, ...(await attempts.policyFor(user, e.id)) });

  app.get('/api/exercises', authenticate, async (_req, res) => {
    const { user } = authOf(res);
    const offered = await offeredTo(user);
    res.json({ exercises: user.role === 'instructor' ? offered.map(summaryOf) : await Promise.all(offered.map((e) => traineeSummaryOf(user, e))) });
  });

  // An instructor uploads an exercise: validated as `tipflow validate` does, with an inline tip.
  app.post('/api/exercises', authenticate, instructorOnly, async (req, res) => {
    const { user } = authOf(res);
    const body = parse(uploadSchema, req.body);
    if (Buffer.byteLength(body.text, 'utf8') > EXERCISE_TEXT_LIMIT) throw new HttpError(413, { error: 'the exercise text is larger than 200 kB', issues: [] });
    let tipPath: string | null = null;
    const report = validateExerciseText(engine, body.text, body.fileName, (path) => {
      tipPath = path;
      throw new Error('no tip files on upload');
    });
    const diagnostics = report.diagnostics.slice(0, MAX_ISSUES).map((d) => ({
      line: d.line,
      column: d.column,
      severity: d.severity,
      // Never the server's paths: an uploaded exercise carries its tip inline.
      message: tipPath !== null && d.message.startsWith('tip file ') ? 'an uploaded exercise carries its tip inline: put the tip object under tip: instead of a file path' : clip(d.message),
    }));
    if (diagnostics.some((d) => d.severity === 'error')) {
      res.status(422).json({ error: 'the exercise has errors', diagnostics });
      return;
    }
    const valid = serverExerciseFromText(body.text, body.fileName);
    if (valid === null) throw new Error('internal: a valid exercise did not load');
    if (isBundled(valid.id)) throw new HttpError(409, { error: `the exercise id ${valid.id} is taken by a bundled exercise` });
    // What is stored is the parsed document written out again: no comments, nothing the schema did not read.
    const exercise = serverExerciseFromText(serialiseExercise(valid.loaded), body.fileName);
    if (exercise === null) throw new Error('internal: a stored exercise did not load');
    try {
      await accounts.createExercise({ id: exercise.id, instructorId: user.id, fileName: body.fileName, text: exercise.text, createdAt: new Date(now()).toISOString() });
    } catch (error) {
      // Ids are per instructor: only the instructor's own uploads can conflict, so nothing is learned of others'.
      if (error instanceof StoreConflictError) throw new HttpError(409, { error: `you already have an exercise with the id ${exercise.id}; delete it first or choose another id` });
      throw error;
    }
    res.status(201).json({ exercise: summaryOf(exercise), diagnostics });
  });

  // An instructor deletes one of their uploads. Sessions already started from it go on (each keeps the
  // exercise's text); another instructor's upload is answered as an unknown id, so nothing is learned of it.
  app.delete('/api/exercises/:id', authenticate, instructorOnly, async (req, res) => {
    const { user } = authOf(res);
    const id = parse(EXERCISE_ID, req.params.id);
    if (isBundled(id)) throw forbidden('bundled exercises cannot be deleted');
    const outcome = await deleteUpload(user.id, id);
    if (outcome.deleted) {
      res.status(204).end();
      return;
    }
    if (outcome.reason === 'not-found') throw new HttpError(404, { error: 'no such exercise' });
    const names = outcome.cohorts.map((c) => `"${c.name}"`);
    throw new HttpError(409, {
      error: `${id} is assigned to ${names.length === 1 ? 'the cohort' : 'the cohorts'} ${listed(names)}: unassign it first`,
      cohorts: outcome.cohorts.map((c) => ({ id: c.id, name: c.name })),
    });
  });
}
