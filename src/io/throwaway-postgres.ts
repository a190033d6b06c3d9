// A throwaway PostgreSQL cluster on a loopback port, in a temporary folder, from Debian's binaries
// (/usr/lib/postgresql/<version>/bin): for the store contract tests (tests/store/contract/pg-harness.ts) and
// the PostgreSQL rows of `npm run bench:api`, which need a server and start one when none is given. As root it
// runs as the `postgres` user (PostgreSQL refuses to run as root). Not used by tipflow itself.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = '/usr/lib/postgresql';

/** The newest installed PostgreSQL's bin folder and version, or null when none is installed. */
export function findPostgresBin(): { bin: string; version: string } | null {
  if (!existsSync(ROOT)) return null;
  const version = readdirSync(ROOT)
    .sort((a, b) => Number(b) - Number(a))
    .find((v) => existsSync(join(ROOT, v, 'bin', 'initdb')));
  return version === undefined ? null : { bin: join(ROOT, version, 'bin'), version };
}

/** A port free on 127.0.0.1 now (the OS's choice). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** What stops a cluster: kept as JSON by the tests, whose teardown runs in another process. */
export interface ClusterFiles {
  pgCtl: string;
  base: string;
  data: string;
  asPostgres: boolean;
}

export interface ThrowawayCluster extends ClusterFiles {
  /** The superuser's URL, postgres://postgres@127.0.0.1:<port>/postgres. */
  url: string;
}

export interface ClusterOptions {
  /** Prefix of the temporary folder's name. */
  prefix: string;
  /** Durable commits, as a production server has them (a bench); off for tests, which need speed only. */
  durable: boolean;
  /** Told where the cluster lives after initdb and before the start, so a start that never answers is stopped too. */
  beforeStart?: (files: ClusterFiles) => void;
}

/** Initialises and starts a cluster; throws, with PostgreSQL's own words and log, when it cannot. */
export async function startThrowawayPostgres(bin: string, { prefix, durable, beforeStart }: ClusterOptions): Promise<ThrowawayCluster> {
  const asPostgres = process.getuid?.() === 0;
  const run = (command: string, args: readonly string[]) => (asPostgres ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' }) : spawnSync(command, args, { stdio: 'pipe' }));
  const base = mkdtempSync(join(tmpdir(), prefix));
  if (asPostgres) chownSync(base, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
  const data = join(base, 'data');
  const port = await freeLoopbackPort();
  const init = run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', ...(durable ? [] : ['--no-sync']), '-E', 'UTF8', '--locale=C']);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr.toString().trim()}`);
  const files: ClusterFiles = { pgCtl: join(bin, 'pg_ctl'), base, data, asPostgres };
  beforeStart?.(files);
  const fast = durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  const log = join(base, 'log');
  const started = run(files.pgCtl, ['-D', data, '-l', log, '-o', `-p ${port} -k ${base} -c listen_addresses=127.0.0.1${fast} -c max_connections=200`, '-w', 'start']);
  if (started.status !== 0) throw new Error(`pg_ctl start failed: ${started.stderr.toString().trim()}${existsSync(log) ? `\n${readFileSync(log, 'utf8')}` : ''}`);
  return { ...files, url: `postgres://postgres@127.0.0.1:${port}/postgres` };
}

/** Stops a cluster at once and removes its folder (a cluster already stopped is only removed). */
export function stopThrowawayPostgres({ pgCtl, base, data, asPostgres }: ClusterFiles): void {
  const args = ['-D', data, '-m', 'immediate', '-w', 'stop'];
  try {
    if (asPostgres) execFileSync('runuser', ['-u', 'postgres', '--', pgCtl, ...args], { stdio: 'ignore' });
    else execFileSync(pgCtl, args, { stdio: 'ignore' });
  } catch {
    // Already stopped: nothing to do but remove its files.
  }
  rmSync(base, { recursive: true, force: true });
}
