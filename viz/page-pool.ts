/**
 * The page's executor: experiment runs (an optimisation's candidates, a fit's proposals) on a
 * few engine workers (viz/worker.ts runs each job with the CLI's executeJob), yielding outcomes
 * as they finish. `close()` terminates the workers, so a search stops at once.
 */
import type { Executor, RunJob, RunOutcome } from '../experiments/executor.js';
import { spawnEngine } from './runner.js';

/** Workers a search uses: one core is left to the page. */
export const POOL_SIZE = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));

export class PagePool implements Executor {
  private readonly engines = Array.from({ length: POOL_SIZE }, () => spawnEngine());
  private stopped = false;
  /** Wakes the waiting `run` (a run finished, or the pool was stopped). */
  private wake: (() => void) | null = null;

  get size(): number {
    return this.engines.length;
  }

  async *run(jobs: Iterable<RunJob> | AsyncIterable<RunJob>): AsyncIterable<RunOutcome> {
    const queue: RunJob[] = [];
    for await (const j of jobs) queue.push(j);
    const done: RunOutcome[] = [];
    let busy = 0;
    const start = (engine: (typeof this.engines)[number]) => {
      const job = queue.shift();
      if (!job) return;
      busy++;
      engine.api
        .job(job)
        .then(
          (output): RunOutcome => ({ ok: true, job, attempts: 1, output }),
          (e: unknown): RunOutcome => ({ ok: false, job, attempts: 1, error: e instanceof Error ? e.message : String(e) }),
        )
        .then((o) => {
          busy--;
          done.push(o);
          if (!this.stopped) start(engine);
          this.wake?.();
        });
    };
    for (const e of this.engines) start(e);
    while (busy > 0 || done.length) {
      if (this.stopped) throw new Error('cancelled');
      if (!done.length) await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
      if (this.stopped) throw new Error('cancelled');
      while (done.length) yield done.shift()!;
    }
  }

  stop(): void {
    this.stopped = true;
    for (const e of this.engines) e.worker.terminate();
    this.wake?.();
  }

  async close(): Promise<void> {
    this.stop();
  }
}
