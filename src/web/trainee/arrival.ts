// Where focus goes on the next session page: set before an undo moves to the new session, so focus lands
// on the decision there instead of the page heading.
export const arrival: { focusDecision: boolean; replacedFrom: string | null } = { focusDecision: false, replacedFrom: null };

/**
 * Moves to the session that replaced `from` by an undo (taken in another tab, say), so the next page says
 * why it moved.
 */
export function moveToReplacement(from: string, to: string, go: (...parts: string[]) => void): void {
  arrival.replacedFrom = from;
  go('session', to);
}
