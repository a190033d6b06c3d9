// `tipflow db copy --from <db> --to <db>`: moves a classroom between stores (a SQLite file into PostgreSQL is
// the case that matters), then replays every copied session from the target and compares it with the source.
import { Engine } from '../../engine/index.js';
import { bundledReference } from '../../io/bundled-reference.js';
import { copyStores, isEmpty, verifyCopy } from '../../store/copy.js';
import { openStores, StoreOpenError, type OpenedStores } from '../../store/open.js';
import { poolOption } from './pool-option.js';

export interface DbCopyOptions {
  from: string;
  to: string;
  /** Copy into a database that already has accounts or sessions (what it has under the same id is kept). */
  intoNonEmpty?: boolean;
  pool?: string;
}

export async function dbCopyCommand(options: DbCopyOptions): Promise<number> {
  const say = (line: string) => process.stderr.write(`tipflow db copy: ${line}\n`);
  if (options.from === options.to) {
    say('--from and --to name the same database');
    return 2;
  }
  const pool = poolOption(options.pool);
  if (!pool.ok) {
    say(pool.message);
    return 2;
  }
  let from: OpenedStores | null = null;
  let to: OpenedStores | null = null;
  try {
    from = await openStores(options.from, pool.options);
    to = await openStores(options.to, { ...pool.options, soleWriter: true });
    if (options.intoNonEmpty !== true && !(await isEmpty(to))) {
      say(`${options.to} already has accounts or sessions: copy into an empty database, or pass --into-non-empty to keep what it has and add the rest`);
      return 1;
    }
    const { summary, sessionIds } = await copyStores(from, to, say, options.intoNonEmpty === true);
    const differences = await verifyCopy(new Engine(bundledReference()), from, to, sessionIds, say);
    if (differences.length > 0) {
      for (const d of differences.slice(0, 20)) say(`session ${d.sessionId}: ${d.what}`);
      say(`the copy differs from the source in ${differences.length} place${differences.length === 1 ? '' : 's'}: do not use ${options.to} (the source is unchanged)`);
      return 1;
    }
    const skipped = summary.skipped > 0 ? `, kept ${summary.skipped} the target had already` : '';
    process.stdout.write(
      `copied ${summary.users} accounts, ${summary.cohorts} cohorts (${summary.memberships} memberships), ${summary.exercises} uploads, ${summary.assignments} assignments, ${summary.grants} grants, ${summary.releases} releases, ${summary.planRows} improvement plan rows, ${summary.clocks} clocks, ${summary.sessions} sessions (${summary.records} records, ${summary.messages} messages, ${summary.exerciseTexts} exercise texts)${skipped}; every session replays the same from ${options.to}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof StoreOpenError) {
      say(error.message);
      return 1;
    }
    throw error;
  } finally {
    await from?.close();
    await to?.close();
  }
}
