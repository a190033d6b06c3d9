// What the inspector's timeline holds (timeline.ts builds it), declared by the engine that produces it.
// Types only, in a declaration file that imports nothing: the API contract (src/api/contract.d.ts)
// re-exports these shapes for the web app, whose build may load no engine module.

/** The parts of the routing context a person reads in the inspector. */
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

/**
 * A session just after one of its records (the inspector's timeline). `Entry` is the record's type: the
 * engine's audit record where it is built, the same record as plain JSON where it travels.
 */
export interface TimelineStepOf<Entry> {
  seq: number;
  record: Entry;
  /** Every active state node as a dotted path from below the root, parents included: routing, routing.triage, clock, … */
  activeStates: string[];
  context: InspectedContext;
  now: string;
  /** Pending timers: the XState event, and its named delay and the state that scheduled it (null for neither). */
  timers: { due: string; event: string; delay: string | null; state: string | null }[];
}
