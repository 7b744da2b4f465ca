/**
 * `community-sim worker`: runs the queued runs of every live sweep on this machine. It watches
 * the registry of sweep namespaces in Redis (at once when a submitter announces a sweep on
 * Pub/Sub, and every second) and keeps one BullMQ Worker per live sweep, whose
 * runs execute in sandboxed worker threads (processor.ts), so it can be started on any machine
 * that reaches Redis, before or after the sweeps are submitted, and stopped at any time:
 * closing waits for the runs in progress (a second signal abandons them, and other workers
 * take them over once their locks expire).
 */
import { hostname } from 'node:os';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { bullConnection, parseQueueUrl, redactUrl, whenReady } from './connection.js';
import { ANNOUNCE, NAMESPACE, PREFIX, REGISTRY, sweepNames } from './names.js';

export interface QueueWorkerOptions {
  /** The `--queue` URL. */
  url: string;
  /** Runs at once per sweep, each in its own worker thread (default 1). */
  concurrency?: number;
  /** Milliseconds a run's lock lasts without renewal: how soon a lost worker's run is taken over (default 30000). */
  lockDuration?: number;
  /** Milliseconds between checks for runs whose worker was lost (default 30000). */
  stalledInterval?: number;
  /** Milliseconds between looks at the registry of sweeps (default 1000); announced sweeps are joined at once. */
  pollMs?: number;
  /** Where log lines go (default: stderr). */
  log?: (line: string) => void;
}

/** The compiled processor beside this module, or in dist/ when this module runs from source. */
function processorUrl(): URL {
  return import.meta.url.endsWith('.ts') ? new URL('../../dist/experiments/queue/processor.js', import.meta.url) : new URL('./processor.js', import.meta.url);
}

/** Sweeps are dropped after this many looks without them in the registry (rides over a Redis restart). */
const MISSES_BEFORE_CLOSE = 3;

export class QueueWorker {
  readonly name = `${hostname()}:${process.pid}`;
  private readonly registry: Redis;
  /** Listens for new sweeps (a connection in subscriber mode can send nothing else). */
  private readonly announcements: Redis;
  /** The look at the registry in progress, if any: announcements arriving meanwhile share it. */
  private looking: Promise<void> | undefined;
  private lookAgain = false;
  private readonly workers = new Map<string, { worker: Worker; misses: number }>();
  private readonly closing = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly log: (line: string) => void;
  /** Runs finished and failed by this process. */
  completed = 0;
  failed = 0;

  constructor(private readonly opts: QueueWorkerOptions) {
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.registry = new Redis(parseQueueUrl(opts.url));
    this.registry.on('error', () => {}); // reconnects on its own; BullMQ's workers report the outage
    this.announcements = new Redis({ ...parseQueueUrl(opts.url), lazyConnect: true });
    this.announcements.on('error', () => {});
    // The message only wakes the look: what a worker joins always comes from the registry.
    this.announcements.on('message', () => void this.lookNow());
  }

  /** Starts watching the registry; resolves once the first look is done. */
  async start(): Promise<void> {
    await whenReady(this.registry, this.opts.url, null); // wrong credentials fail here; Redis may come later
    this.log(`worker ${this.name}: waiting for sweeps on ${redactUrl(this.opts.url)} (concurrency ${this.opts.concurrency ?? 1})`);
    // A Redis whose ACL forbids Pub/Sub leaves the worker with its looks every pollMs.
    this.announcements.subscribe(ANNOUNCE).catch((e: Error) => this.log(`worker ${this.name}: no announcements of new sweeps (${e.message}): looking every ${this.opts.pollMs ?? 1000} ms`));
    await this.poll();
  }

  /** Looks at the registry now (a sweep was announced), then every pollMs as before. */
  private async lookNow(): Promise<void> {
    if (this.stopped) return;
    if (this.looking) {
      this.lookAgain = true; // announced during a look that may have read the registry already
      return;
    }
    clearTimeout(this.timer);
    await this.poll(false);
  }

  /** A look, then the next one in pollMs; only the timed looks count a sweep's absences. */
  private async poll(timed = true): Promise<void> {
    if (this.stopped) return;
    this.looking = this.look(timed);
    await this.looking;
    this.looking = undefined;
    if (this.lookAgain) {
      this.lookAgain = false;
      return this.poll(false);
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), this.opts.pollMs ?? 1000);
  }

  private async look(timed: boolean): Promise<void> {
    try {
      const live = new Set((await this.registry.smembers(REGISTRY)).filter((ns) => NAMESPACE.test(ns)));
      if (this.stopped) return; // closed while the registry was read: join nothing more
      for (const ns of live) if (!this.workers.has(ns)) this.open(ns);
      for (const [ns, w] of this.workers) {
        if (live.has(ns)) w.misses = 0;
        else if (timed && ++w.misses >= MISSES_BEFORE_CLOSE) this.drop(ns);
      }
    } catch (e) {
      this.log(`worker ${this.name}: registry: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private open(ns: string): void {
    const worker = new Worker(sweepNames(ns).runs, processorUrl(), {
      connection: bullConnection(this.opts.url),
      prefix: PREFIX,
      name: this.name,
      concurrency: this.opts.concurrency ?? 1,
      useWorkerThreads: true,
      workerThreadsOptions: { workerData: { url: this.opts.url } },
      lockDuration: this.opts.lockDuration ?? 30_000,
      stalledInterval: this.opts.stalledInterval ?? 30_000,
      // A run whose worker died is taken over, again and again if need be: runs are idempotent.
      maxStalledCount: 10,
    });
    worker.on('completed', () => this.completed++);
    worker.on('failed', (job: Job | undefined, err: Error) => {
      this.failed++;
      this.log(`worker ${this.name}: run ${job?.id ?? '?'} of ${ns} failed: ${err.message}`);
    });
    let lastError = '';
    worker.on('error', (e) => {
      // One line per distinct error: a Redis outage would otherwise print one per retry.
      if (e.message !== lastError) this.log(`worker ${this.name}: ${ns}: ${(lastError = e.message)}`);
    });
    this.workers.set(ns, { worker, misses: 0 });
    this.log(`worker ${this.name}: joined sweep ${ns}`);
  }

  private drop(ns: string): void {
    const w = this.workers.get(ns);
    if (!w) return;
    this.workers.delete(ns);
    const p = w.worker
      .close()
      .then(() => this.sweepLeftovers(ns))
      .catch(() => {});
    this.closing.add(p);
    void p.finally(() => this.closing.delete(p));
    this.log(`worker ${this.name}: sweep ${ns} is over`);
  }

  /** Removes the keys this worker's stalled-run checks left in an ended sweep's queue. */
  private async sweepLeftovers(ns: string): Promise<void> {
    if (await this.registry.sismember(REGISTRY, ns)) return; // submitted again meanwhile
    const queue = new Queue(sweepNames(ns).runs, { connection: bullConnection(this.opts.url), prefix: PREFIX });
    queue.on('error', () => {});
    try {
      const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).some((n) => n > 0)) return; // not over: leave it to the submitter
      await queue.obliterate();
    } finally {
      await queue.close();
    }
  }

  /** Stops taking runs; waits for the runs in progress unless `force`. */
  async close(force = false): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all([...[...this.workers.values()].map((w) => w.worker.close(force).catch(() => {})), ...this.closing]);
    this.workers.clear();
    this.registry.disconnect();
    this.announcements.disconnect();
  }
}

/**
 * Runs a worker until SIGINT or SIGTERM: the first closes gracefully (runs in progress finish
 * and are recorded), a second abandons them.
 */
export async function serveUntilSignal(opts: QueueWorkerOptions): Promise<void> {
  const worker = new QueueWorker(opts);
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let closing: Promise<void> | undefined;
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const done = new Promise<void>((resolve) => {
    onSignal = (signal) => {
      if (closing) {
        log(`worker ${worker.name}: ${signal} again: abandoning the runs in progress`);
        void worker.close(true).then(resolve);
        return;
      }
      log(`worker ${worker.name}: ${signal}: finishing the runs in progress (signal again to abandon them)`);
      closing = worker.close().then(resolve);
    };
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await worker.start();
    await done;
  } catch (e) {
    await worker.close(true);
    throw e; // refused credentials: an InputError for the command line
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  log(`worker ${worker.name}: stopped after ${worker.completed} runs (${worker.failed} failed)`);
}
