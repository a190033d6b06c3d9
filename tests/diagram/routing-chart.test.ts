// The chart exported for tools (issue 17, item 2): routingChart is the machine every session runs, minus the
// reference data. Same states, transitions, guards, actions and delays; the parts that read the reference
// say how to run the chart instead of failing somewhere deep.
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { createRoutingMachine, routingChart } from '../../machines/routing.js';
import { machineGraph } from '../../src/diagram/graph.js';
import { renderMermaid } from '../../src/diagram/mermaid.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { houstonTip } from '../engine/helpers.js';

const sessionMachine = createRoutingMachine(bundledReference());
const namesOf = (record: object) => Object.keys(record).sort();

describe('routingChart, the chart for tools', () => {
  it("has the session machine's states, transitions and picture", () => {
    expect(machineGraph(routingChart)).toEqual(machineGraph(sessionMachine));
    expect(renderMermaid(machineGraph(routingChart))).toBe(renderMermaid(machineGraph(sessionMachine)));
    expect(routingChart.id).toBe('tip');
  });

  it("names the session machine's guards, actions and delays", () => {
    for (const kind of ['guards', 'actions', 'delays'] as const) {
      expect(namesOf(routingChart.implementations[kind]), kind).toEqual(namesOf(sessionMachine.implementations[kind]));
    }
  });

  it('runs up to the first step that reads the reference data, and then says how to run it with the data', () => {
    const actor = createActor(routingChart, { input: { submission: houstonTip() } });
    actor.subscribe({ error: () => undefined });
    actor.start();
    expect(actor.getSnapshot().value).toEqual({ routing: 'triage', clock: 'running' });
    actor.send({ type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' });
    const snapshot = actor.getSnapshot();
    expect(snapshot.status).toBe('error');
    expect(String(snapshot.error)).toContain('run sessions on createRoutingMachine(reference), not routingChart');
  });
});
