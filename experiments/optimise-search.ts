/**
 * The search of `community-sim optimise` without its files: NSGA-II over the levers (nsga2.ts)
 * with the manager's hours as the constraint, the base's own settings re-evaluated like a
 * strategy, and the front's strategies with their intervals and paired comparison with the base.
 * No Node APIs, so the visualizer's Optimise view runs the same search in Web Workers; the CLI
 * (optimise.ts) adds the spec file, candidates.csv, resume, the report and the manifest.
 */
import { HOURS_METRICS, clipInterval, deriveSeed, summaryMetric, type RunSummary, type Scenario, type SummaryMetric } from '../engine/index.js';
import { ScenarioError, show, withPath, type FieldIssue } from '../scenarios/schema.js';
import type { RunJob, RunOutcome } from './executor.js';
import { nsga2, objectiveIntervals, type Nsga2Candidate, type Nsga2Request, type Nsga2Result, type Nsga2Sample } from './nsga2.js';
import { pairedDifference } from './stats.js';

/** What a search needs, whatever its source (a spec file, the page's form). */
export interface SearchSpec {
  reps: number;
  finalReps?: number;
  seed: number;
  levers: Record<string, { min: number; max: number }>;
  budget: { hoursPerDay: number };
  objectives: { metric: SummaryMetric; goal?: 'min' | 'max' }[];
  runs: number;
  populationSize?: number;
}

/** A search ready to run. */
export interface SearchPlan<S extends SearchSpec = SearchSpec> {
  spec: S;
  base: Scenario;
  levers: { name: string; min: number; max: number; integer: boolean }[];
  goals: ('min' | 'max')[];
  finalReps: number;
  populationSize: number;
  /** The base's own lever values, clamped into the ranges. */
  baseValues: number[];
}

/** One reported strategy. */
export interface Strategy {
  candidate: number;
  levers: Record<string, number>;
  /** Per objective metric: mean and 95% interval over `reps` runs. */
  objectives: { metric: SummaryMetric; goal: 'min' | 'max'; mean: number; ciLow: number; ciHigh: number }[];
  /** Mean hours a day, in all and by activity. */
  hours: Record<string, number>;
  reps: number;
  /** Better or equal than the base's own settings on every objective's mean, better on one. */
  dominatesBase: boolean;
  /** Dominates on means, and by the paired 95% intervals (common seeds) no objective is worse and one is better. */
  dominatesBaseCI: boolean;
}

const readPath = (s: Scenario, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), s);

/**
 * Checks a search's levers against `base` (each a numeric field taking both ends of its range;
 * integer fields searched as integers), its goals (default: the metric's better direction) and
 * that `runs` leaves room for the final re-evaluation. Problems are returned, one per field.
 */
export function planSearch<S extends SearchSpec>(spec: S, base: Scenario): { plan: SearchPlan<S>; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const levers = Object.entries(spec.levers).flatMap(([path, range]) => {
    if (path === 'seed' || path === 'days') {
      issues.push({ path: `levers.${path}`, message: 'expected a scenario field other than seed and days' });
      return [];
    }
    for (const [end, v] of [['min', range.min], ['max', range.max]] as const) {
      try {
        withPath(base, path, v);
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        for (const i of e.issues) issues.push({ path: i.path !== path || /^(unknown field|not an object field|expected a dotted)/.test(i.message) ? `levers.${i.path}` : `levers.${path}.${end}`, message: i.message });
        return [];
      }
    }
    // An integer field refuses a value between two integers: search it as integers.
    let integer = false;
    try {
      withPath(base, path, Math.floor(range.min) + 0.5);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      integer = e.issues.some((i) => /integer/.test(i.message));
    }
    if (typeof readPath(base, path) !== 'number' && readPath(base, path) !== null) {
      issues.push({ path: `levers.${path}`, message: `expected a numeric field, got ${show(readPath(base, path))}` });
      return [];
    }
    return [{ name: path, min: range.min, max: range.max, integer }];
  });
  const goals = spec.objectives.map((o, i) => {
    const better = summaryMetric(o.metric)?.better;
    if (o.goal) return o.goal;
    if (better === 'higher') return 'max';
    if (better === 'lower') return 'min';
    issues.push({ path: `objectives[${i}].goal`, message: `expected "max" or "min" (${o.metric} has no better direction)` });
    return 'min';
  });
  if (!levers.length && !issues.length) issues.push({ path: 'levers', message: 'expected at least one lever' });
  const finalReps = Math.max(spec.reps, spec.finalReps ?? Math.max(5, 3 * spec.reps));
  const populationSize = spec.populationSize ?? Math.min(100, Math.max(8, 2 * Math.round(Math.sqrt(spec.runs / spec.reps) / 2)));
  const need = populationSize * finalReps + (finalReps - spec.reps);
  if (spec.runs < need) issues.push({ path: 'runs', message: `expected at least ${need} (${populationSize} candidates x ${finalReps} replications, and the base's re-evaluation), got ${spec.runs}` });
  const baseValues = levers.map((l) => {
    const v = readPath(base, l.name);
    return typeof v === 'number' ? Math.min(l.max, Math.max(l.min, v)) : l.min;
  });
  return { plan: { spec, base, levers, goals, finalReps, populationSize, baseValues }, issues };
}

export interface SearchHooks {
  /** Runs a batch of jobs (a worker pool, a queue, the page's workers); outcomes in any order. */
  run(jobs: RunJob[]): AsyncIterable<RunOutcome>;
  /** Summaries already known by job key `candidate:rep` (a resumed search); filled as runs finish. */
  summaries?: Map<string, RunSummary>;
  /** Called for each finished run (with its candidate's generation), e.g. to append it to a file. */
  onRun?(job: RunJob, summary: RunSummary, generation: number): void;
  /** Called as runs finish and after every generation: `runs` done of `total`, `read` of them read back from `summaries`. */
  onProgress?(p: { runs: number; read: number; total: number; generation: number; front: number; phase: 'search' | 'final' }): void;
}

export interface SearchResult {
  front: Strategy[];
  /** The base's own lever values, evaluated like a strategy; feasible judged on all its runs. */
  base: Strategy & { feasible: boolean };
  result: Nsga2Result;
  runs: number;
  failures: { candidate: number; rep: number; seed: number; error: string }[];
  summaries: Map<string, RunSummary>;
}

/** Runs the search of `plan`; see the module header. */
export async function searchStrategies(plan: SearchPlan, hooks: SearchHooks): Promise<SearchResult> {
  const { spec, levers } = plan;
  const names = levers.map((l) => l.name);
  const metrics = spec.objectives.map((o) => o.metric);
  const summaries = hooks.summaries ?? new Map<string, RunSummary>();
  const failures: SearchResult['failures'] = [];
  const seedOf = (rep: number) => deriveSeed(spec.seed, rep);
  let done = 0;
  let read = 0;
  let generation = 0;
  let frontSize = 0;
  let phase: 'search' | 'final' = 'search';
  const progress = () => hooks.onProgress?.({ runs: done, read, total: spec.runs, generation, front: frontSize, phase });

  const sample = (s: RunSummary | undefined): Nsga2Sample => {
    // A failed run makes its candidate infeasible rather than silently better.
    if (!s) return { objectives: metrics.map(() => NaN), constraints: [Infinity] };
    const used = HOURS_METRICS.length ? HOURS_METRICS.reduce((a, m) => a + (Number.isFinite(s[m]) ? s[m] : 0), 0) : s.managerHoursUsed;
    return { objectives: metrics.map((m) => s[m]), constraints: [used - spec.budget.hoursPerDay] };
  };

  const evaluate = async (requests: Nsga2Request[]): Promise<Nsga2Sample[][]> => {
    const jobs: RunJob[] = [];
    const generations = new Map<number, number>();
    for (const r of requests) {
      generations.set(r.id, r.generation);
      let scenario: Scenario | undefined;
      for (const rep of r.reps) {
        const key = `${r.id}:${rep}`;
        if (summaries.has(key)) {
          done++;
          read++;
          continue;
        }
        // The base with the candidate's lever values (as sweep.ts's pointScenario; that module reads files).
        scenario ??= names.reduce((s, n, j) => withPath(s, n, r.x[j]), plan.base);
        jobs.push({ key, point: r.id, rep, seed: seedOf(rep), scenario, params: Object.fromEntries(names.map((n, j) => [n, r.x[j]])) });
      }
    }
    if (jobs.length) {
      for await (const o of hooks.run(jobs)) {
        const { job } = o;
        if (!o.ok) {
          failures.push({ candidate: job.point, rep: job.rep, seed: job.seed, error: o.error });
          continue;
        }
        if (summaries.has(job.key)) continue;
        const s = o.output.summary;
        summaries.set(job.key, s);
        hooks.onRun?.(job, s, generations.get(job.point) ?? 0);
        done++;
        progress();
      }
    }
    return requests.map((r) => r.reps.map((rep) => sample(summaries.get(`${r.id}:${rep}`))));
  };

  const result = await nsga2({
    variables: levers,
    goals: plan.goals,
    evaluate,
    // The base's own settings are re-evaluated to finalReps too, outside the search.
    maxRuns: spec.runs - (plan.finalReps - spec.reps),
    seed: spec.seed,
    populationSize: plan.populationSize,
    reps: spec.reps,
    finalReps: plan.finalReps,
    initial: [plan.baseValues],
    onGeneration: (g) => {
      generation = g.generation;
      frontSize = g.front;
      phase = g.phase;
      progress();
    },
  });
  const baseCandidate: Nsga2Candidate = result.candidates[0];
  const more = Array.from({ length: plan.finalReps - baseCandidate.samples.length }, (_, i) => baseCandidate.samples.length + i);
  if (more.length) baseCandidate.samples.push(...(await evaluate([{ id: baseCandidate.id, x: baseCandidate.x, reps: more, generation: 0 }]))[0]);

  const strategy = (c: Nsga2Candidate, base?: Nsga2Candidate): Strategy => {
    const runs = Array.from({ length: c.samples.length }, (_, r) => summaries.get(`${c.id}:${r}`)).filter((s): s is RunSummary => !!s);
    const iv = objectiveIntervals(c);
    const hours: Record<string, number> = {};
    for (const m of ['managerHoursUsed', ...HOURS_METRICS] as SummaryMetric[]) hours[m] = runs.reduce((a, s) => a + s[m], 0) / runs.length;
    let dominatesBase = false, dominatesBaseCI = false;
    if (base) {
      const pairs = metrics.map((m, k) => {
        const a: number[] = [], b: number[] = [];
        for (let r = 0; r < Math.min(c.samples.length, base.samples.length); r++) {
          const sa = summaries.get(`${base.id}:${r}`)?.[m], sb = summaries.get(`${c.id}:${r}`)?.[m];
          if (Number.isFinite(sa) && Number.isFinite(sb)) { a.push(sa!); b.push(sb!); }
        }
        const d = pairedDifference(a, b);
        const sign = plan.goals[k] === 'max' ? 1 : -1;
        return { better: sign * d.diff, lowBetter: Math.min(sign * d.ciLow, sign * d.ciHigh), highBetter: Math.max(sign * d.ciLow, sign * d.ciHigh) };
      });
      dominatesBase = pairs.every((p) => p.better >= 0) && pairs.some((p) => p.better > 0);
      dominatesBaseCI = dominatesBase && pairs.every((p) => p.highBetter >= 0) && pairs.some((p) => p.lowBetter > 0);
    }
    return {
      candidate: c.id,
      levers: Object.fromEntries(names.map((n, j) => [n, c.x[j]])),
      // t intervals clipped to the metric's range, as in summary.csv (a share's stays in [0, 1])
      objectives: metrics.map((metric, k) => {
        const [ciLow, ciHigh] = clipInterval(summaryMetric(metric), iv[k].low, iv[k].high);
        return { metric, goal: plan.goals[k], mean: iv[k].mean, ciLow, ciHigh };
      }),
      hours,
      reps: runs.length,
      dominatesBase,
      dominatesBaseCI,
    };
  };

  const front = result.front.map((c) => strategy(c, baseCandidate));
  const baseRun = strategy(baseCandidate);
  // judged on all its runs (the search saw only the first `reps`), as the constraint is: hours by activity against the budget
  const base = { ...baseRun, feasible: HOURS_METRICS.reduce((a, m) => a + (Number.isFinite(baseRun.hours[m]) ? baseRun.hours[m] : 0), 0) <= spec.budget.hoursPerDay };
  failures.sort((a, b) => a.candidate - b.candidate || a.rep - b.rep);
  return { front, base, result, runs: done, failures, summaries };
}
