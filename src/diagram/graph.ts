// A machine as a directed graph (DiagramGraph): every state node and every transition, read from the
// machine definition. Transitions on events and delays come from xstate/graph's toDirectedGraph; it
// leaves out eventless (`always`) transitions, so those are read from each state node here.
import type { AnyStateMachine } from 'xstate';
import { toDirectedGraph, type DirectedGraphNode } from 'xstate/graph';
import { actionName, delayText, guardText, labelLines, triggerText } from './labels.js';
import type { DiagramGraph, DiagramState, DiagramTransition, StateType, TransitionKind } from './model.js';

type StateNode = DirectedGraphNode['stateNode'];
type TransitionDefinition = DirectedGraphNode['edges'][number]['transition'];

/** The graph of a machine: states in document order (parents first) and one transition per target. */
export function machineGraph(machine: AnyStateMachine): DiagramGraph {
  const states: DiagramState[] = [];
  const transitions: DiagramTransition[] = [];
  const visit = (node: DirectedGraphNode): void => {
    states.push(stateOf(node.stateNode));
    for (const edge of node.edges) {
      transitions.push(transitionOf(edge.id, edge.transition, edge.source, edge.target));
    }
    const always = node.stateNode.always ?? [];
    always.forEach((transition, index) => {
      const targets = transition.target ?? [node.stateNode];
      targets.forEach((target, targetIndex) => {
        transitions.push(transitionOf(`${node.id}:always:${index}:${targetIndex}`, transition, node.stateNode, target));
      });
    });
    node.children.forEach(visit);
  };
  visit(toDirectedGraph(machine));
  return { machineId: machine.id, root: machine.root.id, states, transitions };
}

function stateOf(node: StateNode): DiagramState {
  const children = Object.values(node.states);
  const initial = node.type === 'compound' ? (node.initial.target[0]?.id ?? null) : null;
  return {
    id: node.id,
    key: node.key,
    path: [...node.path],
    parent: node.parent?.id ?? null,
    type: node.type as StateType,
    tags: [...node.tags],
    initial,
    children: children.map((child) => child.id),
    region: node.parent?.type === 'parallel',
    description: node.description ?? null,
    entry: node.entry.map(actionName),
    exit: node.exit.map(actionName),
  };
}

function transitionOf(id: string, transition: TransitionDefinition, source: StateNode, target: StateNode): DiagramTransition {
  const delay = 'delay' in transition ? delayText(transition.delay) : null;
  const kind: TransitionKind = transition.eventType === '' ? 'always' : delay !== null ? 'after' : 'event';
  const trigger = triggerText(kind, transition.eventType, delay);
  const guard = guardText(transition.guard);
  return {
    id,
    source: source.id,
    target: target.id,
    targetless: transition.target === undefined,
    reenter: transition.reenter,
    kind,
    eventType: transition.eventType,
    trigger,
    delay,
    guard,
    actions: transition.actions.map(actionName),
    label: labelLines({ trigger, guard }),
  };
}

/** The state with this id; throws on an unknown id (a bug in the caller, not in the machine). */
export function stateById(graph: DiagramGraph, id: string): DiagramState {
  const state = graph.states.find((candidate) => candidate.id === id);
  if (state === undefined) throw new Error(`diagram: no state ${id} in machine ${graph.machineId}`);
  return state;
}
