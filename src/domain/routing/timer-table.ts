// The chart's timers in one table (issue 17, item 3): each named delay of machines/routing.ts with the
// domain name its records carry in the log, what a person calls it while it runs, and the SLA lengths.
// The chart's delays (timers.ts), the engine's record names, the server's clock panel, the terminal, the web
// and the simulator all read this table. No imports beyond types, so the browser bundle can read it too.
import type { Priority } from '../triage.js';

export const MINUTE_MS = 60 * 1000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export const TRIAGE_SLA_MS: Readonly<Record<Priority, number>> = { P1: 1 * HOUR_MS, P2: 24 * HOUR_MS, P3: 72 * HOUR_MS };
export const ACKNOWLEDGEMENT_SLA_MS: Readonly<Record<Priority, number>> = { P1: 1 * DAY_MS, P2: 7 * DAY_MS, P3: 30 * DAY_MS };

/**
 * The names timer records carry in the log (DESIGN §9): the domain's, never XState's internal
 * `xstate.after.<delay>.<state id>`, so renaming a state does not break the replay of stored sessions.
 */
export const TIMER_RECORD_TYPES = ['TIMER.TRIAGE_SLA', 'TIMER.ACKNOWLEDGEMENT_SLA', 'TIMER.RECORDS_RETENTION', 'TIMER.PRESERVATION_RENEWAL', 'TIMER.PRESERVATION_EXPIRY', 'TIMER.ESP_PRESERVATION'] as const;
export type TimerRecordType = (typeof TIMER_RECORD_TYPES)[number];

export const TIMER_DELAYS = ['triageSla', 'acknowledgementSla', 'recordsRetention', 'preservation2703f', 'espPreservation'] as const;
export type TimerDelay = (typeof TIMER_DELAYS)[number];

interface TimerRow {
  /** The record a firing writes; the 2703(f) delay is the renewal while preserved and the expiry once renewed. */
  record: (statePath: string) => TimerRecordType;
  /** What a person calls the timer while it runs, where the tip is (`legalProcess.preservationRenewed`, …). */
  label: (routingPath: string) => string;
}

const renewed = (path: string) => path.endsWith('preservationRenewed');

export const TIMER_TABLE: Readonly<Record<TimerDelay, TimerRow>> = {
  triageSla: { record: () => 'TIMER.TRIAGE_SLA', label: () => 'Triage deadline' },
  acknowledgementSla: { record: () => 'TIMER.ACKNOWLEDGEMENT_SLA', label: () => "Agency's acknowledgement due" },
  recordsRetention: { record: () => 'TIMER.RECORDS_RETENTION', label: () => 'ISP records expire (unless the provider confirms preservation first)' },
  preservation2703f: {
    record: (path) => (renewed(path) ? 'TIMER.PRESERVATION_EXPIRY' : 'TIMER.PRESERVATION_RENEWAL'),
    label: (path) => (renewed(path) ? 'Renewed 2703(f) preservation ends (then informational)' : '2703(f) preservation period ends (renewable once)'),
  },
  espPreservation: { record: () => 'TIMER.ESP_PRESERVATION', label: () => "Provider's preservation of the reported content ends" },
};

export const isTimerDelay = (name: string): name is TimerDelay => (TIMER_DELAYS as readonly string[]).includes(name);

/** The delay a record of the log was fired by (TIMER.TRIAGE_SLA → triageSla), or null. */
export function delayOfRecord(type: string): TimerDelay | null {
  for (const delay of TIMER_DELAYS) {
    const row = TIMER_TABLE[delay];
    if (row.record('') === type || row.record('preservationRenewed') === type) return delay;
  }
  return null;
}

const hours = (ms: number) => `${ms / HOUR_MS} h`;

/** "P1 1 h, P2 24 h, P3 72 h": the triage SLA by priority, read from the table. */
export const triageSlaSummary = (): string => (Object.keys(TRIAGE_SLA_MS) as Priority[]).map((p) => `${p} ${hours(TRIAGE_SLA_MS[p])}`).join(', ');

/** The triage SLA of one priority in words: "1 h". */
export const triageSlaText = (priority: Priority): string => hours(TRIAGE_SLA_MS[priority]);

/**
 * Whether the triage deadline's due time is kept from the trainee: in an assessment, before triage, its
 * length is the rule book's priority and would answer the triage question (DESIGN §10, invariant 14).
 */
export const hidesTriageDeadline = (mode: string | undefined, priorityAssigned: boolean, delay: string | null): boolean => mode === 'assessment' && !priorityAssigned && delay === 'triageSla';
