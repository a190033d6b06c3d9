// Shapes of the inspector's API answers (docs/server.md, "The inspector's view of a session").
import type { InspectedContext, TimelineStep } from '../../api/contract.js';

export type { InspectedContext };
/** One step of the timeline (the session just after one record). */
export type InspectStep = TimelineStep;

export interface DiagramState {
  id: string;
  key: string;
  tags: string[];
}
/** GET /api/inspect/machines/:name: the chart as SVG (styled by /assets/diagram.css) and its state ids. */
export interface MachineDiagram {
  machineId: string;
  root: string;
  svg: string;
  states: DiagramState[];
}
/** A pending timer of a step. */
export type Timer = TimelineStep['timers'][number];
export type RoutingEventObject = { type: string } & Record<string, unknown>;
export interface Inspected {
  id: string;
  kind: 'sandbox' | 'session';
  tipId: string | null;
  closed: boolean;
  state: string;
  steps: InspectStep[];
  allowed: string[];
  /** Suggested events for the allowed ones, the answer key's first (sandboxes only). */
  examples: RoutingEventObject[];
  /** The sandbox this one branched from and the step it started at (null for a sandbox of a tip, and a session). */
  branchOf: { id: string; seq: number } | null;
  /** A trainee's session a practice undo replaced: the session that goes on (null otherwise). */
  replacedBy: string | null;
}
/** GET /api/inspect/sandboxes/:id/steps/:seq: what the sandbox accepted just after that step. */
export interface StepChoices {
  seq: number;
  closed: boolean;
  allowed: string[];
  examples: RoutingEventObject[];
}
export interface SampleTip {
  name: string;
  tipId: string;
}
/** What the page inspects, as named in its hash: #/sandbox/<id> or #/session/<id>. */
export interface Source {
  kind: 'sandbox' | 'session';
  id: string;
}
