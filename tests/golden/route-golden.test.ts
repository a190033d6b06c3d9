// Golden tests of `tipflow route --json` for every sample tip in fixtures/tips. Each expectation in
// tests/golden/expected/<name>.json was derived by hand from DESIGN.md (§5 caveats, §6 triage, §7 referral)
// and the reference data in fixtures/, not copied from the program's output: when the two disagree, the
// expectation is the contract. `reasons` are prose, so only their presence is checked; a jurisdiction
// `name` is compared only where the registry names the agency (its EUROPOL-/INTERPOL- defaults have none).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { routeTip } from '../../src/cli/commands/route.js';
import { CAVEAT_CODES } from '../../src/domain/caveats/codes.js';
import { Engine, type RouteResult } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { fixturePath } from '../../src/io/project-files.js';

const engine = new Engine(bundledReference());
const TIPS_DIR = fixturePath('tips');
const INVALID_DIR = fixturePath('tips', 'invalid');
const EXPECTED_DIR = fileURLToPath(new URL('./expected/', import.meta.url));

const jsonFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8')) as unknown;
const nameOf = (file: string): string => file.replace(/\.json$/, '');

/** What each sample tip teaches; the golden test of a tip carries its lesson as its title. */
const LESSONS: Record<string, string> = {
  'webmail-houston': 'refers the webmail report to the Houston task force',
  'p2p-residential-nancy': 'refers a residential BitTorrent peer in Nancy directly to France with high confidence',
  'p2p-hosting-country-only': 'refers a country-only hosting peer (FR,,) to France at low confidence when nothing better exists',
  'p2p-vpn-all-networks': 'closes a VPN exit seen on every P2P network as informational: it locates the VPN, not a person',
  'p2p-seed-table': 'lets the residential rows of the seed table decide while the hosting row only supports and the VPN row is excluded',
  'mobile-cgnat-no-port': 'sends a mobile login without a source port (CGNAT) to legal process',
  'mobile-ipv6-pennsylvania': 'refers an IPv6 mobile login with a port to the Pennsylvania state task force at medium confidence',
  'missing-timestamp-sacramento': 'sends an upload address without a timestamp to legal process',
  'proxy-flagged-oregon-user-location': 'ignores the ESP-flagged proxy and refers on the user-provided Oregon location to the default US-OR-ICAC',
  'tor-exit-sextortion-spain': 'keeps sextortion P1 and refers it via Europol to Spain on the user-provided location behind a Tor exit',
  'anonymizers-only': 'closes a report whose only addresses are an open proxy and a flagged VPN as informational',
  'no-geo-match': 'sends an address without a geolocation entry to legal process',
  'stale-event-koeln': 'still refers a Cologne event older than its retention to Germany, stale and at medium confidence',
  'hosting-supports-mobile-canada': 'refers on the Canadian mobile login; the Virginia hosting address only supports and causes no conflict',
  'conflicting-countries-london-sydney': 'flags London against Sydney as conflicting and refers to the most recent one, Australia, at low confidence',
  'trafficking-state-conflict-dallas': 'refers trafficking to the Dallas city task force, notifies US-FED and flags the Kansas conflict',
  'sex-tourism-houston-ipv6': 'refers child sex tourism from a Houston IPv6 address to the Houston task force and notifies US-FED',
  'federal-us-without-state': 'refers a verified US location without a state to the federal agency',
  'interpol-niamey': 'refers a Niamey residential address via INTERPOL to Niger',
  'escalated-attache-manila': 'makes an escalated possession report P1 and refers it via the US attaché to the Philippines',
  'informational-meme': 'closes a report of meme and viral files without IP or P2P data on the informational track',
  'meme-files-with-ip': 'keeps meme files with an upload address on the referral track and refers them to Italy via Europol',
  'sadistic-exploitation-la-plata': 'makes a sadistic online exploitation report P1 and refers it via the US attaché to Argentina',
};

const tipFiles = jsonFiles(TIPS_DIR);
const route = (file: string, at?: string): RouteResult => routeTip(engine, readJson(join(TIPS_DIR, file)), at);

/** The result as the golden file states it: without reasons, and without an agency name the registry does not give. */
function comparable(result: RouteResult, expected: Record<string, unknown>): Record<string, unknown> {
  const { reasons: _reasons, jurisdiction, ...rest } = result;
  const expectedJurisdiction = expected['jurisdiction'];
  if (jurisdiction === null || (typeof expectedJurisdiction === 'object' && expectedJurisdiction !== null && 'name' in expectedJurisdiction)) {
    return { ...rest, jurisdiction };
  }
  const { name: _name, ...unnamed } = jurisdiction;
  return { ...rest, jurisdiction: unnamed };
}

describe('golden routes of the sample tips', () => {
  it('has a hand-derived expectation and a lesson for every sample tip, and no stale expectation', () => {
    expect(tipFiles.map(nameOf)).toEqual(jsonFiles(EXPECTED_DIR).map(nameOf));
    expect(Object.keys(LESSONS).sort()).toEqual(tipFiles.map(nameOf));
    expect(tipFiles.length).toBeGreaterThanOrEqual(18);
  });

  it.each(tipFiles.map((file) => [LESSONS[nameOf(file)] ?? nameOf(file), file] as const))('%s', (_lesson, file) => {
    const result = route(file);
    const expected = readJson(join(EXPECTED_DIR, file)) as Record<string, unknown>;
    expect(comparable(result, expected)).toEqual(expected);
    if (result.jurisdiction !== null) expect(result.jurisdiction.name).toMatch(/\S/);
    expect(result.reasons.length).toBeGreaterThan(0);
    for (const reason of result.reasons) expect(reason).toMatch(/\S/);
  });

  it('gives every sample tip its own id', () => {
    const ids = tipFiles.map((file) => (readJson(join(TIPS_DIR, file)) as { id: string }).id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('coverage of the sample tips', () => {
  const results = tipFiles.map((file) => route(file));

  it('shows every caveat code of DESIGN §5 at least once', () => {
    const seen = new Set(results.flatMap((r) => r.caveats));
    expect([...CAVEAT_CODES].filter((code) => !seen.has(code))).toEqual([]);
    expect(CAVEAT_CODES).toHaveLength(14);
  });

  it('reaches every outcome a single routed tip can have except rejected (which the invalid tips show)', () => {
    expect(new Set(results.map((r) => r.outcome))).toEqual(new Set(['referred', 'legal-process', 'informational']));
  });

  it('reaches every channel, every priority and both tracks', () => {
    expect(new Set(results.map((r) => r.jurisdiction?.channel).filter((c) => c !== undefined))).toEqual(
      new Set(['icac', 'federal', 'direct', 'attache', 'europol', 'interpol']),
    );
    expect(new Set(results.map((r) => r.priority))).toEqual(new Set(['P1', 'P2', 'P3']));
    expect(new Set(results.map((r) => r.track))).toEqual(new Set(['referral', 'informational']));
  });

  it('reaches a city task force, a listed state, an unlisted state default and the EUROPOL and INTERPOL defaults', () => {
    const ids = new Set(results.map((r) => r.jurisdiction?.id));
    for (const id of ['US-TX-ICAC-HOU', 'US-TX-ICAC-DAL', 'US-PA-ICAC', 'US-OR-ICAC', 'US-FED', 'EUROPOL-ES', 'INTERPOL-NE']) expect(ids).toContain(id);
  });

  it('notifies US-FED for trafficking and sex tourism in the US', () => {
    expect(results.filter((r) => r.notify.includes('US-FED')).map((r) => r.tipId).sort()).toEqual(['TIP-0116', 'TIP-0117']);
  });

  it('includes an IPv6 indicator', () => {
    expect(results.some((r) => r.indicators.some((i) => i.ip?.includes(':') === true))).toBe(true);
  });
});

describe('routing time (--at) and STALE_IP_EVENT', () => {
  it('tags the Houston upload stale and lowers its confidence when routed a year after receipt', () => {
    const onReceipt = route('webmail-houston.json');
    const aYearLater = route('webmail-houston.json', '2020-06-01T10:00:00Z');

    expect(onReceipt.caveats).not.toContain('STALE_IP_EVENT');
    expect(onReceipt.confidence).toBe('high');
    expect(aYearLater.routedAt).toBe('2020-06-01T10:00:00.000Z');
    expect(aYearLater.caveats).toEqual(['STALE_IP_EVENT']);
    expect(aYearLater.indicators[0]).toMatchObject({ id: 'subjects[0].ipEvents[0]', caveats: ['STALE_IP_EVENT'], confidence: 'medium', determining: true });
    expect(aYearLater.confidence).toBe('medium');
    // A stale event still refers, with its caveat (DESIGN §7).
    expect(aYearLater.outcome).toBe('referred');
    expect(aYearLater.jurisdiction?.id).toBe('US-TX-ICAC-HOU');
  });

  it('counts a date-only lastSeen from midnight UTC: stale only past retentionDays × 24 h', () => {
    // Lorraine Telecom keeps records 365 days; lastSeen 2020-05-24 means 2020-05-24T00:00:00Z.
    const onTheDay = route('p2p-residential-nancy.json', '2021-05-24T00:00:00Z');
    const oneSecondLater = route('p2p-residential-nancy.json', '2021-05-24T00:00:01Z');
    expect(onTheDay.caveats).toEqual([]);
    expect(onTheDay.confidence).toBe('high');
    expect(oneSecondLater.caveats).toEqual(['STALE_IP_EVENT']);
    expect(oneSecondLater.confidence).toBe('medium');
  });

  it('finds the Cologne event fresh when routed within its 7-day retention', () => {
    const early = route('stale-event-koeln.json', '2021-02-10T00:00:00Z');
    expect(early.caveats).toEqual([]);
    expect(early.confidence).toBe('high');
    expect(early.jurisdiction?.id).toBe('DE-NAT');
  });

  it('never tags a network that keeps no records (retentionDays 0) stale', () => {
    const late = route('p2p-vpn-all-networks.json', '2030-01-01T00:00:00Z');
    expect(late.caveats).toEqual(['VPN']);
  });
});

describe('rejected sample tips (fixtures/tips/invalid)', () => {
  const cases: Record<string, { tipId: string; problem: RegExp }> = {
    'public-dns-ip.json': { tipId: 'TIP-0901', problem: /^subjects\[0\]\.ipEvents\[0\]\.ip: 8\.8\.8\.8 is not a documentation address/m },
    'description-field.json': { tipId: 'TIP-0902', problem: /^description: unknown field/m },
    'data-uri-screen-name.json': { tipId: 'TIP-0903', problem: /^subjects\[0\]\.screenName: .*data: URI/m },
    'gmail-address.json': { tipId: 'TIP-0904', problem: /^subjects\[0\]\.email: .*gmail\.com.*example\.com/m },
  };

  it('has a case for every invalid sample tip', () => {
    expect(jsonFiles(INVALID_DIR)).toEqual(Object.keys(cases).sort());
  });

  it.each(Object.entries(cases))('rejects %s and names the JSON path of the problem', (file, { tipId, problem }) => {
    const result = routeTip(engine, readJson(join(INVALID_DIR, file)), undefined);
    expect(result).toMatchObject({ tipId, outcome: 'rejected', priority: null, track: null, confidence: 'none', caveats: [], indicators: [], jurisdiction: null, notify: [], state: 'closed.rejected' });
    expect(result.reasons.join('\n')).toMatch(problem);
  });
});
