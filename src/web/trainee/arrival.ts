// Where focus goes on the next session page: set before an undo moves to the new session, so focus lands
// on the decision there instead of the page heading.
export const arrival = { focusDecision: false };
