// The simulator's parameters (fixtures/sim/parameters.yaml and files given with --params), validated with
// zod at the edge. Parsing is pure: text in, parameters or issues out; reading the file is the shell's job.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isDocumentationCidr } from '../domain/tip/synthetic.js';
import { INCIDENT_ANNOTATIONS, INCIDENT_TYPES, isUsRegionCode } from '../domain/tip/vocabulary.js';
import { CHANNELS } from '../domain/reference/jurisdictions.js';
import { NETWORK_KINDS } from '../domain/reference/geo.js';
import { issuesOf, type Parsed } from '../domain/tip/parse.js';

export const PARAMS_FORMAT = 'tipflow.sim-params/1';
export const FIRST_YEAR = 2019;
export const LAST_YEAR = 2024;

const share = z.number().min(0).max(1);
const positive = z.number().positive();
const weights = <K extends string>(keys: readonly K[]) =>
  z.partialRecord(z.enum(keys), z.number().min(0)).refine((w) => Object.values<number | undefined>(w).some((v) => (v ?? 0) > 0), { error: 'at least one weight must be positive' });
const countWeights = z.record(z.string().regex(/^\d+$/, { error: 'a count (0, 1, 2, ...)' }), z.number().min(0));
const perPriority = <T extends z.ZodType>(value: T) => z.strictObject({ P1: value, P2: value, P3: value });

export const SIM_NETWORK_KINDS = [...NETWORK_KINDS, 'uncovered'] as const;
export type SimNetworkKind = (typeof SIM_NETWORK_KINDS)[number];

const location = z
  .strictObject({
    countryCode: z.string().regex(/^[A-Z]{2}$/, { error: 'an ISO 3166-1 alpha-2 country code' }),
    region: z.string().regex(/^[A-Z0-9]{1,3}$/, { error: 'an ISO 3166-2 subdivision code without its country' }).optional(),
    city: z.string().regex(/^[A-Za-z][A-Za-z .'-]{0,39}$/, { error: 'a city name (letters, spaces, . \' -)' }).optional(),
    weight: z.number().min(0),
  })
  .refine((l) => l.countryCode !== 'US' || l.region === undefined || isUsRegionCode(l.region), { error: 'a US region is a state code (TX, PA, ...)', path: ['region'] });

export const simParamsSchema = z.strictObject({
  format: z.literal(PARAMS_FORMAT),
  years: z
    .record(
      z.string().regex(/^\d{4}$/, { error: 'a year such as 2019' }),
      z.strictObject({ reports: z.int().positive(), bundledShare: share.optional() }),
    )
    .refine((y) => Object.keys(y).length > 0, { error: 'at least one year' }),
  defaultYear: z.int(),
  arrivals: z.strictObject({ weekendFactor: positive, growthWithinYear: z.number().min(-0.9).max(10) }),
  publicShare: share,
  rejectedShare: share,
  incident: z.strictObject({
    types: weights(INCIDENT_TYPES),
    escalatedShare: share,
    annotations: z.partialRecord(z.enum(INCIDENT_ANNOTATIONS), share),
  }),
  esp: z.strictObject({
    filesPerReport: z.number().min(0).max(50),
    memeOnlyShare: share,
    subjectsPerReport: countWeights,
    ipEventsPerSubject: countWeights,
    estimatedLocationShare: share,
    verifiedShare: share,
    p2pShare: share,
  }),
  public: z.strictObject({ estimatedLocationShare: share, ipEventShare: share }),
  network: z.strictObject({
    kinds: weights(SIM_NETWORK_KINDS),
    uncovered: z.array(z.string().refine(isDocumentationCidr, { error: 'a CIDR inside a documentation range' })).min(1),
    possibleProxyShare: share,
    portMissing: z.strictObject({ mobile: share, other: share }),
    missingTimestampShare: share,
    eventAgeDays: positive,
  }),
  locations: z.array(location).min(1),
  analysts: perPriority(z.int().positive().max(100_000)),
  minutes: z.strictObject({ triage: perPriority(positive), routing: perPriority(positive) }),
  world: z.strictObject({
    acknowledgementDays: z.strictObject(Object.fromEntries(CHANNELS.map((c) => [c, positive])) as Record<(typeof CHANNELS)[number], typeof positive>),
    preservationConfirmedShare: share,
    preservationConfirmDays: positive,
    subscriberReturnShare: share,
    subscriberReturnDays: positive,
    viralPool: z.int().min(1).max(10_000),
  }),
}).superRefine((p, ctx) => {
  if (p.years[String(p.defaultYear)] === undefined) ctx.addIssue({ code: 'custom', path: ['defaultYear'], message: `${p.defaultYear} is not one of the years listed under years` });
  for (const [name, table] of [['esp.subjectsPerReport', p.esp.subjectsPerReport], ['esp.ipEventsPerSubject', p.esp.ipEventsPerSubject]] as const) {
    if (!Object.values(table).some((w) => w > 0)) ctx.addIssue({ code: 'custom', path: name.split('.'), message: 'at least one weight must be positive' });
  }
  if (!p.locations.some((l) => l.weight > 0)) ctx.addIssue({ code: 'custom', path: ['locations'], message: 'at least one location needs a positive weight' });
});

export type SimParams = z.infer<typeof simParamsSchema>;

export function parseSimParams(text: string): Parsed<SimParams> {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    return { ok: false, issues: [{ path: '', message: `not valid YAML: ${(error as Error).message}` }] };
  }
  const result = simParamsSchema.safeParse(value, { reportInput: true });
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: issuesOf(result.error) };
}

/** The year's reports and bundled share, or null when the parameters do not list the year. */
export function yearVolume(params: SimParams, year: number): { reports: number; bundledShare: number } | null {
  const entry = params.years[String(year)];
  return entry === undefined ? null : { reports: entry.reports, bundledShare: entry.bundledShare ?? 0 };
}
