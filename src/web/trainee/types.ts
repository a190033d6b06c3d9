// Shapes the trainee pages read from the classroom API beyond src/web/api-types.ts: the reference for the
// decision controls and the answers of the practice tools. The tip's facts and indicator rows are the
// view's own (SessionView.facts, SessionView.indicators).
import type { ClientReference } from '../../api/contract.js';
import type { AuditRecord, SessionView } from '../api-types.js';

export type { ClientReference };

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
