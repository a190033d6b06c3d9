// The tip's facts as a trainee's screen shows them (the terminal's and the web's): metadata only, absent
// fields as null or empty lists so a page never guesses. The location indicators are indicator-rows.ts's.
import type { Tip } from './schema.js';

export interface TipFacts {
  id: string;
  source: Tip['source'];
  /** The reporting provider's (fictional) name; null for a public report. */
  reporter: string | null;
  receivedAt: string;
  incident: { type: string; dateTime: string | null; escalated: boolean; annotations: string[] };
  internetDetails: { kind: string; url: string | null }[];
  subjects: { id: string; screenName: string | null; email: string | null }[];
  /** Hashes and flags only, never content. */
  files: { id: string; sha256: string; classification: string | null; viewedByEsp: boolean | null; publiclyAvailable: boolean | null; annotations: string[] }[];
}

export function tipFactsOf(tip: Tip): TipFacts {
  const { incident } = tip;
  return {
    id: tip.id,
    source: tip.source,
    reporter: tip.reporter?.espName ?? null,
    receivedAt: tip.receivedAt,
    incident: { type: incident.type, dateTime: incident.dateTime ?? null, escalated: incident.escalateToHighPriority === true, annotations: [...(incident.annotations ?? [])] },
    internetDetails: (tip.internetDetails ?? []).map((d) => ({ kind: d.kind, url: d.url ?? null })),
    subjects: (tip.subjects ?? []).map((s) => ({ id: s.id, screenName: s.screenName ?? null, email: s.email ?? null })),
    files: (tip.files ?? []).map((f) => ({
      id: f.id,
      sha256: f.sha256,
      classification: f.industryClassification ?? null,
      viewedByEsp: f.viewedByEsp ?? null,
      publiclyAvailable: f.publiclyAvailable ?? null,
      annotations: [...(f.annotations ?? [])],
    })),
  };
}
