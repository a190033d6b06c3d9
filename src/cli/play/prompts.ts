// The questions `tipflow play` asks (through @inquirer/prompts): the menu of what can be done now, and
// the data each decision needs. Each returns the decision as a routing event, or null when the trainee
// goes back; the engine still judges every decision and its refusal is shown in plain words.
import { checkbox, confirm, input, select } from '@inquirer/prompts';
import { TIP_CAVEAT_CHOICES } from '../../domain/caveats/choices.js';
import type { CaveatCode } from '../../domain/caveats/codes.js';
import type { RoutingEvent } from '../../domain/events.js';
import type { Tag } from '../../domain/routing/context.js';
import { hasTag, tagEventsToward } from '../../domain/routing/tags.js';
import { DAY_MS, HOUR_MS } from '../../domain/routing/timers.js';
import { freeString } from '../../domain/tip/schema.js';
import { PRIORITIES, type Priority, type Track } from '../../domain/triage.js';
import { elapsedText } from '../../scenario/report.js';
import type { PlaySession } from './play-session.js';
import { CHANNEL_TEXT } from '../../domain/reference/jurisdictions.js';
import { caveatChoiceText, clockText, rowsOf, rowSummary, tagText, timerText } from './screen.js';

export type MenuAction = 'triage' | 'tag' | 'confirm-geolocation' | 'refer' | 'legal-process' | 'informational' | 'wait' | 'hint' | 'undo' | 'quit' | 'end';

interface MenuItem {
  value: MenuAction;
  name: string;
  description: string;
  disabled?: string | boolean;
}

export async function mainMenu(play: PlaySession): Promise<MenuAction> {
  const allowed = new Set(play.session.allowedEvents());
  const items: MenuItem[] = [];
  if (allowed.has('TRIAGE.ASSIGN')) items.push({ value: 'triage', name: 'Triage: assign a priority and a track', description: 'P1, P2 or P3, and the referral or informational track.' });
  if (allowed.has('GEO.TAG')) {
    items.push({ value: 'tag', name: 'Tag geolocation caveats, indicator by indicator', description: 'A checklist of caveat codes for each indicator, then one for the tip as a whole.' });
  }
  if (allowed.has('GEO.CONFIRM')) {
    items.push({ value: 'confirm-geolocation', name: 'Confirm the geolocation assessment with the tags shown', description: 'The tags are final for this assessment; next comes the route.' });
  }
  if (allowed.has('ROUTE.REFER')) items.push({ value: 'refer', name: 'Route: refer to a jurisdiction', description: 'Pick the agency from the registry (or type a derived id such as US-OH-ICAC or INTERPOL-BR).' });
  if (allowed.has('ROUTE.LEGAL_PROCESS')) {
    items.push({ value: 'legal-process', name: 'Route: request legal process', description: 'Preservation first, then subscriber information from the carrier.' });
  }
  if (allowed.has('ROUTE.INFORMATIONAL')) items.push({ value: 'informational', name: 'Route: close as informational', description: 'Nothing law enforcement can act on; the tip is recorded and closed.' });
  items.push({ value: 'wait', name: 'Wait: let simulated time pass', description: 'Deadlines fire and scheduled messages arrive while you wait.' });
  if (play.mode === 'practice') {
    items.push({ value: 'hint', name: 'Hint', description: 'What to look at for the decision in front of you (counted in the session).' });
    const last = play.lastDecision();
    items.push({ value: 'undo', name: 'Undo my last decision', description: 'Takes back your last decision and everything that happened after it.', disabled: last === null ? '(nothing to undo yet)' : false });
  }
  if (play.stuck) items.push({ value: 'end', name: 'End the exercise and see the debrief', description: 'Nothing more is scheduled: the tip cannot move on.' });
  items.push({ value: 'quit', name: 'Save and quit (resume later)', description: 'Your session is saved; continue with tipflow play --resume.' });
  return select<MenuAction>({ message: 'What do you do?', choices: items, pageSize: items.length, loop: false });
}

/** In assessment mode every decision is final: one last look before it is sent. */
async function finalCheck(play: PlaySession, what: string): Promise<boolean> {
  if (play.mode !== 'assessment') return true;
  return confirm({ message: `${what}. In assessment mode this is final. Send it?`, default: true });
}

const PRIORITY_TEXT: Readonly<Record<Priority, string>> = { P1: 'exigent: act now', P2: 'urgent', P3: 'routine' };
const TRACK_TEXT: Readonly<Record<Track, string>> = {
  referral: 'for law enforcement: the tip goes on to geolocation and a route',
  informational: 'recorded only: nothing for law enforcement to act on; the tip closes',
};

const BACK = 'back';

const reasonProblem = (value: string): string | true => {
  const parsed = freeString.safeParse(value.trim());
  return parsed.success ? true : (parsed.error.issues[0]?.message ?? 'not a valid reason');
};

export async function askTriage(play: PlaySession): Promise<RoutingEvent | null> {
  const priority = await select<Priority | typeof BACK>({
    message: 'Priority?',
    choices: [...PRIORITIES.map((p) => ({ value: p, name: `${p}  ${PRIORITY_TEXT[p]}` })), { value: BACK, name: 'Back' }],
    loop: false,
  });
  if (priority === BACK) return null;
  const track = await select<Track | typeof BACK>({
    message: 'Track?',
    choices: [
      { value: 'referral', name: `referral       ${TRACK_TEXT.referral}` },
      { value: 'informational', name: `informational  ${TRACK_TEXT.informational}` },
      { value: BACK, name: 'Back' },
    ],
    loop: false,
  });
  if (track === BACK) return null;
  const c = play.session.context;
  let reason: string | undefined;
  if (priority !== 'P1' && (c.exigency === 'P1' || c.priority === 'P1')) {
    const text = await input({
      message: 'This tip is P1 (exigent); lowering it needs a reason, which is logged. Reason (one line; empty to go back):',
      validate: (value) => value.trim() === '' || reasonProblem(value),
    });
    if (text.trim() === '') return null;
    reason = text.trim();
  }
  if (!(await finalCheck(play, `Assign ${priority}, ${track} track`))) return null;
  return { type: 'TRIAGE.ASSIGN', priority, track, ...(reason === undefined ? {} : { reason }) };
}


/** One checklist per indicator (the rows and choices the web shows too), then the tip-level one; returns the tags to add and remove. */
export async function askTags(play: PlaySession): Promise<RoutingEvent[]> {
  const { context } = play.session;
  const { tags } = context;
  if (context.assessment === null) return [];
  const wanted: Tag[] = [];
  const rows = rowsOf(context);
  for (const [index, row] of rows.entries()) {
    const chosen = await checkbox<CaveatCode>({
      message: `Indicator ${index + 1} of ${rows.length}: ${row.id} (${rowSummary(row)}). Which caveats apply?`,
      choices: row.caveatChoices.map((code) => ({ value: code, name: caveatChoiceText(code), checked: hasTag(tags, { indicatorId: row.id, caveat: code }) })),
      pageSize: row.caveatChoices.length,
      loop: false,
    });
    wanted.push(...chosen.map((caveat) => ({ indicatorId: row.id, caveat })));
  }
  const tipLevel = await checkbox<CaveatCode>({
    message: 'The tip as a whole: which caveats apply?',
    choices: TIP_CAVEAT_CHOICES.map((code) => ({ value: code, name: caveatChoiceText(code), checked: hasTag(tags, { indicatorId: null, caveat: code }) })),
    loop: false,
  });
  wanted.push(...tipLevel.map((caveat) => ({ indicatorId: null, caveat })));
  return tagEventsToward(tags, wanted, { untagFirst: true });
}

export async function askConfirmGeolocation(play: PlaySession, afterTagging: boolean): Promise<boolean> {
  const tags = play.session.context.tags;
  const summary = tags.length === 0 ? 'no caveats' : tags.map(tagText).join('; ');
  const message = afterTagging
    ? `Your tags: ${summary}. Confirm the geolocation assessment and move on to the route?${play.mode === 'assessment' ? ' (final)' : ''}`
    : `Confirm the geolocation assessment with ${summary}?${play.mode === 'assessment' ? ' (final)' : ''}`;
  return confirm({ message, default: true });
}

export async function askReferral(play: PlaySession): Promise<RoutingEvent | null> {
  const registry = play.engine.reference.jurisdictions;
  const listed = registry.listed();
  const OTHER = '\u0000other';
  const width = Math.max(...listed.map((j) => j.id.length));
  const chosen = await select<string>({
    message: 'Refer to which jurisdiction?',
    choices: [
      ...listed.map((j) => ({ value: j.id, name: `${j.id.padEnd(width)}  ${j.name} · channel ${j.channel} (${CHANNEL_TEXT[j.channel]})` })),
      { value: OTHER, name: 'Another agency: type its id (US-<state>-ICAC, EUROPOL-<country>, INTERPOL-<country>)' },
      { value: BACK, name: 'Back' },
    ],
    pageSize: listed.length + 2,
    loop: false,
  });
  if (chosen === BACK) return null;
  let id = chosen;
  if (chosen === OTHER) {
    const typed = await input({
      message: 'Agency id (e.g. US-OH-ICAC, EUROPOL-ES, INTERPOL-BR; empty to go back):',
      validate: (value) => {
        const candidate = value.trim().toUpperCase();
        if (candidate === '') return true;
        return registry.jurisdictionById(candidate) !== null
          ? true
          : `${candidate} is not in the registry: pick a listed agency, or use US-<state>-ICAC for an unlisted US state, EUROPOL-<country> for an EU member without its own channel, INTERPOL-<country> for any other country`;
      },
    });
    id = typed.trim().toUpperCase();
    if (id === '') return null;
  }
  const jurisdiction = registry.jurisdictionById(id);
  const what = jurisdiction === null ? `Refer to ${id}` : `Refer to ${jurisdiction.id} (${jurisdiction.name}, ${CHANNEL_TEXT[jurisdiction.channel]})`;
  if (!(await finalCheck(play, what))) return null;
  return { type: 'ROUTE.REFER', jurisdictionId: id };
}

export async function askLegalProcess(play: PlaySession): Promise<RoutingEvent | null> {
  return (await finalCheck(play, 'Request legal process')) ? { type: 'ROUTE.LEGAL_PROCESS' } : null;
}

export async function askInformational(play: PlaySession): Promise<RoutingEvent | null> {
  const text = await input({ message: 'Why is it informational? (one line, optional; Enter to skip)', validate: (value) => value.trim() === '' || reasonProblem(value) });
  if (!(await finalCheck(play, 'Close the tip as informational'))) return null;
  return text.trim() === '' ? { type: 'ROUTE.INFORMATIONAL' } : { type: 'ROUTE.INFORMATIONAL', reason: text.trim() };
}

/**
 * How long to wait: the simulated time to wait until, `next` for the next scheduled thing (a message or a
 * deadline, whichever comes first), or null to go back. An assessment's clock is paced (DESIGN §10): the
 * trainee can only wait for the next scheduled thing, and is not told when it is.
 */
export async function askWait(play: PlaySession): Promise<number | 'next' | null> {
  const { session } = play;
  const now = session.clock.now;
  const next = play.nextScheduledMs();
  const nextChoice = next === null ? [] : [{ value: -2, name: play.mode === 'assessment' ? 'until something happens (the next scheduled message or deadline)' : `until the next scheduled message or deadline (${clockText(new Date(next).toISOString())}, in ${elapsedText(next - now)})` }];
  const fixed =
    play.mode === 'assessment'
      ? []
      : [
          { value: now + HOUR_MS, name: '1 hour' },
          { value: now + DAY_MS, name: '1 day' },
          { value: now + 30 * DAY_MS, name: '30 days' },
        ];
  const timer = session.clock.next();
  const deadline = play.mode === 'assessment' || timer === null ? [] : [{ value: timer.due, name: `until the next deadline: ${timerText(timer, session, play.mode)}` }];
  const target = await select<number>({ message: 'Wait how long?', choices: [...fixed, ...nextChoice, ...deadline, { value: -1, name: 'Back' }], loop: false });
  return target === -2 ? 'next' : target < 0 ? null : target;
}
