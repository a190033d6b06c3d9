import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CAVEAT_CODES, CAVEAT_EFFECTS, sortedCaveats, type CaveatCode } from '../../src/domain/caveats/codes.js';
import { assess, EVENT_TIME, geoDatabase, indicator, IP, ipEvent, p2pRow, subject, tipWith, tipWithEvents } from './builders.js';

const EVENT = 'subjects[0].ipEvents[0]';
const SECOND_EVENT = 'subjects[0].ipEvents[1]';
const LOCATION = 'subjects[0].estimatedLocation';

/** Assesses a tip with the given IP events in one subject and returns the first event's indicator. */
const oneEvent = (...args: Parameters<typeof ipEvent>) => indicator(assess(tipWithEvents([ipEvent(...args)])), EVENT);

describe('caveats: anonymizers never decide', () => {
  it('tags ESP_FLAGGED_PROXY and anonymizes even a residential city-level address', () => {
    const i = oneEvent(IP.houston, { possibleProxy: true });
    expect(i.kind).toBe('residential');
    expect(i.caveats).toEqual(['ESP_FLAGGED_PROXY']);
    expect(i).toMatchObject({ anonymized: true, confidence: 'none', eligible: false, determining: false });
  });

  it('does not tag ESP_FLAGGED_PROXY when possibleProxy is false', () => {
    expect(oneEvent(IP.houston, { possibleProxy: false }).caveats).toEqual([]);
  });

  it('tags VPN and gives confidence none even when the VPN entry has a city', () => {
    const i = oneEvent(IP.parisVpn);
    expect(i.city).toBe('Paris');
    expect(i.caveats).toEqual(['VPN']);
    expect(i).toMatchObject({ anonymized: true, confidence: 'none', determining: false });
  });

  it('tags TOR_EXIT and anonymizes the indicator', () => {
    const i = oneEvent(IP.germanyTor);
    expect(i.caveats).toContain('TOR_EXIT');
    expect(i).toMatchObject({ anonymized: true, confidence: 'none', determining: false });
  });

  it('tags OPEN_PROXY and anonymizes the indicator', () => {
    const i = oneEvent(IP.russiaOpenProxy);
    expect(i.caveats).toContain('OPEN_PROXY');
    expect(i).toMatchObject({ anonymized: true, confidence: 'none', determining: false });
  });

  it('tags a P2P observation on a VPN as VPN (anonymizer kinds apply to P2P too)', () => {
    const i = indicator(assess(tipWith({ p2p: [p2pRow(IP.parisVpn)] })), 'p2p[0]');
    expect(i.caveats).toEqual(['VPN']);
    expect(i).toMatchObject({ anonymized: true, confidence: 'none', determining: false });
  });

  it('never lets an anonymized indicator decide: the tip has no primary and confidence none', () => {
    const a = assess(tipWithEvents([ipEvent(IP.parisVpn), ipEvent(IP.germanyTor), ipEvent(IP.houston, { possibleProxy: true })]));
    expect(a.indicators.some((i) => i.determining)).toBe(false);
    expect(a.primaryId).toBeNull();
    expect(a.confidence).toBe('none');
  });
});

describe('caveats: network kinds that cap confidence', () => {
  it('tags HOSTING_PROVIDER and caps a city-level hosting address at low', () => {
    const i = oneEvent(IP.ashburnHosting);
    expect(i.city).toBe('Ashburn');
    expect(i.caveats).toEqual(['HOSTING_PROVIDER']);
    expect(i).toMatchObject({ confidence: 'low', anonymized: false, determining: true });
  });

  it('tags MOBILE_IMPRECISE and caps a city-level mobile address at medium', () => {
    const geo = geoDatabase({ kind: 'mobile', city: 'Houston' });
    const i = indicator(assess(tipWithEvents([ipEvent('192.0.2.1')]), undefined, geo), EVENT);
    expect(i.caveats).toEqual(['MOBILE_IMPRECISE']);
    expect(i).toMatchObject({ confidence: 'medium', determining: true });
  });

  it('tags a mobile address with a port MOBILE_IMPRECISE (and REGION_ONLY) but not CGNAT_NO_PORT', () => {
    const i = oneEvent(IP.pennsylvaniaMobile, { port: 40000 });
    expect(i.caveats).toEqual(['MOBILE_IMPRECISE', 'REGION_ONLY']);
    expect(i).toMatchObject({ confidence: 'medium', attributionBlocked: false, determining: true });
  });
});

describe('caveats: attribution blocked', () => {
  it('tags CGNAT_NO_PORT on a mobile IP event without a port: blocked, confidence low, not determining', () => {
    const i = oneEvent(IP.pennsylvaniaMobile, { port: undefined });
    expect(i.caveats).toContain('CGNAT_NO_PORT');
    expect(i).toMatchObject({ attributionBlocked: true, anonymized: false, confidence: 'low', eligible: false, determining: false });
  });

  it('tags CGNAT_NO_PORT on a mobile P2P observation without a port', () => {
    const i = indicator(assess(tipWith({ p2p: [p2pRow(IP.pennsylvaniaMobile, { port: undefined })] })), 'p2p[0]');
    expect(i.caveats).toContain('CGNAT_NO_PORT');
    expect(i).toMatchObject({ attributionBlocked: true, determining: false });
  });

  it('does not tag CGNAT_NO_PORT on a non-mobile address without a port', () => {
    const i = oneEvent(IP.houston, { port: undefined });
    expect(i.caveats).toEqual([]);
    expect(i).toMatchObject({ attributionBlocked: false, confidence: 'high', determining: true });
  });

  it('tags MISSING_TIMESTAMP on an IP event without dateTime: blocked, confidence low, not determining', () => {
    const i = oneEvent(IP.houston, { dateTime: undefined });
    expect(i.caveats).toEqual(['MISSING_TIMESTAMP']);
    expect(i).toMatchObject({ attributionBlocked: true, confidence: 'low', eligible: false, determining: false });
  });

  it('tags MISSING_TIMESTAMP on a P2P observation without lastSeen, even with firstSeen', () => {
    const i = indicator(assess(tipWith({ p2p: [p2pRow(IP.houston, { lastSeen: undefined, firstSeen: '2019-05-01' })] })), 'p2p[0]');
    expect(i.caveats).toEqual(['MISSING_TIMESTAMP']);
    expect(i).toMatchObject({ attributionBlocked: true, confidence: 'low', determining: false });
  });

  it('never tags MISSING_TIMESTAMP on an estimated location (it has no event time)', () => {
    const i = indicator(assess(tipWithEvents([], { countryCode: 'US', region: 'TX', city: 'Houston', verified: true })), LOCATION);
    expect(i.caveats).not.toContain('MISSING_TIMESTAMP');
    expect(i.determining).toBe(true);
  });
});

describe('caveats: precision', () => {
  it('tags COUNTRY_ONLY and caps at low when the location has no region', () => {
    const i = indicator(assess(tipWithEvents([], { countryCode: 'FR', verified: true })), LOCATION);
    expect(i.caveats).toEqual(['COUNTRY_ONLY']);
    expect(i).toMatchObject({ confidence: 'low', determining: true });
  });

  it('tags COUNTRY_ONLY on a network indicator from a country-only geo entry', () => {
    const i = oneEvent(IP.franceHosting);
    expect(i.caveats).toEqual(['COUNTRY_ONLY', 'HOSTING_PROVIDER']);
    expect(i.confidence).toBe('low');
  });

  it('tags COUNTRY_ONLY on an anonymized indicator too', () => {
    expect(oneEvent(IP.netherlandsVpn).caveats).toEqual(['COUNTRY_ONLY', 'VPN']);
  });

  it('tags REGION_ONLY and caps at medium when the location has a region but no city', () => {
    const i = indicator(assess(tipWithEvents([], { countryCode: 'US', region: 'TX', verified: true })), LOCATION);
    expect(i.caveats).toEqual(['REGION_ONLY']);
    expect(i).toMatchObject({ confidence: 'medium', determining: true });
  });

  it('gives a city-level location high confidence and no precision caveat', () => {
    const i = oneEvent(IP.houston);
    expect(i.caveats).toEqual([]);
    expect(i.confidence).toBe('high');
  });
});

describe('caveats: STALE_IP_EVENT (Houston residential keeps records 180 days)', () => {
  const eventTime = '2019-01-01T00:00:00Z';
  const exactlyRetention = '2019-06-30T00:00:00.000Z'; // eventTime + 180 × 24 h
  const oneMsLater = '2019-06-30T00:00:00.001Z';
  const eventAt = (routingTime: string) => indicator(assess(tipWithEvents([ipEvent(IP.houston, { dateTime: eventTime })]), routingTime), EVENT);
  const p2pAt = (routingTime: string) => indicator(assess(tipWith({ p2p: [p2pRow(IP.houston, { lastSeen: '2019-01-01' })] }), routingTime), 'p2p[0]');

  it('does not tag an event exactly retentionDays × 24 h old', () => {
    expect(eventAt(exactlyRetention).caveats).not.toContain('STALE_IP_EVENT');
  });

  it('tags an event one millisecond older than retention, caps it at medium and keeps it determining', () => {
    const i = eventAt(oneMsLater);
    expect(i.caveats).toEqual(['STALE_IP_EVENT']);
    expect(i).toMatchObject({ confidence: 'medium', determining: true });
  });

  it('reads a date-only P2P lastSeen as 00:00:00Z: not stale at exactly the retention period', () => {
    expect(p2pAt(exactlyRetention).caveats).not.toContain('STALE_IP_EVENT');
  });

  it('reads a date-only P2P lastSeen as 00:00:00Z: stale one millisecond later', () => {
    const i = p2pAt(oneMsLater);
    expect(i.caveats).toEqual(['STALE_IP_EVENT']);
    expect(i.confidence).toBe('medium');
  });

  it('decides staleness from the routing time, not receivedAt', () => {
    const tip = tipWithEvents([ipEvent(IP.houston, { dateTime: eventTime })]);
    expect(indicator(assess(tip), EVENT).caveats).toEqual([]);
    expect(indicator(assess(tip, '2025-01-01T00:00:00Z'), EVENT).caveats).toEqual(['STALE_IP_EVENT']);
  });

  it('never tags STALE_IP_EVENT when the network keeps no records (retentionDays 0)', () => {
    const geo = geoDatabase({ retentionDays: 0 });
    const i = indicator(assess(tipWithEvents([ipEvent('192.0.2.1', { dateTime: '2000-01-01T00:00:00Z' })]), '2025-01-01T00:00:00Z', geo), EVENT);
    expect(i.caveats).toEqual([]);
    expect(i.confidence).toBe('high');
  });

  it('tags a short-retention network after a few days (Koeln keeps records 7 days)', () => {
    const tip = tipWithEvents([ipEvent('203.0.113.70', { dateTime: '2019-05-20T00:00:00Z' })]);
    expect(indicator(assess(tip), EVENT).caveats).toEqual(['STALE_IP_EVENT']);
  });
});

describe('caveats: NO_GEO_MATCH', () => {
  it.each([[IP.uncovered], ['2001:db8:ffff::1']])('tags %s, which no entry covers, with no location and confidence none', (ip) => {
    const i = oneEvent(ip);
    expect(i.caveats).toEqual(['NO_GEO_MATCH']);
    expect(i).toMatchObject({ country: null, region: null, city: null, kind: null, confidence: 'none', anonymized: false, determining: false });
  });
});

describe('caveats: USER_PROVIDED_ONLY', () => {
  const houstonUnverified = { countryCode: 'US', region: 'TX', city: 'Houston', verified: false } as const;

  it('tags an unverified estimated location that is determining and caps it at low', () => {
    const a = assess(tipWithEvents([], houstonUnverified));
    const i = indicator(a, LOCATION);
    expect(i.caveats).toEqual(['USER_PROVIDED_ONLY']);
    expect(i).toMatchObject({ confidence: 'low', determining: true });
    expect(a.caveats).toEqual(['USER_PROVIDED_ONLY']);
  });

  it('treats an estimated location without `verified` as unverified', () => {
    const i = indicator(assess(tipWithEvents([], { countryCode: 'US', region: 'TX', city: 'Houston' })), LOCATION);
    expect(i.caveats).toEqual(['USER_PROVIDED_ONLY']);
  });

  it('tags it when only anonymized indicators exist beside it (nothing better exists)', () => {
    const i = indicator(assess(tipWithEvents([ipEvent(IP.parisVpn)], houstonUnverified)), LOCATION);
    expect(i.caveats).toEqual(['USER_PROVIDED_ONLY']);
    expect(i.determining).toBe(true);
  });

  it('does not tag it when a network indicator decides', () => {
    const i = indicator(assess(tipWithEvents([ipEvent(IP.houston)], houstonUnverified)), LOCATION);
    expect(i.caveats).toEqual([]);
    expect(i).toMatchObject({ determining: false, confidence: 'high' });
  });

  it('does not tag it when a hosting indicator decides', () => {
    const i = indicator(assess(tipWithEvents([ipEvent(IP.ashburnHosting)], houstonUnverified)), LOCATION);
    expect(i.caveats).toEqual([]);
    expect(i.determining).toBe(false);
  });

  it('never tags a verified estimated location', () => {
    const i = indicator(assess(tipWithEvents([], { ...houstonUnverified, verified: true })), LOCATION);
    expect(i.caveats).toEqual([]);
    expect(i).toMatchObject({ confidence: 'high', determining: true });
  });
});

describe('caveats: CONFLICTING_INDICATORS', () => {
  it('flags determining indicators in different countries and caps the tip at low', () => {
    const a = assess(tipWithEvents([ipEvent(IP.houston), ipEvent(IP.london)]));
    expect(a.conflicting).toBe(true);
    expect(a.tipCaveats).toEqual(['CONFLICTING_INDICATORS']);
    expect(a.caveats).toContain('CONFLICTING_INDICATORS');
    expect(a.confidence).toBe('low');
  });

  it('keeps CONFLICTING_INDICATORS at tip level, off the indicators', () => {
    const a = assess(tipWithEvents([ipEvent(IP.houston), ipEvent(IP.london)]));
    for (const i of a.indicators) expect(i.caveats).not.toContain('CONFLICTING_INDICATORS');
  });

  it('flags two US states (TX and KS)', () => {
    const a = assess(tipWithEvents([ipEvent(IP.houston), ipEvent(IP.wichita)]));
    expect(a.tipCaveats).toEqual(['CONFLICTING_INDICATORS']);
    expect(a.confidence).toBe('low');
  });

  it('does not flag two cities in the same US state (Houston and Dallas)', () => {
    const a = assess(tipWithEvents([ipEvent(IP.houston), ipEvent(IP.dallasBusiness)]));
    expect(a.conflicting).toBe(false);
    expect(a.tipCaveats).toEqual([]);
    expect(a.confidence).toBe('high');
  });

  it('does not flag a US location without a state against a US state', () => {
    const a = assess(tipWithEvents([ipEvent(IP.houston)], { countryCode: 'US', verified: true }));
    expect(indicator(a, LOCATION).determining).toBe(true);
    expect(a.conflicting).toBe(false);
    expect(a.caveats).not.toContain('CONFLICTING_INDICATORS');
  });

  it('ignores disagreement with indicators that do not determine (an anonymized one, a lower class)', () => {
    const a = assess(tipWithEvents([ipEvent(IP.houston), ipEvent(IP.parisVpn), ipEvent(IP.franceHosting)], { countryCode: 'GB', verified: false }));
    expect(a.conflicting).toBe(false);
    expect(a.confidence).toBe('high');
  });
});

describe('assessment: which indicators determine', () => {
  it('lets a residential address outrank a hosting one', () => {
    const a = assess(tipWithEvents([ipEvent(IP.ashburnHosting), ipEvent(IP.houston)]));
    expect(indicator(a, EVENT).determining).toBe(false);
    expect(indicator(a, SECOND_EVENT).determining).toBe(true);
  });

  it('lets a hosting address outrank an unverified estimated location', () => {
    const a = assess(tipWithEvents([ipEvent(IP.ashburnHosting)], { countryCode: 'US', region: 'TX', city: 'Houston' }));
    expect(indicator(a, EVENT).determining).toBe(true);
    expect(indicator(a, LOCATION).determining).toBe(false);
  });

  it('puts a verified estimated location in class 1, beside network indicators', () => {
    const a = assess(tipWithEvents([ipEvent(IP.houston)], { countryCode: 'US', region: 'TX', city: 'Houston', verified: true }));
    expect(indicator(a, LOCATION)).toMatchObject({ evidenceClass: 1, determining: true });
    expect(indicator(a, EVENT)).toMatchObject({ evidenceClass: 1, determining: true });
  });

  it('lets a verified estimated location outrank a hosting address', () => {
    const a = assess(tipWithEvents([ipEvent(IP.ashburnHosting)], { countryCode: 'US', region: 'TX', city: 'Houston', verified: true }));
    expect(indicator(a, EVENT).determining).toBe(false);
    expect(indicator(a, LOCATION).determining).toBe(true);
  });

  it('falls back to hosting when the only class-1 indicator is attribution-blocked', () => {
    const a = assess(tipWithEvents([ipEvent(IP.houston, { dateTime: undefined }), ipEvent(IP.ashburnHosting)]));
    expect(indicator(a, EVENT).determining).toBe(false);
    expect(indicator(a, SECOND_EVENT).determining).toBe(true);
  });
});

describe('assessment: tip confidence and caveats', () => {
  it('sets tip confidence to the minimum over the determining indicators', () => {
    const a = assess(tipWithEvents([ipEvent(IP.houston)], { countryCode: 'US', region: 'TX', verified: true }));
    expect(indicator(a, EVENT).confidence).toBe('high');
    expect(indicator(a, LOCATION).confidence).toBe('medium');
    expect(a.confidence).toBe('medium');
  });

  it('ignores non-determining indicators when computing tip confidence', () => {
    const a = assess(tipWithEvents([ipEvent(IP.houston), ipEvent(IP.ashburnHosting), ipEvent(IP.houston, { dateTime: undefined })]));
    expect(a.confidence).toBe('high');
  });

  it('gives a tip without determining indicators confidence none', () => {
    expect(assess(tipWith({})).confidence).toBe('none');
    expect(assess(tipWithEvents([ipEvent(IP.uncovered)])).confidence).toBe('none');
  });

  it('collects the sorted union of the caveats of ALL indicators, determining or not', () => {
    const a = assess(
      tipWith({
        subjects: [subject('S1', [ipEvent(IP.parisVpn), ipEvent(IP.houston)]), subject('S2', [ipEvent(IP.uncovered), ipEvent(IP.ashburnHosting)])],
        p2p: [p2pRow(IP.pennsylvaniaMobile, { port: undefined })],
      }),
    );
    expect(a.caveats).toEqual(['CGNAT_NO_PORT', 'HOSTING_PROVIDER', 'MOBILE_IMPRECISE', 'NO_GEO_MATCH', 'REGION_ONLY', 'VPN']);
  });

  it('lists each caveat once and in code order', () => {
    const a = assess(tipWithEvents([ipEvent(IP.parisVpn), ipEvent(IP.germanyTor), ipEvent(IP.netherlandsVpn)]));
    expect(a.caveats).toEqual([...new Set(a.caveats)].sort());
    expect(a.caveats).toEqual(['COUNTRY_ONLY', 'TOR_EXIT', 'VPN']);
  });

  it('uses only the fixed caveat codes of DESIGN §5', () => {
    const a = assess(tipWithEvents([ipEvent(IP.parisVpn), ipEvent(IP.houston), ipEvent(IP.london)], { countryCode: 'US' }));
    for (const code of a.caveats) expect(CAVEAT_CODES).toContain(code);
  });
});

describe('assessment: the primary location', () => {
  it('picks the determining indicator with the highest confidence, whatever its time or position', () => {
    const a = assess(tipWithEvents([ipEvent(IP.pennsylvaniaMobile, { dateTime: '2019-05-31T00:00:00Z' }), ipEvent(IP.houston, { dateTime: '2019-05-01T00:00:00Z' })]));
    expect(a.primaryId).toBe(SECOND_EVENT);
  });

  it('still names a primary when indicators conflict', () => {
    const a = assess(tipWithEvents([ipEvent(IP.houston), ipEvent(IP.london, { dateTime: '2019-05-31T00:00:00Z' })]));
    expect(a.conflicting).toBe(true);
    expect(a.primaryId).toBe(SECOND_EVENT);
  });

  it('breaks a confidence tie by the most recent event time', () => {
    const a = assess(tipWithEvents([ipEvent(IP.houston, { dateTime: '2019-05-01T00:00:00Z' }), ipEvent(IP.dallasBusiness, { dateTime: '2019-05-20T00:00:00Z' })]));
    expect(a.primaryId).toBe(SECOND_EVENT);
  });

  it('lets a more recent P2P observation beat an earlier IP event', () => {
    const a = assess(tipWith({ subjects: [subject('S1', [ipEvent(IP.houston, { dateTime: '2019-05-01T00:00:00Z' })])], p2p: [p2pRow(IP.dallasBusiness, { lastSeen: '2019-05-20' })] }));
    expect(a.primaryId).toBe('p2p[0]');
  });

  it('ranks an estimated location (no time) after a timed indicator of equal confidence', () => {
    const a = assess(tipWithEvents([ipEvent(IP.houston)], { countryCode: 'US', region: 'TX', city: 'Dallas', verified: true }));
    expect(a.primaryId).toBe(EVENT);
  });

  it('breaks a tie in confidence and time by document order', () => {
    const a = assess(tipWithEvents([ipEvent(IP.dallasBusiness, { dateTime: EVENT_TIME }), ipEvent(IP.houston, { dateTime: EVENT_TIME })]));
    expect(a.primaryId).toBe(EVENT);
  });

  it('orders IP events before P2P observations on a full tie', () => {
    const a = assess(tipWith({ subjects: [subject('S1', [ipEvent(IP.dallasBusiness, { dateTime: '2019-05-30T00:00:00Z' })])], p2p: [p2pRow(IP.houston, { lastSeen: '2019-05-30' })] }));
    expect(a.primaryId).toBe(EVENT);
  });

  it('has no primary when nothing determines', () => {
    expect(assess(tipWithEvents([ipEvent(IP.uncovered), ipEvent(IP.houston, { dateTime: undefined })])).primaryId).toBeNull();
  });
});

describe('caveats: network-only codes and reported locations', () => {
  it('never gives a reported location a code about an address, port or time (CAVEAT_EFFECTS.networkOnly)', () => {
    const networkOnly = CAVEAT_CODES.filter((code) => CAVEAT_EFFECTS[code].networkOnly === true);
    expect(networkOnly).toEqual(['ESP_FLAGGED_PROXY', 'VPN', 'TOR_EXIT', 'OPEN_PROXY', 'HOSTING_PROVIDER', 'MOBILE_IMPRECISE', 'CGNAT_NO_PORT', 'MISSING_TIMESTAMP', 'STALE_IP_EVENT', 'NO_GEO_MATCH']);
    // A reported location has no time and no geo entry: MISSING_TIMESTAMP and NO_GEO_MATCH would fire without the gate.
    for (const location of [{ countryCode: 'US', region: 'TX', city: 'Houston' }, { countryCode: 'FR' }, { countryCode: 'US', region: 'TX', verified: true }]) {
      const i = indicator(assess(tipWithEvents([ipEvent(IP.parisVpn, { dateTime: undefined })], location)), LOCATION);
      expect(i.caveats.filter((c) => networkOnly.includes(c))).toEqual([]);
    }
    // The same rules still apply to an address.
    expect(oneEvent(IP.uncovered, { dateTime: undefined }).caveats).toEqual(expect.arrayContaining(['MISSING_TIMESTAMP', 'NO_GEO_MATCH']));
  });
});

describe('sortedCaveats', () => {
  it('is the sorted, unique list of the codes, in any order and with repeats', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CAVEAT_CODES), { maxLength: 30 }), (codes) => {
        expect(sortedCaveats(codes)).toEqual([...new Set(codes)].sort());
      }),
    );
  });

  it('refuses a string that is no caveat code', () => {
    expect(() => sortedCaveats(['VPN', 'NOT_A_CODE' as CaveatCode])).toThrow(/NOT_A_CODE is not a caveat code/);
  });
});
