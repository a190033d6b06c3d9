// Reference data as one value handed to the rule book: the geolocation database and the jurisdiction
// registry. Parsing is pure (text in, value or issues out); reading the files is the shell's job.
import { parse as parseYaml } from 'yaml';
import { issuesOf, type InputIssue, type Parsed } from '../tip/parse.js';
import { createGeoDatabase, geoReferenceSchema, type GeoDatabase } from './geo.js';
import { createJurisdictionRegistry, jurisdictionReferenceSchema, type JurisdictionRegistry } from './jurisdictions.js';

export interface Reference {
  geo: GeoDatabase;
  jurisdictions: JurisdictionRegistry;
  /** A digest of the reference texts, recorded with every session (DESIGN §9): which data it ran on. */
  digest: string;
}

/** cyrb53, a fast 53-bit string hash: a fingerprint of the reference texts, not a security measure. */
function fingerprint(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

function parseYamlWith<T>(text: string, parse: (value: unknown) => Parsed<T>): Parsed<T> {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    return { ok: false, issues: [{ path: '', message: `not valid YAML: ${(error as Error).message}` }] };
  }
  return parse(value);
}

export function parseGeoReference(text: string): Parsed<GeoDatabase> {
  return parseYamlWith(text, (value) => {
    const result = geoReferenceSchema.safeParse(value, { reportInput: true });
    return result.success ? { ok: true, value: createGeoDatabase(result.data.entries) } : { ok: false, issues: issuesOf(result.error) };
  });
}

export function parseJurisdictionReference(text: string): Parsed<JurisdictionRegistry> {
  return parseYamlWith(text, (value) => {
    const result = jurisdictionReferenceSchema.safeParse(value, { reportInput: true });
    return result.success ? { ok: true, value: createJurisdictionRegistry(result.data) } : { ok: false, issues: issuesOf(result.error) };
  });
}

export class ReferenceDataError extends Error {
  constructor(
    readonly file: string,
    readonly issues: InputIssue[],
  ) {
    super(`${file} is not valid reference data:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`);
  }
}

/** Both reference files, or a ReferenceDataError naming the file and each problem. */
export function createReference(geoText: string, jurisdictionText: string, names = { geo: 'geo-reference.yaml', jurisdictions: 'jurisdictions-reference.yaml' }): Reference {
  const geo = parseGeoReference(geoText);
  if (!geo.ok) throw new ReferenceDataError(names.geo, geo.issues);
  const jurisdictions = parseJurisdictionReference(jurisdictionText);
  if (!jurisdictions.ok) throw new ReferenceDataError(names.jurisdictions, jurisdictions.issues);
  return { geo: geo.value, jurisdictions: jurisdictions.value, digest: `cyrb53:${fingerprint(geoText)}-${fingerprint(jurisdictionText)}` };
}
