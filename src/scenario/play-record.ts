// A played exercise as saved on disk (`tipflow play`, `tipflow run --save`): the exercise as it was played
// (so later edits to the file do not change the report), the mode, and the engine's session record. The
// debrief is always recomputed from it by replay.
import { readFileSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { READABLE_SESSION_FORMATS, type SessionRecord } from '../engine/index.js';
import type { DriveResult } from './drive.js';
import type { RefusedDecision } from './refusals.js';
import { loadExerciseText, type LoadedExercise } from './load.js';

export const PLAY_FORMAT = 'tipflow.play/1';
export const PLAY_MODES = ['practice', 'assessment', 'headless'] as const;
export type PlayMode = (typeof PLAY_MODES)[number];

export interface PlayRecord {
  format: typeof PLAY_FORMAT;
  mode: PlayMode;
  exercise: { file: string; text: string };
  /** Decisions the machine refused (kept for the debrief: the log holds accepted events only). */
  refusals: RefusedDecision[];
  /** Ids of injects already delivered (scripted and contingency), for resuming. */
  injectsSent: string[];
  /** Messages the trainee has read, in order. */
  inbox: { at: string; injectId: string; message: string }[];
  hintsUsed: number;
  finished: boolean;
  session: SessionRecord;
}

const playRecordSchema = z.looseObject({
  format: z.literal(PLAY_FORMAT),
  mode: z.enum(PLAY_MODES),
  exercise: z.strictObject({ file: z.string(), text: z.string() }),
  session: z.looseObject({ format: z.string().refine((f) => READABLE_SESSION_FORMATS.includes(f), { error: 'a session format this version cannot read' }), log: z.array(z.unknown()) }),
});

export class PlayRecordError extends Error {}

export function readPlayRecord(file: string): PlayRecord {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PlayRecordError(`${file}: not a readable session file (${(error as Error).message})`);
  }
  return parsePlayRecord(file, value);
}

/** A parsed JSON value as a session record, with the defaults of fields older files lack; `file` names it in errors. */
export function parsePlayRecord(file: string, value: unknown): PlayRecord {
  const parsed = playRecordSchema.safeParse(value);
  if (!parsed.success) throw new PlayRecordError(`${file}: not a tipflow session file (${parsed.error.issues[0]?.message ?? 'unknown format'})`);
  const record = value as PlayRecord;
  return { ...record, refusals: record.refusals ?? [], injectsSent: record.injectsSent ?? [], inbox: record.inbox ?? [], hintsUsed: record.hintsUsed ?? 0, finished: record.finished ?? false };
}

/** Written to a temporary file and renamed, so a crash never leaves half a session. */
export function writePlayRecord(file: string, record: PlayRecord): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(temporary, file);
}

/** The exercise of a record, loaded from the text saved in it; the tip is the one the session started with. */
export function exerciseOf(record: PlayRecord): LoadedExercise {
  const tipText = JSON.stringify(record.session.input.submission);
  const { loaded, diagnostics } = loadExerciseText(record.exercise.text, record.exercise.file, () => tipText);
  if (loaded === null) throw new PlayRecordError(`the exercise saved in the session no longer loads: ${diagnostics[0]?.message ?? 'unknown error'}`);
  return loaded;
}

/** The record of a headless run (`tipflow run`): what the driver did, with the exercise as played. */
export function headlessPlayRecord(run: DriveResult, exercise: PlayRecord['exercise']): PlayRecord {
  return {
    format: PLAY_FORMAT,
    mode: 'headless',
    exercise,
    refusals: run.refusals,
    injectsSent: run.sentInjects,
    inbox: [],
    hintsUsed: 0,
    finished: run.session.closed,
    session: run.session.toRecord(),
  };
}
