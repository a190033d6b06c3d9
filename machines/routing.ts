// The routing statechart: a tip's way from intake to a closed outcome, with a clock region for the timer
// that runs across phases. Structure only: every guard, action and delay is implemented in src/domain and
// bound here by name, so the chart stays data that a picture can be drawn from. Two exports: the machine a
// session runs, `createRoutingMachine(reference)`, and the same chart for tools, `routingChart`, which
// needs no reference data.
import { and, assertEvent, assign, setup, stateIn } from 'xstate';
import * as actions from '../src/domain/routing/actions.js';
import { initialRoutingContext, type RoutingContext, type RoutingInput } from '../src/domain/routing/context.js';
import { ruleRefusal, type RuleGuard } from '../src/domain/routing/decision-rules.js';
import {
  acknowledgementSlaMs,
  espPreservationMs,
  PRESERVATION_2703F_MS,
  recordsRetentionMs,
  timerMessages,
  triageSlaMs,
} from '../src/domain/routing/timers.js';
import type { RoutingEvent } from '../src/domain/events.js';
import type { Reference } from '../src/domain/reference/reference.js';
import { viralDuplicateOf } from '../src/domain/triage.js';

export type RoutingMachineEvent = RoutingEvent;

/** The decision points, as state tags (`decision:triage` …), and `closed` on the closed states. */
export type RoutingTag = 'decision:triage' | 'decision:geolocation' | 'decision:route' | 'closed';

/**
 * The chart's version, recorded with every session (DESIGN §9). Raise it when a change to states, events,
 * guards or timers could make a stored log replay differently; sessions of an earlier version that no longer
 * replay are then reported as such. 1: timer records carried XState's `xstate.after.*` names. 3: a supplemental
 * report that raises the tip's exigency during triage restarts the triage SLA at the new priority. 4: a reported
 * location is never tagged with a network-only caveat (fitsIndicatorKind), which version 3 accepted.
 */
export const ROUTING_CHART_VERSION = 4;

export function createRoutingMachine(reference: Reference) {
  /** A rule of the rule book (src/domain/routing/decision-rules.ts) as a guard: it holds for this event. */
  const holds =
    (rule: RuleGuard) =>
    ({ context, event }: { context: RoutingContext; event: RoutingMachineEvent }): boolean =>
      ruleRefusal(rule, context, event, reference) === null;
  return setup({
    types: {
      context: {} as RoutingContext,
      events: {} as RoutingMachineEvent,
      input: {} as RoutingInput,
      tags: {} as RoutingTag,
    },
    guards: {
      isRejectedAtIntake: ({ context }) => context.tip === null,
      isViralDuplicate: ({ context }) => context.tip !== null && viralDuplicateOf(context.tip, new Set(context.openFileHashes)) !== null,
      hasReasonForP1Downgrade: holds('hasReasonForP1Downgrade'),
      fitsAnIndicator: holds('fitsAnIndicator'),
      fitsIndicatorKind: holds('fitsIndicatorKind'),
      isNotYetTagged: holds('isNotYetTagged'),
      isTagged: holds('isTagged'),
      hasDeterminingIndicator: holds('hasDeterminingIndicator'),
      isKnownJurisdiction: holds('isKnownJurisdiction'),
      wasNotDeclined: holds('wasNotDeclined'),
      hasLegalProcessCandidate: holds('hasLegalProcessCandidate'),
      matchesSubscriberIndicator: holds('matchesSubscriberIndicator'),
      subscriberStaysWithinTipLimits: holds('subscriberStaysWithinTipLimits'),
      indicatorStaysWithinTipLimits: holds('indicatorStaysWithinTipLimits'),
      // The clock region stops when the routing region closes (no internal event: XState's stateIn).
      isTipClosed: stateIn('#tip.routing.closed'),
      choosesInformationalTrack: ({ event }) => event.type === 'TRIAGE.ASSIGN' && event.track === 'informational',
      raisesExigency: ({ context, event }) => event.type === 'TIP.SUPPLEMENT' && actions.supplementRaisesExigency(context, event),
    },
    delays: {
      triageSla: ({ context }) => triageSlaMs(context),
      acknowledgementSla: ({ context }) => acknowledgementSlaMs(context),
      preservation2703f: PRESERVATION_2703F_MS,
      recordsRetention: ({ context }) => recordsRetentionMs(context),
      espPreservation: ({ context }) => espPreservationMs(context),
    },
    actions: {
      recordRejection: assign(({ context }) => actions.recordRejection(context)),
      recordBundled: assign(({ context }) => actions.recordBundled(context, reference)),
      assignPriority: assign(({ context, event }) => {
        assertEvent(event, 'TRIAGE.ASSIGN');
        return actions.assignPriority(context, event);
      }),
      assignTrack: assign(({ context, event }) => {
        assertEvent(event, 'TRIAGE.ASSIGN');
        return actions.assignTrack(context, event);
      }),
      assessForTheRecord: assign(({ context }) => actions.assessForTheRecord(context, reference)),
      resolveIndicators: assign(({ context }) => actions.resolveIndicators(context, reference)),
      addTag: assign(({ context, event }) => {
        assertEvent(event, 'GEO.TAG');
        return actions.addTag(context, event);
      }),
      removeTag: assign(({ context, event }) => {
        assertEvent(event, 'GEO.UNTAG');
        return actions.removeTag(context, event);
      }),
      confirmAssessment: assign(({ context }) => actions.confirmAssessment(context)),
      referToJurisdiction: assign(({ context, event }) => {
        assertEvent(event, 'ROUTE.REFER');
        return actions.referToJurisdiction(context, event, reference);
      }),
      requestLegalProcess: assign(({ context, event }) => {
        assertEvent(event, 'ROUTE.LEGAL_PROCESS');
        return actions.requestLegalProcess(context, event, reference);
      }),
      closeAsInformational: assign(({ context, event }) => {
        assertEvent(event, 'ROUTE.INFORMATIONAL');
        return actions.closeAsInformational(context, event, reference);
      }),
      recordDecline: assign(({ context, event }) => {
        assertEvent(event, 'AGENCY.DECLINE');
        return actions.recordDecline(context, event);
      }),
      recordAcknowledgement: assign(({ context }) => actions.recordAcknowledgement(context)),
      applySubscriberReturn: assign(({ context, event }) => {
        assertEvent(event, 'SUBSCRIBER.RETURNED');
        return actions.applySubscriberReturn(context, event);
      }),
      addIndicator: assign(({ context, event }) => {
        assertEvent(event, 'INDICATOR.ADD');
        return actions.addIndicator(context, event);
      }),
      applySupplement: assign(({ context, event }) => {
        assertEvent(event, 'TIP.SUPPLEMENT');
        return actions.applySupplement(context, event);
      }),
      recordTriageSlaBreach: assign(({ context }) => actions.recordTimer(context, timerMessages.triageSlaBreached(context))),
      recordAcknowledgementOverdue: assign(({ context }) => actions.recordTimer(context, timerMessages.acknowledgementOverdue(context))),
      recordEspPreservationLapsed: assign(({ context }) => actions.recordTimer(context, timerMessages.espPreservationLapsed(context))),
      recordRecordsExpired: assign(({ context }) => actions.recordTimer(context, timerMessages.recordsExpired())),
      recordPreservationRenewed: assign(({ context }) => actions.recordTimer(context, timerMessages.preservationRenewed())),
      recordPreservationExpired: assign(({ context }) => actions.recordTimer(context, timerMessages.preservationExpired())),
    },
  }).createMachine({
    id: 'tip',
    type: 'parallel',
    context: ({ input }) => initialRoutingContext(input),
    states: {
      routing: {
        initial: 'intake',
        states: {
          intake: {
            description: 'The report is checked against the contentless tip schema and against open tips.',
            initial: 'validating',
            states: {
              validating: {
                always: [{ guard: 'isRejectedAtIntake', target: '#tip.routing.closed.rejected', actions: 'recordRejection' }, { target: 'deduplicating' }],
              },
              deduplicating: {
                always: [{ guard: 'isViralDuplicate', target: '#tip.routing.closed.bundled', actions: 'recordBundled' }, { target: '#tip.routing.triage' }],
              },
            },
          },
          triage: {
            description: 'An analyst assigns a priority (P1 exigent to P3) and a track (referral or informational).',
            tags: ['decision:triage'],
            after: { triageSla: { actions: 'recordTriageSlaBreach' } },
            on: {
              'TRIAGE.ASSIGN': [
                { guard: and(['hasReasonForP1Downgrade', 'choosesInformationalTrack']), target: 'closed.informational', actions: ['assignPriority', 'assignTrack', 'assessForTheRecord'] },
                { guard: 'hasReasonForP1Downgrade', target: 'geolocation', actions: ['assignPriority', 'assignTrack'] },
              ],
              // A report that makes the tip more urgent restarts the SLA at the new priority's length (a P3 made
              // exigent has one hour from now, not 72 from arrival); otherwise the SLA keeps counting from arrival.
              'TIP.SUPPLEMENT': [{ guard: 'raisesExigency', target: 'triage', reenter: true, actions: 'applySupplement' }, { actions: 'applySupplement' }],
            },
          },
          geolocation: {
            description: 'Each IP event, P2P observation and reported location is resolved and tagged with its caveats.',
            initial: 'resolving',
            states: {
              resolving: {
                entry: 'resolveIndicators',
                always: { target: 'tagging' },
              },
              tagging: {
                tags: ['decision:geolocation'],
                on: {
                  'GEO.TAG': { guard: and(['fitsAnIndicator', 'fitsIndicatorKind', 'isNotYetTagged']), actions: 'addTag' },
                  'GEO.UNTAG': { guard: and(['fitsAnIndicator', 'isTagged']), actions: 'removeTag' },
                  'GEO.CONFIRM': { target: '#tip.routing.referral', actions: 'confirmAssessment' },
                },
              },
            },
            on: {
              'INDICATOR.ADD': { guard: 'indicatorStaysWithinTipLimits', target: 'geolocation', reenter: true, actions: 'addIndicator' },
              'TIP.SUPPLEMENT': { target: 'triage', actions: 'applySupplement' },
            },
          },
          referral: {
            description: 'The route is chosen; a referral waits for the agency to acknowledge or decline it.',
            initial: 'selecting',
            states: {
              selecting: {
                tags: ['decision:route'],
                on: {
                  'ROUTE.REFER': { guard: and(['hasDeterminingIndicator', 'isKnownJurisdiction', 'wasNotDeclined']), target: 'awaitingAcknowledgement', actions: 'referToJurisdiction' },
                  'ROUTE.LEGAL_PROCESS': { guard: 'hasLegalProcessCandidate', target: '#tip.routing.legalProcess', actions: 'requestLegalProcess' },
                  'ROUTE.INFORMATIONAL': { target: '#tip.routing.closed.informational', actions: 'closeAsInformational' },
                  'INDICATOR.ADD': { guard: 'indicatorStaysWithinTipLimits', target: '#tip.routing.geolocation', actions: 'addIndicator' },
                  'TIP.SUPPLEMENT': { target: '#tip.routing.triage', actions: 'applySupplement' },
                },
              },
              awaitingAcknowledgement: {
                after: { acknowledgementSla: { target: 'acknowledgementOverdue', actions: 'recordAcknowledgementOverdue' } },
                on: {
                  'AGENCY.ACKNOWLEDGE': { target: '#tip.routing.closed.referred', actions: 'recordAcknowledgement' },
                  'AGENCY.DECLINE': { target: 'selecting', actions: 'recordDecline' },
                },
              },
              acknowledgementOverdue: {
                on: {
                  'AGENCY.ACKNOWLEDGE': { target: '#tip.routing.closed.referred', actions: 'recordAcknowledgement' },
                  'AGENCY.DECLINE': { target: 'selecting', actions: 'recordDecline' },
                },
              },
            },
          },
          legalProcess: {
            description: 'Preservation is requested so subscriber information can place an attribution-blocked indicator.',
            initial: 'preservationRequested',
            states: {
              preservationRequested: {
                after: { recordsRetention: { target: '#tip.routing.closed.informational', actions: 'recordRecordsExpired' } },
                on: { 'PRESERVATION.CONFIRMED': { target: 'preserved' } },
              },
              preserved: {
                after: { preservation2703f: { target: 'preservationRenewed', actions: 'recordPreservationRenewed' } },
              },
              preservationRenewed: {
                after: { preservation2703f: { target: '#tip.routing.closed.informational', actions: 'recordPreservationExpired' } },
              },
            },
            on: {
              'SUBSCRIBER.RETURNED': { guard: and(['matchesSubscriberIndicator', 'subscriberStaysWithinTipLimits']), target: 'geolocation', actions: 'applySubscriberReturn' },
              'INDICATOR.ADD': { guard: 'indicatorStaysWithinTipLimits', target: 'geolocation', actions: 'addIndicator' },
              'TIP.SUPPLEMENT': { target: 'triage', actions: 'applySupplement' },
            },
          },
          closed: {
            description: 'One final state per outcome.',
            tags: ['closed'],
            // Every transition names its outcome; the initial child only satisfies the compound-state rule.
            initial: 'informational',
            states: {
              referred: { type: 'final' },
              informational: { type: 'final' },
              bundled: { type: 'final' },
              rejected: { type: 'final' },
            },
          },
        },
      },
      // A region, not XState's other idiom (an `after` on a state enclosing every open phase, as in the
      // workflow-purchase-order-deadline example): that enclosing state would rename every state path
      // (routing.triage would become routing.open.triage), which stored sessions, exercises' `when:` conditions,
      // the web and the debrief read; the region holds one timer and stops with the tip (isTipClosed).
      clock: {
        description: 'Timers that run across phases: the ESP preservation of the reported content.',
        initial: 'running',
        states: {
          running: {
            after: { espPreservation: { target: 'espPreservationLapsed', actions: 'recordEspPreservationLapsed' } },
            always: { guard: 'isTipClosed', target: 'stopped' },
          },
          espPreservationLapsed: { always: { guard: 'isTipClosed', target: 'stopped' } },
          stopped: { type: 'final' },
        },
      },
    },
  });
}

export type RoutingMachine = ReturnType<typeof createRoutingMachine>;

/** Stands for the reference data in the chart for tools: any use says how to run the chart instead. */
const REFERENCE_NOT_GIVEN = new Proxy({} as Reference, {
  get(_target, field) {
    throw new Error(`the routing chart reads the reference data (${String(field)}): run sessions on createRoutingMachine(reference), not routingChart`);
  },
});

/**
 * The chart for tools (a diagram, a graph traversal, the Stately editor or inspector): the same states,
 * transitions, tags and guard, action and delay names as every session's machine, loaded without the
 * reference data's YAML. The guards and actions that read the reference (the geolocation, the registry)
 * throw when they run; a session runs on `createRoutingMachine(reference)`.
 */
export const routingChart: RoutingMachine = createRoutingMachine(REFERENCE_NOT_GIVEN);
