// What a machine definition says, read straight from XState's state nodes without src/diagram, so the
// export tests compare each format against the definition rather than against the code that made it.
import type { AnyStateMachine } from 'xstate';

type StateNode = AnyStateMachine['root'];

export interface DefinedTransition {
  source: string;
  target: string;
  /** As the diagrams show it: the event type, `after <delay>`, or `always`. */
  trigger: string;
}

function walk(node: StateNode, visit: (node: StateNode) => void): void {
  visit(node);
  for (const child of Object.values(node.states)) walk(child, visit);
}

export function definedStateIds(machine: AnyStateMachine): string[] {
  const ids: string[] = [];
  walk(machine.root, (node) => ids.push(node.id));
  return ids;
}

export function definedTransitions(machine: AnyStateMachine): DefinedTransition[] {
  const found: DefinedTransition[] = [];
  walk(machine.root, (node) => {
    for (const transitions of node.transitions.values()) {
      for (const transition of transitions) {
        const delay = (transition as { delay?: unknown }).delay;
        const trigger = delay === undefined ? transition.eventType : `after ${typeof delay === 'number' ? `${delay}ms` : String(delay)}`;
        for (const target of transition.target ?? [node]) found.push({ source: node.id, target: target.id, trigger });
      }
    }
    for (const transition of node.always ?? []) {
      for (const target of transition.target ?? [node]) found.push({ source: node.id, target: target.id, trigger: 'always' });
    }
  });
  return found;
}

/** `source -> target on trigger`, sorted: two lists of transitions compare as multisets. */
export function transitionKeys(transitions: DefinedTransition[]): string[] {
  return transitions.map(({ source, target, trigger }) => `${source} -> ${target} on ${trigger}`).sort();
}
