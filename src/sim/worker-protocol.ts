// Messages between the coordinating thread and the simulation workers.
import type { ChunkResult, RoutingPath } from './chunk.js';
import type { Template } from './fast-walk.js';
import type { SimParams } from './params.js';
import type { RunSpec } from './setup.js';

export interface WorkerInit {
  spec: RunSpec;
  params: SimParams;
  path: RoutingPath;
  checkEvery: number;
  window: { startMs: number; days: number };
}

export interface ChunkRequest {
  chunk: number;
  start: number;
  count: number;
  /** Triage and route time of each tip, two per tip. */
  times: Float64Array;
  /** Templates the other workers learned since this worker's last chunk. */
  templates: [string, Template][];
}

export type WorkerReply = { ok: true; result: ChunkResult } | { ok: false; chunk: number; message: string };
