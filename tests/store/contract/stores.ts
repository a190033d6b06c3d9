// The store contract suite's harness: every contract file describes its cases once, and they run on each
// store (SQLite, PostgreSQL). A case gets `db()`: the database of this test, empty, on which it opens as
// many instances as it needs (a reopen, a second server instance); the harness closes them after the test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStores, type OpenedStores, type OpenStoresOptions } from '../../../src/store/open.js';
import { createTestDatabase, dropTestDatabase, emptyDatabase, pgAvailability } from './pg-harness.js';

export interface TestDatabase {
  kind: 'sqlite' | 'postgresql';
  /** What `--db` would say: the file, or the database URL. */
  location: string;
  /** Opens one more instance on this test's database (each its own connections). */
  open(options?: OpenStoresOptions): Promise<OpenedStores>;
  /** Runs one SQL statement on the database directly, past the store (to show what the database refuses). */
  exec(sql: string): Promise<void>;
}

interface StoreKind {
  name: 'sqlite' | 'postgresql';
  /** Once per file: where this file's databases go, or why the store cannot be tested here. */
  prepare(): Promise<{ ready: true } | { skip: string } | { fail: string }>;
  /** Before each test: an empty database. */
  fresh(): Promise<string>;
  finish(): Promise<void>;
}

function sqliteKind(): StoreKind {
  let dir = '';
  let n = 0;
  return {
    name: 'sqlite',
    prepare: async () => {
      dir = mkdtempSync(join(tmpdir(), 'tipflow-contract-'));
      return { ready: true };
    },
    fresh: async () => join(dir, `test-${(n += 1)}.db`),
    finish: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresKind(): StoreKind {
  let url = '';
  let admin = '';
  return {
    name: 'postgresql',
    prepare: async () => {
      const server = await pgAvailability();
      if (!('url' in server)) return server;
      admin = server.url;
      url = await createTestDatabase(server.url);
      return { ready: true };
    },
    fresh: async () => {
      await emptyDatabase(url);
      return url;
    },
    finish: async () => {
      if (url !== '') await dropTestDatabase(admin, url);
    },
  };
}

/** Which stores the suite runs on. */
const KINDS: readonly (() => StoreKind)[] = [sqliteKind, postgresKind];

const noted = new Set<string>();

/** Describes `cases` once per store kind (or on the one named): `describe('<title> (<store>)')`. */
export function describeContract(title: string, cases: (db: () => TestDatabase) => void, only?: StoreKind['name']): void {
  for (const makeKind of KINDS) {
    const kind = makeKind();
    if (only !== undefined && kind.name !== only) continue;
    describe(`${title} (${kind.name})`, () => {
      let state: { ready: true } | { skip: string } | { fail: string } = { ready: true };
      let database = '';
      const opened: OpenedStores[] = [];
      beforeAll(async () => {
        state = await kind.prepare();
        if ('skip' in state && !noted.has(state.skip)) {
          noted.add(state.skip);
          process.stderr.write(`${state.skip}\n`);
        }
      });
      afterAll(() => kind.finish());
      beforeEach(async (context) => {
        if ('skip' in state) context.skip(state.skip);
        if ('fail' in state) throw new Error(state.fail);
        database = await kind.fresh();
      });
      afterEach(async () => {
        for (const stores of opened.splice(0)) await stores.close();
      });
      const db = (): TestDatabase => ({
        kind: kind.name,
        location: database,
        open: async (options = {}) => {
          const stores = await openStores(database, { pollMs: 50, ...options });
          opened.push(stores);
          return stores;
        },
        exec: async (sql) => {
          if (kind.name === 'sqlite') {
            const raw = new Database(database);
            try {
              raw.prepare(sql).run();
            } finally {
              raw.close();
            }
            return;
          }
          const client = new pg.Client({ connectionString: database });
          await client.connect();
          try {
            await client.query(sql);
          } finally {
            await client.end();
          }
        },
      });
      cases(db);
    });
  }
}
