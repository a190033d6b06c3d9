// The indicator rows and tip facts a trainee's screen shows (the web's and the terminal's): the rule book's
// order and ids, the caveat codes offered by kind of indicator, the lookup only once there is one, and
// never anything the rule book decided (the caveats it would tag, a confidence).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caveatChoicesFor, TIP_CAVEAT_CHOICES } from '../../src/domain/caveats/choices.js';
import { CAVEAT_CODES, CAVEAT_EFFECTS } from '../../src/domain/caveats/codes.js';
import { indicatorRowsOf } from '../../src/domain/indicator-rows.js';
import { indicatorsOf } from '../../src/domain/indicators.js';
import { tipFactsOf } from '../../src/domain/tip/facts.js';
import { arbTip } from '../../src/scenario/arbitraries.js';
import { assess, IP, ipEvent, p2pRow, subject, tipWith } from './builders.js';

const networkOnly = CAVEAT_CODES.filter((code) => CAVEAT_EFFECTS[code].networkOnly === true);

const twoSubjects = tipWith({
  subjects: [
    subject('S1', [ipEvent(IP.houston), ipEvent(IP.pennsylvaniaMobile, { port: undefined, event: 'Login' })], { countryCode: 'US', region: 'TX', city: 'Houston' }),
    subject('S2', [ipEvent(IP.netherlandsVpn, { dateTime: undefined, possibleProxy: true })], { countryCode: 'FR', verified: true }),
  ],
  p2p: [p2pRow(IP.ashburnHosting, { allNetworks: ['B', 'E'], foiCount: 3, firstSeen: '2019-05-01' })],
});

describe('indicator rows', () => {
  it("lists the indicators in indicatorsOf's order, with its ids: every IP event, then P2P, then the reported locations", () => {
    const rows = indicatorRowsOf(twoSubjects, null);
    expect(rows.map((r) => r.id)).toEqual(indicatorsOf(twoSubjects).map((i) => i.id));
    expect(rows.map((r) => r.id)).toEqual([
      'subjects[0].ipEvents[0]',
      'subjects[0].ipEvents[1]',
      'subjects[1].ipEvents[0]',
      'p2p[0]',
      'subjects[0].estimatedLocation',
      'subjects[1].estimatedLocation',
    ]);
  });

  it('keeps that order for any tip, before and after the lookup', () => {
    fc.assert(
      fc.property(arbTip, (tip) => {
        const ids = indicatorsOf(tip).map((i) => i.id);
        expect(indicatorRowsOf(tip, null).map((r) => r.id)).toEqual(ids);
        expect(indicatorRowsOf(tip, assess(tip)).map((r) => r.id)).toEqual(ids);
      }),
      { numRuns: 100 },
    );
  });

  it('shows the report\'s facts of each IP event and reported location', () => {
    const rows = indicatorRowsOf(twoSubjects, null);
    expect(rows[1]).toMatchObject({ source: 'ipEvent', subjectId: 'S1', ip: IP.pennsylvaniaMobile, port: null, event: 'Login', possibleProxy: false, p2p: null, reported: null, geo: null });
    expect(rows[2]).toMatchObject({ subjectId: 'S2', time: null, possibleProxy: true });
    expect(rows[4]).toMatchObject({ source: 'estimatedLocation', subjectId: 'S1', ip: null, reported: { country: 'US', region: 'TX', city: 'Houston', verified: false }, geo: null });
    expect(rows[5]?.reported).toEqual({ country: 'FR', region: null, city: null, verified: true });
  });

  it('gives a P2P row its own facts and, once geolocated, the lookup and its age at the routing time', () => {
    const before = indicatorRowsOf(twoSubjects, null).find((r) => r.id === 'p2p[0]');
    expect(before).toMatchObject({ source: 'p2p', subjectId: null, ip: IP.ashburnHosting, port: 6881, time: '2019-05-30', event: null, geo: null });
    expect(before?.p2p).toEqual({ network: 'BitTorrent', allNetworks: ['B', 'E'], foiCount: 3, firstSeen: '2019-05-01' });
    const after = indicatorRowsOf(twoSubjects, assess(twoSubjects, '2019-06-09T12:00:00Z')).find((r) => r.id === 'p2p[0]');
    expect(after?.geo).toEqual({ isp: expect.any(String), kind: 'hosting', country: 'US', region: 'VA', city: 'Ashburn', retentionDays: 30, ageDays: 10 });
  });

  it('gives a network row the lookup, with no age without a time, and a reported location none', () => {
    const rows = indicatorRowsOf(twoSubjects, assess(twoSubjects));
    expect(rows[0]?.geo).toMatchObject({ kind: 'residential', city: 'Houston', retentionDays: 180, ageDays: 1 });
    expect(rows[2]?.geo).toMatchObject({ kind: 'vpn', country: 'NL', ageDays: null });
    expect(rows[4]?.geo).toBeNull();
  });

  it('never offers a reported location a network-only code; a network row gets every indicator-level code; tip-level codes only for the tip', () => {
    const rows = indicatorRowsOf(twoSubjects, null);
    const indicatorLevel = CAVEAT_CODES.filter((code) => CAVEAT_EFFECTS[code].tipLevel !== true);
    for (const row of rows) {
      if (row.source === 'estimatedLocation') {
        for (const code of networkOnly) expect(row.caveatChoices).not.toContain(code);
        expect(row.caveatChoices).toEqual(['COUNTRY_ONLY', 'REGION_ONLY', 'USER_PROVIDED_ONLY']);
      } else {
        expect(row.caveatChoices).toEqual(indicatorLevel);
      }
      for (const code of TIP_CAVEAT_CHOICES) expect(row.caveatChoices).not.toContain(code);
    }
    expect(TIP_CAVEAT_CHOICES).toEqual(['CONFLICTING_INDICATORS']);
  });

  it("tells nothing the rule book decides: the choices follow from the kind alone, and no row holds a caveat or confidence of the assessment", () => {
    fc.assert(
      fc.property(arbTip, (tip) => {
        const assessment = assess(tip);
        for (const row of indicatorRowsOf(tip, assessment)) {
          expect(row.caveatChoices).toEqual(caveatChoicesFor(row.source));
          expect(Object.keys(row).sort()).toEqual(['caveatChoices', 'event', 'geo', 'id', 'ip', 'p2p', 'port', 'possibleProxy', 'reported', 'source', 'subjectId', 'time']);
          if (row.geo !== null) expect(Object.keys(row.geo).sort()).toEqual(['ageDays', 'city', 'country', 'isp', 'kind', 'region', 'retentionDays']);
          expect(JSON.stringify(row)).not.toMatch(/confidence|determining|eligible|anonymized/i);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('tip facts', () => {
  it('shows the few fields the pages show, absent ones as null or empty', () => {
    expect(tipFactsOf(twoSubjects)).toEqual({
      id: 'TIP-TEST',
      source: 'public',
      reporter: null,
      receivedAt: twoSubjects.receivedAt,
      incident: { type: 'child-pornography-possession', dateTime: null, escalated: false, annotations: [] },
      internetDetails: [],
      subjects: [
        { id: 'S1', screenName: null, email: null },
        { id: 'S2', screenName: null, email: null },
      ],
      files: [],
    });
  });
});
