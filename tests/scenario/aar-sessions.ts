// A fixed class for the after-action report's tests: bundled exercises played by the one exercise runner
// with fixed answers (a careful trainee's, and deliberate mistakes: a wrong unit, a missed caveat, a late
// triage, a hint, an undo), then graded as the server and the CLI grade them.
import type { RoutingEvent } from '../../src/domain/events.js';
import type { AarSession } from '../../src/scenario/aar.js';
import { objectiveDeadlines } from '../../src/scenario/aar.js';
import { gradeSession, type GradeOptions } from '../../src/scenario/debrief.js';
import { ExerciseRunner } from '../../src/scenario/runner.js';
import { engine } from '../engine/helpers.js';
import { expectedEvent, loadBundled } from './runner-helpers.js';

/** What a trainee does differently from the careful one at a decision: another event, a wait first, a hint. */
interface Deviation {
  point: 'triage' | 'geolocation' | 'route';
  occurrence?: number;
  events?: RoutingEvent[];
  waitMs?: number;
  hint?: boolean;
}

export function play(exerciseId: string, trainee: string, mode: string, deviations: Deviation[] = [], options: GradeOptions = {}): AarSession {
  const loaded = loadBundled(exerciseId);
  const runner = ExerciseRunner.start(engine, loaded.exercise, loaded.tip, { sessionId: `${exerciseId}-${trainee}` });
  for (let step = 0; step < 40 && !runner.session.closed; step += 1) {
    const at = runner.pendingDecision();
    if (at === null) {
      runner.wait({ until: 'next' });
      continue;
    }
    const deviation = deviations.find((d) => d.point === at.point && (d.occurrence ?? 1) === at.occurrence);
    if (deviation?.waitMs !== undefined) runner.wait({ ms: deviation.waitMs });
    if (deviation?.hint === true) runner.hintShown();
    const events = deviation?.events ?? [expectedEvent(engine, runner, loaded)];
    for (const event of events) if (event !== null) runner.decide(event);
    // A deviation that left the decision pending (a refused event) is taken once only.
    if (deviation !== undefined) deviations = deviations.filter((d) => d !== deviation);
  }
  const debrief = gradeSession(engine, loaded.exercise, runner.session.toRecord(), [], options);
  return { id: `${exerciseId}-${trainee}`, trainee, mode, exercise: { id: loaded.exercise.id, title: loaded.exercise.title }, debrief, deadlines: objectiveDeadlines(loaded.exercise) };
}

/** Five trainees, three exercises, both modes. */
export function classSessions(): AarSession[] {
  return [
    play('webmail-houston', 'alice', 'assessment'),
    // The state's task force instead of Houston's own (partly: the wrong unit), with a hint for the route.
    play('webmail-houston', 'bob', 'practice', [{ point: 'route', hint: true, events: [{ type: 'ROUTE.REFER', jurisdictionId: 'US-TX-ICAC' }] }]),
    // Triage two hours after the tip arrived: the objective's deadline is one hour.
    play('sextortion-p1-wichita', 'carol', 'assessment', [{ point: 'triage', waitMs: 2 * 3_600_000 }]),
    // The careful answers, the triage taken back once and made again.
    play('sextortion-p1-wichita', 'dave', 'practice', [], { undone: [{ point: 'triage', occurrence: 1 }] }),
    // The caveats confirmed without tagging any: CGNAT_NO_PORT, MOBILE_IMPRECISE and REGION_ONLY missed.
    play('mobile-cgnat-no-port', 'erin', 'assessment', [{ point: 'geolocation', events: [{ type: 'GEO.CONFIRM' }] }]),
  ];
}
