// The shapes the classroom API sends that both the server (Node) and the web app (browser) name: declared
// once here, types only (a declaration file: nothing to load at run time, so each build imports it freely).
// The server's code produces them and the browser's reads them; a change here is checked on both sides.

import type { TimelineStepOf } from '../engine/timeline-step.js';
import type { TipFacts } from '../domain/tip/facts.js';
import type { IndicatorRow } from '../domain/indicator-rows.js';

export type Phase = 'intake' | 'triage' | 'geolocation' | 'legalProcess' | 'referral' | 'closed';
export type Verdict = 'right' | 'partly' | 'wrong';
export type Rating = 'P' | 'S' | 'M' | 'U';

/** An audit record as it travels: the state values are plain JSON. */
export interface AuditRecord {
  seq: number;
  at: string;
  eventId: string;
  event: { type: string; [key: string]: unknown };
  actor: string;
  from: unknown;
  to: unknown;
}

/** A line of a session list (GET /api/sessions, a cohort's sessions): the session and where its tip is. */
export interface SessionSummary {
  id: string;
  exerciseId: string | null;
  mode: string;
  /** Wall-clock start, ISO. */
  createdAt: string;
  lastSeq: number;
  /** The session a practice undo replaced, or null. */
  forkOf: string | null;
  state: string;
  phase: Phase;
  closed: boolean;
  outcome: string | null;
}

/** What an instructor may know of an inject before sending it: never the expected actions. */
export interface InjectSummary {
  id: string;
  kind: string;
  message: string;
  contingency: boolean;
  at: string | null;
  when: { state: string; occurrence: number } | null;
  /** The kind and the scripted state in the analyst's words (src/scenario/plain-words.ts). */
  words: { kind: string; when: string | null };
}

/** One row of the instructor's live grid (GET /api/sessions/:id/progress). */
export interface Progress {
  sessionId: string;
  exerciseId: string | null;
  exerciseTitle: string | null;
  mode: string;
  phase: Phase;
  state: string;
  closed: boolean;
  outcome: string | null;
  lastSeq: number;
  clock: { start: string; now: string; elapsedMs: number };
  lastDecision: { point: string; summary: string; verdict: Verdict; at: string } | null;
  /**
   * The rating of the decisions made so far: the mean over the objectives that have a decision (an open
   * session's debrief counts the objectives not reached yet as 0), null before the first decision.
   */
  soFar: { rating: Rating | null; score: number | null; right: number; partly: number; wrong: number };
  /** Injects already delivered: in the log (sent by the instructor or the script), or information-only messages. */
  injectsSent: string[];
  /** The same in the analyst's words (src/scenario/plain-words.ts): where the tip is, how it ended, the last decision's point. */
  words: { where: string; outcome: string | null; point: string | null };
}

/** One attempt of a trainee (a session not replaced by an undo), for the instructor's detail view. */
export interface AttemptRow {
  sessionId: string;
  exerciseId: string | null;
  exerciseTitle: string | null;
  mode: string;
  /** Which attempt of this exercise in this mode it is, from 1 (oldest). */
  number: number;
  /** Wall-clock start, ISO. */
  createdAt: string;
  phase: Phase;
  closed: boolean;
  outcome: string | null;
  rating: Rating | null;
  /** Where it stands in the analyst's words, as Progress has them. */
  words: { where: string; outcome: string | null; point: string | null };
}

/** One record of a session's log in the analyst's words (GET /api/sessions/:id/timeline, instructors). */
export interface ReplayStep {
  seq: number;
  /** Simulated time, ISO. */
  at: string;
  actor: string;
  /** Who wrote it, in words ("the trainee", "the clock"). */
  by: string;
  /** The record's event type, for those who know the machine. */
  type: string;
  what: string;
  /** Where the tip was after it ("while choosing the route"), null outside the routing region. */
  where: string | null;
}

/** A trainee's row of the cohort grid (GET /api/cohorts/:id/progress). */
export interface TraineeProgress {
  id: string;
  /** The sign-in name. */
  name: string;
  /** The name they gave for the screens ("Officer Jones"), or null. */
  displayName: string | null;
  /** How many sessions they have (not counting those an undo replaced). */
  sessions: number;
  /** Their newest session. */
  progress: Progress | null;
  /** Their newest session in each mode. */
  newest: { practice: Progress | null; assessment: Progress | null };
  /** Every attempt, newest first. */
  attempts: AttemptRow[];
  /** Every session (all attempts, both modes), open ones first, then newest first: none hides behind another. */
  all: Progress[];
  /** Per exercise assigned for assessment: the attempts they have (granted ones included) and used. */
  assessments: { exerciseId: string; allowed: number; used: number }[];
}

/** The inspector's shapes are the engine's (src/engine/timeline-step.d.ts); its records travel as plain JSON. */
export type { InspectedContext } from '../engine/timeline-step.js';
/** A session just after one of its records (the inspector's timeline). */
export type TimelineStep = TimelineStepOf<AuditRecord>;

/**
 * The tip's facts and its location indicators as the trainee pages show them: the domain's own shapes
 * (src/domain/tip/facts.ts, src/domain/indicator-rows.ts), so the server, the terminal and the web share one.
 * An indicator row is in the rule book's order, with its id (a JSON path: subjects[0].ipEvents[1], p2p[0],
 * subjects[0].estimatedLocation), the report's facts, the lookup from the geolocation step on, and the caveat
 * codes offered for it; never its caveats.
 */
export type { TipFacts } from '../domain/tip/facts.js';
export type { IndicatorRow } from '../domain/indicator-rows.js';

/** A caveat the trainee tagged: on one indicator, or on the whole tip (indicatorId null). */
export interface Tag {
  indicatorId: string | null;
  caveat: string;
}
export interface IndicatorResult {
  id: string;
  source: 'ipEvent' | 'p2p' | 'estimatedLocation';
  country: string | null;
  region: string | null;
  city: string | null;
  kind: string | null;
  caveats: string[];
  confidence: string;
  determining: boolean;
}
export interface Jurisdiction {
  id: string;
  name?: string;
  country: string;
  region: string | null;
  channel: string;
}
/** A session as the API shows it (GET /api/sessions/:id and every step's answer). */
export interface SessionView {
  id: string;
  exerciseId: string | null;
  mode: 'practice' | 'assessment';
  state: string;
  phase: Phase;
  closed: boolean;
  /** The decision events the trainee may send now (never the world's events, which come from the exercise). */
  allowed: string[];
  /** `due` is null for a deadline the server keeps from the trainee (the triage SLA in an assessment). */
  /**
   * `pace`: how simulated time passes (DESIGN §10): `paced` (only when the trainee waits), or a factor
   * (simulated minutes per real minute while the session is open); `paused`: the instructor stopped it.
   */
  clock: { now: string; pace: 'paced' | number; paused: boolean; timers: { due: string | null; event: string; name: string }[] };
  /** What the clock did so far, in the machine's own words (SLA breaches, expiries, renewals), in order. */
  timerEvents: string[];
  /** The tip's contentless facts (DESIGN §3); null only for a submission refused at intake (never an exercise's tip). */
  facts: TipFacts | null;
  /** The tip's location indicators in the rule book's order (empty without a tip). */
  indicators: IndicatorRow[];
  /** The caveat codes a trainee may tag the tip as a whole with. */
  tipCaveatChoices: string[];
  /** The routing time the lookup and the indicators' ages are read at: null before the geolocation step. */
  routingTime: string | null;
  priority: string | null;
  track: string | null;
  tags: Tag[];
  assessment: { confidence: string; caveats: string[]; indicators: IndicatorResult[] } | null;
  outcome: string | null;
  jurisdiction: Jurisdiction | null;
  /** Read off the log (invariant 15): the exercise's messages, and what the clock did (`clock`), in order. */
  inbox: { at: string; kind: 'message' | 'clock'; injectId?: string; message: string }[];
  lastSeq: number;
  /** A plain notice when the session no longer replays to its end on this version (shown read-only), else null. */
  readOnly: string | null;
  /** The session a practice undo replaced this one with (this one is then read-only), null while current. */
  replacedBy?: string | null;
  /**
   * Whether the debrief is open to the session's trainee now: the tip is closed and their instructor released
   * it (or assigned the exercise's practice debrief at the close). The page asks for the debrief only then,
   * and hears of a release or a withdrawal on the session's stream.
   */
  debriefReleased?: boolean;
}

/**
 * A step's answer with `?view=changes` (POST /api/sessions/:id/events): the parts of the view that differ
 * from the view shown at the step's `expectedSeq`, and always the small ones that say where the session
 * stands. `{ ...view, ...changes }` is the whole view. Each part is the whole view's own value.
 */
export type ViewChanges = Partial<SessionView> & Pick<SessionView, 'lastSeq' | 'state' | 'phase' | 'closed' | 'allowed' | 'clock' | 'readOnly'>;

/**
 * POST /api/sessions/:id/events: the decision's record and the whole view, or with `?view=changes` the
 * changes to the sender's view (the whole view when the server no longer has the view at `expectedSeq`:
 * another instance took the step before, or the session was rebuilt, or a retry of an acknowledged event).
 */
export type StepAnswer = { audit: AuditRecord; view: SessionView } | { audit: AuditRecord; changes: ViewChanges };

/** GET /api/reference: what decision controls are built from (never an answer key). */
export interface ClientReference {
  phases: readonly string[];
  priorities: readonly string[];
  tracks: readonly string[];
  /**
   * Every caveat code with its meaning and effects. `tipLevel`: said of the whole tip, not one indicator.
   * `networkOnly`: said of a network address, so never of a location the provider or subject reported.
   */
  caveats: { code: string; meaning: string; tipLevel: boolean; networkOnly: boolean; anonymizes: boolean; blocksAttribution: boolean; cap: string | null }[];
  channels: { id: string; text: string }[];
  jurisdictions: { id: string; name: string; country: string; region: string | null; channel: string }[];
  /** Derived agency ids a trainee may type besides the listed ones. */
  derivedIds: string[];
  /**
   * One id per template of `derivedIds` that the registry accepts (US-AL-ICAC, EUROPOL-AT, INTERPOL-BR …),
   * for the "Another agency" field: none is a listed agency, and none is a place the geolocation data knows,
   * so an example never gives an exercise's answer away.
   */
  derivedIdExamples: string[];
  /** The analyst's words for the rule book's codes (src/scenario/plain-words.ts), by code: pages show these, never the codes. */
  words: AnalystWords;
  /** The triage deadline of each priority ("1 h", …) and all three in a line ("P1 1 h, P2 24 h, P3 72 h"), from the timer table. */
  triageSla: { byPriority: Record<string, string>; summary: string };
  /** The JSON Schema of each decision event, by event type. */
  events: Record<string, unknown>;
}

/** GET /api/reference's words: each table maps a code of the rule book to what an analyst calls it. */
export interface AnalystWords {
  incidentTypes: Record<string, string>;
  annotations: Record<string, string>;
  internetKinds: Record<string, string>;
  networkKinds: Record<string, string>;
  sources: Record<string, string>;
  phases: Record<string, string>;
  /** Where the tip is, as a phrase: "while choosing the route". */
  states: Record<string, string>;
  outcomes: Record<string, string>;
  priorities: Record<string, string>;
  tracks: Record<string, string>;
}
