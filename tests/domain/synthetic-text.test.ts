import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { freeStringProblem, isExampleEmail, isExampleUrl, syntheticTextProblem } from '../../src/domain/tip/synthetic.js';
import { BASE64_MIXED_RUN, normaliseText, skeletonOf, syntheticTextIssue } from '../../src/domain/tip/synthetic-text.js';
import { parseTip } from '../../src/domain/tip/parse.js';

describe('free strings: names people and services really have', () => {
  it.each([
    ['john.doe'],
    ['j.smith'],
    ['m.ortiz.1989'],
    ['Example.Chat (fictional)'],
    ['Example Mail (fictional)'],
    ['BitTorrent'],
    ['kestrel_4471'],
    ['xX_DarkLord2005_Xx'],
    ['St. Louis'],
    ['São Paulo'],
    ['Zürich'],
    ['Москва'],
    ['北京'],
    ['Version 2.0'],
    ['a 0.05 chance'],
    ['mail.example.com'],
    ['user4821@example.org'],
    ['Dr.Who'],
    ['A.B. Smith'],
    ['dark-angel-2005-official'],
    ['user_20190601'],
    ['user_16777216'],
  ])('accepts %j', (text) => {
    expect(freeStringProblem(text)).toBeNull();
  });
});

describe('free strings: nothing that carries content or a real address', () => {
  it.each([
    ['gооglе.соm', 'all-Cyrillic look-alike of a real domain'],
    ['evil.рф', 'a domain under an internationalised TLD'],
    ['evil\u200b.com', 'a zero-width space inside a domain'],
    ['google。com', 'an ideographic full stop as the dot'],
    ['google．com', 'a fullwidth full stop'],
    ['ｇｏｏｇｌｅ．ｃｏｍ', 'fullwidth letters'],
    ['g00gle.c0m', 'digits for look-alike letters'],
    ['www.google.com', 'a plain real domain'],
    ['8.8.8.8 evil.com', 'an address and a domain'],
    ['host_8.8.8.8_', 'an address glued to text'],
    ['3170.3.220.39', 'an address glued to digits before it'],
    ['95.116.132.2245kv', 'an address glued to digits after it'],
    ['http://134744072/', 'an address as one decimal number in a URL'],
    ['134744072', 'an address as one decimal number, alone'],
    ['0x08080808', 'an address as one hex number'],
    ['010.010.010.010', 'an octal address'],
    ['0x8.0x8.0x8.0x8', 'a hex dotted address'],
    ['8.526344', 'a two-part address'],
    ['host ８.８.８.８', 'fullwidth digits'],
    ['host ٨.٨.٨.٨', 'Arabic-Indic digits'],
    ['2001:4860:4860::8888', 'a real IPv6 address'],
    ['at ::ffff:8.8.8.8 now', 'an IPv4-mapped IPv6 address'],
    ['fe80::1', 'a link-local IPv6 address'],
    ['xn--80ak6aa92e.com', 'a punycode label'],
    ['data:image/png;base64,iVBORw0KGgo', 'a data: URI'],
    ['aGVsbG8gd29ybGQgdGhpcyBpcyBkYXRh.', 'base64 ending in a dot'],
    ['aGVsbG8_d29ybGQ-dGhpcyBpcyBkYXRhIHRoYXQgaXMgbG9uZw', 'base64url'],
    ['QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=', 'padded base64'],
    ['\u202Eevil\u202C', 'bidi override'],
    ['a\u0085b', 'a C1 control (NEL)'],
    ['a\u009bb', 'a C1 control (CSI)'],
    ['a\u200db', 'a zero-width joiner'],
    ['a\ufeffb', 'a byte order mark'],
    ['a\ue000b', 'a private-use character'],
    ['line\nbreak', 'a newline'],
    ['          ', 'blank'],
    ['evil.example.ru', 'a subdomain of example under another TLD'],
    ['example.com.evil.org', 'example.com as a subdomain'],
  ])('refuses %j (%s)', (text) => {
    expect(freeStringProblem(text)).not.toBeNull();
  });

  it('says which domain it found, normalised', () => {
    expect(freeStringProblem('google。com')).toMatch(/mentions google\.com/);
    expect(freeStringProblem('host_8.8.8.8_')).toMatch(/8\.8\.8\.8/);
  });
});

describe('instructor prose', () => {
  it('allows newlines (YAML block scalars) but no other controls', () => {
    expect(syntheticTextProblem('First line.\nSecond line at 192.0.2.10.\n')).toBeNull();
    expect(syntheticTextProblem('a\u0007b')).not.toBeNull();
  });

  it('reads a plain decimal number in a sentence as a number (a seed), a hex one as an address', () => {
    expect(syntheticTextProblem('Generated from seed 16777216.')).toBeNull();
    expect(syntheticTextProblem('The upload came from 0x08080808.')).not.toBeNull();
    expect(freeStringProblem('16777216')).not.toBeNull();
  });

  it('refuses a real domain or address in a sentence', () => {
    expect(syntheticTextProblem('Ask the provider at mail.google.com for the subscriber.')).toMatch(/mail\.google\.com/);
    expect(syntheticTextProblem('The upload came from 8.8.8.8 at noon.')).toMatch(/8\.8\.8\.8/);
  });

  it('refuses a text past its bound before any pattern reads it', () => {
    expect(syntheticTextIssue('a1.'.repeat(100_000), { maxLength: 100 })).toMatch(/300000 characters long/);
  });
});

describe('e-mail addresses: RFC 5321 lengths, example domains, no encoded data', () => {
  it('accepts ordinary addresses', () => {
    expect(isExampleEmail('m.ortiz.1989@mail.example.org')).toBe(true);
  });
  it('refuses a 150,000-character address with base64 in its subdomain labels', () => {
    const label = 'aGVsbG8gd29ybGQgdGhpcyBpcyBkYXRhIHRoYXQgaXMgbG9uZw';
    expect(isExampleEmail(`u@${`${label}.`.repeat(3000)}example.com`)).toBe(false);
  });
  it('refuses a local part of 65 characters, a label of 64, an address of 255', () => {
    expect(isExampleEmail(`${'a'.repeat(65)}@example.com`)).toBe(false);
    expect(isExampleEmail(`a@${'b'.repeat(64)}.example.com`)).toBe(false);
    expect(isExampleEmail(`a@${'bcdefghij.'.repeat(25)}example.com`)).toBe(false);
    expect(isExampleEmail(`${'a'.repeat(64)}@${'b'.repeat(63)}.example.com`)).toBe(true);
  });
  it('refuses base64 in a local part or a label of ordinary length', () => {
    expect(isExampleEmail('aGVsbG8gd29ybGQgdGhpcyBpcyBk@example.com')).toBe(false);
    expect(isExampleEmail('a@aGVsbG8gd29ybGQgdGhpcyBpcyBk.example.com')).toBe(false);
  });
  it('refuses base64 in a URL path', () => {
    expect(isExampleUrl('https://example.com/aGVsbG8gd29ybGQgdGhpcyBpcyBkYXRh')).toBe(false);
    expect(isExampleUrl('https://example.com/inbox/4821?folder=sent')).toBe(true);
  });
});

describe('the tip schema fits DESIGN §3', () => {
  it('accepts network names in allNetworks and plausible names', () => {
    const tip = {
      id: 'TIP-0001',
      source: 'esp',
      receivedAt: '2019-06-01T10:00:00Z',
      reporter: { espName: 'Example.Chat (fictional)' },
      incident: { type: 'child-pornography-possession' },
      subjects: [{ id: 'S1', screenName: 'john.doe' }, { id: 'S2', screenName: 'j.smith' }],
      p2p: [{ ip: '198.51.100.7', network: 'BitTorrent', allNetworks: ['BitTorrent', 'B', 'eDonkey'] }],
    };
    const parsed = parseTip(tip);
    expect(parsed.ok ? [] : parsed.issues).toEqual([]);
  });
});

describe('ReDoS guard: every check is linear', () => {
  const hostile = ['a1.', 'a.', '1.', 'a-', '0x1.', '1:', 'aA1', 'é.', '。a', 'xn--'];
  it.each(hostile)('a text of %j repeated to the bound and 10× over it is answered within 100 ms', (unit) => {
    for (const max of [80, 400, 4_000]) {
      for (const length of [max, 10 * max]) {
        const text = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
        const started = performance.now();
        syntheticTextIssue(text, { maxLength: max, lines: true });
        expect(performance.now() - started).toBeLessThan(100);
      }
    }
  });
});

// The property: whatever is accepted, its normalised form holds no real domain, address or encoded run.
const TLD_SAMPLE = ['com', 'net', 'org', 'ru', 'рф', 'io', 'chat', 'app', 'de', 'cn'];
const letters = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789оеас'.split(''));
const word = fc.array(letters, { minLength: 1, maxLength: 8 }).map((a) => a.join(''));
const separators = fc.constantFrom('.', '。', '．', '｡', ' ', '_', '-', '\u200b', '@', ':', '/');
const piece = fc.oneof(
  word,
  separators,
  fc.constantFrom(...TLD_SAMPLE),
  fc.ipV4().map(String),
  fc.ipV6().map(String),
  fc.integer({ min: 0, max: 2 ** 32 - 1 }).map(String),
  fc.base64String({ minLength: 16, maxLength: 40 }),
  fc.constantFrom('example', 'google', 'gооglе', '192.0.2.1', '2001:db8::1'),
);
const candidate = fc.array(piece, { minLength: 1, maxLength: 12 }).map((a) => a.join('').slice(0, 80));

function holdsForeignMaterial(text: string): string | null {
  const normal = normaliseText(text);
  const skeleton = skeletonOf(normal);
  for (const form of [normal, skeleton]) {
    // Addresses are read in the normalised form (a skeleton turns 0 and 1 into letters).
    for (const m of (form === normal ? form : '').matchAll(/(?:^|[^0-9])(\d{1,3}(?:\.\d{1,3}){3})(?![0-9])/g)) {
      const ip = m[1] ?? '';
      if (!ipaddr.IPv4.isValidFourPartDecimal(ip)) continue;
      const parsed = ipaddr.IPv4.parse(ip);
      if (!['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24'].some((c) => parsed.match(ipaddr.IPv4.parseCIDR(c)))) return ip;
    }
    for (const tld of TLD_SAMPLE) {
      const end = form === normal ? tld : skeletonOf(tld);
      for (const m of form.matchAll(new RegExp(`([\\p{L}\\p{N}-]+)\\.${end}(?![\\p{L}\\p{N}])`, 'gu'))) {
        // example.<tld> (Example.Chat) is the one synthetic two-label name; its look-alikes are not.
        if (form === normal ? m[1] === 'example' : m[1] === skeletonOf('example')) continue;
        return m[0];
      }
    }
  }
  for (const m of text.normalize('NFKC').matchAll(/[A-Za-z0-9+/]+/g)) {
    const run = m[0];
    if (run.length >= BASE64_MIXED_RUN && /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run)) return run;
  }
  return null;
}

describe('property: no accepted string holds a real domain, address or base64 run', () => {
  it('holds over random mixtures of words, separators, TLDs, addresses and base64', () => {
    fc.assert(
      fc.property(candidate, (text) => {
        if (freeStringProblem(text) !== null) return;
        expect(holdsForeignMaterial(text)).toBeNull();
      }),
      { numRuns: 3_000 },
    );
  });
});

/** Every string inside a value (a parsed tip), however deep. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsOf);
  return [];
}

describe('property: anywhere else either', () => {
  it('holds for instructor prose (sentences of pieces, with newlines)', () => {
    const sentence = fc.array(fc.oneof(piece, fc.constant(' '), fc.constant('\n')), { minLength: 1, maxLength: 30 }).map((a) => a.join('').slice(0, 400));
    fc.assert(
      fc.property(sentence, (text) => {
        if (syntheticTextProblem(text) !== null) return;
        expect(holdsForeignMaterial(text)).toBeNull();
      }),
      { numRuns: 2_000 },
    );
  });

  it('holds for every string of an accepted tip (names, networks, e-mails, URLs)', () => {
    const tip = fc.record({ screenName: candidate, espName: candidate, city: candidate, network: candidate, local: word, sub: word, path: word });
    fc.assert(
      fc.property(tip, (f) => {
        const parsed = parseTip({
          id: 'TIP-0001',
          source: 'esp',
          receivedAt: '2019-06-01T10:00:00Z',
          reporter: { espName: f.espName },
          incident: { type: 'child-pornography-possession' },
          internetDetails: [{ kind: 'webPage', url: `https://${f.sub}.example.com/${f.path}` }],
          subjects: [{ id: 'S1', screenName: f.screenName, email: `${f.local}@${f.sub}.example.org`, estimatedLocation: { countryCode: 'FR', city: f.city } }],
          p2p: [{ ip: '198.51.100.7', network: f.network, allNetworks: [f.network] }],
        });
        if (!parsed.ok) return;
        for (const text of stringsOf(parsed.value)) {
          // The example domains of e-mails and URLs are the synthetic ones this property allows.
          const rest = text.replace(/[^@/.]*\.example\.(com|org|net)/gi, ' ');
          expect(holdsForeignMaterial(rest), text).toBeNull();
        }
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('a host joined to other text by a hyphen', () => {
  // Found by the mixture property above (seed 1700299095): "a.com-com" was accepted, its last label not a TLD.
  it.each([['a.com-com'], ['x-google.com'], ['see.google.com-now']])('refuses %s', (text) => {
    expect(freeStringProblem(text)).not.toBeNull();
  });
  it.each([['example.com-style'], ['j.smith-jones'], ['user-4821']])('still accepts %s', (text) => {
    expect(freeStringProblem(text)).toBeNull();
  });
});
