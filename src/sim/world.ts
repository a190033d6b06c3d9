// How the simulated world answers a routed tip, from the draws made when the tip was generated: the
// agency's acknowledgement, the provider's preservation confirmation, subscriber information. Both routing
// paths (engine and fast) compute these the same way, from the same draws.
import type { Channel } from '../domain/reference/jurisdictions.js';
import type { SimParams } from './params.js';
import { DAY_MS } from '../domain/routing/timers.js';

/** Milliseconds from the referral until the agency acknowledges it: exponential with the channel's mean. */
export function acknowledgementDelayMs(params: SimParams, channel: Channel, u: number): number {
  return Math.round(-Math.log(1 - u) * params.world.acknowledgementDays[channel] * DAY_MS);
}
