/**
 * Exact traces for fixed seeds, pinned: any change to the model's behaviour shows up here as a
 * diff of the daily series. After an intended change, review the diff and update the files with
 * `npx vitest run test/engine/trace.test.ts -u`.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario } from '../../engine/index.js';

const cases = {
  default: parseScenario({ days: 60, population: { initialMembers: 120 }, metrics: { graphEvery: 30 } }),
  unmoderated: parseScenario({ days: 60, population: { initialMembers: 120, mix: { troll: 0.15 } }, policies: { moderation: { strictness: 0 } }, metrics: { graphEvery: 30 } }),
};

describe('pinned traces', () => {
  for (const [name, scenario] of Object.entries(cases)) {
    it(`${name}, seed 1`, async () => {
      const r = runScenario(scenario, { seed: 1 });
      const pinned = { series: r.series, summary: r.summary, cohorts: r.cohorts, graph: r.graph };
      await expect(JSON.stringify(pinned, null, 1)).toMatchFileSnapshot(`./__snapshots__/trace-${name}-seed1.json`);
    });
  }
});
