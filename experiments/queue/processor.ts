/**
 * The BullMQ sandboxed processor of one run, loaded by `community-sim worker` from
 * dist/experiments/queue/processor.js into worker threads (`useWorkerThreads`), so a CPU-bound
 * run never blocks the lock renewal of the worker's main thread. It validates the job, fetches
 * the design point's scenario (validated too, cached per thread), runs the engine and stores
 * a requested daily series in Redis under the run key; the result carries the key.
 *
 * A job that fails validation throws UnrecoverableError: BullMQ fails it at once, with the
 * reason, instead of retrying it.
 */
import { realpathSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { sep } from 'node:path';
import { workerData } from 'node:worker_threads';
import { UnrecoverableError, type SandboxedJob } from 'bullmq';
import { Redis } from 'ioredis';
import { GrowthLimitError, VERSION, type RunLimits } from '../../engine/index.js';
import { executeJob } from '../executor.js';
import type { Scenario } from '../../scenarios/schema.js';
import { parseQueueUrl } from './connection.js';
import { sweepNames } from './names.js';
import { encodeNumbers, parsePayload, parseStoredScenario, PayloadError, runDigest, scenarioHash, type RunResult } from './payload.js';

const { url, graphDir, runLimits } = workerData as { url: string; graphDir?: string; runLimits?: RunLimits };
/** The real path of --graph-dir with a trailing separator: what an allowed file's real path starts with. */
const graphRoot = graphDir && `${realpathSync(graphDir).replace(/[\\/]$/, '')}${sep}`;
/** This worker process (the thread runs inside it): the name QueueWorker gives BullMQ. */
const workerName = `${hostname()}:${process.pid}`;
let redis: Redis | undefined;
const scenarios = new Map<string, { scenario: Scenario; hash: string }>();

async function scenarioOf(ns: string, point: number): Promise<{ scenario: Scenario; hash: string }> {
  const id = `${ns}:${point}`;
  let s = scenarios.get(id);
  if (!s) {
    if (!redis) {
      redis = new Redis(parseQueueUrl(url));
      redis.on('error', () => {}); // reconnects on its own; the worker's main thread reports outages
    }
    const text = await redis.hget(sweepNames(ns).scenarios, String(point));
    s = { scenario: parseStoredScenario(text, point), hash: scenarioHash(text ?? '') };
    if (scenarios.size > 1000) scenarios.clear(); // a sandbox thread serves many sweeps over its life
    scenarios.set(id, s);
  }
  return s;
}

/**
 * A graph file named by a queued scenario is read only from the directory the worker was given
 * (`--graph-dir`), and only if it is a regular file: a job must not make a worker read, block on
 * or echo any other file of its machine.
 */
function checkGraphFile(file: string): void {
  if (!graphDir) throw new PayloadError(`population.graph.file: this worker reads no graph files from queued jobs (${file}); start it with --graph-dir DIR, DIR holding the graph files`);
  let inside = false;
  try {
    const real = realpathSync(file);
    inside = real.startsWith(graphRoot!) && statSync(real).isFile();
  } catch {
    // missing or unreadable: not a file under --graph-dir either
  }
  if (!inside) throw new PayloadError(`population.graph.file: ${file} is not a file under the worker's --graph-dir ${graphDir}`);
}

export default async function processRun(job: SandboxedJob): Promise<string> {
  let payload, scenario, digest;
  try {
    payload = parsePayload(job.data);
    if (job.queueName !== sweepNames(payload.ns).runs) throw new PayloadError(`malformed job: ns: expected the namespace of queue ${job.queueName}, got ${payload.ns}`);
    // Another build would give other numbers under the same seed: it must not run the sweep's jobs.
    if (payload.version !== VERSION) throw new PayloadError(`worker ${workerName} runs engine ${VERSION}, but the sweep was submitted with ${payload.version}: run workers of the submitter's version`);
    let hash;
    ({ scenario, hash } = await scenarioOf(payload.ns, payload.point));
    digest = runDigest(hash, payload);
    if (digest !== payload.digest) throw new PayloadError(`the job's seed, series flag, reporters or stop condition, or its design point's scenario, changed in Redis since it was submitted (digest ${digest}, expected ${payload.digest})`);
    const graph = scenario.population.graph;
    if ('file' in graph) checkGraphFile(graph.file);
  } catch (e) {
    if (e instanceof PayloadError) throw new UnrecoverableError(e.message);
    throw e;
  }
  let out;
  try {
    out = await executeJob({ key: payload.key, point: payload.point, rep: payload.rep, seed: payload.seed, scenario, series: payload.series, ...(payload.probes ? { probes: payload.probes } : {}) }, runLimits);
  } catch (e) {
    // the same run outgrows the same limits every time: failed at once, not retried
    if (e instanceof GrowthLimitError) throw new UnrecoverableError(`${e.message} (this worker's --max-members/--max-memory)`);
    throw e;
  }
  if (out.series) await redis!.hset(sweepNames(payload.ns).series, payload.key, encodeNumbers(out.series));
  const result: RunResult = { key: out.key, seed: out.seed, summary: out.summary, ms: out.ms, attempts: job.attemptsStarted, series: !!out.series, version: VERSION, digest, worker: workerName };
  if (out.reporters) result.reporters = out.reporters;
  if (out.stoppedAt !== undefined) result.stoppedAt = out.stoppedAt;
  return encodeNumbers(result);
}
