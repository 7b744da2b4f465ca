/**
 * "What is the best use of my hours?": a multi-objective search over a manager's levers under an
 * hours budget (`community-sim optimise SPEC.json --out DIR`). The search is NSGA-II (nsga2.ts);
 * every candidate strategy is the base scenario with the levers set, run `reps` times with the
 * replication seeds every candidate shares (common random numbers), through an executor (worker
 * pool or queue) like a sweep.
 *
 * The budget is judged by the model, not a formula: a candidate runs with the manager's capacity
 * of the base scenario (`manager.hoursPerDay`), and its hours by activity (the `hours*` summary
 * metrics, which add up to `managerHoursUsed`) say what its activities actually took. A candidate
 * whose mean hours a day exceed `budget.hoursPerDay` is infeasible (constrained domination).
 *
 * Files in the output directory:
 * - candidates.csv: `candidate, generation, rep, seed, <one column per lever>, <every summary
 *   metric>`, one row per run, appended as runs finish (a killed search resumes from it: the search
 *   is replayed from its seed and finished runs are read back instead of run again), sorted at the end.
 * - front.csv: the reported strategies (feasible, non-dominated, each re-evaluated to
 *   `finalReps`): `candidate, <levers>, per objective METRIC, METRIC_ciLow, METRIC_ciHigh,
 *   managerHoursUsed, <hours by activity>, reps, dominatesBase, dominatesBaseCI`.
 * - report.html: the front for a manager (report.ts).
 * - manifest.json: version, command, spec and its hash, seeds, counts, the base's own settings
 *   with their outcomes, start and end.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { SUMMARY_METRIC_NAMES, VERSION, deriveSeed, type RunSummary, type Scenario, type SummaryMetric } from '../engine/index.js';
import { block, formatPath, int, num, oneOf, show, type FieldIssue } from '../scenarios/schema.js';
import { writeFileAtomic } from './io/atomic-write.js';
import { cell } from './io/csv.js';
import { InputError } from './io/input-error.js';
import { readJsonFile } from './io/json-file.js';
import type { Executor } from './executor.js';
import { KeyedCsv, eachLine, parseCsvLine } from './keyed-csv.js';
import { planSearch, searchStrategies, type SearchPlan, type SearchResult, type Strategy } from './optimise-search.js';
import { WorkerPool } from './pool.js';
import { BaseRefSchema, HOURS_METRICS, hashJson, resolveBase } from './schema.js';
import { optimiseReport } from './report.js';
import { SeriesBands, type SeriesBand } from './series-bands.js';
import { readManifest } from './runner.js';

export { HOURS_METRICS };

const metricName = () => oneOf(SUMMARY_METRIC_NAMES as [SummaryMetric, ...SummaryMetric[]]);
const anyNumber = () => z.number({ error: (iss) => `expected a number, got ${show(iss.input)}` });

const Lever = block({
  min: anyNumber().describe('Lowest value searched.'),
  max: anyNumber().describe('Highest value searched.'),
}).refine((r) => r.max > r.min, { error: (iss) => `expected max > min, got min ${show((iss.input as { min: unknown }).min)} and max ${show((iss.input as { max: unknown }).max)}`, path: ['max'] });

const Objective = block({
  metric: metricName().describe('A summary metric (`community-sim metrics` lists them).'),
  goal: oneOf(['max', 'min'] as const).optional().describe('max or min; default: the metric\'s better direction.'),
});

export const OptimiseSchema = block({
  $schema: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  base: BaseRefSchema.describe('The base scenario: a preset name, a scenario file (relative to the spec) or an inline scenario (which may "extends" one).'),
  days: int(1, 36500).optional().describe('Days of every run (overrides the base\'s days).'),
  reps: int(1, 10_000).default(2).describe('Replications of a candidate during the search; replication r has the same seed in every candidate.'),
  finalReps: int(1, 10_000).optional().describe('Replications of every reported strategy (default: the larger of 5 and 3 x reps).'),
  seed: int(0, 2 ** 32 - 1).default(1).describe('Seed of the search and of the replications.'),
  levers: z.record(z.string(), Lever, { error: (iss) => `expected an object of "scenario.path": { min, max }, got ${show(iss.input)}` }).describe('Scenario paths to search, each a range (integer fields take integers).'),
  budget: block({ hoursPerDay: num(0, 24).describe('The manager\'s hours a day: a candidate whose activities take more on average is infeasible.') }),
  objectives: z.array(Objective, { error: (iss) => `expected a list of { metric, goal }, got ${show(iss.input)}` }).min(1, { error: 'expected one to three objectives' }).max(3, { error: 'expected one to three objectives' }),
  runs: int(1, 10_000_000).describe('The most runs in all (search and re-evaluation).'),
  populationSize: int(4, 10_000).refine((n) => n % 2 === 0, { error: (iss) => `expected an even number, got ${show(iss.input)}` }).optional().describe('Candidates per generation (default: the even number nearest sqrt(runs / reps), within 8 to 100).'),
});

export type OptimiseSpec = z.infer<typeof OptimiseSchema>;

/** A spec ready to run. */
export interface ResolvedOptimisation extends SearchPlan<OptimiseSpec> {
  baseLabel: string;
  hash: string;
}

const zodIssues = (error: z.ZodError): FieldIssue[] =>
  error.issues.flatMap((iss): FieldIssue[] =>
    iss.code === 'unrecognized_keys' ? iss.keys.map((k) => ({ path: formatPath([...iss.path, k]), message: 'unknown field' })) : [{ path: formatPath(iss.path), message: iss.message }],
  );

/** Validates a spec and loads its base; `dir` is where a base file is looked up first. */
export function resolveOptimisation(input: unknown, dir = process.cwd()): ResolvedOptimisation {
  const r = OptimiseSchema.safeParse(input);
  if (!r.success) throw new InputError(zodIssues(r.error));
  const spec = r.data;
  const { base, baseLabel } = resolveBase(spec.base, spec.days, dir);

  const { plan, issues } = planSearch(spec, base);
  if (issues.length) throw new InputError(issues);
  const { levers, goals, finalReps, populationSize, baseValues } = plan;
  const { base: _, ...rest } = spec;
  return { spec, base, baseLabel, levers, goals, finalReps, populationSize, baseValues, hash: hashJson({ base, ...rest, finalReps, populationSize }) };
}

/** Reads, parses and resolves an optimisation spec file. */
export function loadOptimisation(path: string): ResolvedOptimisation {
  return resolveOptimisation(readJsonFile(path, 'optimisation spec'), dirname(resolve(path)));
}

export interface OptimiseOptions {
  /** Output directory (created). */
  out: string;
  /** Executor (left open); default a WorkerPool of `workers` threads, closed at the end. */
  executor?: Executor;
  workers?: number;
  /** Finish an interrupted search in `out`. */
  resume?: boolean;
  command?: string;
  /** Called as runs finish and after every generation (`read`: runs of `runs` read back on a resume). */
  onProgress?(p: { runs: number; read: number; total: number; generation: number; front: number; phase: 'search' | 'final' }): void;
}

export type { Strategy };

export interface OptimiseResult {
  out: string;
  front: Strategy[];
  /** The base's own lever values, evaluated like a strategy. */
  base: Strategy & { feasible: boolean };
  runs: number;
  generations: number;
  failures: { candidate: number; rep: number; seed: number; error: string }[];
  /**
   * The main daily series (median and 5th-95th percentile band over its runs) of the base and of
   * up to five strategies spread along the front, for the report; absent when the search is too
   * large to keep them (runs x days above 2 million) or none was run by this process (a resume).
   */
  series?: { name: string; candidate: number; bands: SeriesBand[] }[];
}

const FIXED = ['candidate', 'generation', 'rep', 'seed'];

/** Runs the search; see the module header for the files. */
export async function optimise(opt: ResolvedOptimisation, options: OptimiseOptions): Promise<OptimiseResult> {
  const { spec, levers } = opt;
  const out = options.out;
  const names = levers.map((l) => l.name);
  const metrics = spec.objectives.map((o) => o.metric);
  const header = [...FIXED, ...names, ...SUMMARY_METRIC_NAMES].map(cell).join(',');
  const path = join(out, 'candidates.csv');
  const manifestPath = join(out, 'manifest.json');
  const previous = readManifest(out, options.resume ? 'resume' : 'out');
  if (options.resume) {
    if (!previous) throw new InputError([{ path: 'resume', message: `expected an interrupted search in ${out} (no manifest.json there)` }]);
    if (previous.specHash !== opt.hash) throw new InputError([{ path: 'resume', message: `expected the same spec as the search in ${out} (its hash differs: the spec, the base or the tool changed)` }]);
  } else if (previous || existsSync(path)) {
    throw new InputError([{ path: 'out', message: `expected a new or empty directory, but ${out} holds a previous search (pass \`resume\` to finish it, or choose another \`out\`)` }]);
  }
  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    throw new InputError([{ path: 'out', message: `expected a directory this process can write, got ${JSON.stringify(out)} (${(e as NodeJS.ErrnoException).code ?? e})` }]);
  }

  // Finished runs: read back on a resume (the replayed search asks for them again), kept for the tables.
  const summaries = new Map<string, RunSummary>();
  const keyOf = (line: string) => {
    const c = parseCsvLine(line);
    return `${c[0]}:${c[2]}`;
  };
  if (options.resume && existsSync(path)) {
    let head: string[] | null = null;
    eachLine(path, (buf) => {
      const c = parseCsvLine(buf.toString('utf8'));
      if (!head) return void (head = c);
      const s = {} as RunSummary;
      for (let i = FIXED.length + names.length; i < head.length; i++) s[head[i] as SummaryMetric] = c[i] === '' ? NaN : Number(c[i]);
      summaries.set(`${c[0]}:${c[2]}`, s);
    });
  }
  const csv = (options.resume ? KeyedCsv.recover(path, header, keyOf, () => true) : null) ?? KeyedCsv.create(path, header);
  const startedAt = (previous?.startedAt as string | undefined) ?? new Date().toISOString();
  const resumedAt = [...((previous?.resumedAt as string[] | undefined) ?? []), ...(options.resume ? [new Date().toISOString()] : [])];
  const manifest = (extra: Record<string, unknown>) => ({
    tool: 'community-sim',
    version: VERSION,
    kind: 'optimise',
    command: (previous?.command as string | undefined) ?? options.command ?? null,
    cwd: process.cwd(),
    node: process.version,
    specHash: opt.hash,
    spec,
    base: opt.baseLabel,
    levers,
    goals: opt.goals,
    populationSize: opt.populationSize,
    finalReps: opt.finalReps,
    seeds: Array.from({ length: opt.finalReps }, (_, r) => deriveSeed(spec.seed, r)),
    files: ['candidates.csv', 'front.csv', 'report.html', 'manifest.json'],
    startedAt,
    resumedAt,
    ...extra,
  });
  writeFileAtomic(manifestPath, `${JSON.stringify(manifest({ endedAt: null }), null, 2)}\n`);

  const executor: Executor = options.executor ?? new WorkerPool({ size: options.workers });
  // Every run's main series are kept (8 metrics as Float32: 32 bytes a run-day, 64 MB at the cap)
  // because which candidates end on the front is known only at the end.
  const bands = spec.runs * opt.base.days <= 2_000_000 ? new SeriesBands() : undefined;
  const banded = new Set<string>();
  let search: SearchResult;
  try {
    search = await searchStrategies(opt, {
      summaries,
      run(jobs) {
        // Each batch is its own sweep for a queue, named after its jobs (a resume re-attaches to it).
        executor.bind?.({ hash: hashJson([opt.hash, jobs.map((j) => j.key)]), out });
        if (!bands) return executor.run(jobs);
        const outcomes = executor.run(jobs.map((j) => ({ ...j, series: true })));
        return (async function* () {
          for await (const o of outcomes) {
            // one series per run, also when a queue delivers a run twice
            if (o.ok && o.output.series && !banded.has(o.job.key)) {
              banded.add(o.job.key);
              bands.add(o.job.point, o.output.series);
            }
            yield o;
          }
        })();
      },
      onRun(job, s, generation) {
        const x = names.map((n) => job.params![n] as number);
        csv.append(job.key, `${[job.point, generation, job.rep, job.seed, ...x, ...SUMMARY_METRIC_NAMES.map((m) => s[m])].map((v) => cell(v)).join(',')}\n`);
      },
      onProgress: options.onProgress,
    });
  } catch (e) {
    csv.close(); // a killed search leaves candidates.csv to resume from, and no open descriptor
    throw e;
  } finally {
    if (!options.executor) await executor.close();
  }
  const { front, base: baseStrategy, result, runs: done, failures } = search;

  // Canonical order: candidate, then replication.
  const keys = [...csv.keys()].map((k) => k.split(':').map(Number)).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((k) => k.join(':'));
  csv.finalize(keys);

  writeFileAtomic(join(out, 'front.csv'), frontCsv(names, metrics, front));
  const res: OptimiseResult = { out, front, base: baseStrategy, runs: done, generations: result.generations, failures };
  if (bands) {
    // the base and at most five strategies evenly spread along the front (sorted by the first objective)
    const picks = front.length <= 5 ? front : Array.from({ length: 5 }, (_, i) => front[Math.round((i * (front.length - 1)) / 4)]);
    const groups = [{ name: 'base', candidate: baseStrategy.candidate }, ...picks.map((st) => ({ name: `#${st.candidate}`, candidate: st.candidate }))]
      .map((g) => ({ ...g, bands: bands.bands(g.candidate) }))
      .filter((g) => g.bands.length);
    if (groups.length) res.series = groups;
  }
  writeFileAtomic(join(out, 'report.html'), optimiseReport({ spec: opt, result: res, command: options.command }));
  const summary = {
    endedAt: new Date().toISOString(), runs: done, generations: result.generations, candidates: result.candidates.length, frontSize: front.length, baseStrategy,
    // the strategies on the front that beat the base's own settings (front.csv's dominatesBase and dominatesBaseCI)
    dominatingBase: front.filter((st) => st.dominatesBase).map((st) => st.candidate),
    dominatingBaseCI: front.filter((st) => st.dominatesBaseCI).map((st) => st.candidate),
    failures,
  };
  writeFileAtomic(manifestPath, `${JSON.stringify(manifest(summary), (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
  return res;
}

/** front.csv: one row per strategy. */
export function frontCsv(names: string[], metrics: SummaryMetric[], front: Strategy[]): string {
  const hours = ['managerHoursUsed', ...HOURS_METRICS];
  const header = ['candidate', ...names, ...metrics.flatMap((m) => [m, `${m}_ciLow`, `${m}_ciHigh`]), ...hours, 'reps', 'dominatesBase', 'dominatesBaseCI'];
  const rows = front.map((s) => [s.candidate, ...names.map((n) => s.levers[n]), ...s.objectives.flatMap((o) => [o.mean, o.ciLow, o.ciHigh]), ...hours.map((h) => s.hours[h]), s.reps, s.dominatesBase, s.dominatesBaseCI]);
  return [header, ...rows].map((r) => r.map((v) => cell(v)).join(',')).join('\n') + '\n';
}
