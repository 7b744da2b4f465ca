/**
 * The pool's worker thread: exposes `executeJob` (the engine's `runScenario`, the same code the
 * browser's worker runs) through comlink's Node adapter. Loaded by pool.ts from
 * dist/experiments/worker.js.
 */
import { parentPort } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { RunLimits } from '../engine/index.js';
import { executeJob, type RunJob, type RunOutput } from './executor.js';

/** What the pool calls in a worker. */
export interface WorkerApi {
  run(job: RunJob, limits?: RunLimits): Promise<RunOutput>;
}

const api: WorkerApi = { run: executeJob };

if (!parentPort) throw new Error('experiments/worker: load this module in a worker thread');
Comlink.expose(api, nodeEndpoint(parentPort));
