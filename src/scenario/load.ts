// Loading an exercise file: YAML syntax, the exercise schema and the tip (inline or a JSON file), every
// problem reported at once with file:line:col.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { tipSchema, type Tip } from '../domain/tip/schema.js';
import { formatPath } from '../domain/tip/parse.js';
import { excerpt } from '../domain/tip/synthetic-text.js';
import { parseJsonText, InputFileError } from '../io/read-json.js';
import type { Document, LineCounter } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { bracketedValuesInFlowMaps, explainYamlError } from './yaml-mistakes.js';
import { exerciseSchema, offsetMs, type Exercise } from './format.js';
import { salvageExercise, type Salvaged } from './salvage.js';
import { jsonSourceMap, parseYamlWithPositions, type JsonPath, type SourceMap } from './source-map.js';
import { hostileYamlDiagnostic, yamlValues } from './yaml-limits.js';

/** The latest simulated time an inject may be scheduled at (`at: +365d`), so clock arithmetic stays in range. */
export const MAX_OFFSET_DAYS = 365;
const MAX_OFFSET_MS = MAX_OFFSET_DAYS * 24 * 60 * 60 * 1000;

/**
 * Inject times past MAX_OFFSET_DAYS, each at its `at:` in the file; the late injects are left out of what
 * the later checks read (the clock arithmetic would leave its range), like list items that do not parse.
 */
function withoutLateInjects(salvaged: Salvaged, map: SourceMap, file: string, diagnostics: Diagnostic[]): Salvaged {
  const injects = salvaged.exercise.injects ?? [];
  const fileIndex = (i: number) => salvaged.indices['injects']?.[i] ?? i;
  const late = injects.map((inject) => inject.at !== undefined && !(Number.isFinite(offsetMs(inject.at)) && offsetMs(inject.at) <= MAX_OFFSET_MS));
  if (!late.includes(true)) return salvaged;
  injects.forEach((inject, i) => {
    if (!late[i]) return;
    const at = fileIndex(i);
    diagnostics.push({ file, ...map.positionOf(['injects', at, 'at']), severity: 'error', message: `injects[${at}].at: ${(inject.at ?? '').slice(0, 20)} is later than +${MAX_OFFSET_DAYS}d, the latest an inject can be scheduled` });
  });
  const kept = injects.flatMap((inject, i) => (late[i] ? [] : [{ inject, at: fileIndex(i) }]));
  return {
    exercise: { ...salvaged.exercise, injects: kept.map((k) => k.inject) },
    indices: { ...salvaged.indices, injects: kept.map((k) => k.at) },
    droppedIds: { ...salvaged.droppedIds, injects: [...(salvaged.droppedIds['injects'] ?? []), ...injects.flatMap((inject, i) => (late[i] ? [inject.id] : []))] },
  };
}

export interface LoadedExercise {
  file: string;
  exercise: Exercise;
  tip: Tip;
  /** Positions in the exercise file. */
  map: SourceMap;
}

export interface LoadResult {
  loaded: LoadedExercise | null;
  diagnostics: Diagnostic[];
  /** When the file has errors past its YAML: the parts that parse (and the tip, when it does), for the later checks. */
  salvaged?: { exercise: Exercise; tip: Tip | null; map: SourceMap; indices: Record<string, number[]>; droppedIds: Record<string, string[]> };
}

interface Located {
  path: JsonPath;
  key: boolean;
  message: string;
}

function describeZodIssue(issue: z.core.$ZodIssue, what: string): Located[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const quote = (v: unknown) => (typeof v === 'string' ? JSON.stringify(excerpt(v)) : excerpt(String(v)));
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: [...path, key],
        key: true,
        message: `${formatPath([...path, key])}: unknown field${what === 'tip' ? ' (a tip carries only the fields of `tipflow schema tip`, never content)' : ` (see \`tipflow schema ${what === 'answers' ? 'answers' : 'scenario'}\` for the fields)`}`,
      }));
    case 'invalid_type':
      return [{ path, key: false, message: issue.input === undefined ? `${formatPath(path) || what}: is required (${issue.expected})` : `${formatPath(path) || `the ${what}`}: expected ${issue.expected === 'object' && path.length === 0 ? 'a mapping of fields (see fixtures/scenarios for examples)' : issue.expected}` }];
    case 'invalid_value':
      return [
        {
          path,
          key: false,
          message: `${formatPath(path)}: ${issue.input === undefined ? 'is required; ' : `${quote(issue.input)} is not allowed; `}expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
        },
      ];
    case 'invalid_union':
      if ('discriminator' in issue && typeof issue.discriminator === 'string') {
        const at = path[path.length - 1] === issue.discriminator ? path : [...path, issue.discriminator];
        return [{ path: at, key: false, message: `${formatPath(at)}: ${issue.message}` }];
      }
      return [{ path, key: false, message: `${formatPath(path) || what}: ${issue.message}` }];
    default:
      return [{ path, key: false, message: `${formatPath(path) || what}: ${issue.message}` }];
  }
}

/**
 * Where a person should look for a YAML syntax error. The parser notices some mistakes only at the
 * next token: a key indented too far is reported at the line before it, a dedented key at column 1, and
 * an unclosed flow bracket at the next key. Point at the mistake itself instead.
 */
function yamlErrorPosition(text: string, code: string, message: string, pos: [number, number], lineCounter: LineCounter): { line: number; column: number } {
  const firstNonBlank = (line: number) => {
    const start = lineCounter.lineStarts[line - 1] ?? 0;
    const content = text.slice(start).split('\n')[0] ?? '';
    return content.length - content.trimStart().length + 1;
  };
  if (code === 'MULTILINE_IMPLICIT_KEY' || code === 'BLOCK_AS_IMPLICIT_KEY') {
    // The offending key is on the line where the would-be key ends.
    const end = lineCounter.linePos(Math.max(pos[0], pos[1] - 1));
    const line = code === 'BLOCK_AS_IMPLICIT_KEY' ? lineCounter.linePos(pos[0]).line + 1 : end.line;
    return { line, column: firstNonBlank(line) };
  }
  if (code === 'BAD_INDENT' && /Flow (sequence|mapping)/.test(message)) {
    // An unclosed [ or { before the position: the last opener on an earlier line with no closer.
    const before = text.slice(0, pos[0]);
    const opener = Math.max(before.lastIndexOf('['), before.lastIndexOf('{'));
    const closer = Math.max(before.lastIndexOf(']'), before.lastIndexOf('}'));
    if (opener > closer) {
      const { line, col } = lineCounter.linePos(opener);
      return { line, column: col };
    }
  }
  const { line, col } = lineCounter.linePos(pos[0]);
  return { line, column: col === 1 ? firstNonBlank(line) : col };
}

/** YAML syntax errors and warnings of a parsed document, positioned at the mistake. */
export function yamlDiagnostics(doc: Document, text: string, lineCounter: LineCounter, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lineText = (line: number) => text.split('\n')[line - 1] ?? '';
  const positioned = doc.errors.map((error) => ({ error, ...yamlErrorPosition(text, error.code, error.message, error.pos, lineCounter) }));
  // An unquoted value with brackets in a { } map: one message that says to quote it, instead of the cascade after it.
  const firstLine = Math.min(...positioned.map((p) => p.line));
  const bracketed = positioned.length === 0 ? [] : bracketedValuesInFlowMaps(text, firstLine);
  // A tab or a bracketed value throws the parser off for the rest of the file: what follows is its cascade.
  const tabLine = positioned.find((p) => p.error.code === 'TAB_AS_INDENT')?.line;
  const cascadeFrom = Math.min(bracketed[0]?.line ?? Number.POSITIVE_INFINITY, tabLine === undefined ? Number.POSITIVE_INFINITY : tabLine + 1);
  for (const m of bracketed) out.push({ file, line: m.line, column: m.column, severity: 'error', message: m.message });
  for (const { error, line, column } of positioned) {
    if (line >= cascadeFrom) continue;
    // A colon inside a value is reported where the value is, not at the next line the parser blames.
    const raw = lineCounter.linePos(error.pos[0]);
    const inValue = explainYamlError(error.code, error.message, lineText(raw.line), raw.col);
    if (error.code === 'BLOCK_AS_IMPLICIT_KEY' && inValue.includes('a colon and a space')) out.push({ file, line: raw.line, column: raw.col, severity: 'error', message: inValue });
    else out.push({ file, line, column: error.code === 'TAB_AS_INDENT' ? 1 : column, severity: 'error', message: explainYamlError(error.code, error.message, lineText(line), column) });
  }
  for (const warning of doc.warnings) {
    const { line, col } = lineCounter.linePos(warning.pos[0]);
    out.push({ file, line, column: col, severity: 'warning', message: `YAML: ${warning.message.split('\n')[0] ?? warning.code}` });
  }
  return out;
}

/** A schema's issues as diagnostics at the offending value (or key, for an unknown field). */
export function schemaDiagnostics(error: z.ZodError, map: SourceMap, file: string, what: string): Diagnostic[] {
  return error.issues.flatMap((issue) =>
    describeZodIssue(issue, what).map((located) => ({ file, ...map.positionOf(located.path, { key: located.key }), severity: 'error' as const, message: located.message })),
  );
}

export function loadExerciseText(text: string, file: string, readTipFile: (path: string) => string = (path) => readFileSync(path, 'utf8')): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const { doc, map, lineCounter } = parseYamlWithPositions(text);
  diagnostics.push(...yamlDiagnostics(doc, text, lineCounter, file));
  if (doc.errors.length > 0) return { loaded: null, diagnostics };
  // Hostile YAML (aliases, depth, huge scalars, tags) is refused before its values are built.
  const hostile = hostileYamlDiagnostic(doc, lineCounter, file);
  if (hostile !== null) return { loaded: null, diagnostics: [...diagnostics, hostile] };
  const built = yamlValues(doc, file);
  if (!built.ok) return { loaded: null, diagnostics: [...diagnostics, built.diagnostic] };

  const value = built.value;
  const parsed = exerciseSchema.safeParse(value, { reportInput: true });
  if (!parsed.success) diagnostics.push(...schemaDiagnostics(parsed.error, map, file, 'exercise'));
  // One round (issue 15): with field errors, the tip is still checked, and the parts that parse are kept
  // for the reference and rule-book checks, so every error that can be found is reported together.
  const tipField = parsed.success ? parsed.data.tip : exerciseSchema.shape.tip.safeParse((value as Record<string, unknown> | null)?.['tip']).data;
  const tip = tipField === undefined ? null : loadTip(tipField, file, map, readTipFile, diagnostics);
  const parts = withoutLateInjects(parsed.success ? { exercise: parsed.data, indices: {}, droppedIds: {} } : salvageExercise(value), map, file, diagnostics);
  if (!parsed.success || parts.exercise !== parsed.data) return { loaded: null, diagnostics, salvaged: { ...parts, tip, map } };
  const exercise = parsed.data;
  if (tip === null) return { loaded: null, diagnostics, salvaged: { exercise, tip: null, map, indices: {}, droppedIds: {} } };
  return { loaded: { file, exercise, tip, map }, diagnostics };
}

/** The tip: inline (positions in this file) or a JSON file beside it (positions in that file); null on any error. */
function loadTip(field: Exercise['tip'], file: string, map: SourceMap, readTipFile: (path: string) => string, diagnostics: Diagnostic[]): Tip | null {
  let tipValue: unknown;
  let tipFile = file;
  let tipMap: SourceMap = { positionOf: (path) => map.positionOf(['tip', ...path]) };
  if (typeof field === 'string') {
    // Named in the style of the exercise's own path (relative stays relative), so messages show paths as given.
    tipFile = join(dirname(file), field);
    let tipText: string;
    try {
      tipText = readTipFile(tipFile);
    } catch {
      diagnostics.push({ file, ...map.positionOf(['tip']), severity: 'error', message: `tip file ${field} not found (looked for ${resolve(tipFile)})` });
      return null;
    }
    try {
      tipValue = parseJsonText(tipText, tipFile);
    } catch (error) {
      if (!(error instanceof InputFileError)) throw error;
      const match = /^(.*):(\d+):(\d+): (.*)$/.exec(error.message);
      diagnostics.push({ file: tipFile, line: Number(match?.[2] ?? 1), column: Number(match?.[3] ?? 1), severity: 'error', message: match?.[4] ?? error.message });
      return null;
    }
    tipMap = jsonSourceMap(tipText);
  } else {
    tipValue = field;
  }
  const tip = tipSchema.safeParse(tipValue, { reportInput: true });
  if (!tip.success) {
    for (const issue of tip.error.issues) {
      for (const located of describeZodIssue(issue, 'tip')) {
        const position = tipMap.positionOf(located.path, { key: located.key });
        diagnostics.push({ file: tipFile, ...position, severity: 'error', message: `tip ${located.message}` });
      }
    }
    return null;
  }
  return tip.data;
}
