// KeyedLock: the read-check-write of one session (or one trainee's starts) takes turns in this process.
import { describe, expect, it } from 'vitest';
import { KeyedLock } from '../../src/server/keyed-lock.js';

/** A promise and the function that settles it, to hold a task where a test wants it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('KeyedLock', () => {
  it('runs the tasks of one key one at a time, in the order they came, and says which waited', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const first = gate();
    const a = lock.run('s1', async (waited) => {
      order.push(`a start ${waited}`);
      await first.opened;
      order.push('a end');
    });
    const b = lock.run('s1', async (waited) => {
      order.push(`b ${waited}`);
    });
    await Promise.resolve();
    expect(order).toEqual(['a start false']);
    first.open();
    await Promise.all([a, b]);
    expect(order).toEqual(['a start false', 'a end', 'b true']);
    expect(lock.size).toBe(0);
  });

  it('lets the tasks of other keys run meanwhile', async () => {
    const lock = new KeyedLock();
    const held = gate();
    const slow = lock.run('s1', () => held.opened);
    await expect(lock.run('s2', async () => 'other key')).resolves.toBe('other key');
    held.open();
    await slow;
  });

  it('goes on with the next task after one that failed, and gives the failure to its own caller', async () => {
    const lock = new KeyedLock();
    const failed = lock.run('s1', async () => {
      throw new Error('stale');
    });
    const next = lock.run('s1', async (waited) => waited);
    await expect(failed).rejects.toThrow('stale');
    await expect(next).resolves.toBe(true);
    expect(lock.size).toBe(0);
  });
});
