// The contentless tip (DESIGN §3) as a strict zod schema: an unknown field is an error, so nothing can be
// smuggled in beside the metadata, and every address, domain and free string must be synthetic.
import { z } from 'zod';
import {
  FILE_ANNOTATIONS,
  INCIDENT_ANNOTATIONS,
  INCIDENT_TYPES,
  INDUSTRY_CLASSIFICATIONS,
  INTERNET_DETAIL_KINDS,
  IP_EVENT_NAMES,
  TIP_SOURCES,
  isUsRegionCode,
} from './vocabulary.js';
import {
  DOCUMENTATION_RANGES,
  MAX_FREE_STRING,
  freeStringProblem,
  isDocumentationAddress,
  isExampleEmail,
  isExampleUrl,
} from './synthetic.js';
import { excerpt } from './synthetic-text.js';

/** A value for a message: at most a short excerpt, so a refusal never echoes a long input back. */
const quote = (value: unknown): string => excerpt(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));

export const freeString = z
  .string()
  .check((ctx) => {
    const problem = freeStringProblem(ctx.value);
    if (problem !== null) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem });
  })
  .meta({
    description: 'A short single-line name (at most 80 characters): no data: URIs, no base64, only synthetic domains and addresses.',
    // The JSON Schema carries what it can express of the rule, so editors flag most mistakes too.
    maxLength: MAX_FREE_STRING,
    pattern: '^[^\\u0000-\\u001f]+$',
    not: { pattern: '(^\\s*[Dd][Aa][Tt][Aa]:)|([Bb][Aa][Ss][Ee]64,)' },
  });

export const documentationIp = z
  .string()
  .refine(isDocumentationAddress, {
    error: (issue) => `${quote(issue.input)} is not a documentation address (allowed: ${DOCUMENTATION_RANGES.join(', ')})`,
  })
  .meta({
    description: `An IP address in a documentation range: ${DOCUMENTATION_RANGES.join(', ')}.`,
    pattern: '^((192\\.0\\.2|198\\.51\\.100|203\\.0\\.113)\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])|2001:0?[dD][bB]8:[0-9A-Fa-f:.]*)$',
  });

export const exampleEmail = z
  .string()
  .refine(isExampleEmail, { error: (issue) => `${quote(issue.input)} is not an e-mail address at example.com, example.org or example.net` })
  .meta({
    description: 'An e-mail address at example.com, example.org or example.net (or a subdomain).',
    pattern: '^[A-Za-z0-9._%+-]{1,64}@([A-Za-z0-9-]+\\.)*[Ee][Xx][Aa][Mm][Pp][Ll][Ee]\\.([Cc][Oo][Mm]|[Oo][Rr][Gg]|[Nn][Ee][Tt])$',
  });

export const exampleUrl = z
  .string()
  .refine(isExampleUrl, { error: (issue) => `${quote(issue.input)} is not an http(s) URL on example.com, example.org or example.net` })
  .meta({
    description: 'An http(s) URL on example.com, example.org or example.net, at most 200 characters.',
    maxLength: 200,
    pattern: '^[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9-]+\\.)*[Ee][Xx][Aa][Mm][Pp][Ll][Ee]\\.([Cc][Oo][Mm]|[Oo][Rr][Gg]|[Nn][Ee][Tt])\\.?(:[0-9]{1,5})?([/?#][^\\s]*)?$',
  });

export const isoDateTime = z.iso
  .datetime({ offset: true, error: (issue) => `${quote(issue.input)} is not an ISO 8601 date-time such as 2019-06-01T10:00:00Z` })
  .meta({ description: 'ISO 8601 date-time with a zone, e.g. 2019-06-01T10:00:00Z.' });

export const isoDateOrDateTime = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })], {
    error: (issue) => `${quote(issue.input)} is not an ISO 8601 date (2019-05-01) or date-time (2019-05-01T10:00:00Z)`,
  })
  .meta({ description: 'ISO 8601 date (midnight UTC) or date-time.' });

const port = z.int().min(1, { error: 'a port is 1 to 65535' }).max(65535, { error: 'a port is 1 to 65535' });
const countryCode = z.string().regex(/^[A-Z]{2}$/, { error: (issue) => `${quote(issue.input)} is not an ISO 3166-1 alpha-2 country code such as US or FR` });
const regionCode = z.string().regex(/^[A-Z0-9]{0,3}$/, { error: (issue) => `${quote(issue.input)} is not an ISO 3166-2 subdivision code without its country (TX, 54, LND) or ""` });
const localId = (what: string) =>
  z.string().regex(/^[A-Za-z0-9-]{1,20}$/, { error: (issue) => `${quote(issue.input)} is not a ${what} id (1 to 20 letters, digits or hyphens)` });

/**
 * The tip's list limits, named so the rules that grow a tip (INDICATOR.ADD, TIP.SUPPLEMENT) keep it within
 * the same schema that accepted it.
 */
export const TIP_LIMITS = { subjects: 50, ipEventsPerSubject: 200, files: 500, p2p: 200 } as const;

function listOf<T extends z.ZodType>(item: T, max: number) {
  return z.array(item).max(max, { error: `at most ${max} entries` });
}

const locationFields = {
  countryCode,
  region: regionCode.optional(),
  city: freeString.optional(),
};

/** A US region names a state (ISO 3166-2:US), so the jurisdiction registry can place it. */
function usRegionRule(location: { countryCode: string; region?: string | undefined }, ctx: z.RefinementCtx): void {
  if (location.countryCode === 'US' && location.region !== undefined && location.region !== '' && !isUsRegionCode(location.region)) {
    ctx.addIssue({ code: 'custom', path: ['region'], message: `${location.region} is not a US state code (ISO 3166-2:US, such as TX or PA)` });
  }
}

export const estimatedLocationSchema = z.strictObject({ ...locationFields, verified: z.boolean().optional() }).superRefine(usRegionRule);
/** A location reported back by legal process (subscriber information): always verified, so no flag. */
export const reportedLocationSchema = z.strictObject(locationFields).superRefine(usRegionRule);

export const ipEventSchema = z.strictObject({
  ip: documentationIp,
  port: port.optional(),
  event: z.enum(IP_EVENT_NAMES).optional(),
  dateTime: isoDateTime.optional(),
  possibleProxy: z.boolean().optional(),
});

export const subjectSchema = z.strictObject({
  id: localId('subject'),
  screenName: freeString.optional(),
  email: exampleEmail.optional(),
  ipEvents: listOf(ipEventSchema, TIP_LIMITS.ipEventsPerSubject).optional(),
  estimatedLocation: estimatedLocationSchema.optional(),
});

export const fileSchema = z.strictObject({
  id: localId('file'),
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, { error: 'a sha256 hash is 64 hexadecimal digits (a tip carries hashes, never file bytes)' }),
  viewedByEsp: z.boolean().optional(),
  publiclyAvailable: z.boolean().optional(),
  industryClassification: z.enum(INDUSTRY_CLASSIFICATIONS).optional(),
  annotations: listOf(z.enum(FILE_ANNOTATIONS), 2).optional(),
});

export const p2pObservationSchema = z.strictObject({
  ip: documentationIp,
  network: freeString,
  // Codes (B, E, G2) or names (BitTorrent): DESIGN §3 calls network names free strings.
  allNetworks: listOf(freeString, 10).optional(),
  foiCount: z.int().min(0).optional(),
  firstSeen: isoDateOrDateTime.optional(),
  lastSeen: isoDateOrDateTime.optional(),
  port: port.optional(),
});

export const incidentSchema = z.strictObject({
  type: z.enum(INCIDENT_TYPES),
  escalateToHighPriority: z.boolean().optional(),
  annotations: listOf(z.enum(INCIDENT_ANNOTATIONS), INCIDENT_ANNOTATIONS.length).optional(),
  dateTime: isoDateTime.optional(),
});

export const internetDetailSchema = z.strictObject({
  kind: z.enum(INTERNET_DETAIL_KINDS),
  url: exampleUrl.optional(),
});

export const reporterSchema = z.strictObject({ espName: freeString.optional() });

export const tipSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Z0-9-]{3,40}$/, { error: (issue) => `${quote(issue.input)} is not a tip id (3 to 40 capitals, digits or hyphens, e.g. TIP-0001)` }),
    source: z.enum(TIP_SOURCES),
    receivedAt: isoDateTime,
    reporter: reporterSchema.optional(),
    incident: incidentSchema,
    internetDetails: listOf(internetDetailSchema, 20).optional(),
    subjects: listOf(subjectSchema, TIP_LIMITS.subjects).optional(),
    files: listOf(fileSchema, TIP_LIMITS.files).optional(),
    p2p: listOf(p2pObservationSchema, TIP_LIMITS.p2p).optional(),
  })
  .superRefine((tip, ctx) => {
    if (tip.source === 'esp' && tip.reporter?.espName === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reporter', 'espName'], message: 'an ESP report names its (fictional) service provider in reporter.espName' });
    }
    const duplicated = (ids: string[]) => ids.find((id, index) => ids.indexOf(id) !== index);
    const subjectDup = duplicated((tip.subjects ?? []).map((s) => s.id));
    if (subjectDup !== undefined) ctx.addIssue({ code: 'custom', path: ['subjects'], message: `subject id ${subjectDup} is used twice` });
    const fileDup = duplicated((tip.files ?? []).map((f) => f.id));
    if (fileDup !== undefined) ctx.addIssue({ code: 'custom', path: ['files'], message: `file id ${fileDup} is used twice` });
  })
  .meta({ title: 'tipflow tip', description: 'A synthetic, contentless CyberTipline-style report: metadata only.' });

export type Tip = z.infer<typeof tipSchema>;
export type Subject = z.infer<typeof subjectSchema>;
export type IpEvent = z.infer<typeof ipEventSchema>;
export type P2pObservation = z.infer<typeof p2pObservationSchema>;
export type EstimatedLocation = z.infer<typeof estimatedLocationSchema>;
export type TipFile = z.infer<typeof fileSchema>;
