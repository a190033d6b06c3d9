// The jurisdiction registry: from a primary location (country, US state, city) to the agency that receives
// the referral and the channel it goes through (DESIGN §7). Channels are a training abstraction.
import { z } from 'zod';
import { INCIDENT_TYPES, isUsRegionCode, type IncidentType } from '../tip/vocabulary.js';

export const CHANNELS = ['icac', 'federal', 'direct', 'attache', 'europol', 'interpol'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What each channel means, in a line for trainees. */
export const CHANNEL_TEXT: Readonly<Record<Channel, string>> = {
  icac: 'US state ICAC task force',
  federal: 'US federal agency',
  direct: 'foreign agency, connected directly',
  attache: 'foreign agency, via a US attaché',
  europol: 'EU member state, via Europol',
  interpol: 'via INTERPOL',
};

const country = z.string().regex(/^[A-Z]{2}$/, { error: 'an ISO 3166-1 alpha-2 country code' });
const agencyId = z.string().regex(/^[A-Z0-9<>-]{2,40}$/, { error: 'an agency id in capitals, digits and hyphens' });

export const jurisdictionReferenceSchema = z.strictObject({
  defaults: z.strictObject({
    usWithoutState: z.strictObject({ id: agencyId, name: z.string(), channel: z.enum(CHANNELS) }),
    usStateNotListed: z.strictObject({ id: agencyId, name: z.string(), channel: z.enum(CHANNELS) }),
    euMemberWithoutDirect: z.strictObject({ id: agencyId, channel: z.enum(CHANNELS) }),
    otherCountry: z.strictObject({ id: agencyId, channel: z.enum(CHANNELS) }),
    euMembers: z.array(country),
    federalAlsoNotifiedFor: z.array(z.enum(INCIDENT_TYPES)),
  }),
  us: z.array(
    z.strictObject({
      id: agencyId,
      region: z.string().regex(/^[A-Z]{2}$/),
      name: z.string(),
      channel: z.enum(CHANNELS),
      cities: z.array(z.string()).optional(),
    }),
  ),
  countries: z.array(z.strictObject({ id: agencyId, country, name: z.string(), channel: z.enum(CHANNELS), eu: z.boolean() })),
});
export type JurisdictionReference = z.infer<typeof jurisdictionReferenceSchema>;

export interface Jurisdiction {
  id: string;
  name: string;
  country: string;
  /** US state for US agencies below the federal level; null otherwise. */
  region: string | null;
  channel: Channel;
}

export interface Location {
  country: string;
  region: string | null;
  city: string | null;
}

const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/<([A-Z]+)>/g, (whole, key: string) => values[key] ?? whole);


export interface JurisdictionRegistry {
  readonly reference: JurisdictionReference;
  /** Where a tip whose primary location is `location` is referred. */
  jurisdictionFor(location: Location): Jurisdiction;
  /** The agency an id names (listed, or derived like US-OH-ICAC, EUROPOL-ES, INTERPOL-BR), or null. */
  jurisdictionById(id: string): Jurisdiction | null;
  /** Agencies notified besides the jurisdiction (US-FED for trafficking and sex tourism in the US). */
  notifyFor(jurisdiction: Jurisdiction, incidentType: IncidentType): string[];
  /** Every listed agency, for pick lists. */
  listed(): Jurisdiction[];
}

export function createJurisdictionRegistry(reference: JurisdictionReference): JurisdictionRegistry {
  const { defaults } = reference;
  const federal: Jurisdiction = { id: defaults.usWithoutState.id, name: defaults.usWithoutState.name, country: 'US', region: null, channel: defaults.usWithoutState.channel };
  const usEntries = reference.us.map((e) => ({ ...e, cityKeys: (e.cities ?? []).map((c) => c.toLowerCase()), jurisdiction: { id: e.id, name: e.name, country: 'US', region: e.region, channel: e.channel } satisfies Jurisdiction }));
  const countryEntries = reference.countries.map((e) => ({ ...e, jurisdiction: { id: e.id, name: e.name, country: e.country, region: null, channel: e.channel } satisfies Jurisdiction }));
  const euMembers = new Set(defaults.euMembers);

  // The registry never changes, so each state's and country's agency is worked out once (the simulator asks
  // for one at every tip); listed agencies were always shared objects, derived ones now are too.
  const byState = new Map<string, Jurisdiction>();
  const byCountry = new Map<string, Jurisdiction>();
  const usState = (region: string): Jurisdiction => {
    const known = byState.get(region);
    if (known !== undefined) return known;
    const listed = usEntries.find((e) => e.region === region && e.cities === undefined);
    const jurisdiction = listed?.jurisdiction ?? {
      id: fill(defaults.usStateNotListed.id, { REGION: region }),
      name: fill(defaults.usStateNotListed.name, { REGION: region }),
      country: 'US',
      region,
      channel: defaults.usStateNotListed.channel,
    };
    if (byState.size < 1_000) byState.set(region, jurisdiction);
    return jurisdiction;
  };
  const derivedNational = (code: string): Jurisdiction => {
    const listed = countryEntries.find((e) => e.country === code);
    if (listed !== undefined) return listed.jurisdiction;
    if (euMembers.has(code)) {
      const id = fill(defaults.euMemberWithoutDirect.id, { COUNTRY: code });
      return { id, name: `Europol for ${code}`, country: code, region: null, channel: defaults.euMemberWithoutDirect.channel };
    }
    const id = fill(defaults.otherCountry.id, { COUNTRY: code });
    return { id, name: `INTERPOL National Central Bureau ${code}`, country: code, region: null, channel: defaults.otherCountry.channel };
  };
  const national = (code: string): Jurisdiction => {
    let jurisdiction = byCountry.get(code);
    if (jurisdiction === undefined) {
      jurisdiction = derivedNational(code);
      if (byCountry.size < 1_000) byCountry.set(code, jurisdiction);
    }
    return jurisdiction;
  };

  const templatePattern = (template: string, key: string, part: string) =>
    new RegExp(`^${template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(`<${key}>`, `(${part})`)}$`);
  const stateIdPattern = templatePattern(defaults.usStateNotListed.id, 'REGION', '[A-Z]{2}');
  const europolPattern = templatePattern(defaults.euMemberWithoutDirect.id, 'COUNTRY', '[A-Z]{2}');
  const interpolPattern = templatePattern(defaults.otherCountry.id, 'COUNTRY', '[A-Z]{2}');

  return {
    reference,
    jurisdictionFor(location) {
      if (location.country !== 'US') return national(location.country);
      if (location.region === null || location.region === '') return federal;
      const region = location.region;
      const city = location.city;
      if (city !== null && city !== '') {
        const key = city.toLowerCase();
        const byCity = usEntries.find((e) => e.region === region && e.cityKeys.includes(key));
        if (byCity !== undefined) return byCity.jurisdiction;
      }
      return usState(region);
    },
    jurisdictionById(id) {
      if (id === federal.id) return federal;
      const listed = [...usEntries, ...countryEntries].find((e) => e.id === id);
      if (listed !== undefined) return listed.jurisdiction;
      const state = stateIdPattern.exec(id)?.[1];
      // Only a real state (ISO 3166-2:US) has a task force: US-ZZ-ICAC names nobody.
      if (state !== undefined && isUsRegionCode(state)) {
        const derived = usState(state);
        return derived.id === id ? derived : null;
      }
      for (const pattern of [europolPattern, interpolPattern]) {
        const code = pattern.exec(id)?.[1];
        if (code !== undefined) {
          const derived = national(code);
          return derived.id === id ? derived : null;
        }
      }
      return null;
    },
    notifyFor(jurisdiction, incidentType) {
      if (jurisdiction.country !== 'US' || jurisdiction.id === federal.id) return [];
      return defaults.federalAlsoNotifiedFor.includes(incidentType) ? [federal.id] : [];
    },
    listed() {
      return [...usEntries.map((e) => e.jurisdiction), federal, ...countryEntries.map((e) => e.jurisdiction)];
    },
  };
}
