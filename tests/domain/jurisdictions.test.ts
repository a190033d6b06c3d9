import { describe, expect, it } from 'vitest';
import type { Location } from '../../src/domain/reference/jurisdictions.js';
import { INCIDENT_TYPES } from '../../src/domain/tip/vocabulary.js';
import { reference } from './builders.js';

const registry = reference.jurisdictions;
const at = (country: string, region: string | null = null, city: string | null = null): Location => ({ country, region, city });

describe('jurisdictionFor: United States', () => {
  it('sends Houston, TX to its city task force rather than the state one', () => {
    expect(registry.jurisdictionFor(at('US', 'TX', 'Houston'))).toMatchObject({ id: 'US-TX-ICAC-HOU', country: 'US', region: 'TX', channel: 'icac' });
  });

  it('sends Dallas, TX to its city task force', () => {
    expect(registry.jurisdictionFor(at('US', 'TX', 'Dallas'))).toMatchObject({ id: 'US-TX-ICAC-DAL', channel: 'icac' });
  });

  it('sends an unlisted Texas city (Austin) to the state task force', () => {
    expect(registry.jurisdictionFor(at('US', 'TX', 'Austin'))).toMatchObject({ id: 'US-TX-ICAC', region: 'TX', channel: 'icac' });
  });

  it('sends Texas without a city to the state task force', () => {
    expect(registry.jurisdictionFor(at('US', 'TX'))).toMatchObject({ id: 'US-TX-ICAC' });
  });

  it('matches a listed city only within its own state', () => {
    expect(registry.jurisdictionFor(at('US', 'KS', 'Houston')).id).toBe('US-KS-ICAC');
  });

  it('sends a listed state (KS) to its task force', () => {
    expect(registry.jurisdictionFor(at('US', 'KS', 'Wichita'))).toMatchObject({ id: 'US-KS-ICAC', region: 'KS', channel: 'icac' });
  });

  it('derives US-<STATE>-ICAC for an unlisted state (OH)', () => {
    expect(registry.jurisdictionFor(at('US', 'OH', 'Columbus'))).toMatchObject({ id: 'US-OH-ICAC', country: 'US', region: 'OH', channel: 'icac' });
  });

  it.each([[null], ['']])('sends a US location without a state (%j) to US-FED on the federal channel', (region) => {
    expect(registry.jurisdictionFor(at('US', region, 'Houston'))).toMatchObject({ id: 'US-FED', country: 'US', region: null, channel: 'federal' });
  });
});

describe('jurisdictionFor: other countries', () => {
  it.each([
    ['GB', 'GB-NAT', 'direct'],
    ['FR', 'FR-NAT', 'direct'],
    ['DE', 'DE-NAT', 'europol'],
    ['PH', 'PH-NAT', 'attache'],
  ])('sends listed country %s to %s on the %s channel', (country, id, channel) => {
    expect(registry.jurisdictionFor(at(country, 'X1', 'Somewhere'))).toMatchObject({ id, country, region: null, channel });
  });

  it('sends an unlisted EU member (ES) to EUROPOL-ES on the europol channel', () => {
    expect(registry.jurisdictionFor(at('ES', 'M', 'Madrid'))).toMatchObject({ id: 'EUROPOL-ES', country: 'ES', region: null, channel: 'europol' });
  });

  it('sends any other country (BR) to INTERPOL-BR on the interpol channel', () => {
    expect(registry.jurisdictionFor(at('BR'))).toMatchObject({ id: 'INTERPOL-BR', country: 'BR', region: null, channel: 'interpol' });
  });
});

describe('jurisdictionById', () => {
  it.each([['US-TX-ICAC-HOU'], ['US-TX-ICAC'], ['US-KS-ICAC'], ['US-FED'], ['GB-NAT'], ['DE-NAT'], ['PH-NAT']])('round-trips the listed id %s', (id) => {
    expect(registry.jurisdictionById(id)?.id).toBe(id);
  });

  it.each([
    ['US-OH-ICAC', at('US', 'OH')],
    ['EUROPOL-ES', at('ES')],
    ['INTERPOL-BR', at('BR')],
  ])('round-trips the derived id %s to the same agency jurisdictionFor gives', (id, location) => {
    expect(registry.jurisdictionById(id)).toEqual(registry.jurisdictionFor(location));
  });

  it('gives every listed agency back by its id', () => {
    for (const agency of registry.listed()) expect(registry.jurisdictionById(agency.id)).toEqual(agency);
  });

  it.each([
    ['US-XX1-ICAC', 'not a two-letter state'],
    ['US-ZZ-ICAC', 'ZZ is not a US state'],
    ['EUROPOL-BR', 'BR is not an EU member'],
    ['INTERPOL-FR', 'FR is listed (FR-NAT)'],
    ['EUROPOL-DE', 'DE is listed (DE-NAT)'],
    ['US-TX', 'no such pattern'],
    ['', 'empty'],
  ])('returns null for %j (%s)', (id) => {
    expect(registry.jurisdictionById(id)).toBeNull();
  });
});

describe('notifyFor: US-FED is notified for trafficking and sex tourism in the US', () => {
  const houston = registry.jurisdictionFor(at('US', 'TX', 'Houston'));
  const ohio = registry.jurisdictionFor(at('US', 'OH'));
  const federal = registry.jurisdictionFor(at('US'));
  const london = registry.jurisdictionFor(at('GB', 'LND', 'London'));

  it.each([['child-sex-trafficking' as const], ['child-sex-tourism' as const]])('notifies US-FED for %s referred to a US task force', (type) => {
    expect(registry.notifyFor(houston, type)).toEqual(['US-FED']);
    expect(registry.notifyFor(ohio, type)).toEqual(['US-FED']);
  });

  it('notifies nobody for the other incident types in the US', () => {
    for (const type of INCIDENT_TYPES.filter((t) => t !== 'child-sex-trafficking' && t !== 'child-sex-tourism')) {
      expect(registry.notifyFor(houston, type), type).toEqual([]);
    }
  });

  it('never notifies US-FED when the jurisdiction is US-FED itself', () => {
    expect(registry.notifyFor(federal, 'child-sex-trafficking')).toEqual([]);
    expect(registry.notifyFor(federal, 'child-sex-tourism')).toEqual([]);
  });

  it('never notifies US-FED for a jurisdiction outside the US', () => {
    expect(registry.notifyFor(london, 'child-sex-trafficking')).toEqual([]);
    expect(registry.notifyFor(registry.jurisdictionFor(at('BR')), 'child-sex-tourism')).toEqual([]);
  });
});
