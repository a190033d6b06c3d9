// Opening the stores a `--db` names: a postgres:// or postgresql:// URL is a PostgreSQL database (shared by
// several server instances), anything else a SQLite file (the embedded default).
import type { AccountStore } from './account-store.js';
import type { EventStore } from './event-store.js';
import { localSignals, pgSignals, type InstanceSignals } from './instance-signals.js';
import { PgAccountStore } from './pg-accounts.js';
import { isPostgresUrl, openPgPool } from './pg-database.js';
import { PgEventStore } from './pg-store.js';
import { SqliteAccountStore } from './sqlite-accounts.js';
import type { Durability } from './sqlite-database.js';
import { SqliteEventStore } from './sqlite-store.js';
import { takeWriterLock, WriterLockedError, type WriterLock } from './sqlite-writer-lock.js';

export interface OpenStoresOptions {
  /** SQLite commit durability (PostgreSQL commits as its server is configured). */
  durability?: Durability;
  /** SQLite: commit groups on a writer thread of their own (the server asks for it). */
  writerThread?: boolean;
  /**
   * SQLite: this process is the file's one writer of sessions (`tipflow serve`, `db copy`'s target). It takes
   * the file's writer lock (a second one is refused with StoreOpenError), and its event store keeps each
   * session's last sequence, clock and replacement mark in memory instead of reading them at every request. No effect on
   * PostgreSQL, where every instance writes and reads the rows as the truth.
   */
  soleWriter?: boolean;
  /** PostgreSQL: connections in the pool (default 10). */
  pool?: number;
  /** PostgreSQL: how often (ms) a subscribed store looks for changes it was not notified of (default 1000). */
  pollMs?: number;
}

export interface OpenedStores {
  kind: 'sqlite' | 'postgresql';
  events: EventStore;
  accounts: AccountStore;
  /** Signals to the other server instances on the same database (this process alone on SQLite). */
  signals: InstanceSignals;
  /** Closes both stores (and the pool they share). */
  close(): Promise<void>;
}

/** Why a database could not be opened, said for a person: what was wrong, and what to check. */
export class StoreOpenError extends Error {
  override name = 'StoreOpenError';
}

/** The database to use: `--db` when given, else TIPFLOW_DB, else ./tipflow.db. */
export const databaseOf = (db: string | undefined): string => db ?? (process.env.TIPFLOW_DB === undefined || process.env.TIPFLOW_DB === '' ? './tipflow.db' : process.env.TIPFLOW_DB);

export async function openStores(db: string, options: OpenStoresOptions = {}): Promise<OpenedStores> {
  if (isPostgresUrl(db)) return openPostgres(db, options);
  const soleWriter = options.soleWriter === true && db !== ':memory:';
  let lock: WriterLock | null = null;
  if (soleWriter) {
    try {
      lock = takeWriterLock(db);
    } catch (error) {
      if (error instanceof WriterLockedError) throw new StoreOpenError(error.message);
      throw error;
    }
  }
  let events: SqliteEventStore;
  let accounts: SqliteAccountStore;
  try {
    events = new SqliteEventStore(db, options.durability, { writerThread: options.writerThread === true, soleWriter });
  } catch (error) {
    lock?.release();
    throw error;
  }
  try {
    accounts = new SqliteAccountStore(db, options.durability);
  } catch (error) {
    await events.close();
    lock?.release();
    throw error;
  }
  return {
    kind: 'sqlite',
    events,
    accounts,
    signals: localSignals(),
    close: async () => {
      try {
        await events.close();
        await accounts.close();
      } finally {
        lock?.release();
      }
    },
  };
}

async function openPostgres(url: string, options: OpenStoresOptions): Promise<OpenedStores> {
  const where = describeUrl(url);
  if (options.pool !== undefined && (!Number.isInteger(options.pool) || options.pool < 1)) throw new StoreOpenError(`the pool size must be a whole number of connections, 1 or more, not ${options.pool}`);
  let pool;
  try {
    pool = await openPgPool(url, { ...(options.pool === undefined ? {} : { poolSize: options.pool }) });
  } catch (error) {
    throw new StoreOpenError(explainPgError(error, where));
  }
  const events = new PgEventStore(pool, url, options.pollMs === undefined ? {} : { pollMs: options.pollMs });
  const accounts = new PgAccountStore(pool);
  const signals = pgSignals(pool, url);
  let closing: Promise<void> | null = null;
  return {
    kind: 'postgresql',
    events,
    accounts,
    signals,
    // Once, however many times it is called: the pool they share ends after both stores.
    close: () =>
      (closing ??= (async () => {
        await signals.close();
        await events.close();
        await accounts.close();
        await pool.end();
      })()),
  };
}

/** host:port/database of a URL, without its password; a URL that does not parse is refused here. */
function describeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreOpenError('the database URL does not parse: write it as postgres://user:password@host:port/database (percent-encode special characters in the password)');
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${database === '' ? '' : `/${database}`}${parsed.username === '' ? '' : ` as ${decodeURIComponent(parsed.username)}`}`;
}

function explainPgError(error: unknown, where: string): string {
  const e = error as { code?: string; message?: string };
  switch (e.code) {
    case 'ECONNREFUSED':
      return `cannot reach PostgreSQL at ${where}: the connection was refused. Is the server running, and listening on that host and port?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot reach PostgreSQL at ${where}: the host name is not known. Check the host in --db or TIPFLOW_DB.`;
    case 'ETIMEDOUT':
      return `cannot reach PostgreSQL at ${where}: no answer in time. Check the host and port, and any firewall between.`;
    case '28P01':
    case '28000':
      return `PostgreSQL at ${where} refused the sign-in: check the user and password in the URL (and pg_hba.conf).`;
    case '3D000':
      return `PostgreSQL at ${where}: the database does not exist. Create it first (createdb, or CREATE DATABASE).`;
    case '42501':
      return `PostgreSQL at ${where}: the user may not create tipflow's tables. Grant it CREATE on the database's public schema, or use the database's owner.`;
    default:
      if (e.message !== undefined && /timeout/i.test(e.message)) return `cannot reach PostgreSQL at ${where}: no answer in time. Check the host and port, and any firewall between.`;
      return `cannot open PostgreSQL at ${where}: ${e.message ?? String(error)}`;
  }
}
