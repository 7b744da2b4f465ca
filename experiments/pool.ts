/**
 * The local executor: a pool of Node `worker_threads`, each running experiments/worker.ts (the
 * engine) behind comlink's Node adapter. Each worker has two lanes, each pulling the next job
 * when its run finishes: the worker always has the next job queued behind the current one, so
 * it never waits for the main thread to wake up and send one (measured: a few ms per run on a
 * loaded machine), and runs of uneven length keep every worker busy.
 *
 * Faults: a run that throws is retried once in the same worker; a worker that dies (an uncaught
 * error, `process.exit`, running out of memory) is replaced by a fresh one and its run retried
 * once there. A run that fails twice is yielded as a failure with its error, and the batch goes on.
 *
 * Workers load the compiled dist/experiments/worker.js (`npm run build`), also when this module
 * itself runs from source (vitest, tsx).
 */
import { availableParallelism } from 'node:os';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { RunLimits } from '../engine/index.js';
import type { Executor, RunJob, RunOutcome, RunOutput } from './executor.js';
import type { WorkerApi } from './worker.js';

export interface PoolOptions {
  /** Workers (default: `os.availableParallelism()`). */
  size?: number;
  /** The worker script (default: dist/experiments/worker.js); tests pass their own. */
  workerUrl?: URL;
  /** V8 heap limits of each worker (see node:worker_threads); default: an 8 MB young generation. */
  resourceLimits?: ResourceLimits;
  /** What each run may hold (members, bytes): a run that outgrows it fails with a GrowthLimitError. */
  runLimits?: RunLimits;
}

/** The compiled worker beside this module, or in dist/ when this module runs from source. */
function defaultWorkerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('../dist/experiments/worker.js', import.meta.url) : new URL('./worker.js', import.meta.url);
}

interface Slot {
  worker: Worker;
  remote: Comlink.Remote<WorkerApi>;
  dead: boolean;
  /** Why the worker died. */
  cause?: Error;
  /** Rejecters of the calls in flight, failed at once when the worker dies (comlink would wait forever). */
  inFlight: Set<(e: Error) => void>;
  /** Terminated on purpose: its exit is not a crash. */
  retiring?: boolean;
}

/** Jobs in flight per worker: one running, one queued behind it. */
const LANES_PER_WORKER = 2;

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class WorkerPool implements Executor {
  readonly size: number;
  private readonly url: URL;
  private readonly limits: ResourceLimits;
  private readonly runLimits: RunLimits;
  private readonly slots: (Slot | undefined)[];
  private closed = false;
  /** Workers that died (crashed or exited) while in use, since the pool started. */
  crashes = 0;

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.size ?? availableParallelism()));
    this.url = options.workerUrl ?? defaultWorkerUrl();
    // A small young generation keeps each worker's resident memory low (about 50 MB less than
    // V8's default; bench/experiments.bench.ts) at no measurable cost: runs allocate their
    // member arrays once, outside the young generation.
    this.limits = options.resourceLimits ?? { maxYoungGenerationSizeMb: 8 };
    this.slots = new Array<Slot | undefined>(this.size);
    this.runLimits = options.runLimits ?? {};
  }

  private spawn(): Slot {
    const worker = new Worker(this.url, { resourceLimits: this.limits });
    const slot: Slot = { worker, remote: Comlink.wrap<WorkerApi>(nodeEndpoint(worker)), dead: false, inFlight: new Set() };
    const die = (why: string) => {
      if (!slot.dead && !slot.retiring && !this.closed) this.crashes++;
      slot.dead = true;
      slot.cause ??= new Error(why);
      for (const reject of slot.inFlight) reject(slot.cause);
      slot.inFlight.clear();
    };
    worker.once('error', (e) => die(`worker crashed: ${messageOf(e)}`));
    worker.once('exit', (code) => die(`worker exited with code ${code}`));
    return slot;
  }

  private slot(i: number): Slot {
    let s = this.slots[i];
    if (this.closed) throw new Error('experiments/pool: the pool is closed');
    if (!s || s.dead) {
      s = this.slots[i] = this.spawn();
    }
    return s;
  }

  /**
   * One job on worker i: a try and, if it fails, one retry. After a worker's death the retry
   * runs alone in a worker of its own: the other job that was queued on the dead worker is
   * retried too, and must not die a second time with the run that crashes it.
   */
  private async attempt(i: number, job: RunJob): Promise<RunOutcome> {
    // Not Promise.race with a never-settling promise: each race would leave a reaction (and the
    // run's output) on it for as long as the worker lives, a leak of about 1.5 kB per run.
    const once = (slot: Slot) =>
      new Promise<RunOutput>((resolve, reject) => {
        if (slot.dead) return reject(slot.cause);
        slot.inFlight.add(reject);
        slot.remote.run(job, this.runLimits).then(resolve, reject).finally(() => slot.inFlight.delete(reject));
      });
    const first = this.slot(i);
    let error: string;
    try {
      return { ok: true, job, output: await once(first), attempts: 1 };
    } catch (e) {
      error = messageOf(e);
    }
    const alone = first.dead && !this.closed ? this.spawn() : null;
    try {
      return { ok: true, job, output: await once(alone ?? this.slot(i)), attempts: 2 };
    } catch (e) {
      error = messageOf(e);
    } finally {
      if (alone && !alone.dead) {
        alone.retiring = true;
        await alone.worker.terminate();
      }
    }
    return { ok: false, job, error, attempts: 2 };
  }

  async *run(jobs: Iterable<RunJob> | AsyncIterable<RunJob>): AsyncIterable<RunOutcome> {
    if (this.closed) throw new Error('experiments/pool: the pool is closed');
    const source = Symbol.asyncIterator in jobs ? jobs[Symbol.asyncIterator]() : (jobs as Iterable<RunJob>)[Symbol.iterator]();
    // Lanes pull from one source; chain the pulls so an async source never sees two at once.
    let pulling: Promise<unknown> = Promise.resolve();
    const pull = (): Promise<IteratorResult<RunJob>> => {
      const p = pulling.then(() => source.next());
      pulling = p.catch(() => {});
      return p;
    };
    const ready: RunOutcome[] = [];
    const limit = 4 * this.size; // outcomes waiting for the consumer: memory stays flat
    let wakeConsumer: (() => void) | null = null;
    let wakeLanes: (() => void)[] = [];
    let stopped = false;
    let failure: unknown;
    const notify = () => {
      wakeConsumer?.();
      wakeConsumer = null;
    };
    const lane = async (i: number) => {
      for (;;) {
        while (ready.length >= limit && !stopped) await new Promise<void>((r) => wakeLanes.push(r));
        if (stopped) return;
        const next = await pull();
        if (next.done || stopped) return;
        ready.push(await this.attempt(i % this.size, next.value));
        notify();
      }
    };
    let running = LANES_PER_WORKER * this.size;
    for (let i = 0; i < running; i++) {
      lane(i)
        .catch((e) => {
          failure ??= e; // the job source threw: stop everything and rethrow to the consumer
          stopped = true;
        })
        .finally(() => {
          running--;
          notify();
        });
    }
    try {
      for (;;) {
        if (failure) throw failure;
        if (ready.length) {
          const outcome = ready.shift()!;
          const lanes = wakeLanes;
          wakeLanes = [];
          for (const w of lanes) w();
          yield outcome;
          continue;
        }
        if (running === 0) break;
        await new Promise<void>((r) => (wakeConsumer = r));
      }
    } finally {
      stopped = true;
      for (const w of wakeLanes) w();
    }
  }

  /** Terminates every worker. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map(async (s) => {
        if (!s || s.dead) return;
        s.remote[Comlink.releaseProxy]();
        await s.worker.terminate();
      }),
    );
  }
}
