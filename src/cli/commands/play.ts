// `tipflow play`: a trainee plays an exercise in the terminal, one decision at a time, in practice mode
// (hints, undo) or assessment mode (every decision final). The session is saved after every step, so
// Ctrl-C or a closed laptop loses nothing (`tipflow play --resume`), and ends with the graded debrief.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { confirm, select } from '@inquirer/prompts';
import type { RoutingEvent } from '../../domain/events.js';
import { Engine, ReplayError } from '../../engine/index.js';
import { bundledReference } from '../../io/bundled-reference.js';
import { listExercises } from '../../scenario/catalog.js';
import { gradeSession } from '../../scenario/debrief.js';
import { formatDiagnostic } from '../../scenario/diagnostics.js';
import { loadExerciseText } from '../../scenario/load.js';
import { PlayRecordError, readPlayRecord, writePlayRecord } from '../../scenario/play-record.js';
import { renderDebriefText } from '../../scenario/report.js';
import { PlaySession, type InteractiveMode } from '../play/play-session.js';
import { askConfirmGeolocation, askInformational, askLegalProcess, askReferral, askTags, askTriage, askWait, mainMenu } from '../play/prompts.js';
import { clockText, happeningText, renderScreen, tagText, whereNow } from '../play/screen.js';
import { inspectBridge, type InspectTool } from '../inspect-bridge.js';
import { userExerciseDirs } from './exercises.js';
import { terminalWidth } from '../format/terminal.js';

export interface PlayOptions {
  mode?: InteractiveMode;
  resume?: string;
  save?: string;
  /** Opt-in: also send the session to an external inspector (Stately, online). */
  inspect?: InspectTool;
}

const out = (text: string) => process.stdout.write(text);
const err = (text: string) => process.stderr.write(text);

/** Inquirer rejects the pending prompt with ExitPromptError when the trainee presses Ctrl-C. */
const isInterrupt = (error: unknown): boolean => error instanceof Error && error.name === 'ExitPromptError';

export async function playCommand(exerciseFile: string | undefined, options: PlayOptions): Promise<number> {
  if (process.stdin.isTTY !== true) {
    err(
      'tipflow play is interactive and needs a terminal, but its input is not one (a pipe or a file).\n' +
        'To play an exercise from a script, write the decisions in an answer file and run:\n' +
        '  tipflow run <exercise.yaml> --answers <answers.yaml>\n' +
        '(fixtures/answers/ has an answer file for every bundled exercise.)\n',
    );
    return 2;
  }
  if (exerciseFile !== undefined && options.resume !== undefined) {
    err('tipflow play: give an exercise to start, or --resume <session> to continue one, not both\n');
    return 2;
  }
  const bridge = options.inspect === undefined ? null : await inspectBridge(options.inspect, (line) => err(`${line}\n`));
  const engine = new Engine(bundledReference(), bridge === null ? {} : { inspect: bridge.inspect });
  try {
    return await playWith(engine, exerciseFile, options);
  } finally {
    bridge?.stop();
  }
}

async function playWith(engine: Engine, exerciseFile: string | undefined, options: PlayOptions): Promise<number> {
  let play: PlaySession | null = null;
  let file = '';
  try {
    const opened = options.resume === undefined ? await startNew(engine, exerciseFile, options) : resumeSaved(engine, options.resume, options);
    if (typeof opened === 'number') return opened;
    ({ play, file } = opened);
    // A finished session opened again only shows its debrief; a new one always starts with its first screen.
    const finishedBefore = options.resume !== undefined && play.session.closed;
    if (!finishedBefore) writePlayRecord(file, play.toRecord());
    const ending = finishedBefore ? 'debrief' : await playLoop(play, file, opened.notices);
    if (!finishedBefore) writePlayRecord(file, play.toRecord());
    if (ending === 'quit') {
      out(`\nSaved to ${file}.\nresume with: tipflow play --resume ${file}\n`);
      return 0;
    }
    const record = play.toRecord();
    if (finishedBefore) out(`${file}: this session is finished; its debrief:\n`);
    out(`\n${renderDebriefText(gradeSession(engine, play.exercise, record.session, record.refusals), { width: terminalWidth() })}`);
    out(`\nSession saved to ${file}. Print this debrief again with: tipflow report ${file}   (a Markdown handout: tipflow report ${file} --md)\n`);
    return 0;
  } catch (error) {
    if (!isInterrupt(error)) throw error;
    if (play === null) {
      out('\nCancelled; nothing was saved.\n');
      return 130;
    }
    writePlayRecord(file, play.toRecord());
    out(`\nInterrupted. Your session is saved to ${file}.\nresume with: tipflow play --resume ${file}\n`);
    return 130;
  }
}

interface Opened {
  play: PlaySession;
  file: string;
  notices: string[];
}

async function startNew(engine: Engine, given: string | undefined, options: PlayOptions): Promise<Opened | number> {
  const exerciseFile = given ?? (await pickExercise());
  let text: string;
  try {
    text = readFileSync(exerciseFile, 'utf8');
  } catch {
    err(`${exerciseFile}:1:1: error: no such file (tipflow exercises lists the exercises you have)\n`);
    return 1;
  }
  const { loaded, diagnostics } = loadExerciseText(text, exerciseFile);
  if (loaded === null) {
    for (const d of diagnostics) err(`${formatDiagnostic(d)}\n`);
    err(`this exercise has errors; ask your instructor, or run tipflow validate ${exerciseFile}\n`);
    return 1;
  }
  const mode = options.mode ?? 'practice';
  const { exercise } = loaded;
  const file = options.save ?? defaultSessionFile(exercise.id);
  clearScreen();
  out(
    [
      `tipflow play · ${exercise.title}`,
      '',
      // The trainee reads the brief (DESIGN §10); the summary and objectives are the instructor's, and
      // often narrate the answer.
      ...(exercise.brief === undefined ? [] : [exercise.brief.trim(), '']),
      `About ${exercise.duration}.`,
      '',
      mode === 'practice'
        ? 'Practice mode: ask for a hint at any decision, and undo your last decision if you change your mind.'
        : 'Assessment mode: no hints, no undo; every decision is final.',
      'The tip is synthetic and carries metadata only. Time is simulated: "Wait" moves the clock.',
      `Your session is saved after every step to ${file}.`,
      '',
    ].join('\n'),
  );
  if (!(await confirm({ message: 'Start the exercise?', default: true }))) {
    out('Not started; nothing was saved.\n');
    return 0;
  }
  return { play: PlaySession.start(engine, loaded, { file: exerciseFile, text }, mode), file, notices: [] };
}

function resumeSaved(engine: Engine, sessionFile: string, options: PlayOptions): Opened | number {
  let record;
  try {
    record = readPlayRecord(sessionFile);
  } catch (error) {
    if (!(error instanceof PlayRecordError)) throw error;
    err(`${error.message}\n`);
    return 1;
  }
  if (record.mode === 'headless') {
    err(`${sessionFile} was recorded by tipflow run (an answer file), not played: print its debrief with tipflow report ${sessionFile}\n`);
    return 1;
  }
  const notices: string[] = [];
  if (options.mode !== undefined && options.mode !== record.mode) notices.push(`This session was started in ${record.mode} mode and continues in ${record.mode} mode.`);
  try {
    const play = PlaySession.resume(engine, record, record.mode);
    notices.push(`Resumed ${sessionFile} at ${clockText(play.session.now)} (simulated).`);
    return { play, file: options.save ?? sessionFile, notices };
  } catch (error) {
    if (!(error instanceof ReplayError || error instanceof PlayRecordError)) throw error;
    err(`${sessionFile}: the saved session cannot be continued: ${error.message}\n`);
    return 1;
  }
}

async function pickExercise(): Promise<string> {
  const entries = listExercises(userExerciseDirs());
  clearScreen();
  return select<string>({
    message: 'Which exercise?',
    choices: entries.map((e) => ({
      value: e.file,
      // The lesson code is left out: it often names the answer (VPN, CGNAT_NO_PORT).
      name: e.title === null ? relative(process.cwd(), e.file) : `${e.title} (about ${e.duration ?? '?'})`,
      // The brief is what a trainee may read before starting; never the summary (it narrates the outcome).
      description: `${e.brief === null ? '' : `${e.brief}\n`}${e.origin === 'bundled' ? 'bundled exercise' : 'your exercise'}: ${relative(process.cwd(), e.file)}`,
      disabled: e.errors > 0 ? `(has errors: tipflow validate ${relative(process.cwd(), e.file)})` : false,
    })),
    pageSize: Math.min(entries.length, 20),
    loop: false,
  });
}

/** ./tipflow-sessions/<exercise-id>-<yyyymmdd-hhmmss>.json; the wall clock names the file, nothing else. */
function defaultSessionFile(exerciseId: string): string {
  const now = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
  const base = join('tipflow-sessions', `${exerciseId}-${stamp}`);
  let file = `${base}.json`;
  for (let n = 2; existsSync(file); n += 1) file = `${base}-${n}.json`;
  return file;
}

function clearScreen(): void {
  if (process.stdout.isTTY === true) out('\x1b[H\x1b[2J\x1b[3J');
}

/** The engine's refusal in the trainee's words: what was wrong, without event or state names. */
export function refusalText(message: string, play: PlaySession): string {
  const refused = /^[A-Z_.]+ refused in [\w.]+: ([\s\S]*)$/.exec(message);
  if (refused?.[1] !== undefined) return `Not accepted: ${refused[1]}. Choose again.`;
  if (/^[A-Z_.]+ is not allowed in /.test(message)) return `Not possible at this point. ${whereNow(play.session)}`;
  if (message.startsWith('not a valid event:')) return `Not accepted: ${message.slice('not a valid event:'.length).trim()}`;
  return `Not accepted: ${message}`;
}

function decisionText(event: RoutingEvent): string {
  switch (event.type) {
    case 'TRIAGE.ASSIGN':
      return `assigned ${event.priority}, ${event.track} track${event.reason === undefined ? '' : ` (reason: ${event.reason})`}`;
    case 'GEO.TAG':
      return `tagged ${tagText(event)}`;
    case 'GEO.UNTAG':
      return `removed ${tagText(event)}`;
    case 'GEO.CONFIRM':
      return 'confirmed the geolocation assessment';
    case 'ROUTE.REFER':
      return `referred to ${event.jurisdictionId}`;
    case 'ROUTE.LEGAL_PROCESS':
      return 'requested legal process';
    case 'ROUTE.INFORMATIONAL':
      return 'closed the tip as informational';
    default:
      return event.type;
  }
}

type Ending = 'debrief' | 'quit';

async function playLoop(play: PlaySession, file: string, initialNotices: string[]): Promise<Ending> {
  let notices = initialNotices;
  const save = () => writePlayRecord(file, play.toRecord());
  /** Sends decisions in order; stops at the first refusal. Returns the notices to show. */
  const send = (events: readonly RoutingEvent[]): { ok: boolean; notices: string[] } => {
    const done: string[] = [];
    const happened: string[] = [];
    for (const event of events) {
      const result = play.decide(event);
      if (!result.ok) {
        if (done.length > 0) save();
        return { ok: false, notices: [...(done.length > 0 ? [`You ${done.join('; ')}.`] : []), refusalText(result.message, play)] };
      }
      done.push(decisionText(event));
      happened.push(...result.happenings.map(happeningText));
    }
    if (done.length > 0) save();
    return { ok: true, notices: done.length === 0 ? [] : [`You ${done.join('; ')}.`, ...happened] };
  };

  for (;;) {
    clearScreen();
    out(renderScreen(play, notices, terminalWidth()));
    notices = [];
    if (play.session.closed) {
      if (play.mode === 'practice' && play.lastDecision() !== null) {
        const next = await select({
          message: 'The tip is closed.',
          choices: [
            { value: 'debrief', name: 'See the debrief' },
            { value: 'undo', name: 'Undo my last decision' },
          ],
          loop: false,
        });
        if (next === 'undo') {
          notices = undo(play);
          save();
          continue;
        }
      }
      return 'debrief';
    }
    const action = await mainMenu(play);
    switch (action) {
      case 'triage': {
        const event = await askTriage(play);
        if (event !== null) notices = send([event]).notices;
        break;
      }
      case 'tag': {
        const tagging = send(await askTags(play));
        notices = tagging.notices;
        if (tagging.ok && play.session.allowedEvents().includes('GEO.CONFIRM') && (await askConfirmGeolocation(play, true))) {
          notices = [...notices, ...send([{ type: 'GEO.CONFIRM' }]).notices];
        }
        break;
      }
      case 'confirm-geolocation':
        if (await askConfirmGeolocation(play, false)) notices = send([{ type: 'GEO.CONFIRM' }]).notices;
        break;
      case 'refer':
      case 'legal-process':
      case 'informational': {
        const ask = action === 'refer' ? askReferral : action === 'legal-process' ? askLegalProcess : askInformational;
        const event = await ask(play);
        if (event !== null) notices = send([event]).notices;
        break;
      }
      case 'wait': {
        const target = await askWait(play);
        if (target === null) break;
        const result = target === 'next' ? play.waitForNext() : play.wait(target);
        save();
        const stopped =
          result.interruptedBy === null
            ? `You waited until ${clockText(play.session.now)}.`
            : `The wait stopped at ${clockText(play.session.now)}: ${result.interruptedBy === 'message' ? 'a message arrived' : result.interruptedBy === 'decision' ? 'a decision is needed' : 'the tip is closed'}.`;
        notices = [stopped, ...result.happenings.map(happeningText)];
        if (result.happenings.length === 0 && result.interruptedBy === null) notices.push('Nothing happened meanwhile.');
        break;
      }
      case 'hint':
        notices = [play.hint()];
        save();
        break;
      case 'undo':
        notices = undo(play);
        save();
        break;
      case 'end':
      case 'quit':
        save();
        return action === 'end' ? 'debrief' : 'quit';
    }
  }
}

function undo(play: PlaySession): string[] {
  const undone = play.undo();
  if (undone === null) return ['There is no decision to take back.'];
  return [`Took back: ${decisionText(undone.event as RoutingEvent)}. The clock is back at ${clockText(play.session.now)}.`];
}
