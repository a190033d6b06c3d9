// The real `tipflow` binary (bin/tipflow.js on the built dist/), spawned as a user would run it: exit codes,
// stdout and stderr of `route` and `schema` (DESIGN §11). `npm test` builds first (pretest); run
// `npm run build` before calling vitest on this file directly.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'tipflow.js');
const TIPS = 'fixtures/tips';
const HOUSTON = `${TIPS}/webmail-houston.json`;
const RUN_TIMEOUT_MS = 20_000;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function tipflow(...args: string[]): Run {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: RUN_TIMEOUT_MS, env: { ...process.env, NO_COLOR: '1' } });
  if (run.error !== undefined) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const parseJson = (text: string): unknown => JSON.parse(text) as unknown;
const keysOf = (value: unknown): string[] => Object.keys(value as object).sort();

const ROUTE_FIELDS = ['tipId', 'outcome', 'priority', 'track', 'confidence', 'caveats', 'indicators', 'jurisdiction', 'notify', 'reasons'];
const INDICATOR_FIELDS = ['id', 'source', 'country', 'region', 'city', 'kind', 'caveats', 'confidence', 'determining'];
const JURISDICTION_FIELDS = ['id', 'country', 'region', 'channel'];

let scratch = '';

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'))) {
    throw new Error('tipflow is not built: run `npm run build` (npm test does it through pretest) before the CLI tests');
  }
  scratch = mkdtempSync(join(tmpdir(), 'tipflow-cli-'));
});

afterAll(() => {
  if (scratch !== '') rmSync(scratch, { recursive: true, force: true });
});

describe('tipflow route <tip>', () => {
  it('prints a readable account of the Houston referral and exits 0', () => {
    const run = tipflow('route', HOUSTON);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('TIP-0001: referred → US-TX-ICAC-HOU');
    expect(run.stdout).toMatch(/priority P3 · track referral · confidence high/);
    expect(run.stdout).toContain('subjects[0].ipEvents[0]');
    expect(run.stdout).toContain('Lonestar Broadband');
    expect(run.stdout).toMatch(/reasons:\n\s+- /);
    expect(() => parseJson(run.stdout)).toThrow();
  });

  it('prints the DESIGN §11 fields with --json', () => {
    const run = tipflow('route', '--json', HOUSTON);
    expect(run.status).toBe(0);
    const result = parseJson(run.stdout) as Record<string, unknown>;
    expect(keysOf(result)).toEqual(expect.arrayContaining(ROUTE_FIELDS));
    expect(result).toMatchObject({ tipId: 'TIP-0001', outcome: 'referred', priority: 'P3', track: 'referral', confidence: 'high', caveats: [], notify: [] });
    const indicators = result['indicators'] as unknown[];
    expect(indicators).toHaveLength(2);
    for (const indicator of indicators) expect(keysOf(indicator)).toEqual(expect.arrayContaining(INDICATOR_FIELDS));
    expect(indicators[0]).toMatchObject({ id: 'subjects[0].ipEvents[0]', source: 'ipEvent', country: 'US', region: 'TX', city: 'Houston', kind: 'residential', determining: true });
    expect(indicators[1]).toMatchObject({ source: 'estimatedLocation', kind: null, determining: false });
    expect(keysOf(result['jurisdiction'])).toEqual(expect.arrayContaining(JURISDICTION_FIELDS));
    expect(result['jurisdiction']).toMatchObject({ id: 'US-TX-ICAC-HOU', country: 'US', region: 'TX', channel: 'icac' });
    expect((result['reasons'] as unknown[]).length).toBeGreaterThan(0);
  });

  it('prints a null jurisdiction with --json when the tip goes to legal process', () => {
    const run = tipflow('route', '--json', `${TIPS}/mobile-cgnat-no-port.json`);
    expect(run.status).toBe(0);
    expect(parseJson(run.stdout)).toMatchObject({ outcome: 'legal-process', jurisdiction: null, notify: [], confidence: 'none' });
  });

  it('routes later in time with --at: the Houston upload becomes stale and loses confidence', () => {
    const run = tipflow('route', '--json', '--at', '2020-06-01T10:00:00Z', HOUSTON);
    expect(run.status).toBe(0);
    expect(parseJson(run.stdout)).toMatchObject({ outcome: 'referred', confidence: 'medium', caveats: ['STALE_IP_EVENT'], jurisdiction: { id: 'US-TX-ICAC-HOU' } });
  });
});

describe('tipflow route on bad input', () => {
  it('exits 1 on a tip with a non-documentation IP and names the JSON path on stderr', () => {
    const run = tipflow('route', `${TIPS}/invalid/public-dns-ip.json`);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('fixtures/tips/invalid/public-dns-ip.json');
    expect(run.stderr).toContain('subjects[0].ipEvents[0].ip: 8.8.8.8 is not a documentation address');
    expect(run.stdout).toBe('');
  });

  it.each([
    ['description-field.json', 'description: unknown field'],
    ['data-uri-screen-name.json', 'subjects[0].screenName: must not be a data: URI'],
    ['gmail-address.json', 'subjects[0].email: user4821@gmail.com is not an e-mail address at example.com'],
  ])('exits 1 on the content-smuggling tip %s and says where', (file, message) => {
    const run = tipflow('route', `${TIPS}/invalid/${file}`);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(message);
  });

  it('still prints the rejected result with --json, and the problem on stderr', () => {
    const run = tipflow('route', '--json', `${TIPS}/invalid/public-dns-ip.json`);
    expect(run.status).toBe(1);
    expect(parseJson(run.stdout)).toMatchObject({ tipId: 'TIP-0901', outcome: 'rejected', jurisdiction: null });
    expect(run.stderr).toContain('subjects[0].ipEvents[0].ip: 8.8.8.8');
  });

  it('exits 1 with a clear message when the tip file does not exist', () => {
    const run = tipflow('route', `${TIPS}/no-such-tip.json`);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${TIPS}/no-such-tip.json: no such file`);
    expect(run.stdout).toBe('');
  });

  it('reports a JSON syntax error (trailing comma) as file:line:col', () => {
    const file = join(scratch, 'trailing-comma.json');
    writeFileSync(file, '{\n  "id": "TIP-0999",\n}\n');
    const run = tipflow('route', file);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${file}:3:1: not valid JSON`);
  });

  it('reports a JSON syntax error (unexpected token) at its line and column', () => {
    const file = join(scratch, 'missing-value.json');
    writeFileSync(file, '{\n  "id": }\n');
    const run = tipflow('route', file);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`${file}:2:9: not valid JSON`);
  });

  it('refuses a routing time that is not ISO 8601 with a non-zero exit and says what is expected', () => {
    const run = tipflow('route', '--at', 'next tuesday', HOUSTON);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/--at next tuesday is not an ISO 8601 date \(2020-06-01\) or date-time/);
    expect(run.stdout).toBe('');
  });

  it('refuses a routing time on a day that does not exist', () => {
    const run = tipflow('route', '--at', '2020-02-30T00:00:00Z', HOUSTON);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('--at 2020-02-30T00:00:00Z');
  });
});

describe('tipflow route <folder>', () => {
  const tipFiles = readdirSync(join(ROOT, TIPS)).filter((name) => name.endsWith('.json'));

  it('prints a table with one row per sample tip and exits 0 (what npm start runs)', () => {
    const run = tipflow('route', TIPS);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^tip\s+outcome\s+priority\s+track\s+jurisdiction\s+channel\s+confidence\s+caveats$/);
    expect(lines[1]).toMatch(/^-+(\s+-+)+$/);
    const rows = lines.slice(2);
    expect(rows).toHaveLength(tipFiles.length);
    expect(rows.find((row) => row.startsWith('TIP-0001 '))).toMatch(/referred\s+P3\s+referral\s+US-TX-ICAC-HOU\s+icac\s+high/);
    expect(new Set(rows.map((row) => row.split(/\s+/)[0])).size).toBe(tipFiles.length);
  });

  it('prints a JSON array with one result per tip with --json', () => {
    const run = tipflow('route', '--json', TIPS);
    expect(run.status).toBe(0);
    const results = parseJson(run.stdout) as { tipId: string }[];
    expect(results).toHaveLength(tipFiles.length);
    expect(results.map((r) => r.tipId)).toContain('TIP-0001');
  });

  it('exits 1 when any tip of a set is invalid, still routing the valid ones', () => {
    const run = tipflow('route', HOUSTON, `${TIPS}/invalid/gmail-address.json`);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/TIP-0001\s+referred/);
    expect(run.stderr).toContain('subjects[0].email');
  });
});

describe('tipflow schema tip', () => {
  it('prints a JSON Schema of the strict tip that parses', () => {
    const run = tipflow('schema', 'tip');
    expect(run.status).toBe(0);
    const schema = parseJson(run.stdout) as { $schema?: string; type?: string; required?: string[]; additionalProperties?: unknown; properties?: Record<string, unknown> };
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'source', 'receivedAt', 'incident']));
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties ?? {})).toEqual(expect.arrayContaining(['id', 'source', 'receivedAt', 'reporter', 'incident', 'internetDetails', 'subjects', 'files', 'p2p']));
  });
});

describe('tipflow --help', () => {
  it('describes the program and lists its commands', () => {
    const run = tipflow('--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: tipflow');
    expect(run.stdout).toMatch(/^\s+route\b/m);
    expect(run.stdout).toMatch(/^\s+schema\b/m);
  });

  it.each([
    ['route', ['--json', '--at <time>']],
    ['schema', ['<what>']],
  ])('explains the %s command', (command, mentions) => {
    const run = tipflow(command, '--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`Usage: tipflow ${command}`);
    for (const mention of mentions) expect(run.stdout).toContain(mention);
  });
});
