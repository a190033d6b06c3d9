// Shapes of the inspector's API answers (docs/server.md, "The inspector's view of a session").
import type { AuditRecord } from '../api-types.js';

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
export interface InspectedContext {
  priority: string | null;
  track: string | null;
  exigency: string | null;
  tags: { indicatorId: string | null; caveat: string }[];
  geolocationConfirmed: boolean;
  confidence: string | null;
  caveats: string[];
  jurisdiction: string | null;
  notify: string[];
  declined: string[];
  outcome: string | null;
  timerEvents: string[];
}
export interface Timer {
  due: string;
  event: string;
}
export interface InspectStep {
  seq: number;
  record: AuditRecord;
  /** Dotted paths from below the root, parents included: routing, routing.triage, clock, clock.running. */
  activeStates: string[];
  context: InspectedContext;
  now: string;
  timers: Timer[];
}
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
