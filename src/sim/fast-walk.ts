// The fast path: a tip's walk through the machine is decided by its decision signature, the inputs the
// chart's guards, delays and the answer key actually read:
//   - what the rule book decides (bundled, exigency and priority, track, how many caveat tags the answer key
//     sends, the route choice; after subscriber information, the tags added and removed and the new route),
//   - and the order in time of everything that can happen to the tip: the analyst's decisions, the world's
//     answers and every timer the chart can start (each due time computed by the chart's own delay
//     functions in src/domain/routing/timers.ts), ties included.
// The first tip with a signature goes through the real engine (walkWithEngine); its walk is kept as a
// template whose steps are labelled by the instant they happened at. A later tip with the same signature
// reuses the template with its own instants, and its own figures (caveats, confidence, jurisdiction) from
// the same rule-book functions the machine's actions call. tests/sim/fast-walk.test.ts checks the two
// paths give the same record for many generated tips; the simulator also re-checks a sample of every run.
import { assessGeolocation, legalProcessCandidates, type GeoAssessment } from '../domain/assessment.js';
import { expectedTags } from '../domain/routing/answer-key.js';
import { initialRoutingContext, type RoutingContext } from '../domain/routing/context.js';
import type { Outcome } from '../domain/routing/outcome.js';
import { chooseRoute, type RouteChoice } from '../domain/routing/route-choice.js';
import type { TimerDelay } from '../domain/routing/timer-table.js';
import { tagsNotIn } from '../domain/routing/tags.js';
import { withSubscriberReturn } from '../domain/routing/tip-updates.js';
import { ACKNOWLEDGEMENT_SLA_MS, espPreservationPeriodMs, PRESERVATION_2703F_MS, recordsRetentionMs, TRIAGE_SLA_MS } from '../domain/routing/timers.js';
import type { Jurisdiction } from '../domain/reference/jurisdictions.js';
import { priorityFor, trackFor, viralDuplicateOf } from '../domain/triage.js';
import type { Engine } from '../engine/index.js';
import { networkKindsOf, walkWithEngine, type AnalystTimes } from './engine-walk.js';
import type { SimTip, TipFactory } from './synthetic-tips.js';
import type { SimTipRecord, WalkStep } from './tip-record.js';
import { acknowledgementDelayMs } from './world.js';

/** The instants a step can happen at, in a fixed order (ties in the signature are listed in this order). */
export const INSTANTS = [
  'arrival', 'triageSla', 'espLapse', 'triaged', 'routed', 'ackDue', 'acknowledged', 'recordsDue',
  'preservationConfirmed', 'renewalDue', 'expiryDue', 'subscriberReturned', 'ackDueAfterReturn', 'acknowledgedAfterReturn',
] as const;
/**
 * The instants each of the chart's timers becomes (timer-table.ts lists the chart's delays): a timer the chart
 * gains is a type error here until the fast walk knows when it falls (tests/sim/fast-walk-timers.test.ts).
 */
export const TIMER_INSTANTS: Readonly<Record<TimerDelay, readonly (typeof INSTANTS)[number][]>> = {
  triageSla: ['triageSla'],
  acknowledgementSla: ['ackDue', 'ackDueAfterReturn'],
  recordsRetention: ['recordsDue'],
  preservation2703f: ['renewalDue', 'expiryDue'],
  espPreservation: ['espLapse'],
};
type InstantIndex = number;
const I = Object.fromEntries(INSTANTS.map((name, i) => [name, i])) as Record<(typeof INSTANTS)[number], InstantIndex>;

interface TemplateStep {
  type: string;
  actor: WalkStep['actor'];
  instant: InstantIndex;
  state: string;
}

/** A signature's walk, labelled by instants: plain data, so workers can hand theirs to each other. */
export interface Template {
  steps: TemplateStep[];
  routingOutcome: Outcome;
  finalOutcome: Outcome;
  /** Which route choice the final jurisdiction comes from. */
  jurisdictionFrom: 'first' | 'afterReturn' | null;
}

interface Facts {
  /** The decision signature: `decisions|order of the instants`. */
  key: string;
  /** What the rule book and the world decide, without the instants' order. */
  decisions: string;
  /** Each instant's epoch ms, NaN when it does not happen to this tip. */
  instants: number[];
  exigency: SimTipRecord['exigency'];
  priority: SimTipRecord['priority'];
  track: SimTipRecord['track'];
  assessment: GeoAssessment | null;
  first: Jurisdiction | null;
  afterReturn: Jurisdiction | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const BLANK_CONTEXT: RoutingContext = initialRoutingContext({ submission: null });
/** How many GEO.TAG events the answer key sends on a fresh assessment: expectedTags(assessment).length, without building the list. */
function tagCount(assessment: GeoAssessment): number {
  let n = assessment.tipCaveats.length;
  for (const indicator of assessment.indicators) n += indicator.caveats.length;
  return n;
}
const routeKind = (choice: RouteChoice): string => (choice.kind === 'refer' ? 'R' : choice.kind === 'legal-process' ? 'L' : 'I');

const LETTERS = INSTANTS.map((_, i) => String.fromCharCode(97 + i));
const NO_INSTANTS: readonly number[] = INSTANTS.map(() => Number.NaN);

/** The indices of the instants present, ordered by time then by INSTANTS order (an insertion sort of at most 14). */
function presentInOrder(instants: readonly number[]): number[] {
  const present: number[] = [];
  for (let i = 0; i < instants.length; i += 1) {
    const t = instants[i] ?? Number.NaN;
    if (Number.isNaN(t)) continue;
    let k = present.length;
    while (k > 0 && (instants[present[k - 1] ?? 0] ?? 0) > t) {
      present[k] = present[k - 1] ?? 0;
      k -= 1;
    }
    present[k] = i;
  }
  return present;
}

/** The first `n` of the ordered instants, with `<` between distinct times and `=` for ties. */
function orderOf(instants: readonly number[], present: readonly number[], n: number): string {
  let key = '';
  for (let k = 0; k < n; k += 1) {
    const i = present[k] ?? 0;
    if (k > 0) key += instants[i] === instants[present[k - 1] ?? 0] ? '=' : '<';
    key += LETTERS[i] ?? '';
  }
  return key;
}

/**
 * The key of a walk that ends (its last step) before the tip's instants from the n-th on: the order of the
 * first n, then, unordered, which instants come after. Any tip with the same decisions, the same first n in
 * the same order and the same later instants in any order walks the same: up to the n-th instant it sees the
 * same things in the same order, and after it, nothing the first tip saw there did anything (no step), so in
 * the same state nothing does. Only the set of later instants is kept, not dropped: an instant the first tip
 * lacked (a subscriber return, say) could have made a step.
 */
function endedKey(decisions: string, instants: readonly number[], present: readonly number[], n: number): string {
  const later = present.slice(n).sort((a, b) => a - b);
  let rest = '';
  for (const i of later) rest += LETTERS[i] ?? '';
  return `${decisions}|${orderOf(instants, present, n)}>${rest}`;
}

export class FastWalker {
  private readonly templates = new Map<string, Template>();
  /** Templates this walker learned itself since `takeLearned()` was last called. */
  private learned: [string, Template][] = [];
  private readonly pool: Set<string>;
  /** Tips that went through the engine because their signature was new. */
  misses = 0;
  /** Tips routed by the template of a walk that ended before some of their instants (see endedKey). */
  endedReuses = 0;

  constructor(
    readonly engine: Engine,
    readonly factory: TipFactory,
  ) {
    this.pool = new Set(factory.viralPool.map((h) => h.toLowerCase()));
  }

  get signatures(): number {
    return this.templates.size;
  }

  /** The templates learned from the engine since the last call (each worker hands them to the others). */
  takeLearned(): [string, Template][] {
    const learned = this.learned;
    this.learned = [];
    return learned;
  }

  /**
   * Templates another walker learned on the same run (same reference, parameters and seed): a signature
   * decides the walk, so the template is the one this walker would have learned, without an engine walk.
   */
  adopt(templates: readonly (readonly [string, Template])[]): void {
    for (const [key, template] of templates) if (!this.templates.has(key)) this.templates.set(key, template);
  }

  route(simTip: SimTip, times: AnalystTimes): SimTipRecord {
    const facts = this.factsOf(simTip, times);
    const template = this.templates.get(facts.key) ?? this.endedBefore(facts);
    if (template === undefined) {
      const record = walkWithEngine(this.engine, this.factory, simTip, times);
      const learned = templateOf(record, facts);
      this.learn(facts.key, learned);
      const ended = endedKeyOf(record, facts);
      if (ended !== null) this.learn(ended, learned);
      this.misses += 1;
      return record;
    }
    const { instants } = facts;
    const jurisdiction = template.jurisdictionFrom === 'first' ? facts.first : template.jurisdictionFrom === 'afterReturn' ? facts.afterReturn : null;
    return {
      index: simTip.head.index,
      routingOutcome: template.routingOutcome,
      finalOutcome: template.finalOutcome,
      exigency: facts.exigency,
      priority: facts.priority,
      track: facts.track,
      confidence: facts.assessment?.confidence ?? 'none',
      caveats: facts.assessment?.caveats ?? [],
      networkKinds: networkKindsOf(facts.assessment),
      jurisdiction: jurisdiction === null ? null : { id: jurisdiction.id, channel: jurisdiction.channel },
      notify: jurisdiction === null ? [] : this.engine.reference.jurisdictions.notifyFor(jurisdiction, simTip.submission.incident.type),
      steps: template.steps.map((s) => ({ type: s.type, actor: s.actor, at: instants[s.instant] ?? Number.NaN, state: s.state })),
    };
  }

  private learn(key: string, template: Template): void {
    this.templates.set(key, template);
    this.learned.push([key, template]);
  }

  /** A template of a walk that ended before some of this tip's instants (see endedKey), kept under the tip's own key too. */
  private endedBefore(facts: Facts): Template | undefined {
    if (facts.decisions === facts.key) return undefined;
    const present = presentInOrder(facts.instants);
    for (let n = 1; n < present.length; n += 1) {
      if (facts.instants[present[n] ?? 0] === facts.instants[present[n - 1] ?? 0]) continue; // a walk ends between distinct times
      const template = this.templates.get(endedKey(facts.decisions, facts.instants, present, n));
      if (template !== undefined) {
        this.templates.set(facts.key, template);
        this.endedReuses += 1;
        return template;
      }
    }
    return undefined;
  }

  /** The decision signature of a tip and the values its template is filled with. */
  private factsOf(simTip: SimTip, times: AnalystTimes): Facts {
    const { head, submission: tip, world } = simTip;
    const reference = this.engine.reference;
    const params = this.factory.params;
    const instants = NO_INSTANTS.slice();
    const a = head.arrivalMs;
    instants[I.arrival] = a;
    // Intake: the generator builds invalid submissions only when the head says so (the differential test
    // and the sampled check compare this with the schema's verdict through the engine).
    if (head.rejected) return { key: 'X', decisions: 'X', instants, exigency: null, priority: null, track: null, assessment: null, first: null, afterReturn: null };
    const assessment = assessGeolocation(tip, reference.geo, tip.receivedAt);
    const exigency = priorityFor(tip).value;
    if (viralDuplicateOf(tip, this.pool) !== null) return { key: 'B', decisions: 'B', instants, exigency, priority: null, track: null, assessment, first: null, afterReturn: null };

    const track = trackFor(tip).value;
    instants[I.triageSla] = a + TRIAGE_SLA_MS[exigency];
    instants[I.espLapse] = a + espPreservationPeriodMs(tip.receivedAt);
    instants[I.triaged] = times.triagedAt;
    let key = `${exigency}${track === 'informational' ? 'i' : 'r'}`;
    let first: Jurisdiction | null = null;
    let afterReturn: Jurisdiction | null = null;
    if (track === 'referral') {
      const t2 = times.routedAt;
      instants[I.routed] = t2;
      const choice = chooseRoute(assessment, reference.jurisdictions, [], 0);
      key += `${tagCount(assessment)}${routeKind(choice)}`;
      if (choice.kind === 'refer') {
        first = choice.jurisdiction;
        instants[I.ackDue] = t2 + ACKNOWLEDGEMENT_SLA_MS[exigency];
        instants[I.acknowledged] = t2 + acknowledgementDelayMs(params, first.channel, world.acknowledgeU);
      } else if (choice.kind === 'legal-process') {
        instants[I.recordsDue] = t2 + recordsRetentionMs({ ...BLANK_CONTEXT, assessment, routingTime: tip.receivedAt, legalProcessAt: new Date(t2).toISOString() });
        if (world.preservationConfirmMs !== null) {
          const confirmed = t2 + world.preservationConfirmMs;
          instants[I.preservationConfirmed] = confirmed;
          instants[I.renewalDue] = confirmed + PRESERVATION_2703F_MS;
          instants[I.expiryDue] = confirmed + 2 * PRESERVATION_2703F_MS;
        }
        const candidate = legalProcessCandidates(assessment)[0];
        if (world.subscriberReturnMs !== null && candidate !== undefined) {
          const returned = t2 + world.subscriberReturnMs;
          instants[I.subscriberReturned] = returned;
          const location = this.factory.subscriberLocation(candidate.country, candidate.region, world.locationU);
          const tip2 = withSubscriberReturn(tip, { type: 'SUBSCRIBER.RETURNED', indicatorId: candidate.id, location });
          const assessment2 = assessGeolocation(tip2, reference.geo, iso(returned));
          const tags = expectedTags(assessment);
          const tags2 = expectedTags(assessment2);
          const added = tagsNotIn(tags2, tags).length;
          const removed = tagsNotIn(tags, tags2).length;
          const choice2 = chooseRoute(assessment2, reference.jurisdictions, [], 1);
          key += `+${added}-${removed}${routeKind(choice2)}`;
          if (choice2.kind === 'refer') {
            afterReturn = choice2.jurisdiction;
            instants[I.ackDueAfterReturn] = returned + ACKNOWLEDGEMENT_SLA_MS[exigency];
            instants[I.acknowledgedAfterReturn] = returned + acknowledgementDelayMs(params, afterReturn.channel, world.acknowledgeAfterReturnU);
          }
        }
      }
    }
    const present = presentInOrder(instants);
    return { key: `${key}|${orderOf(instants, present, present.length)}`, decisions: key, instants, exigency, priority: exigency, track, assessment, first, afterReturn };
  }
}

/** The ended key of a walk whose last step comes before some of the tip's instants, or null. */
function endedKeyOf(record: SimTipRecord, facts: Facts): string | null {
  const last = record.steps[record.steps.length - 1];
  if (last === undefined || facts.decisions === facts.key) return null;
  const present = presentInOrder(facts.instants);
  let n = 0;
  while (n < present.length && (facts.instants[present[n] ?? 0] ?? 0) <= last.at) n += 1;
  return n < present.length ? endedKey(facts.decisions, facts.instants, present, n) : null;
}

function templateOf(record: SimTipRecord, facts: Facts): Template {
  const steps = record.steps.map((step) => {
    const instant = facts.instants.findIndex((t) => t === step.at);
    if (instant < 0) throw new Error(`simulate: tip ${record.index} took ${step.type} at ${iso(step.at)}, which is none of the instants of its signature ${facts.key}`);
    return { type: step.type, actor: step.actor, instant, state: step.state };
  });
  const id = record.jurisdiction?.id ?? null;
  const jurisdictionFrom = id === null ? null : id === facts.afterReturn?.id && steps.some((s) => s.type === 'SUBSCRIBER.RETURNED') ? 'afterReturn' : id === facts.first?.id ? 'first' : undefined;
  if (jurisdictionFrom === undefined) throw new Error(`simulate: tip ${record.index} was referred to ${id ?? ''}, which its signature ${facts.key} does not explain`);
  return { steps, routingOutcome: record.routingOutcome, finalOutcome: record.finalOutcome, jurisdictionFrom };
}
