// Triage (DESIGN §6): priority and track. A training abstraction; NCMEC's real tiers are not public.
import type { Tip } from './tip/schema.js';
import type { IncidentType } from './tip/vocabulary.js';

export const PRIORITIES = ['P1', 'P2', 'P3'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const TRACKS = ['referral', 'informational'] as const;
export type Track = (typeof TRACKS)[number];

const P1_TYPES: readonly IncidentType[] = ['child-sex-trafficking', 'child-sexual-molestation'];
const P1_ANNOTATIONS = ['sextortion', 'sadisticOnlineExploitation'] as const;
const P2_TYPES: readonly IncidentType[] = ['online-enticement', 'child-pornography-manufacture', 'unsolicited-obscene-material-to-child', 'child-sex-tourism'];

export interface Decided<T> {
  value: T;
  reason: string;
}

export function priorityFor(tip: Tip): Decided<Priority> {
  const { incident } = tip;
  if (incident.escalateToHighPriority === true) return { value: 'P1', reason: 'Priority P1 (exigent): the reporter escalated the report to high priority.' };
  if (P1_TYPES.includes(incident.type)) return { value: 'P1', reason: `Priority P1 (exigent): incident type ${incident.type}.` };
  const annotation = P1_ANNOTATIONS.find((a) => incident.annotations?.includes(a));
  if (annotation !== undefined) return { value: 'P1', reason: `Priority P1 (exigent): the report is annotated ${annotation}.` };
  if (P2_TYPES.includes(incident.type)) return { value: 'P2', reason: `Priority P2: incident type ${incident.type}.` };
  return { value: 'P3', reason: `Priority P3: incident type ${incident.type}.` };
}

export const hasNetworkIndicators = (tip: Tip): boolean =>
  (tip.p2p ?? []).length > 0 || (tip.subjects ?? []).some((s) => (s.ipEvents ?? []).length > 0);

export function trackFor(tip: Tip): Decided<Track> {
  const files = tip.files ?? [];
  const allMemes = files.length > 0 && files.every((f) => (f.annotations ?? []).some((a) => a === 'potentialMeme' || a === 'viral'));
  if (allMemes && !hasNetworkIndicators(tip)) {
    return { value: 'informational', reason: 'Track informational: every file is annotated potentialMeme or viral and the tip has no IP event or P2P observation.' };
  }
  if (!allMemes) return { value: 'referral', reason: files.length === 0 ? 'Track referral: the tip has no files to class as memes.' : 'Track referral: not every file is a potential meme or viral.' };
  return { value: 'referral', reason: 'Track referral: the files are memes or viral, but the tip has IP or P2P indicators.' };
}

/** A viral file whose hash is already on an open tip: this report is bundled with that one. */
export function viralDuplicateOf(tip: Tip, openFileHashes: ReadonlySet<string>): string | null {
  const file = (tip.files ?? []).find((f) => (f.annotations ?? []).includes('viral') && openFileHashes.has(f.sha256.toLowerCase()));
  return file?.sha256.toLowerCase() ?? null;
}

export const priorityRank = (p: Priority): number => PRIORITIES.indexOf(p);
