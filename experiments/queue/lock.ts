/**
 * One submitter per sweep: a lease in Redis (`SET NX PX`) that the submitter collecting a sweep
 * renews while it runs. A second submitter of the same sweep (the same experiment into the same
 * output directory, say a `--resume` typed while the first still runs) would otherwise collect
 * and delete the same results and both would write them; with the lease it waits for the
 * holder's lease to lapse and stops with a clear message when the holder is alive.
 *
 * A killed submitter cannot release its lease: it lapses after `ttlMs`, so `--resume` right after
 * a kill waits at most that long. The lease is renewed every third of `ttlMs` by a timer, so a
 * long await (adding 100,000 runs) does not lose it; an event loop blocked for longer than `ttlMs`
 * would, and the next renewal then finds the lease gone or taken and the collector stops.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { InputError } from '../io/input-error.js';

/** Renews the lease if this holder still has it: 1 renewed, 0 lost. */
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
/** Deletes the lease if this holder still has it. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class SubmitterLease {
  /** Who holds it: host, process and a random tag (two submitters in one process differ). */
  readonly holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private timer: ReturnType<typeof setInterval> | undefined;
  private lost: string | undefined;
  /** When the lease was last taken or renewed (Date.now()). */
  private renewedAt = 0;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly ttlMs = 10_000,
  ) {}

  /**
   * Takes the lease, waiting for another holder's lease to lapse; fails with an InputError naming
   * `--queue` when the other holder keeps renewing it (a live submitter of the same sweep).
   */
  async acquire(onWait?: (holder: string, ms: number) => void): Promise<void> {
    const deadline = Date.now() + this.ttlMs + 1000;
    let told = false;
    for (;;) {
      if ((await this.redis.set(this.key, this.holder, 'PX', this.ttlMs, 'NX')) === 'OK') break;
      const other = (await this.redis.get(this.key)) ?? '';
      if (Date.now() > deadline) {
        throw new InputError([{ path: 'url', message: `this sweep is being collected by another submitter (${other.split(':').slice(0, 2).join(', pid ')}); stop it, or wait for it to finish` }]);
      }
      if (!told && other) onWait?.(other, Math.max(0, await this.redis.pttl(this.key)));
      told = true;
      await sleep(Math.min(500, this.ttlMs / 4));
    }
    this.renewedAt = Date.now();
    this.timer = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.ttlMs / 3)));
    this.timer.unref?.();
  }

  private async renew(): Promise<void> {
    try {
      // Renewed, or gone (Redis restarted empty) and taken back; held by someone else is lost.
      const kept = (await this.redis.eval(RENEW, 1, this.key, this.holder, this.ttlMs)) === 1 || (await this.redis.set(this.key, this.holder, 'PX', this.ttlMs, 'NX')) === 'OK';
      if (kept) this.renewedAt = Date.now();
      else this.lost = (await this.redis.get(this.key)) ?? 'another submitter';
    } catch {
      // Redis away: the next renewal tries again (a restart without data is handled above).
    }
  }

  /**
   * Throws when another submitter took the lease (this one was stalled past its lapse). When the
   * timer's renewal is overdue (this process was stalled), it asks Redis first: the timer may not
   * have run yet, and results must not be collected by two submitters at once.
   */
  async check(): Promise<void> {
    if (!this.lost && Date.now() - this.renewedAt > this.ttlMs / 2) await this.renew();
    if (this.lost) {
      throw new Error(`experiments/queue: another submitter (${this.lost}) took over this sweep while this one was stalled for more than ${this.ttlMs / 1000} s; its results are collected there`);
    }
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    try {
      await this.redis.eval(RELEASE, 1, this.key, this.holder);
    } catch {
      // Redis away: the lease lapses by itself.
    }
  }
}
