// `tipflow serve [--port 3000] [--host 127.0.0.1] [--db ./tipflow.db | postgres://…] [--pool n]` and `tipflow user add [--db …] [--pool n]`.
import { ROLES, type Role } from '../../store/account-store.js';
import { StoreConflictError } from '../../store/event-store.js';
import { databaseOf, openStores, StoreOpenError } from '../../store/open.js';
import type { Durability } from '../../store/sqlite-database.js';
import { accountName, MIN_PASSWORD, newPassword as newPasswordSchema } from '../../server/auth.js';
import { hashPassword, newId, newPassword } from '../../server/passwords.js';
import { createLogger } from '../../server/logger.js';
import { inspectBridge, type InspectTool } from '../inspect-bridge.js';
import { poolOption } from './pool-option.js';
import { startServer } from '../../server/serve.js';
import { pino } from 'pino';

export interface ServeCommandOptions {
  port?: string | number;
  host?: string;
  db?: string;
  /** PostgreSQL: connections in the pool (text from the command line). */
  pool?: string;
  dir?: string[];
  log?: string;
  inspect?: InspectTool;
  durability?: Durability;
}

export async function serveCommand(options: ServeCommandOptions): Promise<number> {
  const port = Number(options.port ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`tipflow serve: --port must be a port number, not ${String(options.port)}\n`);
    return 2;
  }
  const dirs = options.dir ?? (process.env.TIPFLOW_EXERCISES === undefined ? ['exercises'] : process.env.TIPFLOW_EXERCISES.split(':'));
  const pool = poolOption(options.pool);
  if (!pool.ok) {
    process.stderr.write(`tipflow serve: ${pool.message}\n`);
    return 2;
  }
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? './tipflow.log';
  const logger = createLogger({ destination: log === '-' ? pino.destination(2) : pino.destination({ dest: log, mkdir: true, sync: true }) });
  let running;
  try {
    const bridge = options.inspect === undefined ? null : await inspectBridge(options.inspect, (line) => process.stderr.write(`${line}\n`));
    running = await startServer({ port, host, db: databaseOf(options.db), ...pool.options, exerciseDirs: dirs, logger, durability: options.durability ?? 'full', ...(bridge === null ? {} : { inspect: bridge.inspect }) });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (error instanceof StoreOpenError) process.stderr.write(`tipflow serve: ${error.message}\n`);
    else if (code === 'EADDRINUSE') process.stderr.write(`tipflow serve: port ${port} on ${host} is in use (another tipflow?): stop it, or pass --port ${port === 65_535 ? 3001 : port + 1}\n`);
    else if (code === 'EACCES') process.stderr.write(`tipflow serve: not allowed to listen on port ${port}: use a port above 1023\n`);
    else if (code === 'EADDRNOTAVAIL') process.stderr.write(`tipflow serve: ${host} is not an address of this machine\n`);
    else throw error;
    return 1;
  }
  const open = host === '0.0.0.0' || host === '::' ? running.url.replace(host === '::' ? '[::]' : '0.0.0.0', '127.0.0.1') : running.url;
  process.stdout.write(
    [
      `tipflow serves ${open}${host === '0.0.0.0' || host === '::' ? ' (and this machine\'s other addresses, for the trainees in the room)' : ''}`,
      `  instructors: open ${open} and sign in (the first instructor is "instructor")`,
      `  trainees:    open the same address and join with the code from the instructor's dashboard`,
      `  inspector:   ${open}/inspect`,
      `  requests are logged to ${log === '-' ? 'standard error' : log}; Ctrl-C stops the server`,
      '',
    ].join('\n'),
  );
  return 0;
}

/** `tipflow user add --role instructor|trainee <name>`: the password comes from TIPFLOW_USER_PASSWORD or is generated and printed once. */
export async function userAddCommand(name: string, options: { role?: string; db?: string; pool?: string }): Promise<number> {
  const role = options.role as Role;
  const pool = poolOption(options.pool);
  if (!pool.ok) {
    process.stderr.write(`tipflow user add: ${pool.message}\n`);
    return 2;
  }
  if (!(ROLES as readonly string[]).includes(role)) {
    process.stderr.write(`tipflow user add: --role must be instructor or trainee\n`);
    return 2;
  }
  const checkedName = accountName.safeParse(name);
  if (!checkedName.success) {
    process.stderr.write(`tipflow user add: the name ${checkedName.error.issues[0]?.message ?? 'is not allowed'}\n`);
    return 2;
  }
  const fromEnv = process.env.TIPFLOW_USER_PASSWORD;
  const checkedPassword = fromEnv === undefined ? null : newPasswordSchema.safeParse(fromEnv);
  if (checkedPassword !== null && !checkedPassword.success) {
    process.stderr.write(`tipflow user add: TIPFLOW_USER_PASSWORD needs ${checkedPassword.error.issues[0]?.message ?? `at least ${MIN_PASSWORD} characters`}\n`);
    return 2;
  }
  const password = fromEnv ?? newPassword();
  let stores;
  try {
    stores = await openStores(databaseOf(options.db), pool.options);
  } catch (error) {
    if (!(error instanceof StoreOpenError)) throw error;
    process.stderr.write(`tipflow user add: ${error.message}\n`);
    return 1;
  }
  try {
    await stores.accounts.createUser({ id: newId(), name, role, passwordHash: await hashPassword(password), createdAt: new Date().toISOString() });
  } catch (error) {
    if (!(error instanceof StoreConflictError)) throw error;
    process.stderr.write(`tipflow user add: the name ${name} is taken\n`);
    return 1;
  } finally {
    await stores.close();
  }
  process.stdout.write(fromEnv === undefined ? `created ${role} ${name} with the password ${password} (shown only now)\n` : `created ${role} ${name}\n`);
  return 0;
}
