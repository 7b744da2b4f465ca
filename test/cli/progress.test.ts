// `sweep`, `compare` and `sensitivity` are never silent for long, as `run` is not: the batch's
// estimate first when it is long, then a bar on a terminal or a line at most every report
// interval when stderr is piped (a sweep of an hour said nothing at all when its stderr was logged).
import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { formatSeconds } from '../../engine/index.js';
import { Batch } from '../../experiments/runner.js';
import { batchWithProgress } from '../../cli/experiments-commands.js';
import { Progress } from '../../cli/progress.js';
import { piped } from './piped.js';

/** A batch of `total` runs, `skipped` of them finished before (a resume), each taking `ms` on `clock`. */
function batch(total: number, skipped: number, clock: { t: number }, ms: number): Batch<number, string> {
  return new Batch(total, skipped, async function* () {
    for (let i = skipped; i < total; i++) {
      clock.t += ms;
      yield i;
    }
    return 'tables';
  });
}

describe('batch progress on stderr', () => {
  it('states the estimate of the runs left, then a line at most every report interval, when piped', async () => {
    const { lines, stream } = piped();
    const clock = { t: 0 };
    // 10 runs left of 12, 4 s each on the clock: lines once 10 s have passed since the last
    const res = await batchWithProgress(batch(12, 2, clock, 4000), { stream, now: () => clock.t, perRun: 6, parallel: 1 });
    expect(res).toBe('tables');
    expect(lines).toEqual([
      'estimate: 10 runs of about 6 s each at full speed, 1 at once: about 60 s\n',
      '5/12 runs, 12 s so far, about 28 s left\n',
      '8/12 runs, 24 s so far, about 16 s left\n',
      '11/12 runs, 36 s so far, about 4 s left\n',
    ]);
  });

  it('divides the estimate by the runs at once, no more than the cores or the runs', async () => {
    const { lines, stream } = piped();
    const clock = { t: 0 };
    await batchWithProgress(batch(40, 0, clock, 0), { stream, now: () => clock.t, perRun: 30, parallel: 64 });
    const at = Math.min(availableParallelism(), 40);
    expect(lines[0]).toBe(`estimate: 40 runs of about 30 s each at full speed, ${at} at once: about ${formatSeconds(1200 / at)}\n`);
  });

  it('says nothing for a short batch, nor an estimate without one (a queue)', async () => {
    const { lines, stream } = piped();
    const clock = { t: 0 };
    await batchWithProgress(batch(3, 0, clock, 1000), { stream, now: () => clock.t, perRun: 3, parallel: 1 });
    await batchWithProgress(batch(3, 0, clock, 1000), { stream, now: () => clock.t, announceSeconds: 0 });
    expect(lines).toEqual([]);
  });
});

// Piped lines are for long work: a small batch that takes 10 s on a loaded CI machine must keep
// stderr empty (tests assert it), but a batch far longer than its estimate must not be silent.
describe('when piped lines start', () => {
  const ticks = (estimate: number | undefined, at: number[]) => {
    const { lines, stream } = piped();
    const clock = { t: 0 };
    const p = new Progress({ stream, now: () => clock.t });
    if (estimate !== undefined) p.estimate(estimate, (time) => time);
    lines.length = 0;
    for (const ms of at) {
      clock.t = ms;
      p.tick(1, 1, () => `at ${ms / 1000} s`);
    }
    return lines.map((l) => l.split(',')[0]);
  };

  it('not for a short-estimated batch at 12 s, but once it has run past 60 s, then every 10 s', () => {
    expect(ticks(3, [5_000, 12_000, 30_000, 59_000])).toEqual([]);
    expect(ticks(3, [12_000, 61_000, 65_000, 71_000])).toEqual(['at 61 s', 'at 71 s']);
  });

  it('nor for work without an estimate (a queue) before 60 s', () => {
    expect(ticks(undefined, [12_000, 59_000, 60_000])).toEqual(['at 60 s']);
  });

  it('from 10 s for a batch estimated long', () => {
    expect(ticks(10, [9_000, 10_000, 15_000, 20_000])).toEqual(['at 10 s', 'at 20 s']);
  });

  it('says "at most" of a budget', () => {
    const { lines, stream } = piped();
    const clock = { t: 0 };
    const p = new Progress({ stream, now: () => clock.t });
    p.estimateRuns(300, 2, 1, { of: 'a budget', at: "the base's" });
    clock.t = 10_000;
    p.tick(5, 95, () => 'x', true);
    expect(lines).toEqual(["estimate: at most 300 runs (a budget) of about 2 s each at full speed at the base's size, 1 at once: at most 10 minutes\n", 'x, 10 s so far, at most about 3 minutes left\n']);
  });
});
