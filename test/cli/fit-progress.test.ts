// `community-sim fit` is never silent for long when its stderr is piped or logged, as `run` and
// `sweep` are not: its estimate first when FIT.json's maxRuns bounds it, then within a generation
// (which may take hours) a line with the tolerance, the particles accepted and the runs.
import { describe, expect, it } from 'vitest';
import type { AbcGeneration } from '../../experiments/abc-smc.js';
import type { Executor, RunJob, RunOutcome } from '../../experiments/executor.js';
import { fitProgress, forecastProgress } from '../../cli/fit-command.js';
import { piped } from './piped.js';

const generation = (g: number, simulations: number) => ({ generation: g, simulations }) as AbcGeneration;

describe('fit progress on stderr', () => {
  it('states its bound, then a line at most every report interval with the generation, tolerance, particles and runs', () => {
    const { lines, stream } = piped();
    const clock = { t: 0 };
    const p = fitProgress({ particles: 100, maxRuns: 2000, predictive: 100 }, [], { stream, now: () => clock.t, perRun: 3, parallel: 1 });
    clock.t = 4000;
    p.generation(generation(0, 100));
    clock.t = 12_000;
    p.batch({ generation: 1, tolerance: 0.41234, accepted: 30, proposed: 80 });
    clock.t = 15_000;
    p.batch({ generation: 1, tolerance: 0.41234, accepted: 60, proposed: 160 });
    expect(lines).toEqual([
      "estimate: at most 2,100 runs (FIT.json maxRuns, and 100 predictive) of about 3 s each at full speed at the base scenario's size, 1 at once: at most 1.8 hours\n",
      // 180 runs in 12 s, 1,920 left of the budget
      'generation 1: tolerance 0.412, 30/100 particles, 180 runs, 12 s so far, at most about 2 minutes left\n',
    ]);
  });

  it('counts a resumed fit\'s runs, and without maxRuns gives no estimate nor time left; after 60 s only when not estimated long', () => {
    const { lines, stream } = piped();
    const clock = { t: 0 };
    const p = fitProgress({ particles: 100, predictive: 100 }, [generation(0, 100), generation(1, 400)], { stream, now: () => clock.t, perRun: 3, parallel: 1 });
    clock.t = 30_000;
    p.batch({ generation: 2, tolerance: 0.2, accepted: 10, proposed: 50 });
    expect(lines).toEqual([]);
    clock.t = 61_000;
    p.batch({ generation: 2, tolerance: 0.2, accepted: 20, proposed: 100 });
    expect(lines).toEqual(['generation 2: tolerance 0.200, 20/100 particles, 600 runs, 61 s so far\n']);
  });
});

describe('forecast progress on stderr', () => {
  it('states the estimate of its runs, then a line as they finish, the outcomes passed on', async () => {
    const { lines, stream } = piped();
    const clock = { t: 0 };
    // 40 runs, each 1 s on the clock
    const inner: Executor = {
      size: 2,
      close: async () => {},
      async *run(jobs) {
        for await (const job of jobs as Iterable<RunJob>) {
          clock.t += 1000;
          yield { ok: false, job, error: 'x' } as RunOutcome;
        }
      },
    };
    const executor = forecastProgress(inner, 40, { stream, now: () => clock.t, perRun: 20 });
    const jobs = Array.from({ length: 40 }, (_, k) => ({ key: `0:${k}` }) as RunJob);
    let n = 0;
    for await (const _ of executor.run(jobs)) n++;
    expect(n).toBe(40);
    expect(lines[0]).toMatch(/^estimate: 40 runs of about 20 s each at full speed, [12] at once: about (7|13) minutes\n$/);
    expect(lines.slice(1)).toEqual(['10/40 runs, 10 s so far, about 30 s left\n', '20/40 runs, 20 s so far, about 20 s left\n', '30/40 runs, 30 s so far, about 10 s left\n', '40/40 runs, 40 s so far, under a second left\n']);
  });
});
