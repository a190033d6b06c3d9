// Practice help for the decision at hand (DESIGN §10, issue 5): the exercise's hint, or else the expected
// decision itself. One function for the terminal player and the classroom server.
import type { DecisionPoint } from '../domain/routing/answer-key.js';
import type { Engine, RoutingSession } from '../engine/index.js';
import type { ActionDecision, ExpectedAction, Exercise } from './format.js';
import { describeDecision } from './grading.js';
import { pendingDecision } from './state-entries.js';
import { answerKeyAction } from './answer-key-action.js';

export { pendingDecision };

export type Hint = { point: DecisionPoint; occurrence: number; text: string } | { point: null; text: string };

export function practiceHint(engine: Engine, exercise: Exercise, session: RoutingSession): Hint {
  const at = pendingDecision(session);
  if (at === null) return { point: null, text: 'There is no decision to make right now: wait for the clock or for a message.' };
  const action = exercise.expectedActions.find((a) => a.point === at.point && (a.occurrence ?? 1) === at.occurrence);
  if (action?.hint !== undefined) return { ...at, text: `Hint: ${action.hint}` };
  const key = answerKeyAction(at.point, session.context, engine);
  const expected = action === undefined ? key : withKeyJurisdiction(decisionOf(action), key);
  return { ...at, text: `The expected decision here: ${describeDecision(expected)}.` };
}

export function decisionOf(action: ExpectedAction): ActionDecision {
  const { id: _id, objective: _objective, occurrence: _occurrence, hint: _hint, override: _override, within: _within, ...decision } = action;
  return decision as ActionDecision;
}

/** "Refer" without a jurisdiction means the rule book's jurisdiction (as validation and grading read it). */
function withKeyJurisdiction(expected: ActionDecision, key: ActionDecision): ActionDecision {
  if (expected.point === 'route' && expected.route === 'refer' && expected.jurisdictionId === undefined && key.point === 'route') {
    return key.jurisdictionId === undefined ? expected : { ...expected, jurisdictionId: key.jurisdictionId };
  }
  return expected;
}
