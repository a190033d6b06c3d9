// What `tipflow play` shows between decisions, as plain text for people who have never seen a statechart:
// where the tip is, the tip's contentless facts, each indicator's geolocation once resolved, the simulated
// clock with its deadlines in words, what has been decided, and the inbox. No answers: caveats, confidence
// and the rule book's reasons stay hidden until the debrief.
import { CAVEAT_EFFECTS } from '../../domain/caveats/codes.js';
import { indicatorRowsOf, type IndicatorRow } from '../../domain/indicator-rows.js';
import { hidesTriageDeadline, triageSlaSummary } from '../../domain/routing/timer-table.js';
import { delayOfTimerEvent } from '../../domain/routing/timers.js';
import type { RoutingContext, Tag } from '../../domain/routing/context.js';
import type { Outcome } from '../../domain/routing/outcome.js';
import { CHANNEL_TEXT } from '../../domain/reference/jurisdictions.js';
import { tipFactsOf, type TipFacts } from '../../domain/tip/facts.js';
import { timeOf } from '../../domain/indicators.js';
import { phaseOf, type RoutingSession } from '../../engine/index.js';
import type { PendingTimer } from '../../engine/simulated-clock.js';
import { elapsedText } from '../../scenario/report.js';
import { renderTable } from '../../io/text-table.js';
import { wrapText } from '../../io/text-wrap.js';
import type { Happening, PlaySession } from './play-session.js';

/** 2019-06-01T10:00:00.000Z → 2019-06-01 10:00 UTC; a date alone stays a date. */
export function clockText(iso: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const d = new Date(timeOf(iso));
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const dash = (value: string | number | null | undefined): string => (value === null || value === undefined || value === '' ? '-' : String(value));
const indent = (lines: readonly string[], by = '  '): string[] => lines.map((l) => `${by}${l}`);
const table = (header: readonly string[], rows: readonly (readonly string[])[], width = Number.POSITIVE_INFINITY): string[] => indent(renderTable(header, rows, width - 6).split('\n'), '    ');


const STEPS = ['intake', 'triage', 'geolocation', 'route', 'closed'] as const;

/** intake ✓ → triage ✓ → [ GEOLOCATION ] → referral / legal process → closed */
export function breadcrumb(session: RoutingSession): string {
  const phase = phaseOf(session.snapshot.value);
  const current = phase === 'referral' || phase === 'legalProcess' ? 3 : STEPS.indexOf(phase);
  const label = (step: (typeof STEPS)[number]): string => {
    // Choosing the route (referral.selecting) comes before either branch is taken.
    if (step === 'route' && session.state !== 'referral.selecting') {
      if (phase === 'referral') return 'referral';
      if (phase === 'legalProcess') return 'legal process';
    }
    if (step === 'route') return 'referral / legal process';
    if (step === 'closed' && session.closed) return `closed: ${session.outcome ?? ''}`;
    return step;
  };
  return STEPS.map((step, i) => (i < current ? `${label(step)} ✓` : i === current ? `[ ${label(step).toUpperCase()} ]` : label(step))).join(' → ');
}

/** Where the tip is, in words, and what is expected of the trainee there. */
export function whereNow(session: RoutingSession): string {
  const c = session.context;
  const agency = c.jurisdiction === null ? 'the agency' : `${c.jurisdiction.id} (${c.jurisdiction.name})`;
  switch (session.state) {
    case 'triage':
      return 'The tip waits for triage: assign a priority and a track.';
    case 'geolocation.tagging':
      return 'The indicators are resolved: tag the geolocation caveats of each one, then confirm the assessment.';
    case 'referral.selecting':
      return c.declined.length > 0 ? 'The referral was declined: choose the route again.' : 'The geolocation assessment is confirmed: choose the route.';
    case 'referral.awaitingAcknowledgement':
      return `Referred to ${agency}: waiting for the agency to acknowledge (wait, or read the inbox).`;
    case 'referral.acknowledgementOverdue':
      return `Referred to ${agency}: the acknowledgement is overdue; still waiting for the agency.`;
    case 'legalProcess.preservationRequested':
      return 'Legal process: a preservation request went to the carrier; waiting for it to confirm before its records expire.';
    case 'legalProcess.preserved':
      return 'Legal process: the records are preserved (2703(f), 90 days); waiting for the subscriber information.';
    case 'legalProcess.preservationRenewed':
      return 'Legal process: preservation was renewed once for 90 days; waiting for the subscriber information.';
    default:
      return session.closed ? `The tip is closed: ${session.outcome ?? 'no outcome'}.` : `The tip is in ${session.state}.`;
  }
}

/** A pending timer in words: "triage SLA (P1) due 2019-06-01 11:00 UTC (in 1h)". */
export function timerText(timer: PendingTimer, session: RoutingSession, mode: 'practice' | 'assessment' = 'practice'): string {
  const c = session.context;
  const delay = delayOfTimerEvent(timer.eventType) ?? '';
  const due = `${clockText(new Date(timer.due).toISOString())} (in ${elapsedText(timer.due - session.clock.now)})`;
  switch (delay) {
    case 'triageSla':
      // The SLA's length is the rule book's priority: in an assessment that would give the answer away.
      if (hidesTriageDeadline(mode, c.priority !== null, delay)) return `triage SLA running (${triageSlaSummary()} from arrival)`;
      return `triage SLA (${c.exigency ?? 'P3'}) due ${due}`;
    case 'acknowledgementSla':
      return `referral acknowledgement SLA (${c.priority ?? c.exigency ?? 'P3'}) from ${c.jurisdiction?.id ?? 'the agency'} due ${due}`;
    case 'recordsRetention':
      return `the carrier's records expire ${due} unless it confirms preservation first`;
    case 'preservation2703f':
      return session.state === 'legalProcess.preservationRenewed'
        ? `renewed 2703(f) preservation ends ${due}; without subscriber information the tip then becomes informational`
        : `2703(f) preservation period ends ${due} (it can be renewed once)`;
    case 'espPreservation':
      return `the reporting provider's preservation of the reported content (18 U.S.C. 2258A) ends ${due}`;
    default:
      return `${timer.eventType} at ${due}`;
  }
}

function clockLines(play: PlaySession): string[] {
  const { session } = play;
  const lines = [`Simulated clock: ${clockText(session.now)} (exercise time ${elapsedText(session.clock.now - play.startMs)})`];
  const timers = session.closed ? [] : session.clock.timers();
  lines.push(timers.length === 0 ? 'Deadlines: none running' : 'Deadlines:');
  lines.push(...indent(timers.map((t) => `• ${timerText(t, session, play.mode)}`)));
  return lines;
}

const SOURCE_TEXT = { esp: 'an electronic service provider (ESP)', public: 'a member of the public' } as const;

/** The rows the screen and the tagging prompts show (src/domain/indicator-rows.ts: the web's rows too). */
export const rowsOf = (c: Pick<RoutingContext, 'tip' | 'assessment'>): IndicatorRow[] => (c.tip === null ? [] : indicatorRowsOf(c.tip, c.assessment));

const place = (l: { city: string | null; region: string | null; country: string | null }): string => [l.city, l.region, l.country].filter((p) => p !== null && p !== '').join(', ');
const rowPlace = (row: IndicatorRow): string => place(row.reported ?? row.geo ?? { city: null, region: null, country: null }) || 'no location';

/** The tip's facts: metadata only, the way a CyberTipline report lists them. */
export function tipFacts(facts: TipFacts, rows: readonly IndicatorRow[], width = Number.POSITIVE_INFINITY): string[] {
  const { incident } = facts;
  const lines = [
    `Tip ${facts.id} · reported by ${SOURCE_TEXT[facts.source]}${facts.reporter === null ? '' : `: ${facts.reporter}`} · received ${clockText(facts.receivedAt)}`,
    `Incident type: ${incident.type}${incident.dateTime === null ? '' : ` · incident time ${clockText(incident.dateTime)}`}`,
    `Escalated to high priority by the reporter: ${incident.escalated ? 'YES' : 'no'}`,
    `Annotations: ${incident.annotations.join(', ') || 'none'}`,
    `Where online: ${facts.internetDetails.map((d) => (d.url === null ? d.kind : `${d.kind} (${d.url})`)).join(', ') || 'not given'}`,
  ];
  const { files } = facts;
  lines.push(files.length === 0 ? 'Files: none listed' : `Files: ${files.length} (hashes only, never content)`);
  if (files.length > 0) {
    const yesNo = (flag: boolean | null): string => (flag === null ? '-' : flag ? 'yes' : 'no');
    lines.push(
      ...table(
        ['file', 'sha256 (start)', 'class', 'viewed by ESP', 'public', 'annotations'],
        files.map((f) => [f.id, `${f.sha256.slice(0, 12)}…`, dash(f.classification), yesNo(f.viewedByEsp), yesNo(f.publiclyAvailable), f.annotations.join(', ') || '-']),
        width,
      ),
    );
  }
  const { subjects } = facts;
  lines.push(subjects.length === 0 ? 'Subjects: none' : 'Subjects:');
  for (const s of subjects) {
    const parts = [s.id, s.screenName === null ? null : `screen name ${s.screenName}`, s.email === null ? null : `e-mail ${s.email}`].filter(Boolean);
    const located = rows.find((r) => r.source === 'estimatedLocation' && r.subjectId === s.id);
    const reported = located?.reported ?? null;
    const where = located === undefined || reported === null ? '' : ` · estimated location ${place(reported)} (${reported.verified ? 'verified' : 'not verified'}; indicator ${located.id})`;
    lines.push(`  ${parts.join(' · ')}${where}`);
  }
  const ipRows = rows.filter((r) => r.source === 'ipEvent').map((r) => [r.id, dash(r.subjectId), dash(r.ip), dash(r.port), dash(r.event), r.time === null ? 'no time' : clockText(r.time), r.possibleProxy ? 'YES' : 'no']);
  lines.push(ipRows.length === 0 ? 'IP events: none' : 'IP events:');
  if (ipRows.length > 0) lines.push(...table(['indicator', 'subject', 'IP address', 'port', 'event', 'time', 'flagged proxy (reporting provider)'], ipRows, width));
  const p2p = rows.filter((r) => r.source === 'p2p');
  lines.push(p2p.length === 0 ? 'P2P observations: none' : 'P2P observations:');
  if (p2p.length > 0) {
    lines.push(
      ...table(
        ['indicator', 'IP address', 'port', 'carrier', 'network', 'all networks', 'location', 'FOI count', 'first seen', 'last seen'],
        p2p.map((r) => {
          const { geo } = r;
          const seen = r.p2p;
          return [
            r.id,
            dash(r.ip),
            dash(r.port),
            geo === null ? '(at geolocation)' : dash(geo.isp),
            dash(seen?.network),
            seen?.allNetworks.join(' ') || '-',
            geo === null ? '(at geolocation)' : `${geo.country ?? ''},${geo.region ?? ''},${geo.city ?? ''}`,
            dash(seen?.foiCount),
            dash(seen?.firstSeen),
            dash(r.time),
          ];
        }),
        width,
      ),
    );
  }
  return lines;
}

export const daysText = (days: number): string => `${days} day${days === 1 ? '' : 's'}`;
/** How long the carrier keeps subscriber records; 0 means it keeps none. */
export const retentionText = (days: number | null): string => (days === null ? '-' : days === 0 ? 'no records kept' : daysText(days));

const ageText = (row: IndicatorRow): string => (row.geo === null || row.geo.ageDays === null ? 'no time' : daysText(row.geo.ageDays));

/** Each indicator's lookup: carrier, network kind, location, record retention; never the caveats. */
export function geolocationLines(routingTime: string | null, rows: readonly IndicatorRow[], width = Number.POSITIVE_INFINITY): string[] {
  if (routingTime === null) return ['Resolved at the geolocation step.'];
  if (rows.length === 0) return ['The tip has no location indicator.'];
  return [
    `Routing time ${clockText(routingTime)}. Locations reflect network indicators, not people.`,
    ...table(
      ['indicator', 'IP address', 'carrier', 'network kind', 'location', 'carrier keeps records', 'age at routing time'],
      rows.map((r) =>
        r.source === 'estimatedLocation'
          ? [r.id, '-', '-', 'reported location', rowPlace(r), '-', '-']
          : [r.id, dash(r.ip), r.geo?.isp ?? 'no geolocation entry', dash(r.geo?.kind), rowPlace(r), retentionText(r.geo?.retentionDays ?? null), ageText(r)],
      ),
      width,
    ),
  ];
}

/** One line on an indicator for its tagging checklist: what the report and the lookup say of it. */
export function rowSummary(row: IndicatorRow): string {
  if (row.source === 'estimatedLocation') return `reported location ${rowPlace(row)}`;
  const { geo } = row;
  return [
    row.ip,
    row.port === null ? 'no port' : `port ${row.port}`,
    geo?.isp ?? 'no geolocation entry',
    geo?.kind ?? null,
    rowPlace(row),
    row.time === null ? 'no time' : clockText(row.time),
    geo === null || geo.retentionDays === null ? null : `ISP keeps records: ${retentionText(geo.retentionDays)}`,
  ]
    .filter((p) => p !== null)
    .join(' · ');
}

export const tagText = (t: Tag): string => `${t.caveat} on ${t.indicatorId ?? 'the tip'}`;

function decidedLines(c: RoutingContext, outcome: Outcome | null, closed: boolean): string[] {
  const lines: string[] = [];
  if (c.priority !== null) lines.push(`Priority ${c.priority}, ${c.track ?? '?'} track.`);
  if (c.assessment !== null) lines.push(`Caveat tags${c.geolocationConfirmed ? ' (confirmed)' : ''}: ${c.tags.map(tagText).join('; ') || 'none'}`);
  for (const d of c.declined) lines.push(`Declined by ${d.jurisdictionId}: ${d.reason}`);
  if (c.jurisdiction !== null) lines.push(`Referred to ${c.jurisdiction.id}: ${c.jurisdiction.name} (channel ${c.jurisdiction.channel}: ${CHANNEL_TEXT[c.jurisdiction.channel]})${c.notify.length > 0 ? `; also notified: ${c.notify.join(', ')}` : ''}.`);
  if (outcome !== null) lines.push(closed ? `Outcome: ${outcome}.` : `Route so far: ${outcome}.`);
  return lines.length === 0 ? ['Nothing yet.'] : lines;
}

export function happeningText(h: Happening): string {
  const label = h.kind === 'message' ? 'new message' : h.kind === 'clock' ? 'clock' : 'note';
  return `${clockText(h.at)} · ${label}: ${h.text}`;
}

/** The screen; `width` (the terminal's columns) wraps long text and tables at word boundaries. */
export function renderScreen(play: PlaySession, notices: readonly string[], width = Number.POSITIVE_INFINITY): string {
  const { session } = play;
  const c = session.context;
  const rows = rowsOf(c);
  const rule = '─'.repeat(Math.min(100, width));
  const lines = [
    `tipflow play · ${play.exercise.title} (${play.exercise.id}) · ${play.mode} mode`,
    rule,
    `Where the tip is:  ${breadcrumb(session)}`,
    `Now: ${whereNow(session)}`,
    ...clockLines(play),
    '',
    'THE TIP (metadata only: no images, no file content)',
    ...indent(c.tip === null ? ['The report was rejected at intake.'] : tipFacts(tipFactsOf(c.tip), rows, width)),
    '',
    'GEOLOCATION',
    ...indent(geolocationLines(c.assessment?.routingTime ?? null, rows, width)),
    '',
    'DECIDED SO FAR',
    ...indent(decidedLines(c, session.outcome, session.closed)),
  ];
  const clockEvents = c.timerEvents;
  if (play.inbox.length > 0 || clockEvents.length > 0) {
    lines.push('', 'INBOX');
    lines.push(...indent(play.inbox.map((m) => `${clockText(m.at)} · ${m.message}`)));
    lines.push(...indent(clockEvents.map((m) => `clock: ${m}`)));
  }
  if (notices.length > 0) lines.push('', ...notices.map((n) => `» ${n}`));
  lines.push(rule);
  return `${wrapText(lines.join('\n'), width)}\n`;
}

/** The checkbox label of a caveat code: the code and its one-line meaning. */
export const caveatChoiceText = (code: keyof typeof CAVEAT_EFFECTS): string => `${code.padEnd(22)} ${CAVEAT_EFFECTS[code].meaning}`;
