// Invariant 6 (DESIGN §12): every state of the routing chart is reachable, and from every state a final
// state is reachable. The states come from the machine definition (xstate/graph getStateNodes), the
// traversal from xstate/graph's adjacency map over the pure transition function, for a few sample tips
// that between them take every path (referral, legal process, informational track, bundled, rejected).
import { beforeAll, describe, expect, it } from 'vitest';
import { getMicrosteps, getNextTransitions, getInitialMicrosteps, type StateValue } from 'xstate';
import { getAdjacencyMap, getStateNodes, type AdjacencyMap, type AdjacencyValue } from 'xstate/graph';
import { parseRoutingEvent, type RoutingEvent } from '../../src/domain/events.js';
import { legalProcessCandidates } from '../../src/domain/assessment.js';
import { answerKeyDecision, DECISION_POINTS, decisionTag } from '../../src/domain/routing/answer-key.js';
import type { RoutingInput } from '../../src/domain/routing/context.js';
import { isDeclined } from '../../src/domain/routing/route-choice.js';
import { priorityFor } from '../../src/domain/triage.js';
import type { Tip } from '../../src/domain/tip/schema.js';
import { Engine } from '../../src/engine/index.js';
import type { RoutingSnapshot } from '../../src/engine/engine.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import type { RoutingMachineEvent } from '../../machines/routing.js';

const reference = bundledReference();
const machine = new Engine(reference).machine;

const base = { source: 'esp', receivedAt: '2019-06-01T10:00:00Z', reporter: { espName: 'Example Mail (fictional)' } } as const;
const VIRAL_HASH = 'ab'.repeat(32);

/** Sample inputs: between them, every outcome and every waiting state. */
const SAMPLES: Record<string, RoutingInput> = {
  // One determining residential event: referral, acknowledgement, decline.
  referable: {
    submission: {
      ...base,
      id: 'TIP-G001',
      incident: { type: 'child-sex-trafficking' },
      subjects: [{ id: 'S1', ipEvents: [{ ip: '192.0.2.10', port: 51234, dateTime: '2019-05-30T22:09:00Z' }] }],
    } satisfies Tip,
  },
  // A CGNAT mobile login without a port: legal process, preservation, subscriber return.
  cgnat: {
    submission: {
      ...base,
      id: 'TIP-G002',
      receivedAt: '2023-03-01T09:00:00Z',
      incident: { type: 'online-enticement' },
      subjects: [{ id: 'S1', ipEvents: [{ ip: '192.0.2.100', event: 'Login', dateTime: '2023-02-28T20:00:00Z' }] }],
    } satisfies Tip,
  },
  // Only meme files and no network indicator: the informational track.
  meme: {
    submission: { ...base, id: 'TIP-G003', incident: { type: 'child-pornography-distribution' }, files: [{ id: 'F1', sha256: 'cd'.repeat(32), annotations: ['potentialMeme'] }] } satisfies Tip,
  },
  // A viral file already on an open tip: bundled at intake.
  viral: {
    submission: { ...base, id: 'TIP-G004', incident: { type: 'child-pornography-possession' }, files: [{ id: 'F1', sha256: VIRAL_HASH, annotations: ['viral'] }] } satisfies Tip,
    openFileHashes: [VIRAL_HASH],
  },
  // Not a tip: rejected at intake.
  invalid: { submission: { ...base, id: 'TIP-G005', incident: { type: 'child-pornography-possession' }, subjects: [{ id: 'S1', ipEvents: [{ ip: '8.8.8.8' }] }] } },
};

/** Injects and alternative decisions offered in every state; the machine ignores those it has no transition for. */
const FIXED_EVENTS: RoutingEvent[] = [
  { type: 'GEO.CONFIRM' },
  { type: 'ROUTE.LEGAL_PROCESS' },
  { type: 'ROUTE.INFORMATIONAL' },
  { type: 'AGENCY.ACKNOWLEDGE' },
  { type: 'AGENCY.DECLINE', reason: 'outside our area' },
  { type: 'PRESERVATION.CONFIRMED' },
  { type: 'INDICATOR.ADD', p2p: { ip: '192.0.2.40', network: 'BitTorrent', port: 6881, lastSeen: '2019-05-31' } },
  { type: 'TIP.SUPPLEMENT', supplement: { escalateToHighPriority: true } },
];
for (const event of FIXED_EVENTS) {
  const parsed = parseRoutingEvent(event);
  if (!parsed.ok) throw new Error(`harness: ${event.type} is not a well-typed event: ${JSON.stringify(parsed.issues)}`);
}

/**
 * The events to try from a snapshot: the answer key's decision at a decision point, the informational
 * track at triage, a subscriber return for each legal-process candidate, the fixed injects, and the
 * delayed events of the active states. Passing `events` replaces xstate/graph's default generator, which
 * would otherwise add the `xstate.after.*` events, so they are added here from getNextTransitions.
 */
function eventsFrom(snapshot: RoutingSnapshot): RoutingMachineEvent[] {
  const events: RoutingMachineEvent[] = [...FIXED_EVENTS];
  const context = snapshot.context;
  for (const point of DECISION_POINTS) {
    if (snapshot.hasTag(decisionTag(point))) events.push(answerKeyDecision(point, context, reference));
  }
  if (snapshot.hasTag(decisionTag('triage')) && context.tip !== null) {
    events.push({ type: 'TRIAGE.ASSIGN', priority: priorityFor(context.tip).value, track: 'informational' });
  }
  for (const candidate of context.assessment === null ? [] : legalProcessCandidates(context.assessment)) {
    events.push({ type: 'SUBSCRIBER.RETURNED', indicatorId: candidate.id, location: { countryCode: 'US', region: 'PA', city: 'Scranton' } });
  }
  const delayed = new Set(getNextTransitions(snapshot).map((t) => t.eventType).filter((type) => type.startsWith('xstate.after.')));
  // Delayed events are internal to XState; the graph API needs them as plain events of the machine's type.
  for (const type of delayed) events.push({ type } as unknown as RoutingMachineEvent);
  return events;
}

/**
 * A snapshot's identity for the traversal: where it is and what decides the next transitions, but not
 * what only grows (reasons, timer messages, the tip after each added indicator), so the graph is finite.
 */
function serializeState(snapshot: RoutingSnapshot): string {
  const c = snapshot.context;
  return JSON.stringify({
    value: snapshot.value,
    exigency: c.exigency,
    priority: c.priority,
    track: c.track,
    confirmed: c.geolocationConfirmed,
    jurisdiction: c.jurisdiction?.id ?? null,
    declined: c.declined.filter((d) => isDeclined(c.declined, d.jurisdictionId, c.indicatorsVersion)).map((d) => d.jurisdictionId).sort(),
  });
}

/** Ids of the state nodes active in a state value: `{ routing: { referral: 'selecting' } }` → tip, tip.routing, tip.routing.referral, … */
function activeNodeIds(value: StateValue, prefix = machine.id): string[] {
  if (typeof value === 'string') return [prefix, `${prefix}.${value}`];
  return [prefix, ...Object.entries(value).flatMap(([key, child]) => (child === undefined ? [`${prefix}.${key}`] : activeNodeIds(child, `${prefix}.${key}`)))];
}

/** The routing region rests in a `type: 'final'` state node of the definition (one of `closed.*`). */
const isFinal = (snapshot: RoutingSnapshot): boolean =>
  activeNodeIds(snapshot.value).some((id) => id.startsWith(`${machine.id}.routing.`) && machine.getStateNodeById(id).type === 'final');

interface Traversal {
  adjacency: AdjacencyMap<RoutingSnapshot, RoutingMachineEvent>;
  /** State node ids active in any snapshot or microstep on the way (transient states included). */
  visitedNodes: Set<string>;
}

function traverse(input: RoutingInput): Traversal {
  const adjacency = getAdjacencyMap(machine, { input, events: eventsFrom, serializeState, limit: 20_000 });
  const visitedNodes = new Set<string>();
  for (const [snapshot] of getInitialMicrosteps(machine, input)) for (const id of activeNodeIds(snapshot.value)) visitedNodes.add(id);
  for (const { state, transitions } of Object.values(adjacency)) {
    for (const id of activeNodeIds(state.value)) visitedNodes.add(id);
    for (const { event } of edgesOf(transitions)) {
      for (const [micro] of getMicrosteps(machine, state, event)) for (const id of activeNodeIds(micro.value)) visitedNodes.add(id);
    }
  }
  return { adjacency, visitedNodes };
}

const edgesOf = (transitions: AdjacencyValue<RoutingSnapshot, RoutingMachineEvent>['transitions']) =>
  Object.values(transitions) as { event: RoutingMachineEvent; state: RoutingSnapshot }[];

/** Vertices of the adjacency map from which no final state can be reached. */
function verticesWithoutExit(adjacency: Traversal['adjacency']): string[] {
  const keys = Object.keys(adjacency) as (keyof typeof adjacency)[];
  const predecessors = new Map<string, Set<string>>(keys.map((k) => [k, new Set<string>()]));
  for (const key of keys) {
    for (const { state } of edgesOf(adjacency[key]?.transitions ?? {})) predecessors.get(serializeState(state))?.add(key);
  }
  const canFinish = new Set<string>(keys.filter((k) => adjacency[k] !== undefined && isFinal(adjacency[k].state)));
  const queue = [...canFinish];
  for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
    for (const previous of predecessors.get(key) ?? []) {
      if (!canFinish.has(previous)) {
        canFinish.add(previous);
        queue.push(previous);
      }
    }
  }
  return keys.filter((k) => !canFinish.has(k));
}

let traversals: Record<string, Traversal> = {};
beforeAll(() => {
  traversals = Object.fromEntries(Object.entries(SAMPLES).map(([name, input]) => [name, traverse(input)]));
});

describe('invariant 6: every state is reachable, and a final state is reachable from every state', () => {
  const stateNodeIds = getStateNodes(machine.root).map((node) => node.id);

  it('the chart has the states the traversal looks for', () => {
    expect(stateNodeIds.length).toBeGreaterThan(20);
    expect(stateNodeIds).toContain('tip.routing.closed.referred');
  });

  it('invariant 6: every state node of the routing machine is reachable', () => {
    const reached = new Set(Object.values(traversals).flatMap((t) => [...t.visitedNodes]));
    const unreachable = [machine.root.id, ...stateNodeIds].filter((id) => !reached.has(id));
    expect(unreachable).toEqual([]);
  });

  it.each(Object.keys(SAMPLES))('invariant 6: a final state is reachable from every state (%s tip)', (name) => {
    const { adjacency } = traversals[name] as Traversal;
    const stuck = verticesWithoutExit(adjacency).map((key) => JSON.parse(key) as { value: StateValue });
    expect(stuck.map((s) => JSON.stringify(s.value))).toEqual([]);
    const finals = Object.values(adjacency).filter(({ state }) => isFinal(state));
    expect(finals.length).toBeGreaterThan(0);
    // The engine's notion of closed (the state tag) agrees with the chart's final states.
    for (const { state } of Object.values(adjacency)) expect(state.hasTag('closed'), JSON.stringify(state.value)).toBe(isFinal(state));
  });
});
