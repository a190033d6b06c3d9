// Runs a simulation: the coordinating thread walks the stream's heads through the analysts' queues chunk by
// chunk (cheap, and sequential by nature), sends each chunk with its analyst times to a worker, and merges
// the workers' tallies in chunk order. Memory stays flat: a few chunks are in flight, nothing per tip is kept.
import { Worker } from 'node:worker_threads';
import { workerEntry, workerExecArgv } from '../io/worker-entry.js';
import { bundledReference } from '../io/bundled-reference.js';
import { createChunkRouter, routeChunk, type ChunkResult, type RoutingPath } from './chunk.js';
import type { Template } from './fast-walk.js';
import type { SimParams } from './params.js';
import { createSetup, type RunSpec } from './setup.js';
import { emptyTally, mergeTally, type Tally } from './tally.js';
import { TriageQueues, type BacklogSeries } from './triage-queue.js';
import type { ChunkRequest, WorkerInit, WorkerReply } from './worker-protocol.js';
import { DAY_MS } from '../domain/routing/timers.js';

export const DEFAULT_CHUNK_SIZE = 8192;
/**
 * Worker heap sizes. With V8's defaults a worker's heap keeps growing (the old generation is collected
 * lazily on a machine with memory to spare): 2019 peaked at 487 MB. A worker's live data is a few tens of
 * MB (modules, reference data, walk templates, one chunk), so a 128 MB old generation leaves room and keeps
 * the peak near 270 MB on 3M tips, at no cost in CPU; a 32 MB young generation instead of ~64 saves ~100 MB.
 */
const YOUNG_GENERATION_MB = 32;
const OLD_GENERATION_MB = 128;

export interface Progress {
  done: number;
  total: number;
  elapsedMs: number;
  rssBytes: number;
}

export interface SimulationOptions {
  spec: RunSpec;
  params: SimParams;
  /** Worker threads; 0 routes in this thread (tests, tiny runs). */
  workers: number;
  path?: RoutingPath;
  /** Every n-th tip is routed both ways as a check (0: never). */
  checkEvery?: number;
  chunkSize?: number;
  onProgress?: (progress: Progress) => void;
}

export interface SimulationResult {
  spec: RunSpec;
  streamSize: number;
  window: { startMs: number; endMs: number; days: number };
  tally: Tally;
  backlog: BacklogSeries;
  run: {
    workers: number;
    path: RoutingPath;
    chunkSize: number;
    elapsedMs: number;
    tipsPerSecond: number;
    /** CPU time of the whole process (all threads), user + system: the cost a busy machine does not distort. */
    cpuMs: number;
    peakRssBytes: number;
    engineRouted: number;
    checked: number;
  };
}


const now = (): number => performance.now();

export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const { spec, params } = options;
  const path = options.path ?? 'fast';
  const checkEvery = options.checkEvery ?? 1000;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const reference = bundledReference();
  const setup = createSetup(spec, params, reference);
  const { profile, factory } = setup;
  const startMs = profile.startMs;
  const lastArrival = spec.tips === 0 ? startMs : profile.arrivalMs(spec.tips - 1, 0.999999);
  const endMs = spec.tips >= setup.streamSize ? profile.endMs : Math.min(profile.endMs, (Math.floor((lastArrival - startMs) / DAY_MS) + 1) * DAY_MS + startMs);
  const days = Math.max(1, Math.round((endMs - startMs) / DAY_MS));
  const window = { startMs, endMs, days };
  const queues = new TriageQueues(params.analysts, startMs, endMs);
  const chunks = Math.ceil(spec.tips / chunkSize);
  const began = now();
  const cpuBefore = process.cpuUsage();
  let peakRss = process.memoryUsage().rss;
  const merged = emptyTally(days);
  let engineRouted = 0;
  let done = 0;

  const requestFor = (chunk: number): ChunkRequest => {
    const start = chunk * chunkSize;
    const count = Math.min(chunkSize, spec.tips - start);
    const times = new Float64Array(2 * count);
    for (let k = 0; k < count; k += 1) queues.admit(factory.head(start + k), times, 2 * k);
    return { chunk, start, count, times, templates: [] };
  };
  const absorb = (result: ChunkResult, count: number) => {
    mergeTally(merged, result.tally);
    engineRouted += result.engineRouted;
    done += count;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    options.onProgress?.({ done, total: spec.tips, elapsedMs: now() - began, rssBytes: peakRss });
  };

  if (options.workers <= 0) {
    const router = createChunkRouter(setup, path, checkEvery, window);
    for (let chunk = 0; chunk < chunks; chunk += 1) {
      const request = requestFor(chunk);
      absorb(routeChunk(router, chunk, request.start, request.times.length / 2, request.times), request.count);
    }
  } else {
    await runOnWorkers({ spec, params, path, checkEvery, window }, options.workers, chunks, requestFor, absorb);
  }
  const elapsedMs = now() - began;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    spec,
    streamSize: setup.streamSize,
    window,
    tally: merged,
    backlog: queues.backlog(),
    run: { workers: options.workers, path, chunkSize, elapsedMs, tipsPerSecond: spec.tips / (elapsedMs / 1000), cpuMs: (cpu.user + cpu.system) / 1000, peakRssBytes: peakRss, engineRouted, checked: merged.checked },
  };
}

/** Keeps every worker busy with up to two chunks, and merges results strictly in chunk order. */
async function runOnWorkers(
  init: WorkerInit,
  count: number,
  chunks: number,
  requestFor: (chunk: number) => ChunkRequest,
  absorb: (result: ChunkResult, count: number) => void,
): Promise<void> {
  const url = workerEntry(import.meta.url, 'worker.js', 'simulate');
  const workers = Array.from({ length: count }, () => new Worker(url, { workerData: init, execArgv: workerExecArgv(), resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, maxOldGenerationSizeMb: OLD_GENERATION_MB } }));
  const pending = new Map<number, { result: ChunkResult; count: number }>();
  // Every template a worker learned, in arrival order; each worker is sent those it has not seen, with its
  // next chunk, so a signature costs one engine walk per run rather than one per worker.
  const learned: [string, Template][] = [];
  const sentUpTo = new Map<Worker, number>();
  const sizes = new Map<number, number>();
  let nextToSend = 0;
  let nextToMerge = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      if (chunks === 0) {
        resolve();
        return;
      }
      const send = (worker: Worker) => {
        if (nextToSend >= chunks) return;
        const request = requestFor(nextToSend);
        request.templates = learned.slice(sentUpTo.get(worker) ?? 0);
        sentUpTo.set(worker, learned.length);
        sizes.set(request.chunk, request.count);
        nextToSend += 1;
        worker.postMessage(request, [request.times.buffer as ArrayBuffer]);
      };
      for (const worker of workers) {
        worker.on('message', (reply: WorkerReply) => {
          if (!reply.ok) {
            reject(new Error(reply.message));
            return;
          }
          for (const entry of reply.result.learned) learned.push(entry);
          pending.set(reply.result.chunk, { result: reply.result, count: sizes.get(reply.result.chunk) ?? 0 });
          for (let ready = pending.get(nextToMerge); ready !== undefined; ready = pending.get(nextToMerge)) {
            pending.delete(nextToMerge);
            absorb(ready.result, ready.count);
            nextToMerge += 1;
          }
          if (nextToMerge >= chunks) resolve();
          else send(worker);
        });
        worker.on('error', (error) => reject(new Error(`simulate: a worker failed: ${error.message}`)));
        worker.on('exit', (code) => {
          if (nextToMerge < chunks) reject(new Error(`simulate: a worker stopped (exit code ${code}) before the run was done`));
        });
        send(worker);
        send(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
