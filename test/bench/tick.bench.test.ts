import { describe, expect, it } from 'vitest';
import { benchScenario, edgeCase, runCase } from '../../bench/tick.bench.js';
import { createSimulation } from '../../engine/index.js';
import { socialPass } from '../../engine/agents/social.js';
import type { World } from '../../engine/world.js';

describe('speed benchmarks', () => {
  it('times the social pass in place without changing the run', () => {
    const scenario = benchScenario(500, 40, 0);
    const plain = createSimulation(scenario, { seed: 3 }).run();
    const timed = createSimulation(scenario, { seed: 3 });
    timed.step(20);
    const w = (timed as unknown as { w: World }).w;
    for (let k = 0; k < 5; k++) socialPass(w);
    expect(JSON.stringify(timed.run())).toBe(JSON.stringify(plain));
  });

  it('compares the social pass with a bare loop over the same edges', () => {
    const cases = edgeCase(2000, 1, [1, 10], 20);
    expect(cases.map((c) => c.day)).toEqual([1, 10]);
    for (const c of cases) {
      expect(c.visits).toBeGreaterThan(0);
      expect(c.socialPerSec).toBeGreaterThan(0);
      expect(c.ratio).toBeCloseTo(c.barePerSec / c.socialPerSec, 9);
    }
  });

  it('reports a whole run with its edge visits and memory', () => {
    const r = runCase(300, 30, 0, 1);
    expect(r.edgeVisits).toBeGreaterThan(0);
    expect(r.rows).toBeGreaterThanOrEqual(300);
    expect(r.cpuMs).toBeGreaterThan(0);
    expect(r.memberBytes).toBeGreaterThan(300 * 100);
    expect(r.finalMembers).toBe(createSimulation(benchScenario(300, 30, 0), { seed: 1 }).run().summary.finalMembers);
  });
});
