// The one check every free string and every sentence goes through (issue 16): text is normalised (NFKC,
// any script's digits as ASCII digits, every dot-like separator as a dot, lower case), then refused when it
// holds format or control characters, a data: URI or base64 marker, a base64/base64url/hex run, an IPv4
// address in any spelling (dotted, decimal, hex, octal, glued to text) or a real IPv6 address outside the
// documentation ranges, or a domain in any script — also one that only looks like a domain (Unicode TR39
// confusable skeletons) — other than example.com, example.org or example.net.
//
// Every step is linear in the text: the length is checked before anything else, each pattern is a single
// character class or an unambiguous sequence, and tokens are found by splitting, never by backtracking.
import ipaddr from 'ipaddr.js';
import tldList from 'tlds' with { type: 'json' };
import unhomoglyph from 'unhomoglyph';

/** IANA's top-level domains (the `tlds` package, pinned), in Unicode form for the internationalised ones. */
const TLDS: readonly string[] = tldList;

/** The absolute bound on any text this check reads; callers set their own, smaller limits first. */
export const MAX_CHECKED_TEXT = 4_000;
/** A run of the base64 alphabet (A–Z a–z 0–9 + /) this long that mixes upper case, lower case and digits is encoded data. */
export const BASE64_MIXED_RUN = 20;
/** A run of letters and digits this long that holds both (hex, base32, base64 without one of the cases) is encoded data. */
export const ALNUM_MIXED_RUN = 32;
/** Any run of the base64 or base64url alphabets this long that mixes two of upper case, lower case, digits and + / is encoded data. */
export const BASE64_ANY_RUN = 48;

const DOTS = /[.\u3002\uFF0E\uFF61\u2024\uFE52\u06D4\u0701\u0702\u2E3C\uA4F8\uA60E\u1362]/gu;
// Format (bidi controls, zero-width characters, BOM), private-use, surrogate and unassigned code points.
// C0 and C1 controls and the line and paragraph separators are checked on their own (prose may hold newlines).
const INVISIBLE = /[\p{Cf}\p{Co}\p{Cs}\p{Cn}]/u;
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// eslint-disable-next-line no-control-regex -- as above, with tab and newline allowed
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;
const DIGIT = /\p{Nd}/gu;
const NOT_LABEL = /[^\p{L}\p{N}\p{M}.-]+/u;
const IPV4_CANDIDATE = /(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]+|[0-9]+))*/g;
const IPV6_CANDIDATE = /[0-9a-f:.]+/g;
const BASE64_RUN = /[A-Za-z0-9+/]+/g;
const BASE64URL_RUN = /[A-Za-z0-9+/_-]+/g;

const documentationRanges = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32'].map((cidr) => ipaddr.parseCIDR(cidr));
const isDocumentation = (ip: ipaddr.IPv4 | ipaddr.IPv6): boolean => documentationRanges.some(([range, bits]) => ip.kind() === range.kind() && ip.match(range, bits));

/** The value of a decimal digit of any script (\p{Nd} comes in runs of ten, zero first). */
function digitValue(char: string): string {
  let code = char.codePointAt(0) ?? 0;
  let steps = 0;
  while (code > 0 && /\p{Nd}/u.test(String.fromCodePoint(code - 1)) && steps < 60) {
    code -= 1;
    steps += 1;
  }
  return String(steps % 10);
}

/** NFKC, any script's digits as 0–9, every dot-like separator as ".", lower case. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(DIGIT, (d) => (d >= '0' && d <= '9' ? d : digitValue(d)))
    .replace(DOTS, '.')
    .toLowerCase();
}

/** The TR39 skeleton of an already normalised text (NFD, confusables mapped, NFD), lower-cased to compare labels. */
export function skeletonOf(normalised: string): string {
  return unhomoglyph(normalised.normalize('NFD')).normalize('NFD').toLowerCase();
}

const TLD_SET = new Set(TLDS.map((t) => t.toLowerCase()));
const TLD_SKELETONS = new Set(TLDS.map((t) => skeletonOf(t.toLowerCase())));
const EXAMPLE = new Set(['example.com', 'example.org', 'example.net']);
const ASCII = /^[\x20-\x7e]*$/;

/** Whether a label could end a host name: a top-level domain, written plainly or with look-alike letters. */
const isTopLevelLike = (label: string): boolean => TLD_SET.has(label) || TLD_SKELETONS.has(skeletonOf(label));

/** Whether a dotted name (normalised) is synthetic: example.com/.org/.net or below, or a two-label `example.<tld>` brand. */
function isSyntheticHost(host: string): boolean {
  if (!ASCII.test(host)) return false;
  const labels = host.split('.');
  const last2 = labels.slice(-2).join('.');
  if (EXAMPLE.has(last2)) return true;
  // "Example.Chat (fictional)": a made-up service named after the reserved word, without subdomains.
  return labels.length === 2 && labels[0] === 'example';
}

/** The first host-like token in a normalised text that is not synthetic, or null. */
function foreignHost(normalised: string): string | null {
  // A hyphen may join a host to other text ("a.com-com" names a.com): each hyphen-separated part is read too.
  const pieces = normalised.split(NOT_LABEL).flatMap((p) => (p.includes('-') && p.includes('.') ? [p, ...p.split('-')] : [p]));
  for (const piece of pieces) {
    if (!piece.includes('.')) continue;
    const labels = piece.split('.').filter((l) => l !== '');
    for (const label of labels) if (label.startsWith('xn--')) return piece;
    // From the end: the longest host is the one named (mail.google.com, not mail.google).
    for (let i = labels.length - 1; i >= 1; i -= 1) {
      const label = labels[i] ?? '';
      if (!isTopLevelLike(label)) continue;
      const host = labels.slice(0, i + 1).join('.');
      if (!isSyntheticHost(host)) return host;
    }
  }
  return null;
}

/** A number as inet_aton reads it (0x hex, leading-zero octal, decimal), or null when it is none. */
function atonPart(part: string): number | null {
  if (part.startsWith('0x')) return part.length > 2 && part.length <= 10 ? Number.parseInt(part.slice(2), 16) : null;
  if (part.length > 10) return null;
  if (part.length > 1 && part.startsWith('0')) return /^[0-7]+$/.test(part) ? Number.parseInt(part, 8) : null;
  return Number(part);
}

/** The IPv4 address a dotted number spells (1 to 4 parts, any radix, inet_aton rules), or null. */
function ipv4Of(parts: readonly string[], plainNumbers: boolean): ipaddr.IPv4 | null {
  const values = parts.map(atonPart);
  if (values.some((v) => v === null || !Number.isFinite(v))) return null;
  const numbers = values as number[];
  const last = numbers[numbers.length - 1] ?? 0;
  const head = numbers.slice(0, -1);
  if (head.some((v) => v > 255)) return null;
  const tailBits = 8 * (5 - numbers.length);
  if (last >= 2 ** tailBits) return null;
  // Only spellings that read as an address: four parts; two or three when a part is hex or the last is wider
  // than a byte (8.526344); one number when it fills more than the last three bytes (134744072, 0x8080808).
  // So 0.05, 2.0 and 1.5 stay numbers.
  if (numbers.length === 1 && (last < 2 ** 24 || (!plainNumbers && !parts[0]?.startsWith('0')))) return null;
  if ((numbers.length === 2 || numbers.length === 3) && !parts.some((p) => p.startsWith('0x')) && last <= 255) return null;
  let value = 0;
  for (const v of head) value = value * 256 + v;
  value = value * 2 ** tailBits + last;
  return ipaddr.fromByteArray([(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]) as ipaddr.IPv4;
}

const DECIMAL_OCTET = /^[0-9]{1,3}$/;
const STANDS_APART = /[\s/:@[\]()<>,;'"]/;

/** The first IPv4 address outside the documentation ranges that a normalised text spells, or null. */
function foreignIpv4(normalised: string, plainNumbers: boolean): string | null {
  for (const match of normalised.matchAll(IPV4_CANDIDATE)) {
    const parts = match[0].split('.');
    const windows = parts.length <= 4 ? [parts] : parts.slice(0, -3).map((_, i) => parts.slice(i, i + 4));
    // A plain decimal number is an address only standing alone (134744072, http://134744072/): glued to a name
    // (user_20190601) it is part of the name.
    const before = normalised[match.index - 1] ?? ' ';
    const after = normalised[match.index + match[0].length] ?? ' ';
    const alone = STANDS_APART.test(before) && STANDS_APART.test(after);
    for (const window of windows) {
      const spellings = [ipv4Of(window, plainNumbers && alone)];
      // 010.010.010.010 is 8.8.8.8 to inet_aton and 10.10.10.10 to a reader: both must be documentation addresses.
      // Digits glued on either end (3170.3.220.39, 95.116.132.2245) leave a reader an address too.
      if (window.length === 4 && window.every((p) => /^[0-9]+$/.test(p))) {
        const [head = '', , , tail = ''] = window;
        const firsts = head.length > 3 ? [1, 2, 3].map((n) => head.slice(-n)) : [head];
        const lasts = tail.length > 3 ? [1, 2, 3].map((n) => tail.slice(0, n)) : [tail];
        for (const first of new Set(firsts)) {
          for (const last of new Set(lasts)) {
            const read = [first, window[1] ?? '', window[2] ?? '', last];
            if (read.every((p) => DECIMAL_OCTET.test(p) && Number(p) <= 255)) spellings.push(ipaddr.IPv4.parse(read.map((p) => String(Number(p))).join('.')));
          }
        }
      }
      for (const ip of spellings) if (ip !== null && !isDocumentation(ip)) return `${window.join('.')} (${ip.toString()})`;
    }
  }
  return null;
}

/** The first IPv6 address outside 2001:db8::/32 in a normalised text, or null. */
function foreignIpv6(normalised: string): string | null {
  for (const match of normalised.matchAll(IPV6_CANDIDATE)) {
    const run = match[0];
    let colons = 0;
    for (const c of run) if (c === ':') colons += 1;
    if (colons < 2) continue;
    if (run.length > 45) return run.slice(0, 45);
    for (const candidate of [run, run.replace(/\.+$/, ''), run.replace(/:$/, '')]) {
      if (!ipaddr.IPv6.isValid(candidate)) continue;
      const ip = ipaddr.IPv6.parse(candidate);
      if (!isDocumentation(ip)) return candidate;
      break;
    }
  }
  return null;
}

/** Whether a run of the base64 alphabets is encoded data (see the thresholds above). */
function looksEncoded(run: string): boolean {
  if (run.length < BASE64_MIXED_RUN) return false;
  const upper = /[A-Z]/.test(run);
  const lower = /[a-z]/.test(run);
  const digit = /[0-9]/.test(run);
  if (upper && lower && digit) return true;
  if (run.length >= BASE64_ANY_RUN && Number(upper) + Number(lower) + Number(digit) + Number(/[+/]/.test(run)) >= 2) return true;
  return run.length >= ALNUM_MIXED_RUN && digit && (upper || lower);
}

/** The first base64 or base64url run in a (case-preserving) text that is encoded data, or null. */
function encodedRun(text: string): string | null {
  for (const match of text.matchAll(BASE64_RUN)) if (looksEncoded(match[0])) return match[0];
  // base64url's - and _ also separate words in screen names: a long run counts when it mixes two of the classes.
  for (const match of text.matchAll(BASE64URL_RUN)) {
    const run = match[0];
    if (run.length < BASE64_ANY_RUN) continue;
    if (Number(/[A-Z]/.test(run)) + Number(/[a-z]/.test(run)) + Number(/[0-9]/.test(run)) >= 2) return run;
  }
  return null;
}

/** At most `max` characters of a text for a message, so an answer never echoes a long input back. */
export function excerpt(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

export interface TextCheckOptions {
  /** The caller's own bound (at most MAX_CHECKED_TEXT); checked before anything else. */
  maxLength: number;
  /** Whether newlines and tabs are allowed (instructor prose written as YAML block scalars). */
  lines?: boolean;
  /**
   * Sentences: a plain decimal number is a number there (a seed, a count), not a decimal address; hex and
   * octal single numbers and every dotted spelling still are addresses. In names (the default) 134744072 is 8.8.8.8.
   */
  prose?: boolean;
}

/**
 * Why a text is not synthetic, or null. The length is checked first, then characters, then (on the
 * normalised text) the data markers, encoded runs, addresses and domains.
 */
export function syntheticTextIssue(text: string, options: TextCheckOptions): string | null {
  const max = Math.min(options.maxLength, MAX_CHECKED_TEXT);
  if (text.length > max) return `is ${text.length} characters long; at most ${max}`;
  if ((options.lines === true ? CONTROL_BUT_LINES : CONTROL).test(text)) return options.lines === true ? 'must not hold control characters' : 'must be a single line without control characters';
  if (INVISIBLE.test(text)) return 'must not hold invisible, bidi-control, private-use or unassigned characters';
  const normalised = normaliseText(text);
  if (normalised.length > 4 * max) return `is ${normalised.length} characters long once normalised (NFKC); at most ${4 * max}`;
  if (INVISIBLE.test(normalised) || CONTROL_BUT_LINES.test(normalised)) return 'must not hold invisible or control characters';
  if (/^\s*data:/.test(normalised) || /data:[a-z0-9.+-]+\//.test(normalised)) return 'must not be a data: URI (a tip carries no file content)';
  if (/base64,|;base64/.test(normalised)) return 'must not hold base64 data (a tip carries no file content)';
  const encoded = encodedRun(text.normalize('NFKC'));
  if (encoded !== null) return `holds ${excerpt(encoded, 24)}, which looks like encoded data (names and sentences are short words)`;
  const ipv4 = foreignIpv4(normalised, options.prose !== true);
  if (ipv4 !== null) return `mentions ${excerpt(ipv4, 60)}, which is not a documentation address (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32)`;
  const ipv6 = foreignIpv6(normalised);
  if (ipv6 !== null) return `mentions ${excerpt(ipv6, 45)}, which is not a documentation address (2001:db8::/32)`;
  const host = foreignHost(normalised);
  if (host !== null) return `mentions ${excerpt(host, 60)}, which is not an example.com, example.org or example.net domain`;
  return null;
}
