// `tipflow play` end to end, as a trainee runs it: the real bin/tipflow.js in a real terminal (a detached
// tmux session on a private socket), driven by keystrokes (send-keys) and read back from the screen
// (capture-pane, polled with timeouts). tmux is required in CI (.ci/run installs it); elsewhere these tests
// are skipped when it is missing. `npm test` builds first; run `npm run build` before calling vitest on
// this file directly.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/index.js';
import { bundledReference } from '../../src/io/bundled-reference.js';
import { readPlayRecord } from '../../src/scenario/play-record.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'tipflow.js');
const HOUSTON = 'fixtures/scenarios/webmail-houston.yaml';
const STEP_TIMEOUT_MS = 8_000;

const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false' && process.env.CI !== '0';
const tmuxFound = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
const skipReason = tmuxFound || inCi ? null : 'tmux is not installed: install it (apt-get install tmux) to run the terminal tests of tipflow play';
if (skipReason !== null) console.warn(`tests/cli/play.e2e.test.ts: skipped: ${skipReason}`);

const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/** One tipflow process in its own tmux server, with a screen to read and a keyboard to type on. */
class Terminal {
  private static count = 0;
  readonly socket = `tipflow-e2e-${process.pid}-${(Terminal.count += 1)}`;

  constructor(args: readonly string[]) {
    // The shell prints the exit status and keeps the pane open so the test can read it.
    const command = `env NO_COLOR=1 LANG=C.UTF-8 ${[process.execPath, BIN, ...args].map(quote).join(' ')}; echo "[tipflow exited with $?]"; sleep 600`;
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'play', '-x', '220', '-y', '100', '-c', ROOT, command);
  }

  private tmux(...args: string[]): string {
    const run = spawnSync('tmux', ['-u', '-L', this.socket, ...args], { encoding: 'utf8', timeout: 5_000 });
    if (run.status !== 0) throw new Error(`tmux ${args.join(' ')} failed: ${run.stderr}`);
    return run.stdout;
  }

  /** The screen and its scrollback, wrapped lines joined, trailing spaces dropped. */
  screen(): string {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'play')
      .split('\n')
      .map((line) => line.trimEnd())
      .join('\n');
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'play', ...keys);
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', 'play', '-l', text);
  }

  async waitFor(expected: string | RegExp, timeoutMs = STEP_TIMEOUT_MS): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = this.screen();
      if (typeof expected === 'string' ? screen.includes(expected) : expected.test(screen)) return screen;
      await sleep(50);
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(expected)}; the screen was:\n${screen}`);
  }

  /** The lines of the active prompt (`? message`), from its question on. */
  private async promptLines(message: string): Promise<string[]> {
    const screen = await this.waitFor(new RegExp(`^\\? ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
    const lines = screen.split('\n');
    const start = lines.map((l) => l.startsWith(`? ${message}`)).lastIndexOf(true);
    return lines.slice(start + 1);
  }

  /** Moves the cursor of the active list to the first entry containing `label`; Enter picks, Space ticks. */
  async pick(message: string, label: string, key: 'Enter' | 'Space' = 'Enter'): Promise<void> {
    for (let attempt = 0; attempt < 60; attempt += 1) {
      const lines = await this.promptLines(message);
      const cursor = lines.findIndex((l) => l.startsWith('❯'));
      const target = lines.findIndex((l) => l.includes(label));
      if (cursor >= 0 && cursor === target) {
        this.keys(key);
        return;
      }
      if (cursor < 0 || target < 0) this.keys('Down');
      else this.keys(...Array.from({ length: Math.abs(target - cursor) }, () => (target > cursor ? 'Down' : 'Up')));
      await sleep(60);
    }
    throw new Error(`could not reach "${label}" in "${message}":\n${this.screen()}`);
  }

  close(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server'], { timeout: 5_000 });
  }
}

function tipflow(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1' } });
  if (run.error !== undefined) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** `report` lines appear in the terminal, in order and contiguous, right after the closed tip's screen. */
function expectDebriefOnScreen(screen: string, report: string): void {
  const lines = screen.split('\n');
  const wanted = report.trimEnd().split('\n').map((l) => l.trimEnd());
  const start = lines.findIndex((l) => l === wanted[0]);
  expect(start, 'the debrief heading on screen').toBeGreaterThanOrEqual(0);
  expect(lines.slice(start, start + wanted.length)).toEqual(wanted);
}

let scratch = '';
const terminals: Terminal[] = [];
const open = (...args: string[]): Terminal => {
  if (!tmuxFound) throw new Error('tmux is required for the tipflow play terminal tests in CI, and it is not on PATH: install it (.ci/run does: apt-get install -y tmux)');
  const terminal = new Terminal(args);
  terminals.push(terminal);
  return terminal;
};

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    throw new Error('tipflow is not built: run `npm run build` (npm test does it through pretest) before the CLI tests');
  }
  scratch = mkdtempSync(join(tmpdir(), 'tipflow-play-'));
});
afterEach(() => {
  for (const terminal of terminals.splice(0)) terminal.close();
});
afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

describe.skipIf(skipReason !== null)('tipflow play in a terminal (tmux)', () => {
  it('plays the Houston exercise in practice mode to its debrief, and the saved session gives the same report', async () => {
    const file = join(scratch, 'houston.json');
    const t = open('play', HOUSTON, '--mode', 'practice', '--save', file);
    await t.waitFor('? Start the exercise?');
    t.keys('Enter');

    const triage = await t.waitFor('[ TRIAGE ]');
    expect(triage).toContain('Where the tip is:  intake ✓ → [ TRIAGE ] → geolocation → referral / legal process → closed');
    expect(triage).toContain('Tip TIP-0001 · reported by an electronic service provider (ESP): Example Mail (fictional)');
    expect(triage).toContain('Incident type: child-pornography-possession');
    expect(triage).toMatch(/subjects\[0\]\.ipEvents\[0\] +S1 +192\.0\.2\.10 +51234 +Upload +2019-05-30 22:09 UTC/);
    expect(triage).toContain('Simulated clock: 2019-06-01 10:00 UTC');
    expect(triage).toContain('triage SLA (P3) due 2019-06-04 10:00 UTC (in 3d)');

    await t.pick('What do you do?', 'Hint');
    await t.waitFor('» Hint: Possession without escalation');
    await t.pick('What do you do?', 'Triage: assign');
    await t.pick('Priority?', 'P3');
    await t.pick('Track?', 'referral');

    const geolocation = await t.waitFor('[ GEOLOCATION ]');
    expect(geolocation).toContain('intake ✓ → triage ✓ → [ GEOLOCATION ]');
    expect(geolocation).toContain('Locations reflect network indicators, not people.');
    expect(geolocation).toMatch(/subjects\[0\]\.ipEvents\[0\] +192\.0\.2\.10 +Lonestar Broadband +residential +Houston, TX, US +180 days/);

    // A wrong tag, confirmed, then taken back and corrected.
    await t.pick('What do you do?', 'Tag geolocation caveats');
    await t.pick('Indicator 1 of 2', 'REGION_ONLY', 'Space');
    await t.waitFor(/◉ REGION_ONLY/);
    t.keys('Enter');
    await t.pick('Indicator 2 of 2', 'USER_PROVIDED_ONLY', 'Enter');
    await t.pick('The tip as a whole', 'CONFLICTING_INDICATORS', 'Enter');
    await t.waitFor('? Your tags: REGION_ONLY on subjects[0].ipEvents[0]');
    t.keys('Enter');
    await t.waitFor('[ REFERRAL / LEGAL PROCESS ]');
    await t.pick('What do you do?', 'Undo my last decision');
    await t.waitFor('» Took back: confirmed the geolocation assessment.');
    await t.pick('What do you do?', 'Tag geolocation caveats');
    await t.pick('Indicator 1 of 2', 'REGION_ONLY', 'Space');
    await t.waitFor(/◯ REGION_ONLY/);
    t.keys('Enter');
    await t.pick('Indicator 2 of 2', 'USER_PROVIDED_ONLY', 'Enter');
    await t.pick('The tip as a whole', 'CONFLICTING_INDICATORS', 'Enter');
    await t.waitFor('? Your tags: no caveats');
    t.keys('Enter');

    await t.waitFor('[ REFERRAL / LEGAL PROCESS ]');
    await t.pick('What do you do?', 'Route: refer');
    await t.pick('Refer to which jurisdiction?', 'US-TX-ICAC-HOU');
    const closed = await t.waitFor('? The tip is closed.');
    expect(closed).toContain('[ CLOSED: REFERRED ]');
    expect(closed).toContain('The Houston Metro ICAC Task Force acknowledges the referral and opens a case.');
    await t.pick('The tip is closed.', 'See the debrief');

    const end = await t.waitFor('[tipflow exited with 0]');
    expect(end).toContain('Debrief: Webmail report to the Houston task force (webmail-houston)');
    // The hint taken before triage caps it at partly right (DESIGN §10; the rubric's default), and says so.
    expect(end).toMatch(/1 +triage +P3, referral track +P3, referral track +partly right/);
    expect(end).toContain('A hint was used, so it counts at most partly right');
    expect(end).toContain('hints used: 1 (for triage)');
    expect(end).toMatch(/triage +triage +50% +M: performed with major challenges/);
    expect(end).toMatch(/geolocation +geolocation +100% +P: performed without challenges/);
    expect(end).toMatch(/referral +referral +100% +P: performed without challenges/);
    expect(end).toContain(`tipflow report ${file}`);

    const record = readPlayRecord(file);
    expect(record).toMatchObject({ mode: 'practice', finished: true, hintsUsed: 1, injectsSent: ['acknowledged'] });
    const report = tipflow('report', file);
    expect(report.status).toBe(0);
    expectDebriefOnScreen(end, report.stdout);
  });

  it('Ctrl-C at the geolocation step saves the session, and --resume continues it to the debrief', async () => {
    const file = join(scratch, 'interrupted.json');
    const first = open('play', HOUSTON, '--save', file);
    await first.waitFor('? Start the exercise?');
    first.keys('Enter');
    await first.pick('What do you do?', 'Triage: assign');
    await first.pick('Priority?', 'P3');
    await first.pick('Track?', 'referral');
    await first.waitFor('[ GEOLOCATION ]');
    await first.pick('What do you do?', 'Tag geolocation caveats');
    await first.waitFor('? Indicator 1 of 2');
    first.keys('C-c');
    const interrupted = await first.waitFor('[tipflow exited with 130]');
    expect(interrupted).toContain(`resume with: tipflow play --resume ${file}`);

    const saved = readPlayRecord(file);
    expect(saved).toMatchObject({ mode: 'practice', finished: false });
    expect(saved.session.log.filter((r) => r.actor === 'trainee').map((r) => r.event)).toEqual([{ type: 'TRIAGE.ASSIGN', priority: 'P3', track: 'referral' }]);
    expect(new Engine(bundledReference()).replay(saved.session).state).toBe('geolocation.tagging');

    const second = open('play', '--resume', file);
    const resumed = await second.waitFor('[ GEOLOCATION ]');
    expect(resumed).toContain(`» Resumed ${file}`);
    expect(resumed).toContain('Priority P3, referral track.');
    await second.pick('What do you do?', 'Confirm the geolocation assessment');
    await second.waitFor('? Confirm the geolocation assessment with no caveats?');
    second.keys('Enter');
    await second.waitFor('[ REFERRAL / LEGAL PROCESS ]');
    await second.pick('What do you do?', 'Route: refer');
    // The state task force: referred, but not to the one the city calls for.
    await second.pick('Refer to which jurisdiction?', 'US-TX-ICAC  ');
    await second.pick('The tip is closed.', 'See the debrief');
    const end = await second.waitFor('[tipflow exited with 0]');
    expect(end).toMatch(/route +refer to US-TX-ICAC +refer to US-TX-ICAC-HOU +partly right/);
    expect(end).toMatch(/referral +referral +50% +M: performed with major challenges/);
    expectDebriefOnScreen(end, tipflow('report', file).stdout);
  });
});

describe('tipflow play without a terminal', () => {
  it('says it needs one, suggests tipflow run --answers, and exits 2', () => {
    const run = spawnSync(process.execPath, [BIN, 'play', HOUSTON, '--mode', 'practice'], { cwd: ROOT, encoding: 'utf8', input: '', timeout: 20_000 });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('tipflow play is interactive and needs a terminal');
    expect(run.stderr).toContain('tipflow run <exercise.yaml> --answers <answers.yaml>');
  });
});
