/**
 * What a long command says on stderr while it works (`run`, `compare`, `sweep`, `sensitivity`):
 * its estimate first when it is long, then, when stderr is piped or logged and so gets no bar, a
 * line every few seconds with the time so far and left. A terminal gets the command's bar.
 * stdout is never written: the data goes there.
 */
import { formatSeconds } from '../engine/index.js';

/** "about 3 minutes", or "under a second". */
export const about = (seconds: number): string => (seconds < 1 ? formatSeconds(seconds) : `about ${formatSeconds(seconds)}`);

/** How a command reports on stderr: its estimate past `announceSeconds`; when piped, a line every `everyMs`. */
export interface ProgressOptions {
  stream?: Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;
  /** An estimate this long or longer is stated (default 10 s). */
  announceSeconds?: number;
  /** When piped, a line at most this often, the first once the work has taken as long (default 10 s). */
  everyMs?: number;
  /** The clock in milliseconds (default Date.now). */
  now?: () => number;
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

  constructor({ stream = process.stderr, announceSeconds = 10, everyMs = 10_000, now = Date.now }: ProgressOptions = {}) {
    this.stream = stream;
    this.piped = !stream.isTTY;
    this.now = now;
    this.announceSeconds = announceSeconds;
    this.everyMs = everyMs;
    this.started = now();
    this.next = this.started + everyMs;
  }

  /** `estimate: …` when `seconds` reaches the threshold; `text` gets the time as "about 3 minutes". */
  estimate(seconds: number, text: (time: string) => string): void {
    if (seconds >= this.announceSeconds) this.stream.write(`estimate: ${text(about(seconds))}\n`);
  }

  /**
   * When piped and a report interval has passed since the last line: `what`, the time so far
   * and the time left at the pace so far (`done` units of work in this process, `left` to go).
   */
  tick(done: number, left: number, what: () => string): void {
    if (!this.piped) return;
    const now = this.now();
    if (now < this.next) return;
    this.next = now + this.everyMs;
    const spent = (now - this.started) / 1000;
    const rest = done > 0 ? (spent * left) / done : NaN;
    this.stream.write(`${what()}, ${formatSeconds(spent)} so far${Number.isFinite(rest) ? `, ${about(rest)} left` : ''}\n`);
  }
}
