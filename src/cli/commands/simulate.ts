// `tipflow simulate`: a year of synthetic CyberTipline-scale traffic (or the first n tips of it) through the
// routing machine, with the analysts' queues; prints the summary and writes summary.json and report.html.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { PROJECT_ROOT } from '../../io/project-files.js';
import { FastPathMismatch } from '../../sim/chunk.js';
import { FIRST_YEAR, LAST_YEAR, yearVolume } from '../../sim/params.js';
import { DEFAULT_PARAMS_FILE, ParamsFileError, readSimParams } from '../../sim/params-file.js';
import { summaryHtml } from '../../sim/report-html.js';
import { summaryText } from '../../sim/report-text.js';
import { runSimulation } from '../../sim/run.js';
import { summarize } from '../../sim/summary.js';
import { createProgressReporter } from './simulate-progress.js';

export interface SimulateOptions {
  tips?: string;
  year?: string;
  seed?: string;
  workers?: string;
  json?: boolean;
  out?: string;
  params?: string;
  engine?: boolean;
  checkEvery?: string;
}

export const MAX_TIPS = 100_000_000;
export const MAX_WORKERS = 16;

class UsageError extends Error {}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const cleaned = text.replace(/[_,]/g, '');
  const value = /^\d+$/.test(cleaned) ? Number(cleaned) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new UsageError(`${flag} ${text} is not a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`);
  return value;
}

export const defaultWorkers = (): number => Math.max(1, Math.min(2, availableParallelism()));

export async function simulateCommand(options: SimulateOptions): Promise<number> {
  let plan;
  try {
    plan = planRun(options);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`tipflow simulate: ${error.message}\n(run tipflow simulate --help for usage)\n`);
      return 2;
    }
    if (error instanceof ParamsFileError) {
      process.stderr.write(`tipflow simulate: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const { spec, params, paramsFile, workers, out } = plan;
  const progress = createProgressReporter(process.stderr);
  let result;
  try {
    result = await runSimulation({ spec, params, workers, path: options.engine === true ? 'engine' : 'fast', checkEvery: plan.checkEvery, onProgress: progress.update });
  } catch (error) {
    progress.finish();
    if (error instanceof FastPathMismatch || (error instanceof Error && error.message.startsWith('simulate:'))) {
      process.stderr.write(`tipflow ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  progress.finish();
  // The bundled parameters are named by their place in the project; the user's own by the path as given.
  const inProject = relative(PROJECT_ROOT, paramsFile);
  const shownParams = options.params === undefined && !inProject.startsWith('..') ? inProject : relative(process.cwd(), paramsFile) || paramsFile;
  const summary = summarize(result, shownParams);
  mkdirSync(out, { recursive: true });
  const jsonFile = join(out, 'summary.json');
  const htmlFile = join(out, 'report.html');
  writeFileSync(jsonFile, `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(htmlFile, summaryHtml(summary));
  if (options.json === true) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else process.stdout.write(`${summaryText(summary)}\n\nwrote ${relative(process.cwd(), jsonFile)} and ${relative(process.cwd(), htmlFile)}\n`);
  if (!summary.conservation.holds) {
    process.stderr.write('tipflow simulate: tips were not conserved (DESIGN §12, invariant 12)\n');
    return 1;
  }
  return 0;
}

function planRun(options: SimulateOptions) {
  if (options.tips === undefined && options.year === undefined) throw new UsageError('say how much to simulate: --tips <n> (the first n tips of a year) or --year <yyyy> (the whole year)');
  const paramsFile = resolve(options.params ?? DEFAULT_PARAMS_FILE);
  const seed = options.seed === undefined ? 1 : wholeNumber('--seed', options.seed, 0, 0xffff_ffff);
  const workers = options.workers === undefined ? defaultWorkers() : wholeNumber('--workers', options.workers, 0, MAX_WORKERS);
  const checkEvery = options.checkEvery === undefined ? 1000 : wholeNumber('--check-every', options.checkEvery, 0, MAX_TIPS);
  const requestedYear = options.year === undefined ? undefined : wholeNumber('--year', options.year, FIRST_YEAR, LAST_YEAR);
  const tipsFlag = options.tips === undefined ? undefined : wholeNumber('--tips', options.tips, 1, MAX_TIPS);
  const params = readSimParams(paramsFile);
  const year = requestedYear ?? params.defaultYear;
  const volume = yearVolume(params, year);
  if (volume === null) throw new UsageError(`--year ${year}: the parameters file ${paramsFile} lists no volume for it (it has ${Object.keys(params.years).join(', ')})`);
  const tips = tipsFlag ?? volume.reports;
  const out = resolve(options.out ?? `simulation-${tipsFlag === undefined ? year : tipsFlag}-${seed}`);
  return { spec: { tips, year, seed }, params, paramsFile, workers, checkEvery, out };
}
