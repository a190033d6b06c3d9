// What "synthetic" means for tipflow: documentation addresses (RFC 5737, RFC 3849) and example.* domains
// only, and short single-line strings that cannot carry content. These predicates are the single place
// the rule lives; the tip schema, the event schemas and the reference-data loader all call them.
import ipaddr from 'ipaddr.js';
import { MAX_CHECKED_TEXT, syntheticTextIssue } from './synthetic-text.js';

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

// RFC 5321 lengths (DESIGN §3): the address at most 254 characters, its local part 64, each label 63.
const EMAIL = /^([A-Za-z0-9._%+-]{1,64})@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+)$/;
export const MAX_EMAIL = 254;

export function isExampleEmail(text: string): boolean {
  if (text.length > MAX_EMAIL) return false;
  const match = EMAIL.exec(text);
  if (match === null || !isExampleDomain(match[2] ?? '')) return false;
  // Its parts are names: no encoded data in the local part (a.ba is a name there, not a domain) or a label.
  return syntheticTextIssue(`${(match[1] ?? '').split('.').join(' ')} ${(match[2] ?? '').split('.').join(' ')}`, { maxLength: MAX_EMAIL }) === null;
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
  if (/data:|base64,|:\/\//i.test(rest)) return false;
  const labels = url.hostname.split('.').join(' ');
  return syntheticTextIssue(`${labels} ${rest.replace(/[/?#&=]/g, ' ')}`, { maxLength: 400 }) === null;
}

function safelyDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Why a text (an instructor's sentence, a reason) is not synthetic, or null: see syntheticTextIssue. Newlines
 * are allowed (YAML block scalars); callers check their own, smaller length limit first.
 */
export function syntheticTextProblem(text: string): string | null {
  return syntheticTextIssue(text, { maxLength: MAX_CHECKED_TEXT, lines: true, prose: true });
}

/**
 * Why a free string (a name, a screen name, a network name, a cohort's or an account's name) is not
 * acceptable, or null when it is: short and single-line (its length checked before any pattern), and synthetic.
 */
export function freeStringProblem(text: string, maxLength: number = MAX_FREE_STRING): string | null {
  if (text.length === 0) return 'must not be empty';
  if (text.length > maxLength) return `is ${text.length} characters long; free strings are at most ${maxLength} (a tip carries metadata, not narratives)`;
  if (text.trim() === '') return 'must not be blank';
  return syntheticTextIssue(text, { maxLength });
}
