// What a client needs to build decision controls (issue 6: "allowed events with their parameters"; issue 7):
// caveat codes and their meanings, priorities and tracks, channels, the listed agencies, and the JSON Schema
// of each decision event. The same for everyone, computed once.
import { z } from 'zod';
import { CAVEAT_CODES, CAVEAT_EFFECTS } from '../domain/caveats/codes.js';
import { decisionEventSchemas } from '../domain/events.js';
import { CHANNEL_TEXT, CHANNELS } from '../domain/reference/jurisdictions.js';
import type { Reference } from '../domain/reference/reference.js';
import { PRIORITIES, TRACKS } from '../domain/triage.js';
import { PHASES } from '../engine/index.js';
import type { ClientReference } from '../api/contract.js';

export type { ClientReference };

export function clientReference(reference: Reference): ClientReference {
  return {
    phases: PHASES,
    priorities: PRIORITIES,
    tracks: TRACKS,
    caveats: CAVEAT_CODES.map((code) => {
      const e = CAVEAT_EFFECTS[code];
      return { code, meaning: e.meaning, tipLevel: e.tipLevel === true, networkOnly: e.networkOnly === true, anonymizes: e.anonymizes === true, blocksAttribution: e.blocksAttribution === true, cap: e.cap ?? null };
    }),
    channels: CHANNELS.map((id) => ({ id, text: CHANNEL_TEXT[id] })),
    jurisdictions: reference.jurisdictions.listed().map((j) => ({ id: j.id, name: j.name, country: j.country, region: j.region, channel: j.channel })),
    derivedIds: ['US-<state>-ICAC', 'EUROPOL-<country>', 'INTERPOL-<country>'],
    events: Object.fromEntries(Object.entries(decisionEventSchemas).map(([type, schema]) => [type, z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })])),
  };
}
