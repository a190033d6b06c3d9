// `tipflow run`, `tipflow report`, `tipflow replay`: a scripted answer file played headless and graded; a
// saved session's debrief; a saved session's timeline, checked by replay.
import { readFileSync } from 'node:fs';
import { Engine, ReplayError, routingPath, type RoutingSession } from '../../engine/index.js';
import { bundledReference } from '../../io/bundled-reference.js';
import { answersDecider, loadAnswers } from '../../scenario/answers.js';
import { gradeSession } from '../../scenario/debrief.js';
import { formatDiagnostic } from '../../scenario/diagnostics.js';
import { describeEvent, driveExercise } from '../../scenario/drive.js';
import { loadExerciseText } from '../../scenario/load.js';
import { exerciseOf, headlessPlayRecord, PlayRecordError, readPlayRecord, writePlayRecord, type PlayRecord } from '../../scenario/play-record.js';
import { renderDebriefJson, renderDebriefMarkdown, renderDebriefText } from '../../scenario/report.js';
import type { Debrief } from '../../scenario/debrief.js';
import { terminalWidth } from '../format/terminal.js';

interface ReportOptions {
  json?: boolean;
  md?: boolean;
}

const render = (debrief: Debrief, options: ReportOptions) =>
  options.json === true ? renderDebriefJson(debrief) : options.md === true ? renderDebriefMarkdown(debrief) : renderDebriefText(debrief, { width: terminalWidth() });

export function runCommand(exerciseFile: string, options: ReportOptions & { answers: string; save?: string }): number {
  let text: string;
  try {
    text = readFileSync(exerciseFile, 'utf8');
  } catch {
    process.stderr.write(`${exerciseFile}:1:1: error: no such file\n`);
    return 1;
  }
  const { loaded, diagnostics } = loadExerciseText(text, exerciseFile);
  if (loaded === null) {
    for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    process.stderr.write(`fix the exercise first (tipflow validate ${exerciseFile})\n`);
    return 1;
  }
  const { answers, diagnostics: answerProblems } = loadAnswers(options.answers);
  if (answers === null) {
    for (const d of answerProblems) process.stderr.write(`${formatDiagnostic(d)}\n`);
    return 1;
  }
  if (answers.exercise !== undefined && answers.exercise !== loaded.exercise.id) {
    process.stderr.write(`${options.answers}: these answers are for exercise ${answers.exercise}, not ${loaded.exercise.id}\n`);
    return 1;
  }
  const engine = new Engine(bundledReference());
  const run = driveExercise(engine, loaded.exercise, loaded.tip, answersDecider(engine, answers.answers), { onRefusal: 'answer-key' });
  const record = headlessPlayRecord(run, { file: exerciseFile, text });
  if (options.save !== undefined) writePlayRecord(options.save, record);
  if (run.problem !== null) {
    process.stderr.write(`note: the run stopped in ${run.session.state} before the tip was closed (${run.problem.kind}); the debrief covers the decisions made\n`);
  }
  process.stdout.write(render(gradeSession(engine, loaded.exercise, record.session, record.refusals), options));
  if (options.save !== undefined) process.stderr.write(`session saved to ${options.save} (tipflow report ${options.save})\n`);
  return 0;
}

/** Runs `body`, turning a session that no longer replays into a message and exit 1 instead of a crash. */
function replayingOrFail(file: string, body: () => number): number {
  try {
    return body();
  } catch (error) {
    if (!(error instanceof ReplayError)) throw error;
    process.stderr.write(`${file}: the saved log does not replay through the machine (the file was changed, or saved by an incompatible version): ${error.message}\n`);
    return 1;
  }
}

function readRecordOrFail(file: string): PlayRecord | null {
  try {
    return readPlayRecord(file);
  } catch (error) {
    if (!(error instanceof PlayRecordError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return null;
  }
}

export function reportCommand(sessionFile: string, options: ReportOptions): number {
  const record = readRecordOrFail(sessionFile);
  if (record === null) return 1;
  const engine = new Engine(bundledReference());
  const { exercise } = exerciseOf(record);
  return replayingOrFail(sessionFile, () => {
    process.stdout.write(render(gradeSession(engine, exercise, record.session, record.refusals), options));
    return 0;
  });
}

export function replayCommand(sessionFile: string): number {
  const record = readRecordOrFail(sessionFile);
  if (record === null) return 1;
  const engine = new Engine(bundledReference());
  return replayingOrFail(sessionFile, () => printTimeline(engine.replay(record.session)));
}

function printTimeline(session: RoutingSession): number {
  for (const entry of session.log) {
    process.stdout.write(`#${String(entry.seq).padEnd(3)} ${entry.at}  ${entry.actor.padEnd(10)} ${describeEvent(entry.event).slice(0, 90).padEnd(60)} → ${routingPath(entry.to)}\n`);
  }
  process.stdout.write(`replayed ${session.log.length} records: the machine reproduces the saved log exactly; the tip is ${session.closed ? `closed (${session.outcome ?? ''})` : `in ${session.state}`}\n`);
  return 0;
}
