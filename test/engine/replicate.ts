/**
 * Replications for behaviour tests: run a scenario over common seeds (`deriveSeed(base, r)`,
 * the same seeds for every arm) and compare arms with paired 95% intervals.
 */
import { createSimulation, deriveSeed, parseScenario, type RunResult, type ScenarioInput } from '../../engine/index.js';

export const REPS = 20;

export function seeds(n = REPS, base = 2026): number[] {
  return Array.from({ length: n }, (_, r) => deriveSeed(base, r));
}

/** Runs `input` once per seed and returns the results. */
export function replicate(input: ScenarioInput, seedList = seeds()): RunResult[] {
  const scenario = parseScenario({ metrics: { graphEvery: 0 }, ...input });
  return seedList.map((seed) => createSimulation(scenario, { seed }).run());
}
