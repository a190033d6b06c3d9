// Stores that answer a turn of the event loop late, as a database server would: every method but `subscribe`
// (and the SQLite store's own synchronous `appendMany`) waits for setImmediate before the SQLite store does
// its work. Requests then interleave at each await the way they do over PostgreSQL, so a read-check-write that
// is not serialised shows its race in a test.
import type { AccountStore } from '../../src/store/account-store.js';
import type { EventStore } from '../../src/store/event-store.js';

const SYNCHRONOUS = new Set<PropertyKey>(['subscribe', 'appendMany']);

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function slowed<T extends EventStore | AccountStore>(store: T): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || SYNCHRONOUS.has(property)) return value;
      const method = value as (...args: unknown[]) => unknown;
      return async (...args: unknown[]) => {
        await nextTurn();
        return method.apply(target, args);
      };
    },
  });
}
