// Where a tip should go once its geolocation is assessed (DESIGN §7): the answer key's routing decision.
import { describeLocation, legalProcessCandidates, rankedDeterminingIndicators, type GeoAssessment } from '../assessment.js';
import type { Jurisdiction, JurisdictionRegistry } from '../reference/jurisdictions.js';
import type { Declined } from './context.js';

export type RouteChoice =
  | { kind: 'refer'; jurisdiction: Jurisdiction; reason: string }
  | { kind: 'legal-process'; reason: string }
  | { kind: 'informational'; reason: string };

export const isDeclined = (declined: readonly Declined[], jurisdictionId: string, indicatorsVersion: number): boolean =>
  declined.some((d) => d.jurisdictionId === jurisdictionId && d.indicatorsVersion === indicatorsVersion);

/**
 * Refer to the primary location's jurisdiction; after a decline, to the next determining indicator's
 * jurisdiction that has not declined on these indicators; without a determining indicator, legal process
 * when an indicator can still be attributed by it; otherwise informational.
 */
export function chooseRoute(assessment: GeoAssessment, registry: JurisdictionRegistry, declined: readonly Declined[], indicatorsVersion: number): RouteChoice {
  const ranked = rankedDeterminingIndicators(assessment);
  for (const indicator of ranked) {
    if (indicator.country === null) continue;
    const jurisdiction = registry.jurisdictionFor({ country: indicator.country, region: indicator.region, city: indicator.city });
    if (isDeclined(declined, jurisdiction.id, indicatorsVersion)) continue;
    const via = indicator.id === assessment.primaryId ? 'the primary location' : 'the next determining indicator after a decline';
    return {
      kind: 'refer',
      jurisdiction,
      // Built on demand: the auto driver asks for the choice at every tip, the reason only the log needs.
      get reason() {
        return `Refer to ${jurisdiction.id} (${jurisdiction.name}, channel ${jurisdiction.channel}): ${via} is ${describeLocation(indicator)}.`;
      },
    };
  }
  if (ranked.length > 0) {
    return { kind: 'informational', reason: 'Informational: every jurisdiction the determining indicators point to has declined, and no new indicator has arrived.' };
  }
  const candidates = legalProcessCandidates(assessment);
  if (candidates.length > 0) {
    return {
      kind: 'legal-process',
      get reason() {
        return `Legal process: no determining indicator, but ${candidates.map((c) => c.id).join(', ')} can be attributed by preservation and a subscriber request.`;
      },
    };
  }
  const anonymizedOnly = assessment.indicators.length > 0;
  return {
    kind: 'informational',
    reason: anonymizedOnly
      ? 'Informational: the only indicators are anonymized (proxy, VPN, Tor, open proxy) or without a location; nothing is actionable.'
      : 'Informational: the tip has no location indicator; nothing is actionable.',
  };
}
