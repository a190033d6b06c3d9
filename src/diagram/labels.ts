// How a guard, an action and a transition's trigger read in a picture. XState keeps guards as names
// (`'isWellFormed'`), parameterised objects (`{ type }`) or higher-order functions (`and([...])`, `or`,
// `not`) that carry their operands in `guards`; this turns each into text without calling anything.
import type { DiagramState, DiagramTransition, TransitionKind } from './model.js';

interface HigherOrderGuard {
  name: string;
  guards?: unknown;
}

const COMBINATORS = new Set(['and', 'or']);

/** `isWellFormed`, `isWellFormed and choosesInformationalTrack`, `not isExigent`, or null without a guard. */
export function guardText(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  return describeGuard(guard, false);
}

function describeGuard(guard: unknown, nested: boolean): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    const { name, guards } = guard as HigherOrderGuard;
    if (Array.isArray(guards) && COMBINATORS.has(name)) {
      const text = guards.map((inner) => describeGuard(inner, true)).join(` ${name} `);
      return nested && guards.length > 1 ? `(${text})` : text;
    }
    if (name === 'not' && guards !== undefined) return `not ${describeGuard(guards, true)}`;
    return name === '' ? 'inline guard' : name;
  }
  if (typeof guard === 'object' && guard !== null && 'type' in guard && typeof guard.type === 'string') return guard.type;
  return 'inline guard';
}

/** An action's name: the string it is bound by, an action object's `type`, or a function's name. */
export function actionName(action: unknown): string {
  if (typeof action === 'string') return action;
  if (typeof action === 'object' && action !== null && 'type' in action && typeof action.type === 'string') return action.type;
  if (typeof action === 'function') {
    const typed = action as { type?: unknown; name: string };
    if (typeof typed.type === 'string') return typed.type;
    return typed.name === '' ? 'inline action' : typed.name;
  }
  return 'inline action';
}

/** A delay as written in `after`: its name, or milliseconds for a number. */
export function delayText(delay: unknown): string {
  if (typeof delay === 'number') return `${delay}ms`;
  if (typeof delay === 'string') return delay;
  return 'inline delay';
}

/** What a reader sees as the cause of a transition. */
export function triggerText(kind: TransitionKind, eventType: string, delay: string | null): string {
  if (kind === 'always') return 'always';
  if (kind === 'after') return `after ${delay ?? '?'}`;
  return eventType;
}

/** The label lines of a transition: the trigger, then `[guard]`. */
export function labelLines(transition: Pick<DiagramTransition, 'trigger' | 'guard'>): string[] {
  return transition.guard === null ? [transition.trigger] : [transition.trigger, `[${transition.guard}]`];
}

/** The tag line under a state's name: `◆ decision:triage` for decision points. */
export function tagLine(state: DiagramState): string {
  const marker = state.tags.some(isDecisionTag) ? '◆ ' : '';
  return `${marker}${state.tags.join(' · ')}`;
}

export function isDecisionTag(tag: string): boolean {
  return tag.startsWith('decision:');
}

/** A container's title: its name, and `(parallel)` for parallel states. */
export function containerTitle(state: DiagramState): string {
  return state.type === 'parallel' ? `${state.key} (parallel)` : state.key;
}
