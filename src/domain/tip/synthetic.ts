// What "synthetic" means for tipflow: documentation addresses (RFC 5737, RFC 3849) and example.* domains
// only, and short single-line strings that cannot carry content. These predicates are the single place
// the rule lives; the tip schema, the event schemas and the reference-data loader all call them.
import ipaddr from 'ipaddr.js';

export const DOCUMENTATION_RANGES = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32'] as const;
export const EXAMPLE_DOMAINS = ['example.com', 'example.org', 'example.net'] as const;
export const MAX_FREE_STRING = 80;

const documentationCidrs = DOCUMENTATION_RANGES.map((cidr) => ipaddr.parseCIDR(cidr));

/** Parses an IPv4 or IPv6 address written in its usual form; null when it is not one. */
export function parseIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  // A zone index (fe80::1%eth0) could carry arbitrary text inside an address field.
  if (text.includes('%') || !ipaddr.isValid(text)) return null;
  // ipaddr.js accepts legacy IPv4 forms ("0xC0.0.2.1", "3221225985"); a tip must use dotted quads.
  if (!text.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(text)) return null;
  return ipaddr.parse(text);
}

export function isDocumentationAddress(text: string): boolean {
  const ip = parseIp(text);
  if (ip === null) return false;
  return documentationCidrs.some(([range, bits]) => ip.kind() === range.kind() && ip.match(range, bits));
}

/** True for a CIDR written as address/bits whose whole range lies inside one documentation range. */
export function isDocumentationCidr(text: string): boolean {
  try {
    const [address, bits] = ipaddr.parseCIDR(text);
    return documentationCidrs.some(
      ([range, rangeBits]) => address.kind() === range.kind() && bits >= rangeBits && address.match(range, rangeBits),
    );
  } catch {
    return false;
  }
}

export function isExampleDomain(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return EXAMPLE_DOMAINS.some((domain) => name === domain || name.endsWith(`.${domain}`));
}

const EMAIL = /^[A-Za-z0-9._%+-]{1,64}@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$/;

export function isExampleEmail(text: string): boolean {
  const match = EMAIL.exec(text);
  return match !== null && isExampleDomain(match[1] ?? '');
}

export function isExampleUrl(text: string): boolean {
  if (text.length > 200) return false;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (!((url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '' && isExampleDomain(url.hostname))) return false;
  // The rest of the URL must not smuggle content or another address: no data: URI, no base64, no URL inside it.
  const rest = safelyDecoded(url.pathname + url.search + url.hash);
  return !/data:|base64,|:\/\//i.test(rest);
}

function safelyDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// Tokens inside a free string that look like a host name, an e-mail address or an IP address.
const DOMAIN_TOKEN = /(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}\b/g;
const IPV4_TOKEN = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;

/**
 * Why a text (a free string, or an instructor's sentence) is not synthetic, or null: no data: URI, no
 * base64, and any domain or address written inside it must itself be synthetic.
 */
export function syntheticTextProblem(text: string): string | null {
  if (/^\s*data:/i.test(text) || /\sdata:[a-z]+\//i.test(text)) return 'must not be a data: URI (a tip carries no file content)';
  if (/base64,/i.test(text)) return 'must not hold base64 data (a tip carries no file content)';
  if (/^[A-Za-z0-9+/]{40,}={0,2}$/.test(text)) return 'looks like encoded data; names and sentences are short words';
  for (const token of text.match(IPV4_TOKEN) ?? []) {
    if (!isDocumentationAddress(token)) return `mentions ${token}, which is not a documentation address (${DOCUMENTATION_RANGES.join(', ')})`;
  }
  for (const token of text.match(DOMAIN_TOKEN) ?? []) {
    if (/^\d+(\.\d+)+$/.test(token)) continue;
    if (!isExampleDomain(token)) return `mentions ${token}, which is not an example.com, example.org or example.net domain`;
  }
  return null;
}

/**
 * Why a free string (a name, a screen name, a network name) is not acceptable, or null when it is.
 * Free strings are short and single-line, and synthetic (see syntheticTextProblem).
 */
export function freeStringProblem(text: string): string | null {
  if (text.length === 0) return 'must not be empty';
  if (text.length > MAX_FREE_STRING) return `is ${text.length} characters long; free strings are at most ${MAX_FREE_STRING} (a tip carries metadata, not narratives)`;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this rejects
  if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(text)) return 'must be a single line without control characters';
  return syntheticTextProblem(text);
}
