// What a client needs to build decision controls (issue 6: "allowed events with their parameters"; issue 7):
// caveat codes and their meanings, priorities and tracks, channels, the listed agencies, and the JSON Schema
// of each decision event; and what the pages write around them (issue 18, item 7): the analyst's words for
// every code, the triage deadlines, and example agency ids the registry accepts. The same for everyone,
// computed once.
import { z } from 'zod';
import { CAVEAT_CODES, CAVEAT_EFFECTS } from '../domain/caveats/codes.js';
import { decisionEventSchemas } from '../domain/events.js';
import { CHANNEL_TEXT, CHANNELS } from '../domain/reference/jurisdictions.js';
import type { Reference } from '../domain/reference/reference.js';
import { triageSlaSummary, triageSlaText } from '../domain/routing/timer-table.js';
import { US_REGION_CODES } from '../domain/tip/vocabulary.js';
import { PRIORITIES, TRACKS } from '../domain/triage.js';
import { PHASES } from '../engine/index.js';
import {
  ANNOTATION_WORDS,
  INCIDENT_TYPE_WORDS,
  INTERNET_KIND_WORDS,
  NETWORK_KIND_WORDS,
  OUTCOME_WORDS,
  PHASE_WORDS,
  PRIORITY_WORDS,
  SOURCE_WORDS,
  STATE_WORDS,
  TRACK_WORDS,
} from '../scenario/plain-words.js';
import type { AnalystWords, ClientReference } from '../api/contract.js';

export type { ClientReference };

/**
 * Countries offered as the INTERPOL example, in this order; the first the registry sends through INTERPOL
 * (not listed, not an EU member) is used. Brazil, Japan, Kenya, Mexico: far from every exercise's data.
 */
const INTERPOL_EXAMPLE_CANDIDATES = ['BR', 'JP', 'KE', 'MX'] as const;

/**
 * One derived agency id per template (a US state's task force, Europol for an EU member, INTERPOL for the
 * rest) that the registry resolves to that template's channel, is no listed agency, and names no place of
 * the geolocation data (so an example is never an exercise's answer).
 */
export function derivedIdExamples(reference: Reference): string[] {
  const registry = reference.jurisdictions;
  const { defaults } = registry.reference;
  const listed = new Set(registry.listed().map((j) => j.id));
  const geoCountries = new Set(reference.geo.entries.map((e) => e.country));
  const geoUsRegions = new Set(reference.geo.entries.filter((e) => e.country === 'US').map((e) => e.region));
  const accepted = (channel: string) => (id: string) => !listed.has(id) && registry.jurisdictionById(id)?.channel === channel;
  const first = (ids: string[], channel: string) => ids.find(accepted(channel));
  const examples = [
    first(US_REGION_CODES.filter((r) => !geoUsRegions.has(r)).map((r) => defaults.usStateNotListed.id.replace('<REGION>', r)), defaults.usStateNotListed.channel),
    first(defaults.euMembers.filter((c) => !geoCountries.has(c)).map((c) => defaults.euMemberWithoutDirect.id.replace('<COUNTRY>', c)), defaults.euMemberWithoutDirect.channel),
    first(INTERPOL_EXAMPLE_CANDIDATES.filter((c) => !geoCountries.has(c)).map((c) => defaults.otherCountry.id.replace('<COUNTRY>', c)), defaults.otherCountry.channel),
  ];
  return examples.filter((id): id is string => id !== undefined);
}

/** The one table of the analyst's words (src/scenario/plain-words.ts), as the pages read it. */
export const analystWords = (): AnalystWords => ({
  incidentTypes: { ...INCIDENT_TYPE_WORDS },
  annotations: { ...ANNOTATION_WORDS },
  internetKinds: { ...INTERNET_KIND_WORDS },
  networkKinds: { ...NETWORK_KIND_WORDS },
  sources: { ...SOURCE_WORDS },
  phases: { ...PHASE_WORDS },
  states: { ...STATE_WORDS },
  outcomes: { ...OUTCOME_WORDS },
  priorities: { ...PRIORITY_WORDS },
  tracks: { ...TRACK_WORDS },
});

export function clientReference(reference: Reference): ClientReference {
  return {
    phases: PHASES,
    priorities: PRIORITIES,
    tracks: TRACKS,
    caveats: CAVEAT_CODES.map((code) => {
      const e = CAVEAT_EFFECTS[code];
      return { code, meaning: e.meaning, tipLevel: e.tipLevel === true, networkOnly: e.networkOnly === true, anonymizes: e.anonymizes === true, blocksAttribution: e.blocksAttribution === true, cap: e.cap ?? null };
    }),
    channels: CHANNELS.map((id) => ({ id, text: CHANNEL_TEXT[id] })),
    jurisdictions: reference.jurisdictions.listed().map((j) => ({ id: j.id, name: j.name, country: j.country, region: j.region, channel: j.channel })),
    derivedIds: ['US-<state>-ICAC', 'EUROPOL-<country>', 'INTERPOL-<country>'],
    derivedIdExamples: derivedIdExamples(reference),
    words: analystWords(),
    triageSla: { byPriority: Object.fromEntries(PRIORITIES.map((p) => [p, triageSlaText(p)])), summary: triageSlaSummary() },
    events: Object.fromEntries(Object.entries(decisionEventSchemas).map(([type, schema]) => [type, z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })])),
  };
}
