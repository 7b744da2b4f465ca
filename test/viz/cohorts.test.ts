/**
 * The live view's cohort table travels as deltas (viz/worker.ts asks the engine for the cells
 * of the weeks since the last frame, Simulation.cohortsSince; viz/runner.ts applies them): the
 * page's copy must equal the engine's whole table on every day, however the frames fall.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, parseScenario } from '../../engine/index.js';
import type { CohortTable } from '../../engine/metrics.js';
import { applyCohortDelta } from '../../viz/runner.js';

describe('cohort table deltas', () => {
  it('the page copy built from deltas equals the engine table, frames of 1 to 12 days', () => {
    const scenario = parseScenario({ seed: 5, days: 150, population: { initialMembers: 150, organicPerDay: 2 } });
    const sim = createSimulation(scenario, { seed: 5 });
    const copy: CohortTable = { sizes: [], share: [] };
    let sent = 0;
    let frames = 0;
    for (let step = 1; !sim.done; step = (step % 12) + 1) {
      sim.step(step);
      const delta = sim.cohortsSince(Math.max(0, sent - 1));
      sent = delta.sizes.length;
      applyCohortDelta(copy, delta);
      expect(copy).toEqual(sim.cohorts());
      frames++;
    }
    expect(frames).toBeGreaterThan(20);
    expect(copy.share.length).toBeGreaterThan(15);
  });

  it('a delta holds only the cells of the weeks asked for (the new ones), not the whole table', () => {
    const sim = createSimulation(parseScenario({ seed: 5, days: 140, population: { initialMembers: 150 } }), { seed: 5 });
    sim.run();
    const whole = sim.cohorts();
    const delta = sim.cohortsSince(whole.sizes.length - 1);
    // At most one cell a row (the last calendar week of each cohort), against the whole triangle.
    const sent = delta.cells.reduce((n, row) => n + row.length, 0);
    const all = whole.share.reduce((n, row) => n + row.length, 0);
    expect(delta.cells.every((row) => row.length <= 1)).toBe(true);
    expect(sent).toBeGreaterThan(0);
    expect(all).toBeGreaterThan(sent * 5);
  });
});
