// `tipflow user password <name>` (issue 18, item 3): a generated one-time password, printed once, that must be
// changed at the next sign-in, or one read from standard input and kept; either way the account's sign-ins end.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { userPasswordCommand } from '../../src/cli/commands/user-password.js';
import { hashPassword, verifyPassword } from '../../src/server/passwords.js';
import { openStores } from '../../src/store/open.js';
import { SqliteAccountStore } from '../../src/store/sqlite-accounts.js';

let dir: string;
let db: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tipflow-user-password-'));
  db = join(dir, 'tipflow.db');
  const accounts = new SqliteAccountStore(db);
  await accounts.createUser({ id: 'u-ada', name: 'ada', role: 'trainee', passwordHash: await hashPassword('the-old-password'), createdAt: '2026-12-04T00:00:00.000Z' });
  await accounts.createToken({ hash: 'a-token-hash', userId: 'u-ada', createdAt: '2026-12-04T00:00:00.000Z', expiresAt: '2999-01-01T00:00:00.000Z' });
  await accounts.close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the command with stdout and stderr captured. */
async function run(name: string, options: { db?: string; pool?: string; stdin?: boolean }, input?: string, open?: typeof openStores): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
  try {
    const code = await userPasswordCommand(name, options, Readable.from([input ?? '']), open);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const stored = async () => {
  const accounts = new SqliteAccountStore(db);
  try {
    return { user: await accounts.findUserByName('ada'), token: await accounts.userForToken('a-token-hash', '2026-12-04T01:00:00.000Z') };
  } finally {
    await accounts.close();
  }
};

describe('tipflow user password', () => {
  it('prints a new one-time password once, which must be changed at the next sign-in, and ends the sign-ins', async () => {
    const { code, out } = await run('ada', { db });
    expect(code).toBe(0);
    const password = /new one-time password for ada: (\S+) \(shown only now/.exec(out)?.[1] ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{18}$/);
    expect(out).toContain('1 sign-in ended');
    const { user, token } = await stored();
    expect(token).toBeNull();
    expect(user?.mustChangePassword).toBe(true);
    await expect(verifyPassword(password, user?.passwordHash ?? '')).resolves.toBe(true);
    await expect(verifyPassword('the-old-password', user?.passwordHash ?? '')).resolves.toBe(false);
  });

  it('with --stdin keeps the password read from standard input (not one-time), and refuses a weak one', async () => {
    expect((await run('ada', { db, stdin: true }, 'short\n')).code).toBe(2);
    const { code, out } = await run('ada', { db, stdin: true }, 'a-password-ada-keeps\nignored second line\n');
    expect(code).toBe(0);
    expect(out).toBe('set a new password for ada; 1 sign-in ended\n');
    const { user, token } = await stored();
    expect(token).toBeNull();
    expect(user?.mustChangePassword).toBeUndefined();
    await expect(verifyPassword('a-password-ada-keeps', user?.passwordHash ?? '')).resolves.toBe(true);
  });

  it('tells the running servers, and changes the password all the same when they cannot be told (their 2 s trust window)', async () => {
    const told: unknown[] = [];
    const listening: typeof openStores = async (...args) => {
      const stores = await openStores(...args);
      stores.signals.subscribe((signal) => told.push(signal));
      return stores;
    };
    expect((await run('ada', { db }, undefined, listening)).code).toBe(0);
    expect(told).toEqual([{ topic: 'user-forgotten', userId: 'u-ada' }]);
    const failing: typeof openStores = async (...args) => {
      const stores = await openStores(...args);
      return { ...stores, signals: { ...stores.signals, publish: () => Promise.reject(new Error('the database went away')) } };
    };
    const { code, out, err } = await run('ada', { db, stdin: true }, 'a-password-ada-keeps\n', failing);
    expect(code).toBe(0);
    expect(out).toBe('set a new password for ada; 0 sign-ins ended\n');
    expect(err).toBe('tipflow user password: the running servers could not be told (the database went away); they stop trusting the old sign-ins within 2 s\n');
    await expect(verifyPassword('a-password-ada-keeps', (await stored()).user?.passwordHash ?? '')).resolves.toBe(true);
  });

  it('says so for an unknown account (1) or a name that cannot be one (2)', async () => {
    const unknown = await run('nobody', { db });
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('there is no account named nobody');
    expect((await run('Officer Jones', { db })).code).toBe(2);
  });

  it('refuses a --pool that is no number of connections (2), before opening anything', async () => {
    const refused = await run('ada', { db, pool: 'lots' });
    expect(refused).toMatchObject({ code: 2, err: 'tipflow user password: --pool must be a number of connections from 1 to 1000, not lots\n' });
    expect((await stored()).user?.mustChangePassword).toBeUndefined();
    // A SQLite file has no pool: a good --pool is accepted and changes nothing else.
    expect((await run('ada', { db, pool: '2' })).code).toBe(0);
  });

  it('uses the database TIPFLOW_DB names when --db is not given', async () => {
    vi.stubEnv('TIPFLOW_DB', db);
    try {
      expect((await run('ada', {})).code).toBe(0);
    } finally {
      vi.unstubAllEnvs();
    }
    expect((await stored()).user?.mustChangePassword).toBe(true);
  });

  it('has --help naming its flags (built CLI)', () => {
    const help = execFileSync(process.execPath, ['bin/tipflow.js', 'user', 'password', '--help'], { encoding: 'utf8' });
    expect(help).toContain('Usage: tipflow user password');
    expect(help).toContain('--db <file|url>');
    expect(help).toContain('--stdin');
  });

  it('takes --pool on every command that may open PostgreSQL, saying what it does (built CLI)', () => {
    for (const command of [['serve'], ['user', 'add'], ['user', 'password'], ['db', 'copy']]) {
      const help = execFileSync(process.execPath, ['bin/tipflow.js', ...command, '--help'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(help, command.join(' ')).toContain('--pool <n> PostgreSQL: how many connections the pool may hold at once (default 10; a SQLite --db ignores it)');
    }
  });
});
