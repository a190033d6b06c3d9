import { describe, expect, it } from 'vitest';
import ipaddr from 'ipaddr.js';
import { createGeoDatabase, type GeoEntry } from '../../src/domain/reference/geo.js';
import { parseGeoReference } from '../../src/domain/reference/reference.js';
import { formatIssues } from '../../src/domain/tip/parse.js';
import { reference } from './builders.js';

const geo = reference.geo;

const entry = (cidr: string, city: string): GeoEntry => ({ cidr, isp: 'Test Net', kind: 'residential', country: 'US', region: 'TX', city, retentionDays: 90 });

const networkAddress = (cidr: string): string => ipaddr.parseCIDR(cidr)[0].toString();
const lastAddress = (cidr: string): string => {
  const [address, bits] = ipaddr.parseCIDR(cidr);
  return (address.kind() === 'ipv4' ? ipaddr.IPv4.broadcastAddressFromCIDR(cidr) : lastIpv6(address as ipaddr.IPv6, bits)).toString();
};
function lastIpv6(address: ipaddr.IPv6, bits: number): ipaddr.IPv6 {
  const bytes = address.toByteArray().map((byte, index) => {
    const hostBits = Math.min(8, Math.max(0, (index + 1) * 8 - bits));
    return byte | ((1 << hostBits) - 1);
  });
  return ipaddr.fromByteArray(bytes) as ipaddr.IPv6;
}

const yamlOf = (line: string) => `entries:\n  - ${line}\n`;

describe('geo database: the bundled reference', () => {
  it('has the entries of the shared reference, IPv4 and IPv6', () => {
    expect(geo.entries.length).toBeGreaterThanOrEqual(27);
    expect(geo.entries.some((e) => e.cidr.includes(':'))).toBe(true);
  });

  it.each(reference.geo.entries.map((e) => [e.cidr, e] as const))('resolves the network address of %s to its own entry', (cidr, own) => {
    expect(geo.lookup(networkAddress(cidr))).toBe(own);
  });

  it.each(reference.geo.entries.map((e) => [e.cidr, e] as const))('resolves the last address of %s to its own entry', (cidr, own) => {
    expect(geo.lookup(lastAddress(cidr))).toBe(own);
  });

  it('resolves an address inside an IPv6 /48 entry', () => {
    expect(geo.lookup('2001:db8:100::1')).toMatchObject({ kind: 'residential', country: 'US', region: 'TX', city: 'Houston' });
    expect(geo.lookup('2001:db8:300:ab::42')).toMatchObject({ country: 'DE', city: 'Koeln' });
  });

  it('does not stretch an IPv6 /48 entry into the next /48', () => {
    expect(geo.lookup('2001:db8:101::1')).toBeNull();
  });

  it.each([['192.0.2.224'], ['192.0.2.230'], ['192.0.2.255']])('resolves the uncovered 192.0.2.224/27 address %s to null', (ip) => {
    expect(geo.lookup(ip)).toBeNull();
  });

  it.each([['2001:db8:ffff::'], ['2001:db8:ffff::1'], ['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff']])('resolves the uncovered 2001:db8:ffff::/48 address %s to null', (ip) => {
    expect(geo.lookup(ip)).toBeNull();
  });

  it('resolves something that is not an address to null rather than throwing', () => {
    expect(geo.lookup('not-an-ip')).toBeNull();
  });
});

describe('geo database: longest prefix wins', () => {
  const wide = entry('192.0.2.0/24', 'Wide');
  const middle = entry('192.0.2.0/26', 'Middle');
  const narrow = entry('192.0.2.0/28', 'Narrow');

  it('picks the most specific of overlapping entries', () => {
    const db = createGeoDatabase([wide, middle, narrow]);
    expect(db.lookup('192.0.2.5')?.city).toBe('Narrow');
    expect(db.lookup('192.0.2.20')?.city).toBe('Middle');
    expect(db.lookup('192.0.2.200')?.city).toBe('Wide');
  });

  it('does not depend on the order of the entries', () => {
    const db = createGeoDatabase([narrow, middle, wide]);
    expect(db.lookup('192.0.2.5')?.city).toBe('Narrow');
    expect(db.lookup('192.0.2.20')?.city).toBe('Middle');
    expect(db.lookup('192.0.2.200')?.city).toBe('Wide');
  });

  it('picks the most specific IPv6 entry and never matches IPv4 entries for IPv6 addresses', () => {
    const db = createGeoDatabase([wide, entry('2001:db8::/32', 'V6 wide'), entry('2001:db8:100::/48', 'V6 narrow')]);
    expect(db.lookup('2001:db8:100::1')?.city).toBe('V6 narrow');
    expect(db.lookup('2001:db8:200::1')?.city).toBe('V6 wide');
    expect(db.lookup('192.0.2.1')?.city).toBe('Wide');
  });
});

describe('geo reference loader', () => {
  it('builds a database from valid reference YAML', () => {
    const parsed = parseGeoReference('entries:\n  - { cidr: 192.0.2.0/27, isp: Test Net, kind: mobile, country: US, region: PA, city: "", retentionDays: 60 }\n');
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.lookup('192.0.2.1')?.kind).toBe('mobile');
  });

  it('rejects a CIDR outside the documentation ranges, naming the entry and the CIDR', () => {
    const parsed = parseGeoReference(yamlOf('{ cidr: 8.8.8.0/24, isp: Test Net, kind: residential, country: US, region: TX, city: Houston, retentionDays: 90 }'));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(formatIssues(parsed.issues)).toContain('entries[0].cidr: 8.8.8.0/24 is not a CIDR inside a documentation range');
  });

  it('rejects a CIDR wider than the documentation range it starts in', () => {
    const parsed = parseGeoReference(yamlOf('{ cidr: 192.0.2.0/23, isp: Test Net, kind: residential, country: US, region: TX, city: Houston, retentionDays: 90 }'));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.path)).toEqual(['entries[0].cidr']);
  });

  it('rejects an unknown network kind, naming the entry and listing the kinds', () => {
    const parsed = parseGeoReference(yamlOf('{ cidr: 192.0.2.0/27, isp: Test Net, kind: satellite, country: US, region: TX, city: Houston, retentionDays: 90 }'));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const text = formatIssues(parsed.issues);
    expect(text).toContain('entries[0].kind: "satellite" is not allowed');
    for (const kind of ['residential', 'business', 'mobile', 'hosting', 'vpn', 'tor-exit', 'open-proxy']) expect(text).toContain(`"${kind}"`);
  });

  it('reports text that is not YAML as such', () => {
    const parsed = parseGeoReference('entries: [unclosed');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues[0]?.message).toContain('not valid YAML');
  });
});
