// Rebuilding a session reads its row, then its log: over an asynchronous store an append may land between the
// two reads, and the session rebuilt is still the one the row describes (its records and its clock agree).
import { describe, expect, it } from 'vitest';
import { runAutoDriver } from '../../src/engine/index.js';
import type { EventStore } from '../../src/store/event-store.js';
import { createStoredSession, rebuildSession } from '../../src/store/sessions.js';
import { SqliteEventStore } from '../../src/store/sqlite-store.js';
import { engine, houstonTip } from '../engine/helpers.js';

const CREATED = '2026-11-29T09:00:00.000Z';

describe('rebuilding a stored session', () => {
  it('rebuilds the session as its row stood when an append lands between the reads of the row and the log', async () => {
    const store = new SqliteEventStore(':memory:');
    const { session } = await createStoredSession(engine, store, houstonTip(), { sessionId: 'r1', createdAt: CREATED });
    runAutoDriver(engine, session);
    expect(session.log.length).toBeGreaterThan(2);
    // Another request appends the rest of the log right after the row was read.
    const racing: EventStore = Object.assign(Object.create(store) as EventStore, {
      getSession: async (id: string) => {
        const row = await store.getSession(id);
        await store.append('r1', 0, session.log.slice(1), session.now);
        return row;
      },
    });
    const rebuilt = await rebuildSession(engine, racing, 'r1');
    expect(rebuilt?.log).toEqual(session.log.slice(0, 1));
    expect(rebuilt?.now).toBe(session.log[0]?.at);
    // Read again, the whole log is there.
    expect((await rebuildSession(engine, store, 'r1'))?.log).toEqual(session.log);
    await store.close();
  });
});
