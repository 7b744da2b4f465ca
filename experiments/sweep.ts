/**
 * Parameter sweeps: every design point of an experiment file (design.ts) times its
 * replications, run through an executor and streamed into runs.csv, summary.csv, series.csv and
 * manifest.json (runner.ts describes the files and how a killed sweep resumes).
 *
 * ```ts
 * const run = sweep(loadExperiment('exp.json'), { out: 'results', workers: 2 });
 * for await (const r of run) console.log(r.params, r.summary.finalMembers);
 * const { summary, failures } = await run.result;
 * ```
 */
import { withPath, type Scenario } from '../scenarios/schema.js';
import { designPoints } from './design.js';
import { experimentProbes, resolveExperiment, hashJson, type ExperimentInput, type ResolvedExperiment } from './schema.js';
import { runDesign, type Batch, type DesignPlan, type DesignResult, type RunRecord, type RunnerOptions } from './runner.js';

/** An experiment as given to the library: resolved already, or raw (then resolved from the working directory). */
export type ExperimentArg = ResolvedExperiment | ExperimentInput;

export function asResolved(e: ExperimentArg): ResolvedExperiment {
  return 'spec' in e && 'hash' in e ? (e as ResolvedExperiment) : resolveExperiment(e);
}

/** The base scenario with a point's factor values applied, validated. */
export function pointScenario(base: Scenario, names: readonly string[], values: readonly unknown[]): Scenario {
  let s = base;
  names.forEach((n, i) => (s = withPath(s, n, values[i])));
  return s;
}

/**
 * The plan of running an experiment's base scenario at `points` (rows of values for the factor
 * `names`) with its replications; `over` sets the kind and hash and may add to the manifest.
 */
export function experimentPlan(exp: ResolvedExperiment, names: string[], points: readonly (readonly unknown[])[], over: Pick<DesignPlan, 'kind' | 'hash'> & Partial<DesignPlan>): DesignPlan {
  return {
    baseSeed: exp.spec.seed,
    reps: exp.spec.reps,
    points: points.length,
    paramNames: names,
    paramsOf: (p) => points[p] as unknown[],
    scenarioOf: (p) => pointScenario(exp.base, names, points[p]),
    series: exp.spec.series,
    metrics: exp.spec.metrics,
    probes: experimentProbes(exp.spec),
    ...over,
    manifest: { experiment: exp.spec, base: exp.baseLabel, ...over.manifest, scenarioHashes: { base: hashJson(exp.base) } },
  };
}

/** The plan of a sweep: the design points of the experiment's factors. */
export function sweepPlan(exp: ResolvedExperiment): DesignPlan {
  const { names, points } = designPoints(exp.spec.factors, exp.spec.seed);
  return experimentPlan(exp, names, points, { kind: 'sweep', hash: exp.hash });
}

/** Runs a sweep; iterate it for runs as they finish, await `.result` for the summary table. */
export function sweep(experiment: ExperimentArg, options: RunnerOptions = {}): Batch<RunRecord, DesignResult> {
  return runDesign(sweepPlan(asResolved(experiment)), options);
}
