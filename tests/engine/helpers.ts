import type { Tip } from '../../src/domain/tip/schema.js';
import { Engine } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';

export const engine = new Engine(bundledReference());
export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;

/** A webmail ESP report with one residential Houston upload event (the seed's news case). */
export function houstonTip(overrides: Partial<Tip> = {}): Tip {
  return {
    id: 'TIP-T001',
    source: 'esp',
    receivedAt: '2019-06-01T10:00:00Z',
    reporter: { espName: 'Example Mail (fictional)' },
    incident: { type: 'child-pornography-possession' },
    subjects: [{ id: 'S1', ipEvents: [{ ip: '192.0.2.10', port: 51234, event: 'Upload', dateTime: '2019-05-30T22:09:00Z' }] }],
    ...overrides,
  };
}

/** A mobile (CGNAT) login with no source port: nothing decides, legal process can. */
export function cgnatTip(overrides: Partial<Tip> = {}): Tip {
  return {
    id: 'TIP-T002',
    source: 'esp',
    receivedAt: '2023-03-01T09:00:00Z',
    reporter: { espName: 'Example Chat (fictional)' },
    incident: { type: 'online-enticement' },
    subjects: [{ id: 'S1', ipEvents: [{ ip: '192.0.2.100', event: 'Login', dateTime: '2023-02-28T20:00:00Z' }] }],
    ...overrides,
  };
}
