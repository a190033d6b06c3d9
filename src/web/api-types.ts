// Shapes of the classroom API's answers as the browser reads them (docs/server.md). Those the server also
// names are declared once in src/api/contract.d.ts; the rest mirror the server's answers and are kept in
// step end to end by the browser tests.
import type { AuditRecord, InjectSummary, LookupRow, Phase, Progress, Rating, SessionSummary, Verdict } from '../api/contract.js';

export type { AuditRecord, InjectSummary, LookupRow, Phase, Progress, Rating, SessionSummary, Verdict };
export type Role = 'instructor' | 'trainee';
export interface User {
  id: string;
  name: string;
  role: Role;
}
export interface Cohort {
  id: string;
  name: string;
  joinCode?: string;
  createdAt?: string;
}
export interface Me {
  user: User;
  cohorts: Cohort[];
}
export interface ExerciseSummary {
  id: string;
  title: string;
  lesson: string;
  duration: string;
  summary: string;
}
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
export interface SessionView {
  id: string;
  exerciseId: string | null;
  mode: 'practice' | 'assessment';
  state: string;
  phase: Phase;
  closed: boolean;
  allowed: string[];
  /** `due` is null for a deadline the server keeps from the trainee (the triage SLA in an assessment). */
  clock: { now: string; timers: { due: string | null; event: string; name: string }[] };
  /** What the clock did so far, in the machine's own words (SLA breaches, expiries, renewals), in order. */
  timerEvents: string[];
  /** The tip's contentless facts (DESIGN §3). */
  facts: Record<string, unknown>;
  priority: string | null;
  track: string | null;
  tags: Tag[];
  assessment: { confidence: string; caveats: string[]; indicators: IndicatorResult[] } | null;
  outcome: string | null;
  jurisdiction: Jurisdiction | null;
  /** The geolocation lookup per indicator from the geolocation step on (never the caveats). */
  lookup: LookupRow[] | null;
  inbox: { injectId: string; message: string }[];
  lastSeq: number;
}
export interface GradedDecision {
  point: 'triage' | 'geolocation' | 'route';
  occurrence: number;
  objective: string | null;
  yours: Record<string, unknown> | null;
  expected: Record<string, unknown>;
  verdict: Verdict;
  why: string;
  missedCaveats: Tag[];
  extraCaveats: Tag[];
  at?: string;
}
export interface Debrief {
  exercise: { id: string; title: string };
  outcome: string | null;
  state: string;
  decisions: GradedDecision[];
  objectives: { objective: string; capability: string; description: string; decisions: number; score: number; rating: Rating }[];
  overall: { score: number; rating: Rating };
  caveatsMissed: Tag[];
  caveatsExtra: Tag[];
  clock: { start: string; end: string; elapsedMs: number };
}

// ---- instructor dashboard ----
export interface Diagnostic {
  line: number;
  column: number;
  severity: 'error' | 'warning';
  message: string;
}
export interface Assignment {
  exerciseId: string;
  assignedAt: string;
}
export interface Release {
  exerciseId: string | null;
  releasedAt: string;
}
export interface TraineeProgress {
  id: string;
  name: string;
  sessions: number;
  progress: Progress | null;
}
