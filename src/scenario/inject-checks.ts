// Checks of the injects that answer what the trainee did (DESIGN §10): an agency's answer must not name an
// agency the trainee may not have chosen (that would tell them the answer, or answer for the wrong agency),
// a variant's agencies must exist, and a decline must say why.
import type { JurisdictionRegistry } from '../domain/reference/jurisdictions.js';
import type { JsonPath } from './source-map.js';
import type { AgencyCondition, Exercise } from './format.js';

export type InjectReport = (path: JsonPath, severity: 'error' | 'warning', message: string) => void;

const AGENCY_KINDS: ReadonlySet<string> = new Set(['agency-acknowledge', 'agency-decline']);

export function checkAgencyInjects(exercise: Exercise, registry: JurisdictionRegistry, report: InjectReport): void {
  // The registry's listed agencies, and any other the exercise names (derived ids such as US-OH-ICAC).
  const named = [
    ...exercise.expectedActions.flatMap((a) => (a.point === 'route' && a.jurisdictionId !== undefined ? [a.jurisdictionId] : [])),
    ...(exercise.injects ?? []).flatMap((i) => [...(i.if?.jurisdiction ?? []), ...(i.variants ?? []).flatMap((v) => v.if.jurisdiction ?? [])]),
  ];
  const agencies = new Map(registry.listed().map((a) => [a.id, a]));
  for (const id of named) {
    const agency = registry.jurisdictionById(id);
    if (agency !== null) agencies.set(agency.id, agency);
  }
  (exercise.injects ?? []).forEach((inject, index) => {
    const conditions: { path: JsonPath; condition: AgencyCondition | undefined; message: string; kind: string; reason: string | undefined }[] = [
      { path: ['injects', index, 'message'], condition: inject.if, message: inject.message, kind: inject.kind, reason: 'reason' in inject ? inject.reason : undefined },
      ...(inject.variants ?? []).map((v, i) => ({ path: ['injects', index, 'variants', i, 'message'] as JsonPath, condition: v.if, message: v.message, kind: v.kind ?? inject.kind, reason: v.reason ?? ('reason' in inject ? inject.reason : undefined) })),
    ];
    for (const [i, { condition }] of conditions.entries()) {
      for (const [j, id] of (condition?.jurisdiction ?? []).entries()) {
        if (registry.jurisdictionById(id) === null) report(['injects', index, ...(i === 0 ? [] : ['variants', i - 1]), 'if', 'jurisdiction', j], 'error', `no agency ${id} in the registry`);
      }
    }
    for (const entry of conditions) {
      if (entry.kind === 'agency-decline' && entry.reason === undefined) report(entry.path.slice(0, -1), 'error', `a decline needs a reason (the agency's words, kept with the tip)`);
      if ((inject.variants ?? []).some((v) => v.kind !== undefined) && !AGENCY_KINDS.has(inject.kind)) {
        report(['injects', index, 'kind'], 'error', `only an agency's answer (agency-acknowledge, agency-decline) can have variants of another kind`);
        break;
      }
    }
    if (!AGENCY_KINDS.has(inject.kind) && inject.variants === undefined) return;
    for (const { path, condition, message } of conditions) {
      for (const agency of agencies.values()) {
        if (!message.includes(agency.name)) continue;
        // Only a condition naming that one agency keeps the text from a trainee who chose another.
        const restricted = condition?.channel === undefined && condition?.jurisdiction?.length === 1 && condition.jurisdiction[0] === agency.id;
        if (!restricted) {
          report(path, 'warning', `this answer names ${agency.name} (${agency.id}) but may reach a trainee who referred elsewhere: say {agency}, or put it in a variant with if: { jurisdiction: [${agency.id}] }`);
        }
      }
    }
  });
}
