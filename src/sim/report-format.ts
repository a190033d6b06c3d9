// Number formats shared by the text table and the HTML report.
export const int = (n: number): string => Math.round(n).toLocaleString('en-US');
export const pct = (share: number): string => `${(share * 100).toFixed(share > 0 && share < 0.001 ? 3 : share < 0.1 ? 2 : 1)} %`;

/** Minutes as the unit that reads best: 45 s, 12 min, 3.4 h, 2.1 d. */
export function duration(minutes: number | null): string {
  if (minutes === null) return '-';
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  if (minutes < 120) return `${minutes.toFixed(minutes < 10 ? 1 : 0)} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} d`;
}

export const OUTCOME_LABELS = { referred: 'referred', 'legal-process': 'legal process', informational: 'informational', bundled: 'bundled', rejected: 'rejected' } as const;
