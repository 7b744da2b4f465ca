// `community-sim optimise` is never silent for long when its stderr is piped or logged: its
// estimate first (the spec's runs bound it), then a line with the runs, generation and front.
import { describe, expect, it } from 'vitest';
import { optimiseProgress } from '../../cli/optimise-command.js';
import { piped } from './piped.js';

describe('optimise progress on stderr', () => {
  it('states its bound, then a line at most every report interval; runs read back on a resume set no pace', () => {
    const { lines, stream } = piped();
    const clock = { t: 0 };
    const p = optimiseProgress(1200, { stream, now: () => clock.t, perRun: 2, parallel: 1 });
    const step = { total: 1200, generation: 3, front: 7, phase: 'search' as const };
    clock.t = 5000;
    p.update({ ...step, runs: 450, read: 400 });
    clock.t = 10_000;
    p.update({ ...step, runs: 500, read: 400 });
    clock.t = 20_000;
    p.update({ ...step, runs: 1100, read: 400, phase: 'final' });
    expect(lines).toEqual([
      "estimate: at most 1,200 runs (the spec's runs) of about 2 s each at full speed at the base scenario's size, 1 at once: at most 40 minutes\n",
      // 100 runs of this process in 10 s, 700 left
      '500/1,200 runs: generation 3, front 7, 10 s so far, at most about 70 s left\n',
      '1,100/1,200 runs: generation 3, front 7, re-evaluating the front, 20 s so far, at most about 3 s left\n',
    ]);
  });

  it('says nothing for a short search', () => {
    const { lines, stream } = piped();
    const clock = { t: 0 };
    const p = optimiseProgress(20, { stream, now: () => clock.t, perRun: 0.1, parallel: 1 });
    clock.t = 30_000;
    p.update({ runs: 10, read: 0, total: 20, generation: 1, front: 2, phase: 'search' });
    expect(lines).toEqual([]);
  });
});
