// A simulation worker thread: builds the run's set-up once, then routes the chunks it is sent and
// answers with each chunk's tally.
import { parentPort, workerData } from 'node:worker_threads';
import { bundledReference } from '../io/bundled-reference.js';
import { createChunkRouter, routeChunk } from './chunk.js';
import { createSetup } from './setup.js';
import type { ChunkRequest, WorkerInit, WorkerReply } from './worker-protocol.js';

const init = workerData as WorkerInit;
const router = createChunkRouter(createSetup(init.spec, init.params, bundledReference()), init.path, init.checkEvery, init.window);
const port = parentPort;
if (port === null) throw new Error('simulate: worker.js runs as a worker thread');

port.on('message', (request: ChunkRequest) => {
  let reply: WorkerReply;
  try {
    router.walker.adopt(request.templates);
    reply = { ok: true, result: routeChunk(router, request.chunk, request.start, request.count, request.times) };
  } catch (error) {
    reply = { ok: false, chunk: request.chunk, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
