// Turning zod's issues into messages for people: each names the JSON path (`subjects[0].ipEvents[1].ip`)
// and says what is allowed.
import type { z } from 'zod';
import { tipSchema, type Tip } from './schema.js';

export interface InputIssue {
  /** JSON path as `subjects[0].ipEvents[1].ip`; a top-level field by its bare name; "" for the whole input. */
  path: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: InputIssue[] };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): InputIssue[] {
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: 'unknown field: a tip carries only the metadata fields of the tip schema (`tipflow schema tip`), never content or free text',
      }));
    case 'invalid_type':
      if (issue.input === undefined) return [{ path: formatPath(issue.path), message: `is required (${issue.expected})` }];
      return [{ path: formatPath(issue.path), message: `expected ${issue.expected}, got ${describeValue(issue.input)}` }];
    case 'invalid_value':
      if (issue.input === undefined) return [{ path: formatPath(issue.path), message: `is required; one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` }];
      return [{ path: formatPath(issue.path), message: `${describeValue(issue.input)} is not allowed; expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` }];
    default:
      return [{ path: formatPath(issue.path), message: issue.message }];
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

export function issuesOf(error: z.ZodError): InputIssue[] {
  return error.issues.flatMap(describeIssue);
}

/** One line per issue: `path: message`. */
export function formatIssues(issues: readonly InputIssue[]): string {
  return issues.map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`)).join('\n');
}

export function parseTip(input: unknown): Parsed<Tip> {
  const result = tipSchema.safeParse(input, { reportInput: true });
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: issuesOf(result.error) };
}
