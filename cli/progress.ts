/**
 * What a long command says on stderr while it works (`run`, `compare`, `sweep`, `sensitivity`,
 * `fit`, `optimise`): its estimate first when it is long, then, when stderr is piped or logged
 * and so gets no bar, a line every few seconds with the time so far and left. A terminal gets the
 * command's bar. stdout is never written: the data goes there.
 *
 * Piped lines are for long work only, so a short batch stays silent however loaded the machine
 * (CI's tests of small batches expect an empty stderr, and take 10 s under load): they start
 * `everyMs` in when the estimate was stated, and otherwise only once the work has run for
 * `quietMs`, so a badly underestimated one (or one with no estimate) is not silent for minutes.
 */
import { availableParallelism } from 'node:os';
import { formatSeconds } from '../engine/index.js';

/** "about 3 minutes", or "under a second". */
export const about = (seconds: number): string => (seconds < 1 ? formatSeconds(seconds) : `about ${formatSeconds(seconds)}`);

/** "at most 3 minutes", or "under a second". */
const atMost = (seconds: number): string => (seconds < 1 ? formatSeconds(seconds) : `at most ${formatSeconds(seconds)}`);

/** How a command reports on stderr: its estimate past `announceSeconds`; when piped, a line every `everyMs` once the work is long. */
export interface ProgressOptions {
  stream?: Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;
  /** An estimate this long or longer is stated (default 10 s); the work is then long from the start. */
  announceSeconds?: number;
  /** When piped, a line at most this often, the first once long work has taken as long (default 10 s). */
  everyMs?: number;
  /** When piped, work not estimated long gets its first line once it has run this long (default 60 s). */
  quietMs?: number;
  /** The clock in milliseconds (default Date.now). */
  now?: () => number;
}

/** A budget of runs rather than their number: the estimate and the time left are bounds. */
export interface RunBudget {
  /** What the runs are, e.g. "FIT.json maxRuns and predictive". */
  of: string;
  /** The scenario a run's time is estimated at, e.g. "the base scenario's". */
  at: string;
}

export class Progress {
  readonly stream: Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;
  /** No terminal: lines instead of a bar. */
  readonly piped: boolean;
  readonly now: () => number;
  /** When the work started (the clock's milliseconds). */
  readonly started: number;
  private readonly announceSeconds: number;
  private readonly everyMs: number;
  private next: number;

  constructor({ stream = process.stderr, announceSeconds = 10, everyMs = 10_000, quietMs = 60_000, now = Date.now }: ProgressOptions = {}) {
    this.stream = stream;
    this.piped = !stream.isTTY;
    this.now = now;
    this.announceSeconds = announceSeconds;
    this.everyMs = everyMs;
    this.started = now();
    this.next = this.started + Math.max(everyMs, quietMs);
  }

  /**
   * `estimate: …` when `seconds` reaches the threshold, and the lines start sooner; `text` gets
   * the time as "about 3 minutes", or as "at most 3 minutes" when `seconds` is a `bound`.
   */
  estimate(seconds: number, text: (time: string) => string, bound = false): void {
    if (!(seconds >= this.announceSeconds)) return;
    this.stream.write(`estimate: ${text(bound ? atMost(seconds) : about(seconds))}\n`);
    this.next = Math.min(this.next, this.started + this.everyMs);
  }

  /**
   * The estimate of `runs` runs of `perRun` seconds each at full speed, `parallel` at once (no
   * more than the cores or the runs): "10 runs of about 6 s each at full speed, 2 at once: about
   * 30 s". With a `budget`, the runs are the most there may be and the time a bound at `budget.at` size.
   */
  estimateRuns(runs: number, perRun: number, parallel: number, budget?: RunBudget): void {
    if (!(runs > 0)) return;
    // threads past the cores share them: no faster
    const at = Math.max(1, Math.min(parallel, availableParallelism(), runs));
    const n = runs.toLocaleString('en-US');
    this.estimate((perRun * runs) / at, (time) =>
      budget
        ? `at most ${n} runs (${budget.of}) of ${about(perRun)} each at full speed at ${budget.at} size, ${at} at once: ${time}`
        : `${n} runs of ${about(perRun)} each at full speed, ${at} at once: ${time}`,
      budget !== undefined,
    );
  }

  /**
   * When piped, the work is long and a report interval has passed since the last line: `what`,
   * the time so far and the time left at the pace so far (`done` units of work in this process,
   * `left` to go; NaN when unknown). `bound`: `left` is a budget, so the time left is at most that.
   */
  tick(done: number, left: number, what: () => string, bound = false): void {
    if (!this.piped) return;
    const now = this.now();
    if (now < this.next) return;
    this.next = now + this.everyMs;
    const spent = (now - this.started) / 1000;
    const rest = done > 0 ? (spent * left) / done : NaN;
    this.stream.write(`${what()}, ${formatSeconds(spent)} so far${Number.isFinite(rest) ? `, ${bound && rest >= 1 ? 'at most ' : ''}${about(rest)} left` : ''}\n`);
  }
}
