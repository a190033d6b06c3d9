// The exercise file (DESIGN §10): an HSEEP-style master scenario events list for one tip. Instructors
// write it in YAML; this schema is its contract and the source of `tipflow schema scenario`.
import { z } from 'zod';
import { CAVEAT_CODES } from '../domain/caveats/codes.js';
import { CHANNELS } from '../domain/reference/jurisdictions.js';
import { injectEventSchemas } from '../domain/events.js';
import { PRIORITIES, TRACKS } from '../domain/triage.js';
import { syntheticTextProblem } from '../domain/tip/synthetic.js';
import { ipEventSchema, isoDateTime, p2pObservationSchema } from '../domain/tip/schema.js';

export const EXERCISE_FORMAT = 'tipflow.exercise/1';
export const CAPABILITIES = ['intake', 'triage', 'geolocation', 'referral', 'legalProcess'] as const;
export type Capability = (typeof CAPABILITIES)[number];
export const RATINGS = ['P', 'S', 'M', 'U'] as const;
export type Rating = (typeof RATINGS)[number];
export const VERDICTS = ['right', 'partly', 'wrong'] as const;

/** Instructor prose (titles, objectives, messages): sentences about the process, synthetic like the tip. */
const prose = (max: number) =>
  z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `at most ${max} characters` })
    .check((ctx) => {
      const problem = syntheticTextProblem(ctx.value);
      if (problem !== null) ctx.issues.push({ code: 'custom', input: ctx.value, message: problem });
    });

const localId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { error: 'an id is 1 to 40 lowercase letters, digits or hyphens' });

/** A simulated time after the clock start: +30m, +2h, +3d, +1d2h. */
export const OFFSET_PATTERN = /^\+(?=\d)(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;
const offset = z.string().regex(OFFSET_PATTERN, { error: 'a time after the clock start such as +30m, +2h, +3d or +1d2h' });

export function offsetMs(text: string): number {
  const match = OFFSET_PATTERN.exec(text);
  if (match === null) return Number.NaN;
  const [, d = '0', h = '0', m = '0'] = match;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60_000;
}

/** Routing states an inject can be triggered by (entering them). */
export const TRIGGER_STATES = [
  'triage',
  'geolocation.tagging',
  'referral.selecting',
  'referral.awaitingAcknowledgement',
  'referral.acknowledgementOverdue',
  'legalProcess.preservationRequested',
  'legalProcess.preserved',
  'legalProcess.preservationRenewed',
] as const;

const jurisdictionId = z.string().regex(/^[A-Z0-9-]{2,40}$/, { error: 'a jurisdiction id such as US-TX-ICAC' });

/**
 * Which agencies an inject (or one of its variants) is for: the agency the tip was referred to must be one
 * of `jurisdiction`, or its channel one of `channel` (DESIGN §10, "injects answer what the trainee did").
 */
export const agencyConditionSchema = z
  .strictObject({
    jurisdiction: z.array(jurisdictionId).min(1).max(50).optional(),
    channel: z.array(z.enum(CHANNELS)).min(1).max(CHANNELS.length).optional(),
  })
  .refine((c) => c.jurisdiction !== undefined || c.channel !== undefined, { error: 'name a jurisdiction list or a channel list' });
export type AgencyCondition = z.infer<typeof agencyConditionSchema>;

/** What an inject says (and, for an agency's answer, does) when its condition holds; the inject's own fields are the default. */
const injectVariantSchema = z.strictObject({
  if: agencyConditionSchema,
  message: prose(400),
  /** An agency's answer may differ by agency: one declines, the others acknowledge. */
  kind: z.enum(['agency-acknowledge', 'agency-decline']).optional(),
  reason: injectEventSchemas['AGENCY.DECLINE'].shape.reason.optional(),
});
export type InjectVariant = z.infer<typeof injectVariantSchema>;

const injectCommon = {
  id: localId,
  /** What the trainee reads when the inject arrives; `{agency}` is the name of the agency the tip was referred to. */
  message: prose(400),
  /** Only for these agencies (when no variant applies): for any other the inject is recorded as not delivered. */
  if: agencyConditionSchema.optional(),
  /** Per-agency versions of this inject, the first that applies wins; the inject itself is the default. */
  variants: z.array(injectVariantSchema).min(1).max(10).optional(),
  /** Sent by the instructor only when needed; never part of the scripted run. */
  contingency: z.boolean().optional(),
  at: offset.optional(),
  when: z.strictObject({ state: z.enum(TRIGGER_STATES), occurrence: z.int().min(1).max(20).optional() }).optional(),
};

const ev = injectEventSchemas;
export const injectSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...injectCommon, kind: z.literal('agency-acknowledge') }),
  z.strictObject({ ...injectCommon, kind: z.literal('agency-decline'), reason: ev['AGENCY.DECLINE'].shape.reason }),
  z.strictObject({
    ...injectCommon,
    kind: z.literal('subscriber-returned'),
    indicatorId: ev['SUBSCRIBER.RETURNED'].shape.indicatorId,
    location: ev['SUBSCRIBER.RETURNED'].shape.location,
  }),
  z.strictObject({
    ...injectCommon,
    kind: z.literal('new-indicator'),
    subjectId: z.string().regex(/^[A-Za-z0-9-]{1,20}$/).optional(),
    ipEvent: ipEventSchema.optional(),
    p2p: p2pObservationSchema.optional(),
  }),
  z.strictObject({ ...injectCommon, kind: z.literal('supplemental-report'), supplement: ev['TIP.SUPPLEMENT'].shape.supplement }),
  z.strictObject({ ...injectCommon, kind: z.literal('preservation-confirmed') }),
  // Information only (an HSEEP "contextual" inject): the trainee reads it; the tip is not touched.
  z.strictObject({ ...injectCommon, kind: z.literal('message') }),
]);
export type Inject = z.infer<typeof injectSchema>;
export type Pace = 'paced' | number;
export const paceOf = (exercise: Exercise): Pace => exercise.clock?.pace ?? 'paced';
export const INJECT_KINDS = ['agency-acknowledge', 'agency-decline', 'subscriber-returned', 'new-indicator', 'supplemental-report', 'preservation-confirmed', 'message'] as const;

const tag = z.strictObject({ indicatorId: ev['SUBSCRIBER.RETURNED'].shape.indicatorId.nullable(), caveat: z.enum(CAVEAT_CODES) });

/** A deadline (issue 15): `1h`, `30m`, `1h30m`, `2d`, from the tip's arrival, or `{ limit: 30m, from: state }`. */
export const SPAN_PATTERN = /^(?=\d)(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;
const span = z.string().regex(SPAN_PATTERN, { error: 'a span of time such as 30m, 1h, 1h30m or 2d' });
export const spanMs = (text: string): number => offsetMs(`+${text}`);
export const withinSchema = z.union([span, z.strictObject({ limit: span, from: z.enum(['arrival', 'state']) })]);
export type Within = z.infer<typeof withinSchema>;

const expectationCommon = {
  id: localId,
  objective: localId,
  /** Which time this decision point is reached (a route is chosen again after a decline). */
  occurrence: z.int().min(1).max(20).optional(),
  hint: prose(300).optional(),
  /** Why this differs from the rule book's answer key (local policy); required when it does. */
  override: prose(300).optional(),
  /** A deadline for this decision: later counts at most partly right (DESIGN §10). */
  within: withinSchema.optional(),
};

export const expectedActionSchema = z.discriminatedUnion('point', [
  z.strictObject({ ...expectationCommon, point: z.literal('triage'), priority: z.enum(PRIORITIES), track: z.enum(TRACKS) }),
  z.strictObject({ ...expectationCommon, point: z.literal('geolocation'), caveats: z.array(tag).max(200) }),
  z.strictObject({
    ...expectationCommon,
    point: z.literal('route'),
    route: z.enum(['refer', 'legal-process', 'informational']),
    jurisdictionId: z.string().regex(/^[A-Z0-9-]{2,40}$/, { error: 'a jurisdiction id such as US-TX-ICAC' }).optional(),
  }),
]);
export type ExpectedAction = z.infer<typeof expectedActionSchema>;

const thresholds = z
  .strictObject({ P: z.number().min(0).max(1), S: z.number().min(0).max(1), M: z.number().min(0).max(1) })
  .refine((t) => t.P >= t.S && t.S >= t.M, { error: 'thresholds must not increase from P to S to M' });
export type Thresholds = z.infer<typeof thresholds>;
export const DEFAULT_THRESHOLDS: Thresholds = { P: 1, S: 0.75, M: 0.5 };

export const exerciseSchema = z.strictObject({
  format: z.literal(EXERCISE_FORMAT),
  id: localId,
  title: prose(100),
  summary: prose(600),
  /**
   * What the trainee reads before starting (DESIGN §10): the situation, never the answer (no priority,
   * caveat, channel or agency). `summary`, `lesson` and the rest are the instructor's.
   */
  brief: prose(600).optional(),
  /** What the exercise teaches: a caveat code, a channel, or another short code (for `generate --lesson`). */
  lesson: z.string().regex(/^[A-Za-z0-9_-]{2,40}$/, { error: 'a lesson code such as CGNAT_NO_PORT, attache or decline' }),
  audience: z.array(prose(80)).min(1).max(10),
  duration: z.string().regex(/^\d+(m|h)$/, { error: 'a duration such as 45m or 2h' }),
  objectives: z
    .array(z.strictObject({ id: localId, capability: z.enum(CAPABILITIES), description: prose(300), within: withinSchema.optional() }))
    .min(1)
    .max(20),
  /** The tip inline, or the path of a tip file relative to this file. */
  tip: z.union([z.string().regex(/^[^\0]{1,200}\.json$/, { error: 'a path to a .json tip file' }), z.record(z.string(), z.unknown())]),
  clock: z
    .strictObject({
      start: isoDateTime.optional(),
      /**
       * How simulated time passes in an assessment (DESIGN §10): `paced` (it moves only when the trainee waits
       * or the instructor advances) or a factor (6: one real minute is six simulated minutes). Default: paced.
       */
      pace: z.union([z.literal('paced'), z.number().min(1, { error: 'a pace factor is at least 1' }).max(10_000, { error: 'a pace factor is at most 10000' })]).optional(),
    })
    .optional(),
  injects: z.array(injectSchema).max(50).optional(),
  expectedActions: z.array(expectedActionSchema).min(1).max(50),
  rubric: z
    .strictObject({
      default: thresholds.optional(),
      objectives: z.record(localId, thresholds).optional(),
      /** The share of caveats in common (twice the right ones over expected plus yours) for "partly"; default 0.5. */
      caveatShare: z.number().min(0).max(1).optional(),
      /** The best verdict a decision can have after a hint for it (default partly) or taken back and made again (default right). */
      hinted: z.enum(VERDICTS).optional(),
      undone: z.enum(VERDICTS).optional(),
    })
    .optional(),
});
export type Exercise = z.infer<typeof exerciseSchema>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A decision in the terms of an expected action, without its bookkeeping. */
export type ActionDecision = DistributiveOmit<ExpectedAction, 'id' | 'objective' | 'occurrence' | 'hint' | 'override' | 'within'>;
