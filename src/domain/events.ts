// The events a routing session accepts from outside (DESIGN §9): decisions (a trainee's, or the answer
// key's in auto mode) and injects (an instructor's or the scenario's). They are validated here, at the edge.
import { z } from 'zod';
import { CAVEAT_CODES } from './caveats/codes.js';
import { PRIORITIES, TRACKS } from './triage.js';
import { freeString, reportedLocationSchema, ipEventSchema, isoDateTime, p2pObservationSchema } from './tip/schema.js';
import { FILE_ANNOTATIONS, INCIDENT_ANNOTATIONS } from './tip/vocabulary.js';
import { issuesOf, type Parsed } from './tip/parse.js';

const reason = freeString.meta({ description: 'Why, in a short line.' });
const indicatorId = z.string().regex(/^(subjects\[\d+\]\.(ipEvents\[\d+\]|estimatedLocation)|p2p\[\d+\])$/, {
  error: 'an indicator id is its path in the tip, like subjects[0].ipEvents[1], p2p[0] or subjects[0].estimatedLocation',
});
/** Every event may carry the simulated time it happened at; the engine sets it from its clock. */
const at = { at: isoDateTime.optional() };

export const decisionEventSchemas = {
  'TRIAGE.ASSIGN': z.strictObject({ type: z.literal('TRIAGE.ASSIGN'), priority: z.enum(PRIORITIES), track: z.enum(TRACKS), reason: reason.optional(), ...at }),
  'GEO.TAG': z.strictObject({ type: z.literal('GEO.TAG'), indicatorId: indicatorId.nullable(), caveat: z.enum(CAVEAT_CODES), ...at }),
  'GEO.UNTAG': z.strictObject({ type: z.literal('GEO.UNTAG'), indicatorId: indicatorId.nullable(), caveat: z.enum(CAVEAT_CODES), ...at }),
  'GEO.CONFIRM': z.strictObject({ type: z.literal('GEO.CONFIRM'), ...at }),
  'ROUTE.REFER': z.strictObject({ type: z.literal('ROUTE.REFER'), jurisdictionId: z.string().regex(/^[A-Z0-9-]{2,40}$/, { error: 'a jurisdiction id such as US-TX-ICAC or INTERPOL-BR' }), ...at }),
  'ROUTE.LEGAL_PROCESS': z.strictObject({ type: z.literal('ROUTE.LEGAL_PROCESS'), ...at }),
  'ROUTE.INFORMATIONAL': z.strictObject({ type: z.literal('ROUTE.INFORMATIONAL'), reason: reason.optional(), ...at }),
} as const;

const supplementSchema = z.strictObject({
  escalateToHighPriority: z.boolean().optional(),
  annotations: z.array(z.enum(INCIDENT_ANNOTATIONS)).max(INCIDENT_ANNOTATIONS.length).optional(),
  files: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[A-Za-z0-9-]{1,20}$/),
        sha256: z.string().regex(/^[0-9a-fA-F]{64}$/),
        annotations: z.array(z.enum(FILE_ANNOTATIONS)).max(2).optional(),
      }),
    )
    .max(50)
    .optional(),
});

export const injectEventSchemas = {
  'AGENCY.ACKNOWLEDGE': z.strictObject({ type: z.literal('AGENCY.ACKNOWLEDGE'), ...at }),
  'AGENCY.DECLINE': z.strictObject({ type: z.literal('AGENCY.DECLINE'), reason, ...at }),
  'SUBSCRIBER.RETURNED': z.strictObject({
    type: z.literal('SUBSCRIBER.RETURNED'),
    indicatorId,
    location: reportedLocationSchema,
    ...at,
  }),
  'INDICATOR.ADD': z
    .strictObject({
      type: z.literal('INDICATOR.ADD'),
      subjectId: z.string().regex(/^[A-Za-z0-9-]{1,20}$/).optional(),
      ipEvent: ipEventSchema.optional(),
      p2p: p2pObservationSchema.optional(),
      ...at,
    })
    .refine((e) => (e.ipEvent === undefined) !== (e.p2p === undefined), { error: 'INDICATOR.ADD carries exactly one of ipEvent or p2p' })
    .refine((e) => e.ipEvent === undefined || e.subjectId !== undefined, { error: 'an added IP event names its subjectId', path: ['subjectId'] }),
  'TIP.SUPPLEMENT': z.strictObject({ type: z.literal('TIP.SUPPLEMENT'), supplement: supplementSchema, ...at }),
  'PRESERVATION.CONFIRMED': z.strictObject({ type: z.literal('PRESERVATION.CONFIRMED'), ...at }),
} as const;

const d = decisionEventSchemas;
const i = injectEventSchemas;
export const routingEventSchema = z.discriminatedUnion('type', [
  d['TRIAGE.ASSIGN'], d['GEO.TAG'], d['GEO.UNTAG'], d['GEO.CONFIRM'], d['ROUTE.REFER'], d['ROUTE.LEGAL_PROCESS'], d['ROUTE.INFORMATIONAL'],
  i['AGENCY.ACKNOWLEDGE'], i['AGENCY.DECLINE'], i['SUBSCRIBER.RETURNED'], i['INDICATOR.ADD'], i['TIP.SUPPLEMENT'], i['PRESERVATION.CONFIRMED'],
]);

export type RoutingEvent = z.infer<typeof routingEventSchema>;
export type RoutingEventType = RoutingEvent['type'];
export type EventOf<T extends RoutingEventType> = Extract<RoutingEvent, { type: T }>;
export type DecisionEvent = z.infer<(typeof decisionEventSchemas)[keyof typeof decisionEventSchemas]>;
export type InjectEvent = z.infer<(typeof injectEventSchemas)[keyof typeof injectEventSchemas]>;
export type TipSupplement = z.infer<typeof supplementSchema>;

export const DECISION_EVENT_TYPES = Object.keys(decisionEventSchemas) as (keyof typeof decisionEventSchemas)[];
export const INJECT_EVENT_TYPES = Object.keys(injectEventSchemas) as (keyof typeof injectEventSchemas)[];
export const isDecisionEvent = (event: RoutingEvent): event is DecisionEvent => (DECISION_EVENT_TYPES as string[]).includes(event.type);

export function parseRoutingEvent(input: unknown): Parsed<RoutingEvent> {
  const result = routingEventSchema.safeParse(input, { reportInput: true });
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: issuesOf(result.error) };
}
