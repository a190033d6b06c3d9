// `tipflow serve`: the store (a SQLite file, or PostgreSQL), the first instructor account, the API, and a graceful shutdown.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { Engine, type EngineOptions } from '../engine/index.js';
import { bundledReference } from '../io/bundled-reference.js';
import type { AccountStore } from '../store/account-store.js';
import { openStores } from '../store/open.js';
import { StoreConflictError } from '../store/event-store.js';
import type { Durability } from '../store/sqlite-database.js';
import { createApp } from './app.js';
import { loadServerExercises } from './exercises.js';
import { createLogger } from './logger.js';
import { hashPassword, newId, newPassword } from './passwords.js';

export interface ServeOptions {
  port: number;
  host: string;
  /**
   * SQLite file (':memory:' only for tests: accounts and events then live in separate databases), or a
   * postgres:// URL (several instances may share it).
   */
  db: string;
  /** PostgreSQL: connections in the pool. */
  pool?: number;
  exerciseDirs?: readonly string[];
  logger?: Logger;
  /** Where the one-time instructor password is printed (default: stdout). */
  print?: (line: string) => void;
  /** SQLite commit durability (default full: nothing acknowledged is lost, even on power loss). */
  durability?: Durability;
  /** XState inspection observer for every session's actor (the opt-in Stately bridge). */
  inspect?: EngineOptions['inspect'];
  /** Install SIGTERM/SIGINT handlers (default true). */
  handleSignals?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export const FIRST_INSTRUCTOR = 'instructor';

/** Creates the first instructor when there is none; returns the password it printed, or null. */
export async function ensureInstructor(accounts: AccountStore, print: (line: string) => void): Promise<string | null> {
  if ((await accounts.countUsers('instructor')) > 0) return null;
  const fromEnv = process.env.TIPFLOW_ADMIN_PASSWORD;
  const password = fromEnv !== undefined && fromEnv.length >= 10 ? fromEnv : newPassword();
  try {
    await accounts.createUser({ id: newId(), name: FIRST_INSTRUCTOR, role: 'instructor', passwordHash: await hashPassword(password), createdAt: new Date().toISOString() });
  } catch (error) {
    // Another server instance on the same store created it while this one hashed the password: it printed it.
    if (error instanceof StoreConflictError) return null;
    throw error;
  }
  if (fromEnv === undefined || fromEnv.length < 10) {
    print(`First start: created the instructor account "${FIRST_INSTRUCTOR}" with the one-time password ${password}`);
    print('It is shown only now; keep it safe (or set TIPFLOW_ADMIN_PASSWORD before the first start).');
  } else {
    print(`First start: created the instructor account "${FIRST_INSTRUCTOR}" with the password from TIPFLOW_ADMIN_PASSWORD.`);
  }
  return password;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stores = await openStores(options.db, { writerThread: true, soleWriter: true, ...(options.durability === undefined ? {} : { durability: options.durability }), ...(options.pool === undefined ? {} : { pool: options.pool }) });
  const { events, accounts, signals } = stores;
  try {
    await ensureInstructor(accounts, print);
  } catch (error) {
    await stores.close();
    throw error;
  }
  const exercises = loadServerExercises(options.exerciseDirs ?? []);
  const app = createApp({ engine: new Engine(bundledReference(), options.inspect === undefined ? {} : { inspect: options.inspect }), events, accounts, exercises, logger, signals });
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(options.port, options.host, (error?: Error) => (error === undefined ? resolve(s) : reject(error)));
    });
  } catch (error) {
    // A taken or forbidden port: close the stores (and the store's writer thread) before saying so.
    await stores.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  logger.info({ url, db: stores.kind === 'sqlite' ? options.db : 'postgresql', exercises: exercises.length }, 'listening');

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      logger.info('shutting down');
      server.close(() => {
        void stores.close().then(
          () => {
            logger.info('stopped');
            resolve();
          },
          (error: unknown) => {
            logger.error({ err: error }, 'the stores did not close cleanly');
            resolve();
          },
        );
      });
      app.closeStreams();
      server.closeIdleConnections();
    });
    return closing;
  };
  if (options.handleSignals !== false) {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'signal received');
      void close().then(() => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
  return { url, port, server, close };
}
