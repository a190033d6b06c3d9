// The rules an assessment adds at the edge, before the engine (DESIGN §10, invariant 14): a trainee's
// refusal there must not name the decision's expected value. The rule book refuses to lower a P1 without a
// reason, so "this tip is P1" would answer the triage question for free; in an assessment every priority
// below P1 asks for a reason, whatever the tip, so being asked reveals nothing. Practice keeps the rule
// book's own message, which teaches.
import { z } from 'zod';

/** What the rule reads of an event; anything else passes. */
const triageShape = z.looseObject({ type: z.literal('TRIAGE.ASSIGN'), priority: z.string(), reason: z.string().optional() });

/** Why a trainee's event is refused in an assessment before the engine sees it, or null. */
export function assessmentEventProblem(event: unknown): string | null {
  const triage = triageShape.safeParse(event);
  if (!triage.success) return null;
  if (triage.data.priority !== 'P1' && (triage.data.reason ?? '').trim() === '') {
    return 'in an assessment every priority below P1 needs a reason: say why in a short line';
  }
  return null;
}
