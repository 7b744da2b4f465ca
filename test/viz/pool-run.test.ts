/**
 * The cancellable job of the fit and optimise views (viz/pool-run.ts), with the page's worker
 * pool replaced by a stub: the button reads Cancel while a job runs, Escape or a cancel stop the
 * workers at once, and a cancelled job's failure does not write over "cancelled".
 */
import { describe, expect, it, vi } from 'vitest';

const pools: { stopped: number }[] = [];
vi.mock('../../viz/page-pool.js', () => ({
  PagePool: class {
    stopped = 0;
    constructor() {
      pools.push(this);
    }
    stop() {
      this.stopped++;
    }
  },
}));
const { PoolRun } = await import('../../viz/pool-run.js');

const elements = () => ({ button: { textContent: 'Fit' } as HTMLElement, progress: { textContent: '' } as HTMLElement });
const escape = () => ({ key: 'Escape', preventDefault: vi.fn() }) as unknown as KeyboardEvent & { preventDefault: ReturnType<typeof vi.fn> };

describe('PoolRun', () => {
  it('runs a job on a fresh pool, shows Cancel meanwhile, and stops the pool when the job ends', async () => {
    const { button, progress } = elements();
    const run = new PoolRun(button, progress, 'Fit');
    let during = '';
    await run.start(async () => {
      during = button.textContent!;
      expect(run.running).toBe(true);
      progress.textContent = 'done';
    });
    expect(during).toBe('Cancel');
    expect(button.textContent).toBe('Fit');
    expect(progress.textContent).toBe('done');
    expect(run.running).toBe(false);
    expect(pools.at(-1)!.stopped).toBe(1);
  });

  it('a job that fails on its own says why', async () => {
    const { button, progress } = elements();
    const run = new PoolRun(button, progress, 'Search');
    await run.start(async () => {
      throw new Error('a worker crashed');
    });
    expect(progress.textContent).toBe('stopped: a worker crashed');
    expect(button.textContent).toBe('Search');
  });

  it('Escape cancels a running job at once; the job then failing leaves "cancelled"', async () => {
    const { button, progress } = elements();
    const run = new PoolRun(button, progress, 'Fit');
    let fail!: (e: Error) => void;
    const job = run.start(() => new Promise<void>((_, reject) => (fail = reject)));
    const pool = pools.at(-1)!;
    const e = escape();
    run.key(e);
    expect(e.preventDefault).toHaveBeenCalled();
    expect(pool.stopped).toBe(1); // the workers stop now, not when the job notices
    expect(run.running).toBe(false);
    expect(progress.textContent).toBe('cancelled');
    expect(button.textContent).toBe('Fit');
    fail(new Error('cancelled')); // what the stopped pool throws into the job
    await job;
    expect(progress.textContent).toBe('cancelled');
    // nothing running: Escape is left to others
    const idle = escape();
    run.key(idle);
    expect(idle.preventDefault).not.toHaveBeenCalled();
  });
});
