// `--pool <n>`, the same on every command that may open PostgreSQL (serve, user add, user password, db copy):
// how many connections the command's pool may hold at once. A SQLite --db has no pool and ignores it.
import type { OpenStoresOptions } from '../../store/open.js';

/** The flag's help, said the same way by every command. */
export const POOL_HELP = 'PostgreSQL: how many connections the pool may hold at once (default 10; a SQLite --db ignores it)';

/** The largest pool a command accepts (a PostgreSQL server allows 100 connections by default, for everyone). */
const MAX_POOL = 1_000;

/** The pool size given on the command line as openStores options, or why it is refused. */
export function poolOption(text: string | undefined): { ok: true; options: Pick<OpenStoresOptions, 'pool'> } | { ok: false; message: string } {
  if (text === undefined) return { ok: true, options: {} };
  const pool = Number(text);
  if (!Number.isInteger(pool) || pool < 1 || pool > MAX_POOL) return { ok: false, message: `--pool must be a number of connections from 1 to ${MAX_POOL}, not ${text}` };
  return { ok: true, options: { pool } };
}
