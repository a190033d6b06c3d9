// The diagram's data: a machine's states and transitions as plain, JSON-safe records, and their positions
// once laid out. Every renderer (SVG, Mermaid, DOT, JSON) and the browser inspector read these, never
// XState's state nodes, so a picture can be drawn without the machine's implementations.

export type StateType = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

export interface DiagramState {
  /** XState's id: the dotted path from the root, `tip.routing.triage`. */
  id: string;
  /** The state's own name, `triage`. */
  key: string;
  /** Keys from the root's child down to this state (empty for the root). */
  path: string[];
  parent: string | null;
  type: StateType;
  /** State tags in definition order, e.g. `decision:triage`. */
  tags: string[];
  /** The initial child's id, for compound states. */
  initial: string | null;
  children: string[];
  /** A direct child of a parallel state: one of its concurrent regions. */
  region: boolean;
  description: string | null;
  entry: string[];
  exit: string[];
}

/** `event`: on an event; `after`: a delayed transition; `always`: eventless, taken as soon as its guard holds. */
export type TransitionKind = 'event' | 'after' | 'always';

/** One arrow: a transition with several targets gives one per target. */
export interface DiagramTransition {
  id: string;
  source: string;
  /** The target's id; the source itself for a targetless transition. */
  target: string;
  /** No target: the actions run and the state is neither left nor re-entered. */
  targetless: boolean;
  /** `reenter: true`: the state is exited and entered again. */
  reenter: boolean;
  kind: TransitionKind;
  /** The event type as XState knows it (`xstate.after.<delay>.<id>` for delays, empty for `always`). */
  eventType: string;
  /** What a reader sees: `TRIAGE.ASSIGN`, `after triageSla`, `always`. */
  trigger: string;
  /** The delay's name (or milliseconds) for `after` transitions. */
  delay: string | null;
  /** The guard as text: `isWellFormed`, `isWellFormed and choosesInformationalTrack`. */
  guard: string | null;
  actions: string[];
  /** Label lines: the trigger, then the guard in brackets if there is one. */
  label: string[];
}

export interface DiagramGraph {
  machineId: string;
  /** The root state's id (the machine id). */
  root: string;
  /** Every state, parents before children, in document order. */
  states: DiagramState[];
  transitions: DiagramTransition[];
}

export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A state's box, in the diagram's coordinates (absolute, origin top left). */
export interface PositionedState extends Box {
  id: string;
}

/** The small filled circle of a compound state's initial child, and its arrow. */
export interface PositionedInitial extends Box {
  /** The compound state it belongs to. */
  state: string;
  target: string;
  path: Point[];
}

export interface PositionedLabel extends Box {
  lines: string[];
}

export interface PositionedTransition {
  id: string;
  /**
   * A targetless transition of an atomic state, written inside the state's box under its name (UML's
   * internal transitions) instead of as a loop: no path, the label is the line inside the box.
   */
  internal: boolean;
  /** The route: start point, bends, end point (the arrowhead sits at the last point); empty when internal. */
  path: Point[];
  label: PositionedLabel | null;
}

export interface DiagramLayout {
  width: number;
  height: number;
  states: PositionedState[];
  initials: PositionedInitial[];
  transitions: PositionedTransition[];
}

/** What `tipflow diagram --format json` prints. */
export interface DiagramDocument {
  format: 'tipflow.diagram/1';
  graph: DiagramGraph;
  layout: DiagramLayout;
}
