// The signals server instances send each other through the store (src/server/class-signals.ts): notices are
// heard by this instance's streams too, the forgets only by the other instances (this one forgot already),
// and what does not validate is dropped, never handed on.
import { describe, expect, it } from 'vitest';
import { createClassSignals, type SignalHandlers } from '../../src/server/class-signals.js';
import { createLogger } from '../../src/server/logger.js';
import type { InstanceSignals, SignalListener } from '../../src/store/instance-signals.js';
import { localSignals } from '../../src/store/instance-signals.js';

const silent = createLogger({ level: 'silent' });

/**
 * A store's signals where the test plays the other instance: `fromOther` delivers as if heard over NOTIFY,
 * `reconnected` as if the LISTEN connection had been down and listened again.
 */
function twoSided(): { signals: InstanceSignals; fromOther: (signal: unknown) => void; reconnected: () => void; sent: unknown[] } {
  const listeners = new Set<SignalListener>();
  const resyncs = new Set<() => void>();
  const sent: unknown[] = [];
  return {
    sent,
    fromOther: (signal) => {
      for (const l of listeners) l(signal, false);
    },
    reconnected: () => {
      for (const r of resyncs) r();
    },
    signals: {
      publish: (signal) => {
        sent.push(signal);
        for (const l of listeners) l(signal, true);
        return Promise.resolve();
      },
      subscribe: (l) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      onResync: (r) => {
        resyncs.add(r);
        return () => resyncs.delete(r);
      },
      ready: () => Promise.resolve(),
      close: () => Promise.resolve(),
    },
  };
}

function recorder(): { handlers: SignalHandlers; heard: string[] } {
  const heard: string[] = [];
  return {
    heard,
    handlers: {
      notice: (n) => heard.push(`notice ${n.kind}`),
      tokenForgotten: (hash) => heard.push(`token ${hash.slice(0, 4)}`),
      userForgotten: (id) => heard.push(`user ${id}`),
      uploadDeleted: (instructorId, id) => heard.push(`upload ${instructorId}/${id}`),
      resync: () => heard.push('resync'),
    },
  };
}

describe('signals between server instances', () => {
  it("hears its own notices at once but not its own forgets; the other instance's forgets are applied", async () => {
    const { signals, fromOther, sent } = twoSided();
    const classSignals = createClassSignals(signals, silent);
    const { handlers, heard } = recorder();
    classSignals.listen(handlers);
    await classSignals.send({ topic: 'notice', notice: { kind: 'released', cohortId: 'c1', exerciseId: null } });
    await classSignals.send({ topic: 'token-forgotten', hash: 'a'.repeat(64) });
    expect(heard).toEqual(['notice released']);
    expect(sent).toHaveLength(2);
    fromOther({ topic: 'token-forgotten', hash: 'b'.repeat(64) });
    fromOther({ topic: 'user-forgotten', userId: 'u1' });
    fromOther({ topic: 'upload-deleted', instructorId: 'i1', exerciseId: 'x-1' });
    fromOther({ topic: 'notice', notice: { kind: 'joined', cohortId: 'c1', trainee: { id: 't1', name: 'alice' } } });
    expect(heard).toEqual(['notice released', 'token bbbb', 'user u1', 'upload i1/x-1', 'notice joined']);
  });

  it('hands a resync to the handlers when signals may have been missed, until it stops listening', () => {
    const { signals, fromOther, reconnected } = twoSided();
    const { handlers, heard } = recorder();
    const stop = createClassSignals(signals, silent).listen(handlers);
    fromOther({ topic: 'user-forgotten', userId: 'u1' });
    reconnected();
    expect(heard).toEqual(['user u1', 'resync']);
    stop();
    reconnected();
    fromOther({ topic: 'user-forgotten', userId: 'u2' });
    expect(heard).toEqual(['user u1', 'resync']);
  });

  it('drops a signal that does not validate (an unknown topic, a malformed hash, a notice without its cohort)', () => {
    const { signals, fromOther } = twoSided();
    const { handlers, heard } = recorder();
    createClassSignals(signals, silent).listen(handlers);
    fromOther({ topic: 'drop-everything' });
    fromOther({ topic: 'token-forgotten', hash: 'not-a-hash' });
    fromOther({ topic: 'notice', notice: { kind: 'released' } });
    fromOther('a string');
    expect(heard).toEqual([]);
  });

  it('on one instance alone (SQLite) tells only this process, at once', async () => {
    const signals = localSignals();
    const { handlers, heard } = recorder();
    const stop = createClassSignals(signals, silent).listen(handlers);
    await createClassSignals(signals, silent).send({ topic: 'notice', notice: { kind: 'withdrawn', cohortId: 'c1', exerciseId: 'x' } });
    expect(heard).toEqual(['notice withdrawn']);
    stop();
    await signals.publish({ topic: 'notice', notice: { kind: 'withdrawn', cohortId: 'c1', exerciseId: 'x' } });
    expect(heard).toEqual(['notice withdrawn']);
  });
});
