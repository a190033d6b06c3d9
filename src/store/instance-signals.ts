// Signals between the server instances that share one store: what is no session record but another instance
// must hear of at once (a trainee joined a cohort, debriefs were released, a token was logged out, an upload
// deleted). On SQLite there is one instance: a signal is heard in this process only. On PostgreSQL a signal
// is also sent with NOTIFY on its own channel; the store stays the truth, a signal is only the wake-up. What
// is sent while this instance's LISTEN connection is down is not heard: once it listens again, its resync
// listeners are told, and read again from the store whatever they kept on the word of signals.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { PgListener } from './pg-listener.js';

export const SIGNAL_CHANNEL = 'tipflow_signal';
/** NOTIFY refuses payloads of 8000 bytes or more; a signal is a few ids and a name. */
const MAX_PAYLOAD = 7_900;

/** Hears a signal: `fromHere` is true for this instance's own (heard at once, before it is sent on). */
export type SignalListener = (signal: unknown, fromHere: boolean) => void;

export interface InstanceSignals {
  /** Tells this instance's listeners at once, then the other instances (resolves once sent). */
  publish(signal: unknown): Promise<void>;
  subscribe(listener: SignalListener): () => void;
  /**
   * Hears that signals may have been missed (the LISTEN connection was down, and listens again now): drop
   * what a signal would have told you to forget, and read the store again. Never on SQLite.
   */
  onResync(listener: () => void): () => void;
  /** Resolves once the other instances' signals are heard (at once on SQLite; tests wait for it). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

class Listeners {
  private readonly set = new Set<SignalListener>();
  add(listener: SignalListener): () => void {
    this.set.add(listener);
    return () => void this.set.delete(listener);
  }
  tell(signal: unknown, fromHere: boolean): void {
    for (const listener of this.set) {
      try {
        listener(signal, fromHere);
      } catch {
        // A listener must never break the publisher nor the other listeners.
      }
    }
  }
}

/** One instance alone (SQLite): a signal is heard in this process. */
export function localSignals(): InstanceSignals {
  const listeners = new Listeners();
  return {
    publish: (signal) => {
      listeners.tell(signal, true);
      return Promise.resolve();
    },
    subscribe: (listener) => listeners.add(listener),
    onResync: () => () => undefined,
    ready: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

/**
 * Several instances on one PostgreSQL database: NOTIFY tipflow_signal '{"from":…,"signal":…}' through the pool,
 * heard on a LISTEN connection of its own (reconnected, waiting a little longer each time, when dropped).
 * An instance's own signals come back to it and are skipped: they were heard at once.
 */
export function pgSignals(pool: pg.Pool, connectionString: string): InstanceSignals {
  const listeners = new Listeners();
  const resyncs = new Set<() => void>();
  const me = randomUUID();
  let closed = false;
  const listener = new PgListener({
    connectionString,
    channel: SIGNAL_CHANNEL,
    onNotification: (payload) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(payload);
      } catch {
        return;
      }
      if (typeof parsed !== 'object' || parsed === null) return;
      const { from, signal } = parsed as { from?: unknown; signal?: unknown };
      if (from === me || typeof from !== 'string') return;
      listeners.tell(signal, false);
    },
    // Listening again: whatever was sent meanwhile is lost to this connection, so the listeners read afresh.
    onReconnected: () => {
      for (const resync of resyncs) {
        try {
          resync();
        } catch {
          // As with signals: one listener must not keep the others from resyncing.
        }
      }
    },
  });

  /** Listens from the first subscriber on; a database that is away is waited for in the background. */
  const start = (): void => void listener.start();

  return {
    async publish(signal) {
      listeners.tell(signal, true);
      if (closed) return;
      const payload = JSON.stringify({ from: me, signal });
      if (payload.length > MAX_PAYLOAD) throw new Error(`a signal of ${payload.length} characters is too long for NOTIFY`);
      await pool.query('SELECT pg_notify($1, $2)', [SIGNAL_CHANNEL, payload]);
    },
    subscribe(l) {
      start();
      return listeners.add(l);
    },
    onResync(l) {
      start();
      resyncs.add(l);
      return () => void resyncs.delete(l);
    },
    async ready() {
      start();
      while (!listener.listening && !closed) await sleep(20);
    },
    async close() {
      closed = true;
      await listener.close();
    },
  };
}
