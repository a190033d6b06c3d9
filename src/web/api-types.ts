// Shapes of the classroom API's answers as the browser reads them (docs/server.md). Those the server also
// names are declared once in src/api/contract.d.ts; the rest mirror the server's answers and are kept in
// step end to end by the browser tests.
import type { AttemptRow, AuditRecord, ReplayStep, IndicatorResult, IndicatorRow, InjectSummary, Jurisdiction, Phase, Progress, Rating, SessionSummary, SessionView, Tag, TipFacts, TraineeProgress, Verdict } from '../api/contract.js';

export type { AttemptRow, AuditRecord, ReplayStep, IndicatorResult, IndicatorRow, InjectSummary, Jurisdiction, Phase, Progress, Rating, SessionSummary, SessionView, Tag, TipFacts, TraineeProgress, Verdict };
export type Role = 'instructor' | 'trainee';
export interface User {
  id: string;
  name: string;
  role: Role;
  /** How the screens name them ("Officer Jones"), when they gave one. */
  displayName?: string;
  /** Their password was reset: they must choose a new one before anything else. */
  mustChangePassword?: true;
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
export type SessionMode = 'practice' | 'assessment';
export type AssignmentMode = SessionMode | 'both';
/**
 * An exercise as listed. Instructors get everything; trainees only the title, duration and brief (the
 * summary and lesson name answers), with the modes and assessment attempts they have.
 */
export interface ExerciseSummary {
  id: string;
  title: string;
  duration: string;
  /** The trainee's text: the situation, never the answer; null when the exercise has none. */
  brief: string | null;
  /** Instructors only. */
  lesson?: string;
  /** Instructors only: the lesson in words when it is a caveat code or a channel. */
  lessonWords?: string | null;
  /** Instructors only. */
  summary?: string;
  /** Instructors only: an instructor's upload (its instructor may delete it), not a bundled exercise. */
  uploaded?: boolean;
  /** Trainees only: the modes they may start it in. */
  modes?: SessionMode[];
  /** Trainees only: their assessment attempts (null: no limit). */
  attempts?: { allowed: number; used: number } | null;
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
  /** The yours and expected columns in the analyst's words, from the server's one table (absent in older servers). */
  words?: { yours: string; expected: string };
  late?: { byMs: number; deadline: string };
  /** For a decision with a deadline: how long it took, from where the deadline counts. */
  timing?: { usedMs: number; deadline: string };
  /** Attempts the machine refused before the accepted decision, in plain words. */
  refusedAttempts?: string[];
  /** The decision itself was refused (the answer key continued), in plain words. */
  refused?: string;
  hinted?: boolean;
  undone?: boolean;
  reason?: string;
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
  hintsUsed?: number;
  undos?: number;
  refusedAttempts?: number;
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
  mode: AssignmentMode;
  attempts: number;
  /** When a practice session's debrief is shown: once released (the default) or at the tip's close. */
  practiceDebrief?: 'on-release' | 'at-close';
}
export interface Release {
  exerciseId: string | null;
  releasedAt: string;
}
