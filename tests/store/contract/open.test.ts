// Opening the store a `--db` names (src/store/open.ts): a postgres:// URL is PostgreSQL, anything else a
// SQLite file; TIPFLOW_DB is the default; what cannot be opened is said in one line with what to check.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serveCommand, userAddCommand } from '../../../src/cli/commands/serve.js';
import { userPasswordCommand } from '../../../src/cli/commands/user-password.js';
import { verifyPassword } from '../../../src/server/passwords.js';
import { databaseOf, openStores, StoreOpenError } from '../../../src/store/open.js';
import { isPostgresUrl } from '../../../src/store/pg-database.js';
import { tooOldServer } from '../../../src/store/pg-migrations.js';
import { describeContract } from './stores.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tipflow-open-'));
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `work` with standard error captured; what it wrote, read before the spy is restored. */
async function stderrOf(work: () => Promise<unknown>): Promise<{ result: unknown; said: string }> {
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const result = await work();
    return { result, said: spy.mock.calls.map((call) => String(call[0])).join('') };
  } finally {
    spy.mockRestore();
  }
}

describe('which store a --db names', () => {
  it('takes postgres:// and postgresql:// URLs for PostgreSQL and anything else for a SQLite file', () => {
    expect(['postgres://u@h/db', 'postgresql://u@h:5433/db', 'POSTGRES://h/db'].map(isPostgresUrl)).toEqual([true, true, true]);
    expect(['./tipflow.db', 'postgres.db', '/var/lib/postgres://x', ':memory:'].map(isPostgresUrl)).toEqual([false, false, false, false]);
  });

  it('uses --db when given, else TIPFLOW_DB, else ./tipflow.db', () => {
    vi.stubEnv('TIPFLOW_DB', '');
    expect(databaseOf(undefined)).toBe('./tipflow.db');
    vi.stubEnv('TIPFLOW_DB', 'postgres://tipflow@db.example.org/tipflow');
    expect(databaseOf(undefined)).toBe('postgres://tipflow@db.example.org/tipflow');
    expect(databaseOf('./mine.db')).toBe('./mine.db');
  });

  it('opens a SQLite file for a path', async () => {
    const stores = await openStores(join(dir, 'a.db'));
    expect(stores.kind).toBe('sqlite');
    expect(await stores.accounts.countUsers()).toBe(0);
    await stores.close();
  });

  it('says a PostgreSQL older than 13 cannot hold the schema (xid8), and takes 13 on', () => {
    expect(tooOldServer(120_017, '12.17')).toBe('tipflow needs PostgreSQL 13 or later; this server is 12.17');
    expect(tooOldServer(90_624, '9.6.24')).toBe('tipflow needs PostgreSQL 13 or later; this server is 9.6.24');
    expect(tooOldServer(130_000, '13.0')).toBeNull();
    expect(tooOldServer(150_018, '15.18')).toBeNull();
  });

  it('says what to check when PostgreSQL is not there, or the URL or the pool size is wrong', async () => {
    await expect(openStores('postgres://tipflow@127.0.0.1:1/tipflow')).rejects.toThrow(new StoreOpenError('cannot reach PostgreSQL at 127.0.0.1:1/tipflow as tipflow: the connection was refused. Is the server running, and listening on that host and port?'));
    await expect(openStores('postgres://tipflow@[nope/tipflow')).rejects.toThrow(/the database URL does not parse/);
    await expect(openStores('postgres://tipflow@127.0.0.1:1/tipflow', { pool: 0 })).rejects.toThrow(/the pool size must be a whole number of connections, 1 or more/);
  });

  it('tipflow serve and tipflow user add say it in one line and exit 1, with no stack trace', async () => {
    const url = 'postgres://tipflow:secret@127.0.0.1:1/tipflow';
    const serve = await stderrOf(() => serveCommand({ port: 0, db: url, log: join(dir, 'serve.log'), dir: [] }));
    expect(serve).toEqual({ result: 1, said: 'tipflow serve: cannot reach PostgreSQL at 127.0.0.1:1/tipflow as tipflow: the connection was refused. Is the server running, and listening on that host and port?\n' });
    vi.stubEnv('TIPFLOW_DB', url);
    vi.stubEnv('TIPFLOW_USER_PASSWORD', 'a-long-enough-password');
    const user = await stderrOf(() => userAddCommand('alice', { role: 'trainee' }));
    expect(user).toEqual({ result: 1, said: 'tipflow user add: cannot reach PostgreSQL at 127.0.0.1:1/tipflow as tipflow: the connection was refused. Is the server running, and listening on that host and port?\n' });
    const pool = await stderrOf(() => serveCommand({ port: 0, db: url, pool: 'many', log: join(dir, 'serve.log'), dir: [] }));
    expect(pool).toEqual({ result: 2, said: 'tipflow serve: --pool must be a number of connections from 1 to 1000, not many\n' });
  });
});

describeContract(
  'opening PostgreSQL',
  (db) => {
    it('says that a database does not exist, and how to make it', async () => {
      const missing = new URL(db().location);
      missing.pathname = '/tipflow_no_such_database';
      await expect(openStores(missing.toString())).rejects.toThrow(/the database does not exist\. Create it first \(createdb, or CREATE DATABASE\)/);
    });

    it('tipflow user add keeps the account in the database TIPFLOW_DB names', async () => {
      vi.stubEnv('TIPFLOW_DB', db().location);
      vi.stubEnv('TIPFLOW_USER_PASSWORD', 'a-long-enough-password');
      const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        expect(await userAddCommand('teacher2', { role: 'instructor' })).toBe(0);
      } finally {
        stdout.mockRestore();
      }
      const { accounts, kind } = await db().open();
      expect(kind).toBe('postgresql');
      expect(await accounts.findUserByName('teacher2')).toMatchObject({ name: 'teacher2', role: 'instructor' });
    });

    it('tipflow user add and user password take --pool and change the account in PostgreSQL', async () => {
      vi.stubEnv('TIPFLOW_USER_PASSWORD', 'a-long-enough-password');
      const out: string[] = [];
      const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
      try {
        expect(await userAddCommand('ada', { role: 'trainee', db: db().location, pool: '1' })).toBe(0);
        expect(await userPasswordCommand('ada', { db: db().location, pool: '2' })).toBe(0);
      } finally {
        stdout.mockRestore();
      }
      const password = /new one-time password for ada: (\S+) /.exec(out.join(''))?.[1] ?? '';
      const { accounts } = await db().open();
      const ada = await accounts.findUserByName('ada');
      expect(ada?.mustChangePassword).toBe(true);
      await expect(verifyPassword(password, ada?.passwordHash ?? '')).resolves.toBe(true);
      expect(await stderrOf(() => userAddCommand('bob', { role: 'trainee', db: db().location, pool: '0' }))).toEqual({ result: 2, said: 'tipflow user add: --pool must be a number of connections from 1 to 1000, not 0\n' });
    });
  },
  'postgresql',
);
