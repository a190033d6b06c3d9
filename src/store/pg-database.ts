// Opening a tipflow PostgreSQL database: a pool of the size asked for, the migrations, and transactions.
import pg from 'pg';
import { migratePg } from './pg-migrations.js';

export interface PgOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** How often (ms) a subscribed store reads the sessions for changes it was not notified of (default 1000). */
  pollMs?: number;
}

export const DEFAULT_POOL_SIZE = 10;
/** How long a connection may take before the open fails with a message (ms). */
export const CONNECT_TIMEOUT_MS = 10_000;

/** The URL forms that name a PostgreSQL database (anything else is a SQLite file). */
export const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:\/\//i.test(db);

/** A pool on the database, migrated to this version's schema. */
export async function openPgPool(connectionString: string, options: PgOptions = {}): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? DEFAULT_POOL_SIZE, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle client that loses its server emits on the pool; without a handler the process would die.
  pool.on('error', () => undefined);
  try {
    await migratePg(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return pool;
}

/** Runs `work` in one transaction on one client of the pool: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** A unique or primary key violation (SQLSTATE 23505), optionally of one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
