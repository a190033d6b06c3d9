// The store's signals between instances (src/store/instance-signals.ts): on PostgreSQL what one instance
// publishes is heard once by the other, and by itself once (at once, not again when NOTIFY brings it back);
// what is published while an instance's LISTEN connection is down reaches it as a resync once it listens again.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { expect, it } from 'vitest';
import { SIGNAL_CHANNEL } from '../../../src/store/instance-signals.js';
import { describeContract } from './stores.js';

describeContract(
  'signals between instances',
  (db) => {
    it('tells the other instance once, and the publisher once, at once', async () => {
      const a = await db().open();
      const b = await db().open();
      const heardByA: [unknown, boolean][] = [];
      const heardByB: [unknown, boolean][] = [];
      a.signals.subscribe((s, here) => heardByA.push([s, here]));
      b.signals.subscribe((s, here) => heardByB.push([s, here]));
      await Promise.all([a.signals.ready(), b.signals.ready()]);
      await a.signals.publish({ topic: 'notice', n: 1 });
      expect(heardByA).toEqual([[{ topic: 'notice', n: 1 }, true]]);
      for (let waited = 0; heardByB.length === 0 && waited < 2_000; waited += 20) await sleep(20);
      // A little longer: a second delivery (or A's own coming back) would show now.
      await sleep(200);
      expect(heardByB).toEqual([[{ topic: 'notice', n: 1 }, false]]);
      expect(heardByA).toHaveLength(1);
    });

    it('tells a resync, once it listens again, to an instance whose LISTEN connection was cut while a signal was published', async () => {
      const a = await db().open();
      const b = await db().open();
      const heard: unknown[] = [];
      const events: string[] = [];
      b.signals.subscribe((s) => {
        heard.push(s);
        events.push('signal');
      });
      b.signals.onResync(() => events.push('resync'));
      await Promise.all([a.signals.ready(), b.signals.ready()]);
      const admin = new pg.Client({ connectionString: db().location });
      await admin.connect();
      try {
        const listeners = `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN ${SIGNAL_CHANNEL}'`;
        const cut = (await admin.query<{ pid: number }>(listeners)).rows.map((r) => r.pid);
        expect(cut).toHaveLength(2); // a's and b's
        await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [cut]);
        // Gone (the listeners wait 100 ms before they connect again): what a publishes now, b does not hear.
        for (let waited = 0; (await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1::int[])', [cut])).rowCount !== 0; waited += 5) {
          if (waited > 2_000) throw new Error('the LISTEN connections were not cut');
          await sleep(5);
        }
        await a.signals.publish({ topic: 'notice', n: 'while down' });
        for (let waited = 0; !events.includes('resync'); waited += 20) {
          if (waited > 5_000) throw new Error(`no resync within 5 s (b heard: ${JSON.stringify(events)})`);
          await sleep(20);
        }
        expect(heard).toEqual([]);
        expect(events).toEqual(['resync']);
        // Listening again: the next signal is heard as ever.
        await a.signals.publish({ topic: 'notice', n: 'after' });
        for (let waited = 0; heard.length === 0 && waited < 2_000; waited += 20) await sleep(20);
        expect(heard).toEqual([{ topic: 'notice', n: 'after' }]);
      } finally {
        await admin.end();
      }
    });

    it('refuses a signal too long for NOTIFY, saying so, after telling this instance', async () => {
      const a = await db().open();
      const heard: unknown[] = [];
      a.signals.subscribe((s) => heard.push(s));
      await expect(a.signals.publish({ big: 'x'.repeat(9_000) })).rejects.toThrow(/too long for NOTIFY/);
      expect(heard).toHaveLength(1);
    });
  },
  'postgresql',
);
