import { describe, expect, it } from 'vitest';
import { formatIssues, parseTip, type InputIssue } from '../../src/domain/tip/parse.js';
import { HASH_A } from './builders.js';

type Json = Record<string, unknown>;

const minimalEsp = (): Json => ({
  id: 'TIP-0001',
  source: 'esp',
  receivedAt: '2019-06-01T10:00:00Z',
  reporter: { espName: 'Example Mail (fictional)' },
  incident: { type: 'child-pornography-possession' },
});

/** The full example of DESIGN §3, with a real 64-hex hash in place of `<64 hex>`. */
const fullExample = (): Json => ({
  id: 'TIP-0001',
  source: 'esp',
  receivedAt: '2019-06-01T10:00:00Z',
  reporter: { espName: 'Example Mail (fictional)' },
  incident: { type: 'child-pornography-possession', escalateToHighPriority: false, annotations: ['sextortion'], dateTime: '2019-05-30T22:10:00Z' },
  internetDetails: [{ kind: 'email', url: 'https://mail.example.com' }],
  subjects: [
    {
      id: 'S1',
      screenName: 'user_4821',
      email: 'user4821@example.org',
      ipEvents: [{ ip: '192.0.2.10', port: 51234, event: 'Upload', dateTime: '2019-05-30T22:09:00Z', possibleProxy: false }],
      estimatedLocation: { countryCode: 'US', region: 'TX', city: 'Houston', verified: false },
    },
  ],
  files: [{ id: 'F1', sha256: HASH_A, viewedByEsp: true, publiclyAvailable: false, industryClassification: 'A1', annotations: ['potentialMeme'] }],
  p2p: [{ ip: '198.51.100.7', network: 'BitTorrent', allNetworks: ['B'], foiCount: 340782, firstSeen: '2019-05-01', lastSeen: '2020-05-24', port: 6881 }],
});

/** The full example with the one subject's fields replaced. */
const withSubject = (fields: Json): Json => ({ ...minimalEsp(), subjects: [{ id: 'S1', ...fields }] });
const withIp = (ip: string): Json => withSubject({ ipEvents: [{ ip }] });
const withScreenName = (screenName: string): Json => withSubject({ screenName });

function issuesOf(input: unknown): InputIssue[] {
  const parsed = parseTip(input);
  if (parsed.ok) throw new Error('expected the tip to be rejected, but it was accepted');
  return parsed.issues;
}

/** The one issue at `path`; fails when there is none. */
function issueAt(input: unknown, path: string): InputIssue {
  const issues = issuesOf(input);
  const found = issues.find((i) => i.path === path);
  if (found === undefined) throw new Error(`no issue at ${path}; got:\n${formatIssues(issues)}`);
  return found;
}

function accepts(input: unknown): void {
  const parsed = parseTip(input);
  expect(parsed.ok ? '' : formatIssues(parsed.issues)).toBe('');
}

describe('tip schema: what it accepts', () => {
  it('accepts the minimal ESP tip: id, source, receivedAt, incident.type and reporter.espName', () => {
    accepts(minimalEsp());
  });

  it('accepts a minimal public tip without a reporter', () => {
    const { reporter: _reporter, ...rest } = minimalEsp();
    accepts({ ...rest, source: 'public' });
  });

  it('accepts every section of DESIGN §3 holding only its identifying fields (issue 15, item 5)', () => {
    accepts({
      ...minimalEsp(),
      internetDetails: [{ kind: 'email' }],
      subjects: [{ id: 'S1', ipEvents: [{ ip: '192.0.2.10' }], estimatedLocation: { countryCode: 'US' } }],
      files: [{ id: 'F1', sha256: 'ab'.repeat(32) }],
      p2p: [{ ip: '198.51.100.7', network: 'BitTorrent' }],
    });
  });

  it.each([['john.doe'], ['j.smith'], ['m.ortiz.1989']])('accepts the screen name %s: its last label is no top-level domain', (screenName) => {
    accepts(withSubject({ screenName }));
  });

  it('accepts network names as free strings in allNetworks (BitTorrent beside a code)', () => {
    accepts({ ...minimalEsp(), p2p: [{ ip: '198.51.100.7', network: 'BitTorrent', allNetworks: ['BitTorrent', 'B', 'eDonkey'] }] });
  });

  it('accepts the full example of DESIGN §3 and returns it unchanged', () => {
    const parsed = parseTip(fullExample());
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value).toEqual(fullExample());
  });

  it.each([
    ['192.0.2.0'],
    ['192.0.2.255'],
    ['198.51.100.0'],
    ['198.51.100.255'],
    ['203.0.113.0'],
    ['203.0.113.255'],
    ['2001:db8::'],
    ['2001:db8::1'],
    ['2001:db8:ffff::1'],
    ['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'],
  ])('accepts the documentation address %s', (ip) => {
    accepts(withIp(ip));
  });

  it.each([['user@example.com'], ['user@example.org'], ['user@example.net'], ['user@mail.example.com'], ['user@a.b.example.net']])(
    'accepts the e-mail address %s at an example domain or its subdomain',
    (email) => {
      accepts(withSubject({ email }));
    },
  );

  it.each([['https://example.com'], ['http://example.org/path?q=1'], ['https://mail.example.com'], ['https://deep.sub.example.net/x']])(
    'accepts the URL %s on an example domain or its subdomain',
    (url) => {
      accepts({ ...minimalEsp(), internetDetails: [{ kind: 'webPage', url }] });
    },
  );

  it('accepts a free string of exactly 80 characters', () => {
    const name = `${'x'.repeat(39)} ${'y'.repeat(40)}`;
    expect(name).toHaveLength(80);
    accepts(withScreenName(name));
  });
});

describe('tip schema: unknown fields are errors (nothing can be smuggled in)', () => {
  it('rejects an unknown top-level field, naming it by its bare name', () => {
    const issue = issueAt({ ...minimalEsp(), notes: 'x' }, 'notes');
    expect(issue.message).toContain('unknown field');
  });

  it('rejects incident.narrative as an unknown field', () => {
    const tip = minimalEsp();
    const issue = issueAt({ ...tip, incident: { type: 'child-pornography-possession', narrative: 'free text' } }, 'incident.narrative');
    expect(issue.message).toContain('unknown field');
  });

  it('rejects file bytes as an unknown field at files[0].bytes', () => {
    const issue = issueAt({ ...minimalEsp(), files: [{ id: 'F1', sha256: HASH_A, bytes: 'AAAA' }] }, 'files[0].bytes');
    expect(issue.message).toContain('unknown field');
  });

  it('rejects an unknown field deep in an IP event with its full path', () => {
    const tip = withSubject({ ipEvents: [{ ip: '192.0.2.10' }, { ip: '192.0.2.11', userAgent: 'x' }] });
    expect(issueAt(tip, 'subjects[0].ipEvents[1].userAgent').message).toContain('unknown field');
  });
});

describe('tip schema: only documentation addresses', () => {
  it('names the path and the address in the message: subjects[0].ipEvents[1].ip: 8.8.8.8 is not a documentation address', () => {
    const tip = withSubject({ ipEvents: [{ ip: '192.0.2.10' }, { ip: '8.8.8.8' }] });
    expect(formatIssues(issuesOf(tip))).toContain('subjects[0].ipEvents[1].ip: 8.8.8.8 is not a documentation address');
  });

  it('lists the allowed ranges in the message', () => {
    const message = issueAt(withIp('8.8.8.8'), 'subjects[0].ipEvents[0].ip').message;
    for (const range of ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32']) expect(message).toContain(range);
  });

  it.each([['8.8.8.8'], ['192.0.3.1'], ['192.0.1.255'], ['198.51.101.0'], ['198.51.99.255'], ['203.0.114.0'], ['10.0.0.1']])(
    'rejects the IPv4 address %s outside the documentation ranges',
    (ip) => {
      expect(issueAt(withIp(ip), 'subjects[0].ipEvents[0].ip').message).toContain(`${ip} is not a documentation address`);
    },
  );

  it.each([['2001:4860::8888'], ['2001:db9::1'], ['2001:db7:ffff::1'], ['::1']])('rejects the IPv6 address %s outside 2001:db8::/32', (ip) => {
    expect(issueAt(withIp(ip), 'subjects[0].ipEvents[0].ip').message).toContain('is not a documentation address');
  });

  it.each([['0xC0.0.2.1'], ['3221225985'], ['0300.0.2.1'], ['192.0.2'], ['192.0.2.010']])(
    'rejects the legacy IPv4 form %s even when it denotes a documentation address',
    (ip) => {
      expect(issueAt(withIp(ip), 'subjects[0].ipEvents[0].ip').message).toContain('is not a documentation address');
    },
  );

  it('rejects an IPv6 zone index, which could carry text inside an address field', () => {
    expect(issueAt(withIp('2001:db8::1%smuggledtext'), 'subjects[0].ipEvents[0].ip').message).toContain('is not a documentation address');
  });

  it('rejects a non-documentation P2P address at p2p[0].ip', () => {
    const tip = { ...minimalEsp(), p2p: [{ ip: '8.8.4.4', network: 'BitTorrent' }] };
    expect(issueAt(tip, 'p2p[0].ip').message).toContain('8.8.4.4 is not a documentation address');
  });

  it('rejects a non-documentation address written inside a free string', () => {
    expect(issueAt(withScreenName('host 8.8.8.8'), 'subjects[0].screenName').message).toContain('8.8.8.8');
  });
});

describe('tip schema: only example domains', () => {
  it.each([['user@gmail.com'], ['user@example.com.evil.org'], ['user@notexample.com'], ['not-an-address']])(
    'rejects the e-mail address %s',
    (email) => {
      expect(issueAt(withSubject({ email }), 'subjects[0].email').message).toContain('is not an e-mail address at example.com, example.org or example.net');
    },
  );

  it.each([
    ['https://gmail.com', 'a real domain'],
    ['https://example.com.evil.org/', 'a lookalike that only starts with example.com'],
    ['https://evil.org/?next=example.com', 'an example domain only in the query'],
    ['javascript:alert(1)', 'a javascript: URL'],
    ['https://user:secret@mail.example.com/', 'credentials in the URL'],
    ['https://example.com@evil.org/', 'a user part that looks like the host'],
    ['ftp://ftp.example.com/', 'a non-http scheme'],
  ])('rejects the URL %s (%s)', (url) => {
    const issue = issueAt({ ...minimalEsp(), internetDetails: [{ kind: 'webPage', url }] }, 'internetDetails[0].url');
    expect(issue.message).toContain('is not an http(s) URL on example.com, example.org or example.net');
  });

  it('rejects a real domain written inside a free string', () => {
    expect(issueAt(withScreenName('see gmail.com'), 'subjects[0].screenName').message).toContain('gmail.com');
  });
});

describe('tip schema: free strings cannot carry content', () => {
  it('rejects a data: URI in a free string', () => {
    expect(issueAt(withScreenName('data:image/png,xyz'), 'subjects[0].screenName').message).toContain('data: URI');
  });

  it('rejects base64 data in a free string', () => {
    expect(issueAt({ ...minimalEsp(), reporter: { espName: 'x;base64,AAAA' } }, 'reporter.espName').message).toContain('base64');
  });

  it('rejects a free string of 81 characters, saying the limit', () => {
    const message = issueAt(withScreenName(`${'x'.repeat(40)} ${'y'.repeat(40)}`), 'subjects[0].screenName').message;
    expect(message).toContain('81 characters');
    expect(message).toContain('at most 80');
  });

  it.each([['line one\nline two'], ['a\rb'], ['a\u2028b']])('rejects a multi-line free string (%j)', (screenName) => {
    expect(issueAt(withScreenName(screenName), 'subjects[0].screenName').message).toContain('single line');
  });

  it('applies the free-string rules to P2P network names', () => {
    const tip = { ...minimalEsp(), p2p: [{ ip: '198.51.100.7', network: 'data:text/plain,hello' }] };
    expect(issueAt(tip, 'p2p[0].network').message).toContain('data: URI');
  });
});

describe('tip schema: field formats and required fields', () => {
  it.each([['abc'], ['g'.repeat(64)], ['a'.repeat(63)], ['a'.repeat(65)]])('rejects the sha256 %s with what a hash looks like', (sha256) => {
    const issue = issueAt({ ...minimalEsp(), files: [{ id: 'F1', sha256 }] }, 'files[0].sha256');
    expect(issue.message).toContain('64 hexadecimal digits');
  });

  it('requires reporter.espName on an ESP report', () => {
    const { reporter: _reporter, ...rest } = minimalEsp();
    expect(issueAt(rest, 'reporter.espName').message).toContain('reporter.espName');
  });

  it('requires reporter.espName on an ESP report even when reporter is present but empty', () => {
    expect(issueAt({ ...minimalEsp(), reporter: {} }, 'reporter.espName').message).toContain('reporter.espName');
  });

  it('rejects two subjects with the same id, naming the id', () => {
    const tip = { ...minimalEsp(), subjects: [{ id: 'S1' }, { id: 'S1' }] };
    expect(issueAt(tip, 'subjects').message).toContain('subject id S1 is used twice');
  });

  it.each([['id'], ['source'], ['receivedAt'], ['incident']])('requires the top-level field %s', (field) => {
    const tip = Object.fromEntries(Object.entries(minimalEsp()).filter(([key]) => key !== field));
    expect(issueAt(tip, field).message).toContain('is required');
  });

  it('requires incident.type', () => {
    expect(issueAt({ ...minimalEsp(), incident: {} }, 'incident.type').message).toContain('is required');
  });

  it('rejects a receivedAt that is not an ISO date-time with a zone', () => {
    expect(issueAt({ ...minimalEsp(), receivedAt: '2019-06-01 10:00' }, 'receivedAt').message).toContain('ISO 8601');
  });

  it('rejects a tip id outside [A-Z0-9-]{3,40}', () => {
    expect(issueAt({ ...minimalEsp(), id: 'tip 1' }, 'id').message).toContain('is not a tip id');
  });
});

describe('tip schema: closed vocabularies', () => {
  it.each([
    ['source', { source: 'email' }],
    ['incident.type', { incident: { type: 'grooming' } }],
    ['incident.annotations[0]', { incident: { type: 'child-pornography-possession', annotations: ['urgent'] } }],
    ['internetDetails[0].kind', { internetDetails: [{ kind: 'fax' }] }],
    ['subjects[0].ipEvents[0].event', { subjects: [{ id: 'S1', ipEvents: [{ ip: '192.0.2.10', event: 'Download' }] }] }],
    ['files[0].industryClassification', { files: [{ id: 'F1', sha256: HASH_A, industryClassification: 'C1' }] }],
    ['files[0].annotations[0]', { files: [{ id: 'F1', sha256: HASH_A, annotations: ['sextortion'] }] }],
  ])('rejects a value outside the vocabulary at %s, listing the allowed values', (path, fields) => {
    const message = issueAt({ ...minimalEsp(), ...fields }, path).message;
    expect(message).toContain('is not allowed; expected one of');
  });

  it('lists every allowed value for a bad source', () => {
    expect(issueAt({ ...minimalEsp(), source: 'email' }, 'source').message).toBe('"email" is not allowed; expected one of "esp", "public"');
  });
});

describe('tip schema: smuggling through URLs and regions', () => {
  it.each([
    ['https://www.example.com/view?src=data:image/png;base64,iVBORw0KGgo='],
    ['https://example.com/x?payload=base64,AAAA'],
    ['https://example.com/redirect?to=https://evil.org/'],
    ['https://example.com/redirect?to=https%3A%2F%2Fevil.org%2F'],
  ])('rejects the URL %s, which carries content or another address', (url) => {
    const input = { ...minimalEsp(), internetDetails: [{ kind: 'webPage', url }] };
    expect(issueAt(input, 'internetDetails[0].url').message).toContain('is not an http(s) URL on example.com');
  });

  it('accepts an example URL with an ordinary path and query', () => {
    accepts({ ...minimalEsp(), internetDetails: [{ kind: 'webPage', url: 'https://forum.example.net/thread/42?page=2#post-7' }] });
  });

  it('requires a US estimated location to name a state code, so the registry can place it', () => {
    const input = withSubject({ estimatedLocation: { countryCode: 'US', region: 'LND', city: 'Houston' } });
    expect(issueAt(input, 'subjects[0].estimatedLocation.region').message).toContain('is not a US state code');
    accepts(withSubject({ estimatedLocation: { countryCode: 'US', region: 'PR' } }));
    accepts(withSubject({ estimatedLocation: { countryCode: 'GB', region: 'LND' } }));
  });
});
