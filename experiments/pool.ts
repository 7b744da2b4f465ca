/**
 * The local executor: a pool of Node `worker_threads`, each running experiments/worker.ts (the
 * engine) behind comlink's Node adapter. One lane per worker pulls the next job when its run
 * finishes, so the pool stays busy with runs of uneven length.
 *
 * Faults: a run that throws is retried once in the same worker; a worker that dies (an uncaught
 * error, `process.exit`, running out of memory) is replaced by a fresh one and its run retried
 * once there. A run that fails twice is yielded as a failure with its error, and the batch goes on.
 *
 * Workers load the compiled dist/experiments/worker.js (`npm run build`), also when this module
 * itself runs from source (vitest, tsx).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { Executor, RunJob, RunOutcome, RunOutput } from './executor.js';
import type { WorkerApi } from './worker.js';

export interface PoolOptions {
  /** Workers (default: `os.availableParallelism()`). */
  size?: number;
  /** The worker script (default: dist/experiments/worker.js); tests pass their own. */
  workerUrl?: URL;
}

/** The compiled worker beside this module, or in dist/ when this module runs from source. */
function defaultWorkerUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('../dist/experiments/worker.js', import.meta.url) : new URL('./worker.js', import.meta.url);
}

interface Slot {
  worker: Worker;
  remote: Comlink.Remote<WorkerApi>;
  /** Rejects when the worker dies; never resolves. */
  death: Promise<never>;
  dead: boolean;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class WorkerPool implements Executor {
  readonly size: number;
  private readonly url: URL;
  private readonly slots: (Slot | undefined)[];
  private closed = false;
  /** Workers replaced after dying, since the pool started. */
  replaced = 0;

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.size ?? availableParallelism()));
    this.url = options.workerUrl ?? defaultWorkerUrl();
    this.slots = new Array<Slot | undefined>(this.size);
  }

  private spawn(): Slot {
    const worker = new Worker(this.url);
    const slot = { worker, remote: Comlink.wrap<WorkerApi>(nodeEndpoint(worker)), dead: false } as Slot;
    slot.death = new Promise<never>((_, reject) => {
      const die = (why: string) => {
        slot.dead = true;
        reject(new Error(why));
      };
      worker.once('error', (e) => die(`worker crashed: ${messageOf(e)}`));
      worker.once('exit', (code) => die(`worker exited with code ${code}`));
    });
    slot.death.catch(() => {}); // observed by runs in flight; an idle death is not an error
    return slot;
  }

  private slot(i: number): Slot {
    let s = this.slots[i];
    if (this.closed) throw new Error('experiments/pool: the pool is closed');
    if (!s || s.dead) {
      if (s) this.replaced++;
      s = this.slots[i] = this.spawn();
    }
    return s;
  }

  /** One job on lane i: a try and, if it fails, one retry (in a fresh worker if the first died). */
  private async attempt(i: number, job: RunJob): Promise<RunOutcome> {
    let error = '';
    for (let attempt = 1; attempt <= 2; attempt++) {
      const slot = this.slot(i);
      try {
        const output = (await Promise.race([slot.remote.run(job), slot.death])) as RunOutput;
        return { ok: true, job, output, attempts: attempt };
      } catch (e) {
        error = messageOf(e);
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
    const limit = 2 * this.size; // outcomes waiting for the consumer: memory stays flat
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
        ready.push(await this.attempt(i, next.value));
        notify();
      }
    };
    let running = this.size;
    for (let i = 0; i < this.size; i++) {
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
