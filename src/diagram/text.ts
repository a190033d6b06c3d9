// Text sizes without a DOM. Layout runs in Node (the CLI) and in the browser, so boxes are sized from an
// estimate of each character's advance in a common sans-serif font, on the wide side (DejaVu Sans, the
// usual Linux fallback) so text fits whichever font the viewer has. A browser can pass a real measure.

/** Width in px of `text` at `fontSize` px. */
export type MeasureText = (text: string, fontSize: number) => number;

// Advance widths in em, grouped by character; anything else counts as `DEFAULT_EM`.
const NARROW = new Set([...'ijl.,:;|!\'`()[]{}']);
const SEMI_NARROW = new Set([...'frt -/"']);
const WIDE = new Set([...'mwMW@%']);
const CAPITAL_EM = 0.72;
const DEFAULT_EM = 0.62;
const EM = { narrow: 0.32, semiNarrow: 0.42, wide: 0.95 } as const;

export const estimateTextWidth: MeasureText = (text, fontSize) => {
  let em = 0;
  for (const char of text) {
    if (NARROW.has(char)) em += EM.narrow;
    else if (SEMI_NARROW.has(char)) em += EM.semiNarrow;
    else if (WIDE.has(char)) em += EM.wide;
    else if (char >= 'A' && char <= 'Z') em += CAPITAL_EM;
    else em += DEFAULT_EM;
  }
  return Math.ceil(em * fontSize);
};

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => XML_ESCAPES[char] ?? char);
}
