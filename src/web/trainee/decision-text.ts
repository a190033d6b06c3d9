// A decision event the trainee sent, in words (announcements, undo).
const ROUTE_TEXT: Record<string, string> = { 'ROUTE.LEGAL_PROCESS': 'legal process requested', 'ROUTE.INFORMATIONAL': 'made informational', 'GEO.CONFIRM': 'geolocation confirmed' };

export function decisionEventText(event: { type: string; [key: string]: unknown }): string {
  switch (event.type) {
    case 'TRIAGE.ASSIGN':
      return `triage ${String(event.priority)}, ${String(event.track)} track`;
    case 'GEO.TAG':
      return `${String(event.caveat)} tagged on ${event.indicatorId === null ? 'the tip as a whole' : String(event.indicatorId)}`;
    case 'GEO.UNTAG':
      return `${String(event.caveat)} removed from ${event.indicatorId === null ? 'the tip as a whole' : String(event.indicatorId)}`;
    case 'ROUTE.REFER':
      return `referred to ${String(event.jurisdictionId)}`;
    default:
      return ROUTE_TEXT[event.type] ?? event.type;
  }
}
