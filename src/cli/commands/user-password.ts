// `tipflow user password <name> [--db ./tipflow.db | postgres://…] [--pool n] [--stdin]`: a forgotten password,
// recovered at the server's machine (or any machine that reaches its PostgreSQL). By default a new one-time password is generated and printed once (it must be changed at
// the next sign-in); with --stdin the new password is read from standard input and kept. Either way every
// sign-in of the account ends, and the server instances on a PostgreSQL store are told at once (a signal, as
// a password change through the API sends), so none of them trusts a cached token of the account meanwhile.
import { accountName, newPassword as newPasswordSchema } from '../../server/auth.js';
import type { ClassSignal } from '../../server/class-signals.js';
import { hashPassword, newPassword } from '../../server/passwords.js';
import { databaseOf, openStores, StoreOpenError } from '../../store/open.js';
import { poolOption } from './pool-option.js';

export interface UserPasswordOptions {
  /** A SQLite file or a postgres:// URL (default: TIPFLOW_DB, else ./tipflow.db). */
  db?: string;
  /** PostgreSQL: connections in the pool (text from the command line). */
  pool?: string;
  /** Read the new password from standard input (its first line) instead of generating a one-time one. */
  stdin?: boolean;
}

/** The first line of a stream, without its line ending. */
export async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** `open` opens the stores (tests give their own). */
export async function userPasswordCommand(name: string, options: UserPasswordOptions, input: NodeJS.ReadableStream = process.stdin, open: typeof openStores = openStores): Promise<number> {
  const checkedName = accountName.safeParse(name);
  if (!checkedName.success) {
    process.stderr.write(`tipflow user password: the name ${checkedName.error.issues[0]?.message ?? 'is not allowed'}\n`);
    return 2;
  }
  const pool = poolOption(options.pool);
  if (!pool.ok) {
    process.stderr.write(`tipflow user password: ${pool.message}\n`);
    return 2;
  }
  let chosen: string | null = null;
  if (options.stdin === true) {
    const checked = newPasswordSchema.safeParse(await firstLine(input));
    if (!checked.success) {
      process.stderr.write(`tipflow user password: the password from standard input needs ${checked.error.issues[0]?.message ?? 'more characters'}\n`);
      return 2;
    }
    chosen = checked.data;
  }
  let stores;
  try {
    stores = await open(databaseOf(options.db), pool.options);
  } catch (error) {
    if (!(error instanceof StoreOpenError)) throw error;
    process.stderr.write(`tipflow user password: ${error.message}\n`);
    return 1;
  }
  const { accounts, signals } = stores;
  /**
   * The running servers forget the account's cached sign-ins (on SQLite there is no other process to tell).
   * The change is made either way: a signal that cannot be sent leaves the servers' short trust window.
   */
  const tellServers = async (userId: string): Promise<void> => {
    try {
      await signals.publish({ topic: 'user-forgotten', userId } satisfies ClassSignal);
    } catch (error) {
      process.stderr.write(`tipflow user password: the running servers could not be told (${(error as Error).message}); they stop trusting the old sign-ins within 2 s\n`);
    }
  };
  try {
    const user = await accounts.findUserByName(name);
    if (user === null) {
      process.stderr.write(`tipflow user password: there is no account named ${name}\n`);
      return 1;
    }
    if (chosen !== null) {
      // Kept as given; no sign-in is kept (the empty hash matches no token).
      const ended = await accounts.changePassword(user.id, await hashPassword(chosen), '');
      await tellServers(user.id);
      process.stdout.write(`set a new password for ${name}; ${ended} sign-in${ended === 1 ? '' : 's'} ended\n`);
      return 0;
    }
    const password = newPassword();
    const ended = (await accounts.resetPassword(user.id, await hashPassword(password))) ?? 0;
    await tellServers(user.id);
    process.stdout.write(`new one-time password for ${name}: ${password} (shown only now; it must be changed at the next sign-in; ${ended} sign-in${ended === 1 ? '' : 's'} ended)\n`);
    return 0;
  } finally {
    await stores.close();
  }
}
