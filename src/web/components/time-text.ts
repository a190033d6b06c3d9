// The one way a time is written on screen (issue 18, item 4): the simulated clock's, in UTC, e.g.
// "1 Jun 2019, 10:00 UTC". Every page (trainee, instructor, inspector) writes times with these, wall-clock
// times included (when a session was started, when a debrief was released), so a page never mixes formats.
// No DOM and no locale: the same text in every browser and in the unit test.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const pad = (n: number) => String(n).padStart(2, '0');
const DATE_ONLY = /^(\d{4})-(\d\d)-(\d\d)$/;

/** A time in UTC, "1 Jun 2019, 10:00 UTC"; a date alone stays a date, "1 May 2019"; text that is no time is shown as it is. */
export function clockText(iso: string): string {
  const date = DATE_ONLY.exec(iso);
  if (date !== null) return `${Number(date[3])} ${MONTHS[Number(date[2]) - 1] ?? date[2]} ${date[1]}`;
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return `${t.getUTCDate()} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()}, ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())} UTC`;
}

/** The same time split for narrow table cells: ["30 May 2019", "22:09 UTC"] (a date alone has no second part). */
export function clockParts(iso: string): [string, string | null] {
  const text = clockText(iso);
  const comma = text.indexOf(', ');
  return comma < 0 ? [text, null] : [text.slice(0, comma), text.slice(comma + 2)];
}
