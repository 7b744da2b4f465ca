// `sweep`, `compare` and `sensitivity` are never silent for long, as `run` is not: the batch's
// estimate first when it is long, then a bar on a terminal or a line at most every report
// interval when stderr is piped (a sweep of an hour said nothing at all when its stderr was logged).
import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { formatSeconds } from '../../engine/index.js';
import { Batch } from '../../experiments/runner.js';
import { batchWithProgress } from '../../cli/experiments-commands.js';

const piped = () => {
  const lines: string[] = [];
  return { lines, stream: { isTTY: false, write: (t: string) => (lines.push(t), true) } };
};

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
