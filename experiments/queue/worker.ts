/**
 * `community-sim worker`: runs the queued runs of every live sweep on this machine. It watches
 * the registry of sweep namespaces in Redis (at once when a submitter announces a sweep on
 * Pub/Sub, and every second) and keeps one BullMQ Worker per live sweep, whose
 * runs execute in sandboxed worker threads (processor.ts), so it can be started on any machine
 * that reaches Redis, before or after the sweeps are submitted, and stopped at any time:
 * closing waits for the runs in progress (a second signal abandons them, and other workers
 * take them over once their locks expire). While Redis cannot be reached it says so, once at
 * once and then periodically, and with nothing in progress a signal stops it at once.
 */
import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { RunLimits } from '../../engine/index.js';
import { bullConnection, parseQueueUrl, redactUrl, whenReady } from './connection.js';
import { ANNOUNCE, NAMESPACE, PREFIX, REGISTRY, sweepNames } from './names.js';

export interface QueueWorkerOptions {
  /** The queue URL (`--queue` on the command line). */
  url: string;
  /** Runs at once in all, each in its own worker thread, shared between the sweeps being worked on (at least one each; default 1). */
  concurrency?: number;
  /** The directory of the graph files that queued scenarios may name (absolute paths inside it); without it, such runs fail. */
  graphDir?: string;
  /** Milliseconds a run's lock lasts without renewal: how soon a lost worker's run is taken over (default 30000). */
  lockDuration?: number;
  /** Milliseconds between checks for runs whose worker was lost (default 30000). */
  stalledInterval?: number;
  /** Milliseconds between looks at the registry of sweeps (default 1000); announced sweeps are joined at once. */
  pollMs?: number;
  /** Where log lines go (default: stderr). */
  log?: (line: string) => void;
  /** Milliseconds between the reminders that Redis still cannot be reached (default 30000). */
  waitingLogMs?: number;
  /** What each run may hold on this machine (engine/cost.ts): a run that outgrows it fails, naming the limit. */
  runLimits?: RunLimits;
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
  /** Looks at the registry, one after another (timed and announced ones alike). */
  private looks: Promise<void> = Promise.resolve();
  /** An announced look is queued and has not started: further announcements share it. */
  private announcedLookQueued = false;
  private readonly workers = new Map<string, { worker: Worker; misses: number }>();
  private readonly closing = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Resolves when close() is called: a start still waiting for Redis gives up. */
  private readonly stopping: Promise<void>;
  private stop!: () => void;
  /** Runs being done by this process right now. */
  private active = 0;
  private readonly log: (line: string) => void;
  /** Runs finished and failed by this process. */
  completed = 0;
  failed = 0;

  constructor(private readonly opts: QueueWorkerOptions) {
    this.stopping = new Promise((r) => (this.stop = r));
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.registry = new Redis(parseQueueUrl(opts.url));
    this.registry.on('error', () => {}); // reconnects on its own; BullMQ's workers report the outage
    this.announcements = new Redis({ ...parseQueueUrl(opts.url), lazyConnect: true });
    this.announcements.on('error', () => {});
    // The message only wakes the look: what a worker joins always comes from the registry.
    this.announcements.on('message', () => this.lookNow());
  }

  /** Runs in progress in this process. */
  get busy(): number {
    return this.active;
  }

  /**
   * Starts watching the registry; resolves once the first look is done (or at once when the
   * worker is closed while it still waits for Redis).
   */
  async start(): Promise<void> {
    // Wrong credentials fail here; an unreachable Redis is waited for, saying so.
    const waiting = this.reportWaiting();
    try {
      await Promise.race([whenReady(this.registry, this.opts.url, null), this.stopping]);
    } finally {
      waiting();
    }
    if (this.stopped) return;
    this.log(`worker ${this.name}: waiting for sweeps on ${redactUrl(this.opts.url)} (concurrency ${this.opts.concurrency ?? 1})`);
    // A Redis whose ACL forbids Pub/Sub leaves the worker with its looks every pollMs.
    this.announcements.subscribe(ANNOUNCE).catch((e: Error) => this.log(`worker ${this.name}: no announcements of new sweeps (${e.message}): looking every ${this.opts.pollMs ?? 1000} ms`));
    await this.poll();
  }

  /**
   * Says what the worker waits for while Redis does not answer: after a second, then every
   * `waitingLogMs`, with the last connection error. Returns the function that stops it.
   */
  private reportWaiting(): () => void {
    const started = Date.now();
    let last = '';
    const onError = (e: Error) => (last = e.message);
    this.registry.on('error', onError);
    const say = (first: boolean) =>
      this.log(`worker ${this.name}: ${first ? 'waiting' : `still waiting (${Math.round((Date.now() - started) / 1000)} s)`} for Redis at ${redactUrl(this.opts.url)} to answer${last ? ` (${last})` : ''}; it keeps trying (Ctrl-C to stop)`);
    let interval: NodeJS.Timeout | undefined;
    const first = setTimeout(() => {
      say(true);
      interval = setInterval(() => say(false), this.opts.waitingLogMs ?? 30_000);
    }, 1000);
    return () => {
      clearTimeout(first);
      clearInterval(interval);
      this.registry.off('error', onError);
    };
  }

  /**
   * Looks at the registry soon (a sweep was announced), without touching the timed looks: they
   * alone count a sweep's absences, so a stream of announcements cannot keep an ended sweep open.
   */
  private lookNow(): void {
    if (this.stopped || this.announcedLookQueued) return;
    this.announcedLookQueued = true;
    this.looks = this.looks.then(() => {
      this.announcedLookQueued = false;
      return this.look(false);
    });
  }

  /** A timed look, then the next one in pollMs. */
  private async poll(): Promise<void> {
    if (this.stopped) return;
    await (this.looks = this.looks.then(() => this.look(true)));
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), this.opts.pollMs ?? 1000);
  }

  private async look(timed: boolean): Promise<void> {
    if (this.stopped) return;
    try {
      const live = new Set((await this.registry.smembers(REGISTRY)).filter((ns) => NAMESPACE.test(ns)));
      if (this.stopped) return; // closed while the registry was read: join nothing more
      for (const ns of live) if (!this.workers.has(ns)) this.open(ns);
      for (const [ns, w] of this.workers) {
        if (live.has(ns)) w.misses = 0;
        else if (timed && ++w.misses >= MISSES_BEFORE_CLOSE) this.drop(ns);
      }
      this.shareConcurrency();
    } catch (e) {
      this.log(`worker ${this.name}: registry: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private open(ns: string): void {
    const worker = new Worker(sweepNames(ns).runs, processorUrl(), {
      connection: bullConnection(this.opts.url),
      prefix: PREFIX,
      name: this.name,
      concurrency: 1, // set by shareConcurrency once the look is done
      useWorkerThreads: true,
      workerThreadsOptions: { workerData: { url: this.opts.url, graphDir: this.opts.graphDir, runLimits: this.opts.runLimits } },
      lockDuration: this.opts.lockDuration ?? 30_000,
      stalledInterval: this.opts.stalledInterval ?? 30_000,
      // A run whose worker died is taken over, again and again if need be: runs are idempotent.
      maxStalledCount: 10,
    });
    worker.on('active', () => this.active++);
    worker.on('completed', () => {
      this.completed++;
      this.active = Math.max(0, this.active - 1);
    });
    worker.on('failed', (job: Job | undefined, err: Error) => {
      this.active = Math.max(0, this.active - 1);
      // BullMQ reports every failed attempt; a run has failed once it will not be tried again.
      const final = !job || err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
      if (final) this.failed++;
      this.log(`worker ${this.name}: run ${job?.id ?? '?'} of ${ns} failed${final ? '' : ' (it will be tried again)'}: ${err.message}`);
    });
    let lastError = '';
    worker.on('error', (e) => {
      // One line per distinct error: a Redis outage would otherwise print one per retry.
      if (e.message !== lastError) this.log(`worker ${this.name}: ${ns}: ${(lastError = e.message)}`);
    });
    this.workers.set(ns, { worker, misses: 0 });
    this.log(`worker ${this.name}: joined sweep ${ns}`);
  }

  /**
   * Splits `concurrency` between the sweeps being worked on, so that a worker never runs more than
   * that at once however many sweeps are live (beyond `concurrency` sweeps, one run each).
   */
  private shareConcurrency(): void {
    const total = this.opts.concurrency ?? 1;
    let i = 0;
    for (const { worker } of this.workers.values()) {
      worker.concurrency = Math.max(1, Math.floor(total / this.workers.size) + (i++ < total % this.workers.size ? 1 : 0));
    }
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

  /**
   * Removes the bookkeeping keys that this worker's BullMQ worker may have written into an ended
   * sweep's queue after the submitter emptied it. One Lua script, so a sweep submitted again
   * meanwhile (registered, or holding any job) is left alone; BullMQ's obliterate would pause
   * such a queue and leave it paused when it met an active run.
   */
  private async sweepLeftovers(ns: string): Promise<void> {
    const base = `${PREFIX}:${sweepNames(ns).runs}:`;
    const holding = ['wait', 'active', 'delayed', 'prioritized', 'paused', 'waiting-children', 'completed', 'failed'];
    const bookkeeping = ['meta', 'events', 'stalled-check', 'stalled', 'marker', 'pc', 'id', 'de', 'limiter'];
    await this.registry.eval(SWEEP_LEFTOVERS, 1 + holding.length + bookkeeping.length, REGISTRY, ...[...holding, ...bookkeeping].map((k) => base + k), ns, holding.length);
  }

  /**
   * Stops taking runs. Gracefully, it waits for the runs in progress (and for Redis, if it is
   * away); with `force` it waits for nothing: the runs in progress are abandoned, and other
   * workers take them over once their locks expire.
   */
  async close(force = false): Promise<void> {
    this.stopped = true;
    this.stop();
    clearTimeout(this.timer);
    const closing = Promise.all([...[...this.workers.values()].map((w) => w.worker.close(force).catch(() => {})), ...this.closing]);
    this.workers.clear();
    if (!force) await closing;
    this.registry.disconnect();
    this.announcements.disconnect();
  }
}

/** KEYS: the registry, the queue's job-holding keys, then its bookkeeping keys; ARGV: the namespace, how many job-holding keys. */
const SWEEP_LEFTOVERS = `
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 0 end
local holding = tonumber(ARGV[2])
for i = 2, holding + 1 do
  if redis.call('EXISTS', KEYS[i]) == 1 then return 0 end
end
for i = holding + 2, #KEYS do redis.call('DEL', KEYS[i]) end
return 1
`;

/**
 * Runs a worker until SIGINT or SIGTERM: the first closes gracefully (runs in progress finish
 * and are recorded), a second abandons them and ends the process at once (exit code 130 or 143),
 * also when Redis is away and a graceful close would wait for it. With no run in progress the
 * first signal stops it at once: there is nothing to finish (and Redis may be away).
 */
export async function serveUntilSignal(opts: QueueWorkerOptions): Promise<void> {
  const worker = new QueueWorker(opts);
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let closing: Promise<void> | undefined;
  let onSignal: (signal: NodeJS.Signals) => void = () => {};
  const done = new Promise<void>((resolve) => {
    onSignal = (signal) => {
      if (closing) {
        log(`worker ${worker.name}: ${signal} again: abandoning the runs in progress (other workers take them over once their locks expire)`);
        void worker.close(true);
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }
      if (worker.busy === 0) {
        log(`worker ${worker.name}: ${signal}: no run in progress, stopping`);
        // graceful all the same: a forced close leaves BullMQ's connections holding the process open
        closing = worker.close().then(resolve);
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
