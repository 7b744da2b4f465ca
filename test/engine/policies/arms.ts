/**
 * Two-arm comparisons for the lever tests: every arm runs the same replications with common
 * seeds (deriveSeed(base, r)), and a claim is checked on the 95% paired interval of the
 * differences (experiments/stats.ts), never on one lucky seed (STYLE.md example 9).
 */
import { createSimulation, deriveSeed, parseScenario, withPath, type ScenarioInput, type Simulation } from '../../../engine/index.js';
import { pairedDifference, type PairedDifference } from '../../../experiments/stats.js';

/**
 * A small, lively community, quick to run: the default for lever tests. Members are accounts
 * (most inactive in a month); a short dormancy keeps few lapsed accounts on the rolls, so the
 * runs spend their time on the ~300 active members the levers act on.
 */
export const SMALL: ScenarioInput = { days: 120, population: { initialMembers: 600, burnInDays: 60 }, behaviour: { dormantDays: 60 } };
export const REPS = 20;

/** Dotted scenario paths and their values for one arm. */
export type Sets = Record<string, unknown>;

/**
 * Mutation check: `LEVER_ZERO=policies.rubrics.prompt[,path...] npx vitest run FILE` sets these
 * parameters to 0 in every arm. A lever test guarding that mechanism must then fail; that is how
 * each test's claim to guard its mechanism is checked (its header names the parameter).
 */
const ZERO = (typeof process !== 'undefined' ? process.env.LEVER_ZERO ?? '' : '').split(',').filter(Boolean);

/** Runs `reps` replications of `base` with `sets` applied, and returns the finished simulations. */
export function runArm(base: ScenarioInput, sets: Sets, reps = REPS, seedBase = 1): Simulation[] {
  let scenario = parseScenario(base);
  for (const [path, value] of Object.entries(sets)) scenario = withPath(scenario, path, value);
  for (const path of ZERO) scenario = withPath(scenario, path, 0);
  const sims: Simulation[] = [];
  for (let r = 0; r < reps; r++) {
    const sim = createSimulation(scenario, { seed: deriveSeed(seedBase, r) });
    sim.run();
    sims.push(sim);
  }
  return sims;
}

/** The paired difference of `measure` between arm b and arm a (b - a). */
export function paired(a: Simulation[], b: Simulation[], measure: (s: Simulation) => number): PairedDifference {
  return pairedDifference(a.map(measure), b.map(measure));
}

/** Measures: a summary metric, the mean of a daily metric over days 1..end, a member mean. */
export const summary = (name: string) => (s: Simulation) => (s.summary() as Record<string, number>)[name];
export const daily = (name: string) => (s: Simulation) => {
  const col = s.column(name);
  // over the days with a value: a day where the metric is undefined (NaN) is left out
  let sum = 0, n = 0;
  for (let d = 1; d < col.length; d++) {
    if (Number.isNaN(col[d])) continue;
    sum += col[d];
    n++;
  }
  return n > 0 ? sum / n : NaN;
};
export const memberMean = (field: 'identity' | 'alignment' | 'satisfaction') => (s: Simulation) => {
  const members = s.view(1e9).members;
  return members.reduce((acc, m) => acc + m[field], 0) / Math.max(1, members.length);
};

/** Asserts that the interval lies above zero (`up`) or below it (`down`), with a readable message. */
export function expectShift(d: PairedDifference, direction: 'up' | 'down', what: string): void {
  const ok = direction === 'up' ? d.ciLow > 0 : d.ciHigh < 0;
  if (!ok) {
    throw new Error(`${what}: expected ${direction}, got ${d.a.toFixed(4)} -> ${d.b.toFixed(4)} (diff ${d.diff.toFixed(4)}, 95% CI [${d.ciLow.toFixed(4)}, ${d.ciHigh.toFixed(4)}], n=${d.n})`);
  }
}
