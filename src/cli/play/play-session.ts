// One trainee's run of an exercise in `tipflow play`, without any terminal I/O: an adapter over the exercise
// runner (src/scenario/runner.ts), which delivers the injects, moves the clock and keeps everything in the
// session's log. Undo rebuilds the session from its log without the last decision; the whole state is a
// PlayRecord that `tipflow report`, `replay` and `play --resume` read.
import type { RoutingEvent } from '../../domain/events.js';
import type { DecisionPoint } from '../../domain/routing/answer-key.js';
import { isMachineRecord, type AuditRecord, type Engine, type RoutingSession } from '../../engine/index.js';
import { practiceHint } from '../../scenario/hint.js';
import { refusalsOf } from '../../scenario/refusals.js';
import { deliveredInjectsOf, inboxEntryOf } from '../../scenario/inbox.js';
import type { LoadedExercise } from '../../scenario/load.js';
import { exerciseOf, PLAY_FORMAT, type PlayRecord } from '../../scenario/play-record.js';
import { ExerciseRunner, startMsOf, type WaitStop } from '../../scenario/runner.js';

export type InteractiveMode = 'practice' | 'assessment';

/** Something that happened without the trainee: an inject arrived, or a timer fired. */
export interface Happening {
  at: string;
  kind: 'message' | 'clock' | 'problem';
  text: string;
}

export type DecideResult = { ok: true; record: AuditRecord; happenings: Happening[] } | { ok: false; message: string };

export interface WaitResult {
  happenings: Happening[];
  /** Why the wait ended before its target, if it did. */
  interruptedBy: WaitStop | null;
}

type InboxEntry = PlayRecord['inbox'][number];

export class PlaySession {
  private constructor(
    readonly engine: Engine,
    readonly loaded: LoadedExercise,
    readonly exerciseSource: PlayRecord['exercise'],
    readonly mode: InteractiveMode,
    private runner: ExerciseRunner,
    /** What a play file saved before the log kept refusals and hints (empty for newer ones). */
    private readonly legacy: Pick<PlayRecord, 'refusals' | 'inbox' | 'hintsUsed'> = { refusals: [], inbox: [], hintsUsed: 0 },
  ) {}

  static start(engine: Engine, loaded: LoadedExercise, source: PlayRecord['exercise'], mode: InteractiveMode): PlaySession {
    return new PlaySession(engine, loaded, source, mode, ExerciseRunner.start(engine, loaded.exercise, loaded.tip));
  }

  /** Continues a saved play: the session is rebuilt by replaying its log (ReplayError if it does not replay). */
  static resume(engine: Engine, record: PlayRecord, mode: InteractiveMode): PlaySession {
    const loaded = exerciseOf(record);
    const runner = ExerciseRunner.resume(engine, loaded.exercise, record.session);
    const keptInLog = runner.log.some((r) => r.event.type.startsWith('INJECT.') || r.event.type === 'DECISION.REFUSED' || r.event.type === 'HINT.USED');
    return new PlaySession(engine, loaded, record.exercise, mode, runner, keptInLog ? undefined : { refusals: record.refusals, inbox: record.inbox, hintsUsed: record.hintsUsed });
  }

  get session(): RoutingSession {
    return this.runner.session;
  }
  get exercise() {
    return this.loaded.exercise;
  }
  get inbox(): readonly InboxEntry[] {
    const messages = this.runner.inbox().flatMap((m) => (m.kind === 'message' && m.injectId !== undefined ? [{ at: m.at, injectId: m.injectId, message: m.text }] : []));
    return [...this.legacy.inbox, ...messages];
  }
  get hintsUsed(): number {
    return this.legacy.hintsUsed + this.runner.log.filter((r) => r.event.type === 'HINT.USED').length;
  }
  get startMs(): number {
    return startMsOf(this.session);
  }

  /** The decision the trainee faces now, with its occurrence (the second route decision after a decline). */
  decisionPoint(): { point: DecisionPoint; occurrence: number } | null {
    return this.runner.pendingDecision();
  }

  /** Sends a trainee decision; on acceptance, the injects its new state triggers arrive at once. */
  decide(event: RoutingEvent): DecideResult {
    const result = this.runner.decide(event, { actor: 'trainee' });
    if (!result.ok) return { ok: false, message: result.refusal.message };
    return { ok: true, record: result.record, happenings: happeningsOf(result.records) };
  }

  /** The next scripted inject due, if any. */
  nextTimedInject(): { due: number } | undefined {
    const due = this.runner.nextInjectMs();
    return due === null ? undefined : { due };
  }

  /** True when nothing can move the tip on: no decision, no timer and no scripted inject to come. */
  get stuck(): boolean {
    return this.runner.stuck;
  }

  /**
   * Moves the simulated clock to `targetMs`, firing timers and delivering timed injects on the way. Stops
   * early when a message arrives, the tip reaches a new decision, or it closes, so the trainee can react.
   */
  wait(targetMs: number): WaitResult {
    const result = this.runner.wait({ ms: Math.max(0, targetMs - this.session.clock.now) }, { actor: 'trainee' });
    return { happenings: happeningsOf(result.records), interruptedBy: result.reason };
  }

  /** Waits for the next scheduled thing (a message or a deadline), stopping early as `wait` does. */
  waitForNext(): WaitResult {
    const result = this.runner.wait({ until: 'next' }, { actor: 'trainee' });
    return { happenings: happeningsOf(result.records), interruptedBy: result.reason };
  }

  /** Simulated epoch ms of the next scheduled thing (a timer or a scripted inject), or null. */
  nextScheduledMs(): number | null {
    return this.runner.nextScheduledMs();
  }

  /** The last accepted trainee decision, which undo would take back, or null. */
  lastDecision(): AuditRecord | null {
    for (let i = this.session.log.length - 1; i > 0; i -= 1) {
      const record = this.session.log[i];
      if (record?.actor === 'trainee' && isMachineRecord(record)) return record;
    }
    return null;
  }

  /**
   * Takes back the last trainee decision: the session is replayed from its log up to just before it, and
   * the clock goes back to the moment it was made; injects and timers that followed it are undone too.
   */
  undo(): AuditRecord | null {
    if (this.mode !== 'practice') throw new Error('internal: undo is for practice mode only');
    const last = this.lastDecision();
    if (last === null) return null;
    const record = this.session.toRecord();
    this.runner = ExerciseRunner.resume(this.engine, this.exercise, { ...record, log: record.log.slice(0, last.seq), now: last.at });
    return last;
  }

  /** Practice help for the decision at hand: the exercise's hint, or else the expected decision itself. */
  hint(): string {
    if (this.mode !== 'practice') throw new Error('internal: hints are for practice mode only');
    const hint = practiceHint(this.engine, this.exercise, this.session);
    if (hint.point !== null) this.runner.hintShown();
    return hint.text;
  }

  toRecord(): PlayRecord {
    const log = this.session.log;
    return {
      format: PLAY_FORMAT,
      mode: this.mode,
      exercise: this.exerciseSource,
      refusals: [...this.legacy.refusals, ...refusalsOf(log)],
      injectsSent: deliveredInjectsOf(log),
      inbox: [...this.inbox],
      hintsUsed: this.hintsUsed,
      finished: this.session.closed,
      session: this.session.toRecord(),
    };
  }
}

/** What the trainee is told of records they did not make: messages, what the clock did, held injects. */
function happeningsOf(records: readonly AuditRecord[]): Happening[] {
  return records.flatMap((record): Happening[] => {
    const entry = inboxEntryOf(record);
    if (entry !== null) return [{ at: entry.at, kind: entry.kind, text: entry.text }];
    if (record.event.type === 'INJECT.HELD') return [{ at: record.at, kind: 'problem', text: 'A scheduled message is for a later stage of the tip; it will arrive when the tip gets there.' }];
    return [];
  });
}
