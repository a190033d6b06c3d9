// The store's signals between instances (src/store/instance-signals.ts): on PostgreSQL what one instance
// publishes is heard once by the other, and by itself once (at once, not again when NOTIFY brings it back).
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
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
