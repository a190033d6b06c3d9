// `tipflow route`: auto mode through the engine and the machine, one tip or many.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatIssues } from '../../domain/tip/parse.js';
import { isoDateOrDateTime } from '../../domain/tip/schema.js';
import { Engine, routeResultOf, runAutoDriver, type RouteResult } from '../../engine/index.js';
import { bundledReference } from '../../io/bundled-reference.js';
import { InputFileError, readJsonFile } from '../../io/read-json.js';
import { renderTable } from '../../io/text-table.js';

interface RouteOptions {
  json?: boolean;
  at?: string;
}

function expandTipFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    const isFolder = statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
    if (!isFolder) return [path]; // a missing file is reported when it is read
    return readdirSync(path)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => join(path, name));
  });
}

export function routeTip(engine: Engine, submission: unknown, at: string | undefined): RouteResult {
  const session = engine.start(submission, at === undefined ? {} : { at });
  runAutoDriver(engine, session);
  return routeResultOf(session);
}

export function routeCommand(paths: readonly string[], options: RouteOptions): number {
  if (options.at !== undefined && !isoDateOrDateTime.safeParse(options.at).success) {
    process.stderr.write(`tipflow route: --at ${options.at} is not an ISO 8601 date (2020-06-01) or date-time with a zone (2020-06-01T00:00:00Z)\n`);
    return 2;
  }
  const files = expandTipFiles(paths);
  if (files.length === 0) {
    process.stderr.write(`tipflow route: no .json tip files in ${paths.join(', ')}\n`);
    return 1;
  }
  const engine = new Engine(bundledReference());
  const results: { file: string; result: RouteResult | null }[] = [];
  let failed = false;
  for (const file of files) {
    try {
      const submission = readJsonFile(file);
      const result = routeTip(engine, submission, options.at);
      if (result.outcome === 'rejected') {
        failed = true;
        const issues = engine.start(submission).context.intakeIssues;
        process.stderr.write(`${file}: invalid tip\n${formatIssues(issues).replace(/^/gm, '  ')}\n`);
      }
      results.push({ file, result });
    } catch (error) {
      if (!(error instanceof InputFileError)) throw error;
      failed = true;
      process.stderr.write(`${error.message}\n`);
      results.push({ file, result: null });
    }
  }
  const routed = results.filter((r): r is { file: string; result: RouteResult } => r.result !== null);
  if (options.json === true) {
    const value = files.length === 1 ? (routed[0]?.result ?? null) : routed.map((r) => r.result);
    if (value !== null) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  } else if (files.length === 1) {
    const only = routed[0];
    if (only !== undefined && only.result.outcome !== 'rejected') process.stdout.write(`${describeOne(only.result)}\n`);
  } else {
    process.stdout.write(`${summaryTable(routed)}\n`);
  }
  return failed ? 1 : 0;
}

const orDash = (value: string | null | undefined): string => (value === null || value === undefined || value === '' ? '-' : value);

export function describeOne(r: RouteResult): string {
  const where = r.jurisdiction === null ? '' : ` → ${r.jurisdiction.id} (${r.jurisdiction.name}, channel ${r.jurisdiction.channel})`;
  const lines = [
    `${r.tipId ?? '(no id)'}: ${r.outcome ?? 'in progress'}${where}`,
    `priority ${orDash(r.priority)} · track ${orDash(r.track)} · confidence ${r.confidence} · routed at ${r.routedAt} · state ${r.state}`,
    `caveats: ${r.caveats.join(', ') || 'none'}`,
  ];
  if (r.notify.length > 0) lines.push(`notify: ${r.notify.join(', ')}`);
  if (r.indicators.length > 0) {
    lines.push('', 'indicators:');
    lines.push(
      renderTable(
        ['id', 'source', 'ip', 'isp', 'kind', 'location', 'confidence', 'determining', 'caveats'],
        r.indicators.map((i) => [
          i.id,
          i.source,
          orDash(i.ip),
          orDash(i.isp),
          orDash(i.kind),
          [i.city, i.region, i.country].filter((p) => p !== null).join(', ') || '-',
          i.confidence,
          i.determining ? 'yes' : 'no',
          i.caveats.join(' ') || '-',
        ]),
      ),
    );
  }
  lines.push('', 'reasons:', ...r.reasons.map((reason) => `  - ${reason.replace(/\n/g, '\n    ')}`));
  lines.push('', 'Locations reflect network indicators, not people.');
  return lines.join('\n');
}

function summaryTable(rows: readonly { file: string; result: RouteResult }[]): string {
  return renderTable(
    ['tip', 'outcome', 'priority', 'track', 'jurisdiction', 'channel', 'confidence', 'caveats'],
    rows.map(({ file, result: r }) => [
      r.tipId ?? file,
      orDash(r.outcome),
      orDash(r.priority),
      orDash(r.track),
      orDash(r.jurisdiction?.id),
      orDash(r.jurisdiction?.channel),
      r.confidence,
      r.caveats.join(' ') || '-',
    ]),
  );
}
