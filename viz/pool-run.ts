/**
 * A view's long job on the page's workers (viz/page-pool.ts) that the user can cancel: its
 * button reads "Cancel" while it runs, the button or Escape stop the workers at once, and a job
 * cancelled or replaced leaves the progress line to what came after it. The fit and optimise
 * views run theirs through one of these.
 */
import { PagePool } from './page-pool.js';

export class PoolRun {
  private pool: PagePool | null = null;

  /** `label` is the button's text when nothing runs ("Fit", "Search"). */
  constructor(
    private readonly button: HTMLElement,
    private readonly progress: HTMLElement,
    private readonly label: string,
  ) {}

  get running(): boolean {
    return this.pool !== null;
  }

  /**
   * Runs `job` on a fresh pool, stopped when it ends; a failure of a job that was not
   * cancelled is shown as `stopped: REASON`.
   */
  async start(job: (pool: PagePool) => Promise<void>): Promise<void> {
    const pool = (this.pool = new PagePool());
    this.button.textContent = 'Cancel';
    try {
      await job(pool);
    } catch (e) {
      if (this.pool === pool) this.progress.textContent = `stopped: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      pool.stop();
      if (this.pool === pool) this.pool = null;
      this.button.textContent = this.label;
    }
  }

  cancel(): void {
    const pool = this.pool;
    this.pool = null;
    pool?.stop();
    this.progress.textContent = 'cancelled';
    this.button.textContent = this.label;
  }

  /** Escape cancels a running job. */
  key(e: KeyboardEvent): void {
    if (e.key === 'Escape' && this.pool) {
      this.cancel();
      e.preventDefault();
    }
  }
}
