// HTTP errors the routes throw (the app's error handler answers them as JSON), and zod validation at the
// edge: a bad input is a 400 that names each problem by its path.
import { z } from 'zod';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.error));
  }
}

export const notFound = () => new HttpError(404, { error: 'not found' });
export const forbidden = (why: string) => new HttpError(403, { error: why });
/** 409: the caller's expected sequence is behind the session's log; the answer says where it stands. */
export const stale = (lastSeq: number) => new HttpError(409, { error: 'stale', lastSeq });
/** 409: the session no longer replays to its end on this version (DESIGN §9): it is shown, never changed. */
export const readOnlySession = (notice = 'this session is read-only') => new HttpError(409, { error: notice, readOnly: true });

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
}

/** An answer lists at most this many issues, each message at most MAX_MESSAGE characters (never a long input echoed back). */
export const MAX_ISSUES = 50;
export const MAX_MESSAGE = 300;
export const clip = (message: string): string => (message.length <= MAX_MESSAGE ? message : `${message.slice(0, MAX_MESSAGE)}…`);

export function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: issuePath([...issue.path, key]), message: 'unknown field' }))
      : [{ path: issuePath(issue.path), message: clip(issue.message) }],
  ).slice(0, MAX_ISSUES);
  throw new HttpError(400, { error: 'invalid request', issues });
}

/** Ids in a path (sessions, cohorts, sandboxes): anything else is answered 404 before a lookup. */
export const ID_PARAM = /^[A-Za-z0-9_-]{1,64}$/;

/** An exercise id (bundled or uploaded), as the exercise format allows it. */
export const EXERCISE_ID = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: 'an exercise id' });
