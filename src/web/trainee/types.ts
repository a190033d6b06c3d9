// Shapes the trainee pages read from the classroom API beyond src/web/api-types.ts: the reference for the
// decision controls, the assessed indicators as the view sends them, and the tip's contentless facts.
import type { ClientReference } from '../../api/contract.js';
import type { AuditRecord, IndicatorResult, SessionView } from '../api-types.js';

export type { ClientReference };

/** An indicator of view.assessment: the lookup (ip, isp) as well as the rule book's caveats. */
export interface AssessedIndicator extends IndicatorResult {
  ip?: string | null;
  isp?: string | null;
  /** How long the ISP keeps records; sent by later servers only (see the trainee README note). */
  retentionDays?: number | null;
}

export type Assessment = { confidence: string; caveats: string[]; indicators: AssessedIndicator[] };

/** The tip's contentless facts (DESIGN §3): metadata only. */
export interface TipFacts {
  id: string;
  source: 'esp' | 'public';
  receivedAt: string;
  reporter?: { espName?: string };
  incident: { type: string; escalateToHighPriority?: boolean; annotations?: string[]; dateTime?: string };
  internetDetails?: { kind: string; url?: string }[];
  subjects?: {
    id: string;
    screenName?: string;
    email?: string;
    ipEvents?: { ip: string; port?: number; event?: string; dateTime?: string; possibleProxy?: boolean }[];
    estimatedLocation?: { countryCode: string; region?: string; city?: string; verified?: boolean };
  }[];
  files?: { annotations?: string[] }[];
  p2p?: { ip: string; network: string; allNetworks?: string[]; foiCount?: number; firstSeen?: string; lastSeen?: string; port?: number }[];
}

export const factsOf = (view: SessionView): TipFacts | null => view.facts as unknown as TipFacts | null;
export const assessmentOf = (view: SessionView): Assessment | null => view.assessment as Assessment | null;

export interface AdvanceReply {
  /** The records the wait appended, its own CLOCK.ADVANCE last. */
  fired: AuditRecord[];
  /** Where the wait ended, and why before its target (a message, a decision, the tip closed), or null. */
  stoppedAt: string;
  reason: 'message' | 'decision' | 'closed' | null;
  view: SessionView;
}
export interface UndoReply {
  undone: AuditRecord;
  view: SessionView;
}
export interface HintReply {
  hint: { point: string; occurrence: number; text: string };
}
