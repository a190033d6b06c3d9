// Shared by the runner's tests: a bundled exercise loaded by id, and the decision a careful trainee makes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RoutingEvent } from '../../src/domain/events.js';
import { answerKeyDecision } from '../../src/domain/routing/answer-key.js';
import type { Engine } from '../../src/engine/index.js';
import { fixturePath } from '../../src/io/project-files.js';
import { loadExerciseText, type LoadedExercise } from '../../src/scenario/load.js';
import type { ExerciseRunner } from '../../src/scenario/runner.js';
import { eventForExpectedAction } from '../../src/scenario/validate.js';

/** A bundled exercise (fixtures/scenarios/<id>.yaml), loaded; throws when it does not load. */
export function loadBundled(id: string): LoadedExercise {
  const file = join(fixturePath('scenarios'), `${id}.yaml`);
  const { loaded } = loadExerciseText(readFileSync(file, 'utf8'), file);
  if (loaded === null) throw new Error(`${id} does not load`);
  return loaded;
}

/** The decision a careful trainee makes now: the expected action, else the rule book's; null when none is pending. */
export function expectedEvent(engine: Engine, runner: ExerciseRunner, loaded: LoadedExercise): RoutingEvent | null {
  const at = runner.pendingDecision();
  if (at === null) return null;
  const action = loaded.exercise.expectedActions.find((a) => a.point === at.point && (a.occurrence ?? 1) === at.occurrence);
  const context = runner.session.context;
  return action === undefined ? answerKeyDecision(at.point, context, engine.reference) : eventForExpectedAction(action, context, engine);
}
