// The result of routing one tip (DESIGN §11 `tipflow route --json`), read off a session's snapshot.
import type { Confidence } from '../domain/confidence.js';
import type { CaveatCode } from '../domain/caveats/codes.js';
import type { IndicatorSource } from '../domain/indicators.js';
import type { Channel } from '../domain/reference/jurisdictions.js';
import type { Outcome } from '../domain/routing/outcome.js';
import type { Priority, Track } from '../domain/triage.js';
import type { RoutingSession } from './engine.js';

export interface RouteResult {
  tipId: string | null;
  outcome: Outcome | null;
  priority: Priority | null;
  track: Track | null;
  confidence: Confidence;
  caveats: CaveatCode[];
  indicators: {
    id: string;
    source: IndicatorSource;
    ip: string | null;
    isp: string | null;
    country: string | null;
    region: string | null;
    city: string | null;
    kind: string | null;
    caveats: CaveatCode[];
    confidence: Confidence;
    determining: boolean;
  }[];
  jurisdiction: { id: string; name: string; country: string; region: string | null; channel: Channel } | null;
  notify: string[];
  reasons: string[];
  /** Where the machine stands, e.g. referral.awaitingAcknowledgement. */
  state: string;
  routedAt: string;
}

/** The id a rejected report claimed, when it has a plausible one, so errors can be matched to files. */
function submittedId(submission: unknown): string | null {
  const id = (submission as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length <= 40 ? id : null;
}

export function routeResultOf(session: RoutingSession): RouteResult {
  const context = session.context;
  const assessment = context.assessment;
  const j = context.jurisdiction;
  return {
    tipId: context.tip?.id ?? submittedId(session.input.submission),
    outcome: session.outcome,
    priority: context.priority,
    track: context.track,
    confidence: assessment?.confidence ?? 'none',
    caveats: assessment?.caveats ?? [],
    indicators: (assessment?.indicators ?? []).map((i) => ({
      id: i.id,
      source: i.source,
      ip: i.ip,
      isp: i.isp,
      country: i.country,
      region: i.region,
      city: i.city,
      kind: i.kind,
      caveats: i.caveats,
      confidence: i.confidence,
      determining: i.determining,
    })),
    jurisdiction: j === null ? null : { id: j.id, name: j.name, country: j.country, region: j.region, channel: j.channel },
    notify: context.notify,
    reasons: context.reasons,
    state: session.state,
    routedAt: context.routingTime,
  };
}
