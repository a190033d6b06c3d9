// Which caveat codes a trainee is offered, and where (DESIGN §5): the same lists in the terminal and the web.
// The choices follow from the kind of indicator only (never from the tip's facts), so offering them tells
// the trainee nothing the rule book would decide.
import type { IndicatorSource } from '../indicators.js';
import { CAVEAT_CODES, CAVEAT_EFFECTS, type CaveatCode } from './codes.js';

const INDICATOR_LEVEL: readonly CaveatCode[] = CAVEAT_CODES.filter((code) => CAVEAT_EFFECTS[code].tipLevel !== true);

/** The codes said of the tip as a whole, in the reference's order. */
export const TIP_CAVEAT_CHOICES: readonly CaveatCode[] = CAVEAT_CODES.filter((code) => CAVEAT_EFFECTS[code].tipLevel === true);

/**
 * Whether an indicator of this kind can carry the code at all: a reported location (no address, port or
 * time) never carries a network-only one. The choices offered and the rule the chart checks on GEO.TAG.
 */
export const kindCanCarry = (source: IndicatorSource, code: CaveatCode): boolean => source !== 'estimatedLocation' || CAVEAT_EFFECTS[code].networkOnly !== true;

/** The codes an indicator of this kind can carry: a reported location (no address) is never offered a network-only one. */
export function caveatChoicesFor(source: IndicatorSource): CaveatCode[] {
  return INDICATOR_LEVEL.filter((code) => kindCanCarry(source, code));
}
