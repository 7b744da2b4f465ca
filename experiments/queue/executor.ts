/**
 * The distributed executor: submits a design's runs to Redis as one BullMQ flow (a child job
 * per run, a parent that completes once every run has) and collects the results, so
 * `sweep`/`compare`/`sensitivity` write the same files as with the local pool while
 * `community-sim worker` processes (worker.ts) on any number of machines do the runs.
 *
 * Exactly-once results from at-least-once delivery: BullMQ records each finished child's result
 * in the parent's `processed` hash under the child's job key, once, atomically with its
 * completion; the collector reads that hash, yields each run once (the runner drops a key it
 * already has) and deletes what it has handed over. A run that is retried or taken over after
 * its worker died gives the same numbers (same seed), so which attempt is kept does not matter.
 *
 * Faults: every connection waits through a Redis outage. If Redis comes back empty (restarted
 * without persistence) the collector adds the runs it has not collected again. A killed
 * submitter leaves the sweep in Redis under its namespace (the experiment's hash and the output
 * directory): `--resume` re-attaches to it and collects what finished in the meantime; runs
 * that failed before the previous submitter ended are run again. One submitter collects a sweep
 * at a time (a lease in Redis, lock.ts): a second one waits for a dead holder's lease to lapse
 * and stops with a message when the holder is alive.
 *
 * Checked results: each job carries the engine version and a digest of all that decides its
 * results: scenario, seed, series flag, reporters and stop condition (payload.ts); a result is kept only if it names this engine version, that digest and the
 * job's seed, else the run counts as failed with a message naming the worker that sent it
 * (`--resume` runs it again). A malformed entry in Redis is a failed run too, never a crash.
 */
import { FlowProducer, Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { VERSION, type DailyRow } from '../../engine/index.js';
import type { Executor, RunJob, RunOutcome, RunOutput } from '../executor.js';
import { hashJson } from '../schema.js';
import { bullConnection, parseQueueUrl, whenReady } from './connection.js';
import { SubmitterLease } from './lock.js';
import { ANNOUNCE, jobIdOf, keyOfJobId, namespaceOf, PARENT_ID, PREFIX, REGISTRY, sweepNames } from './names.js';
import { decodeNumbers, parseResult, PayloadError, runDigest, scenarioHash, type RunPayload, type RunResult } from './payload.js';

export interface QueueExecutorOptions {
  /** The `--queue` URL: `redis://[user:password@]HOST[:PORT][/DB]` or `rediss://...`. */
  url: string;
  /** Attempts of a run before it is reported as failed (default 2, as in the local pool). */
  attempts?: number;
  /** Milliseconds between looks for results (default 100). */
  pollMs?: number;
  /** Runs added to Redis per transaction (default 1000). */
  chunk?: number;
  /** Lifetime of the submitter's lease on the sweep, renewed while it runs (default 10,000 ms; lock.ts). */
  leaseMs?: number;
  /** Told when another submitter's lease is in the way and this one waits for it to lapse. */
  onWait?: (holder: string, ms: number) => void;
}

/** What the submitter knows of the sweep, for its progress line. */
export interface QueueProgress {
  /** Runs collected, and runs that failed every attempt. */
  done: number;
  failed: number;
  /** Collected runs that needed more than one start (a failure, or a worker lost mid-run). */
  retried: number;
  /** Distinct worker processes seen on the sweep's queue. */
  workers: number;
  /** Times the runs were added again because Redis had lost them. */
  resubmitted: number;
  /** The sweep was in Redis already (a resumed submitter): its queue was taken over as it was. */
  reattached: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SCAN_COUNT = 1000;

export class QueueExecutor implements Executor {
  private ns: string | undefined;
  private readonly url: string;
  readonly progress: QueueProgress = { done: 0, failed: 0, retried: 0, workers: 0, resubmitted: 0, reattached: false };
  private readonly workerNames = new Set<string>();
  private readonly closers: (() => Promise<unknown>)[] = [];
  private running = false;

  constructor(private readonly opts: QueueExecutorOptions) {
    parseQueueUrl(opts.url); // bad URLs fail here, before anything is written
    this.url = opts.url;
  }

  /** Checks that Redis answers and takes the credentials (an InputError naming `url` if not). */
  async check(): Promise<void> {
    const probe = new Redis({ ...parseQueueUrl(this.url), retryStrategy: (times: number) => (times > 20 ? null : 200) });
    try {
      await whenReady(probe, this.url);
    } finally {
      probe.disconnect();
    }
  }

  /** Parallel runs: the worker processes seen so far (at least 1). */
  get size(): number {
    return Math.max(1, this.progress.workers);
  }

  /** Names the sweep's queue after the design (called by the runner before `run`). */
  bind(design: { hash: string; out: string }): void {
    this.ns = namespaceOf(design.hash, design.out);
  }

  /** The sweep's namespace in Redis (after `bind` or `run`). */
  get namespace(): string | undefined {
    return this.ns;
  }

  /** One line for a progress bar: failed, retried, workers seen. */
  status(): string {
    const p = this.progress;
    return `${p.failed} failed | ${p.retried} retried | ${p.workers} workers${p.reattached ? ' | re-attached' : ''}${p.resubmitted ? ` | resubmitted ${p.resubmitted}x` : ''}`;
  }

  async *run(jobs: Iterable<RunJob> | AsyncIterable<RunJob>): AsyncIterable<RunOutcome> {
    // One sweep at a time: its namespace and connections live on this executor.
    if (this.running) throw new Error('experiments/queue: this QueueExecutor is already running a sweep; make one per sweep');
    this.running = true;
    try {
      yield* this.runSweep(jobs);
    } finally {
      this.running = false;
    }
  }

  private async *runSweep(jobs: Iterable<RunJob> | AsyncIterable<RunJob>): AsyncIterable<RunOutcome> {
    const requested = new Map<string, RunJob>();
    for await (const job of jobs) requested.set(job.key, job);
    const ns = (this.ns ??= `s${hashJson([...requested.values()].map((j) => [j.key, j.seed, j.scenario])).slice(0, 16)}`);
    const names = sweepNames(ns);
    const connection = bullConnection(this.url);
    const redis = new Redis(parseQueueUrl(this.url));
    redis.on('error', () => {});
    try {
      await whenReady(redis, this.url);
    } catch (e) {
      redis.disconnect();
      throw e;
    }
    const lease = new SubmitterLease(redis, names.lease, this.opts.leaseMs);
    try {
      await lease.acquire(this.opts.onWait);
    } catch (e) {
      redis.disconnect();
      throw e;
    }
    const runsQueue = new Queue(names.runs, { connection, prefix: PREFIX });
    const parentQueue = new Queue(names.parent, { connection, prefix: PREFIX });
    const holdQueue = new Queue(names.hold, { connection, prefix: PREFIX });
    const flow = new FlowProducer({ connection, prefix: PREFIX });
    // The parent job runs here, once every run has finished: the sweep's "all done" mark.
    const parentWorker = new Worker(names.parent, async () => ({ done: this.progress.done, failed: this.progress.failed }), { connection, prefix: PREFIX });
    // Errors while Redis is away are reconnections; commands wait for it (maxRetriesPerRequest: null).
    const ignore = () => {};
    runsQueue.on('error', ignore);
    parentQueue.on('error', ignore);
    holdQueue.on('error', ignore);
    flow.on('error', ignore);
    parentWorker.on('error', ignore);
    // the lease's release is sent before the QUIT that closes its connection
    this.closers.push(() => lease.release(), () => parentWorker.close(), () => flow.close(), () => runsQueue.close(), () => parentQueue.close(), () => holdQueue.close(), () => redis.quit().catch(() => redis.disconnect()));

    const parentKey = `${PREFIX}:${names.parent}:${PARENT_ID}`;
    const pending = new Set(requested.keys());
    const attempts = this.opts.attempts ?? 2;

    const storeScenarios = async () => {
      const points = new Map<number, RunJob>();
      for (const key of pending) {
        const job = requested.get(key)!;
        if (!points.has(job.point)) points.set(job.point, job);
      }
      const all = [...points];
      for (let i = 0; i < all.length; i += 1000) {
        const batch = redis.pipeline(); // in chunks: a design of 100,000 points stays small in memory
        for (const [point, job] of all.slice(i, i + 1000)) batch.hset(names.scenarios, String(point), JSON.stringify(job.scenario));
        await batch.exec();
      }
      await redis.sadd(REGISTRY, ns);
      await redis.publish(ANNOUNCE, ns).catch(() => {}); // workers that miss it find the sweep in the registry
    };

    // The scenario's hash per design point (its JSON text is what storeScenarios puts in Redis).
    const hashes = new Map<number, string>();
    const digestOf = (j: RunJob) => {
      let h = hashes.get(j.point);
      if (h === undefined) hashes.set(j.point, (h = scenarioHash(JSON.stringify(j.scenario))));
      return runDigest(h, { seed: j.seed, series: !!j.series, probes: j.probes });
    };
    const child = (key: string) => {
      const j = requested.get(key)!;
      const data: RunPayload = { ns, key, point: j.point, rep: j.rep, seed: j.seed, series: !!j.series, version: VERSION, digest: digestOf(j), ...(j.probes ? { probes: j.probes } : {}) };
      return { name: 'run', data, opts: { jobId: jobIdOf(key), attempts, ignoreDependencyOnFailure: true, removeOnComplete: true } };
    };
    const addFlowOnce = async () => {
      await storeScenarios();
      const keys = [...pending];
      const chunk = this.opts.chunk ?? 1000;
      // The flow is added in chunks (one flow of 100,000 children builds its whole transaction
      // in memory: 1.4 GB). A placeholder child that nobody processes holds the parent open until
      // the last chunk is in, so the parent cannot complete early.
      const first = keys.slice(0, chunk).map((k) => ({ ...child(k), queueName: names.runs }));
      await flow.add({ name: 'sweep', queueName: names.parent, data: { ns, runs: keys.length }, opts: { jobId: PARENT_ID }, children: [{ name: 'hold', queueName: names.hold, opts: { jobId: 'hold' } }, ...first] });
      const parent = { id: PARENT_ID, queue: `${PREFIX}:${names.parent}` };
      for (let i = chunk; i < keys.length; i += chunk) {
        await runsQueue.addBulk(keys.slice(i, i + chunk).map((k) => {
          const c = child(k);
          return { ...c, opts: { ...c.opts, parent } };
        }));
      }
      await (await Job.fromId(holdQueue, 'hold'))?.removeChildDependency();
      await holdQueue.obliterate({ force: true });
    };

    // Redis restarted empty while the runs were being added: BullMQ refuses the next chunk (its
    // parent is gone), and the whole flow is added again; a few times at most.
    const addFlow = async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await addFlowOnce();
        } catch (e) {
          if (attempt >= 5 || (await parentState()) !== 'missing') throw e;
          this.progress.resubmitted++;
        }
      }
    };

    const obliterate = async () => {
      await Promise.all([runsQueue.obliterate({ force: true }), parentQueue.obliterate({ force: true }), holdQueue.obliterate({ force: true })]);
    };

    const scan = async (hash: string): Promise<[string, string][]> => {
      const entries: [string, string][] = [];
      let cursor = '0';
      do {
        const [next, flat] = await redis.hscan(hash, cursor, 'COUNT', SCAN_COUNT);
        for (let i = 0; i < flat.length; i += 2) entries.push([flat[i], flat[i + 1]]);
        cursor = next;
      } while (cursor !== '0');
      return entries;
    };

    /** Why a well-formed result is not the run `job` asked for, or '' when it is. */
    const refusal = (job: RunJob, key: string, r: RunResult): string => {
      const from = `from worker ${r.worker}`;
      if (r.version !== VERSION) return `${from}: computed by engine ${r.version}, this sweep uses ${VERSION} (stop that worker, or run it at the submitter's version)`;
      if (r.key !== key || r.seed !== job.seed || r.digest !== digestOf(job)) return `${from}: it ran seed ${r.seed} (digest ${r.digest}), not the job's seed ${job.seed} and digest ${digestOf(job)} (scenario, series flag, reporters, stop condition): the job was changed in Redis`;
      return '';
    };

    const self = this;
    /** Yields the runs finished (and, with `failures`, failed) since the last look. */
    async function* harvest(failures: boolean): AsyncGenerator<RunOutcome> {
      const handed: string[] = [];
      const seriesKeys: string[] = [];
      for (const [field, value] of await scan(`${parentKey}:processed`)) {
        handed.push(field);
        const key = keyOfJobId(field);
        const job = key ? requested.get(key) : undefined;
        if (!key || !job || !pending.has(key)) continue; // collected before, or not asked for
        let result: RunResult;
        let series: DailyRow[] | undefined;
        try {
          result = parseResult(value);
          const why = refusal(job, key, result);
          if (why) throw new PayloadError(why);
          if (result.series) {
            const text = await redis.hget(names.series, key);
            if (text === null) continue; // lost with a Redis restart: the run is added again
            seriesKeys.push(key);
            try {
              series = decodeNumbers<DailyRow[]>(text);
            } catch {
              throw new PayloadError('malformed series: not JSON');
            }
            if (!Array.isArray(series)) throw new PayloadError('malformed series: not a list of days');
          }
        } catch (e) {
          if (!(e instanceof PayloadError)) throw e;
          // Not the run that was asked for, or not readable: a failed run (--resume runs it again).
          pending.delete(key);
          self.progress.failed++;
          yield { ok: false, job, error: `run ${key}: result refused: ${e.message}`, attempts };
          continue;
        }
        pending.delete(key);
        self.progress.done++;
        if (result.attempts > 1) self.progress.retried++;
        const output: RunOutput = { key, seed: result.seed, summary: result.summary, series, ms: result.ms };
        // JSON has no NaN: an undefined reporter came back as null or "NaN"
        if (result.reporters) output.reporters = result.reporters.map((v) => (v === null ? NaN : v));
        if (result.stoppedAt !== undefined) output.stoppedAt = result.stoppedAt;
        yield { ok: true, job, output, attempts: result.attempts };
      }
      if (failures) {
        for (const [field, reason] of await scan(`${parentKey}:failed`)) {
          handed.push(field);
          const key = keyOfJobId(field);
          const job = key ? requested.get(key) : undefined;
          if (!key || !job || !pending.has(key)) continue;
          pending.delete(key);
          self.progress.failed++;
          yield { ok: false, job, error: reason, attempts };
        }
      }
      // The runner has written what was yielded: drop it from Redis so the next look is short.
      const cleanup = redis.pipeline();
      if (handed.length) cleanup.hdel(`${parentKey}:processed`, ...handed).hdel(`${parentKey}:failed`, ...handed);
      if (seriesKeys.length) cleanup.hdel(names.series, ...seriesKeys);
      if (handed.length || seriesKeys.length) await cleanup.exec();
    }

    // Two looks in a row with runs pending, none queued or running, and no placeholder.
    let emptyLooks = 0;
    const runsLost = async () => {
      const counts = await runsQueue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
      const queued = Object.values(counts).reduce((a, b) => a + b, 0);
      emptyLooks = queued === 0 && !(await Job.fromId(holdQueue, 'hold')) ? emptyLooks + 1 : 0;
      return emptyLooks >= 2;
    };

    const parentState = async () => {
      const parent = await Job.fromId(parentQueue, PARENT_ID);
      return parent ? await parent.getState() : 'missing';
    };

    try {
      if (pending.size) {
        const state = await parentState();
        this.progress.reattached = state !== 'missing';
        // The placeholder is still there when the previous submitter died while adding the runs.
        const unfinished = state !== 'missing' && (await Job.fromId(holdQueue, 'hold')) !== undefined;
        if (state === 'missing') await addFlow();
        else if (state === 'completed' || unfinished) {
          // A previous submitter's sweep that ended (or was never fully added): keep its
          // results, run the rest again.
          yield* harvest(false);
          await obliterate();
          if (pending.size) await addFlow();
        } else await storeScenarios(); // re-attach to a sweep in progress
      }
      // Results are taken in batches, one look per poll; the slower looks (the parent's state,
      // the workers) once a second, so collecting costs Redis and this process little.
      let lastLook = 0;
      while (pending.size) {
        await lease.check();
        yield* harvest(true);
        if (!pending.size) break;
        if (Date.now() - lastLook < 1000) {
          await sleep(this.opts.pollMs ?? 100);
          continue;
        }
        lastLook = Date.now();
        await this.countWorkers(runsQueue);
        const state = await parentState();
        if (state === 'missing') {
          // Redis came back without its data: add what is not collected again.
          this.progress.resubmitted++;
          await addFlow();
        } else if (state === 'completed' || (state === 'waiting-children' && (await runsLost()))) {
          // Completed with runs still pending: runs the flow never had (a resumed sweep's
          // leftovers). Waiting for runs that are in no queue: they were lost (Redis lost its
          // data and a worker dropped the queue). Either way, add what is missing again.
          yield* harvest(true); // results that landed between the look and the state
          if (pending.size) {
            this.progress.resubmitted++;
            await obliterate();
            await addFlow();
          }
        }
      }
      await this.countWorkers(runsQueue);
      // Every run is in the output: the sweep's keys can go.
      await redis.srem(REGISTRY, ns);
      await obliterate();
      await redis.del(names.scenarios, names.series);
    } finally {
      await this.closeConnections();
    }
  }

  private async countWorkers(queue: Queue): Promise<void> {
    try {
      for (const client of await queue.getWorkers()) {
        const name = client.rawname ?? client.name ?? ''; // BullMQ puts the queue's name in `name`
        const at = name.indexOf(':w:');
        this.workerNames.add(at >= 0 ? name.slice(at + 3) : name);
      }
      this.progress.workers = this.workerNames.size;
    } catch {
      // CLIENT LIST may be disabled on a managed Redis: the count stays as it was.
    }
  }

  private async closeConnections(): Promise<void> {
    const closers = this.closers.splice(0);
    await Promise.all(closers.map((c) => c().catch(() => {})));
  }

  async close(): Promise<void> {
    await this.closeConnections();
  }
}
