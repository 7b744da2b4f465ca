/**
 * The experiment file: a base scenario, factors to vary, replications, seed, metrics and the
 * options of a sensitivity analysis. Defined once in zod like the scenario (STYLE.md example 6):
 * defaults, documentation, types and the JSON Schema (`community-sim experiment-schema`) come
 * from here.
 *
 * Validation happens in two steps: the file's shape (this schema), then `resolveExperiment`,
 * which loads the base scenario and checks every factor against it with `withPath`, so an
 * unknown path or a value out of the field's range is reported as
 * `factors.policies.moderation.strictnes: unknown field (known: ...)` before anything runs.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { SUMMARY_METRIC_NAMES, type SummaryMetric } from '../engine/index.js';
import { ScenarioError, block, bool, formatPath, int, num, oneOf, parseScenario, show, withPath, type FieldIssue, type Scenario } from '../scenarios/schema.js';
import { InputError } from './io/input-error.js';
import { zodIssues } from './zod-issues.js';
import { readJsonFile } from './io/json-file.js';
import { loadScenario, resolveExtends } from './io/scenario-source.js';
import { gridValues, isRange, type Factor } from './design.js';
import { REPORTER_NAME, ReporterSchema, StopSchema, reporterColumns, type Probes } from './reporters.js';

/** The metrics compare reports and summaries cover when none are named. */
/** The summary metrics of the manager's hours by activity (mean hours a day; they add up to managerHoursUsed). */
// Defined with the metrics (the browser's compare report reads it without this file's Node imports).
export { HOURS_METRICS } from '../engine/index.js';

export const DEFAULT_METRICS: SummaryMetric[] = ['finalMembers', 'growthRate', 'meanToxicShare', 'retentionD30', 'retentionD90', 'answeredShare', 'medianResponseHours'];

const metricName = () => oneOf(SUMMARY_METRIC_NAMES as [SummaryMetric, ...SummaryMetric[]]);

const anyNumber = () => z.number({ error: (iss) => `expected a number, got ${show(iss.input)}` });

const Range = block({
  min: anyNumber().describe('Lower end of the range.'),
  max: anyNumber().describe('Upper end of the range.'),
  n: int(1, 1_000_000).describe('Values taken from the range: grid points, or samples (random and lhs factors share one n and are drawn jointly).'),
  sample: oneOf(['grid', 'random', 'lhs'] as const).default('grid').describe('grid: evenly spaced from min to max; random: uniform draws; lhs: a Latin hypercube.'),
  integer: bool().default(false).describe('Round values to integers (for integer fields such as population.initialMembers).'),
})
  .refine((r) => r.max > r.min, { error: (iss) => `expected max > min (an empty range), got min ${show((iss.input as { min: unknown }).min)} and max ${show((iss.input as { max: unknown }).max)}`, path: ['max'] })
  // a width that overflows (min -1e308, max 1e308) makes every inner point Infinity or NaN
  .refine((r) => Number.isFinite(r.max - r.min), { error: (iss) => `expected a range whose width max - min is a finite number, got min ${show((iss.input as { min: unknown }).min)} and max ${show((iss.input as { max: unknown }).max)}`, path: ['max'] });

const FactorSchema = z.union(
  [z.array(z.unknown(), { error: () => 'expected a list of values' }).min(1, { error: 'expected a list of at least one value' }), Range],
  { error: (iss) => `expected a list of values or a range { min, max, n, sample }, got ${show(iss.input)}` },
);

const Sensitivity = block({
  method: oneOf(['morris', 'sobol'] as const).default('morris').describe('morris: elementary effects (cheap screening, (k + 1) x trajectories points); sobol: first-order and total indices (N (k + 2) points).'),
  metric: metricName().default('finalMembers').describe('The summary metric analysed.'),
  trajectories: int(2, 100_000).default(10).describe('Morris trajectories.'),
  levels: int(2, 100).refine((v) => v % 2 === 0, { error: (iss) => `expected an even number of levels, got ${show(iss.input)}` }).default(4).describe('Morris grid levels (even).'),
  samples: int(2, 10_000_000).default(64).describe('Sobol base samples N.'),
  resamples: int(10, 100_000).default(1000).describe('Bootstrap resamples for the confidence intervals.'),
  level: num(0.5, 0.999).default(0.95).describe('Confidence level of the intervals.'),
});

/** The base scenario of an experiment or an optimisation, as its file gives it (`resolveBase` reads it). */
export const BaseRefSchema = z.union([z.string().min(1), z.record(z.string(), z.unknown())], { error: (iss) => `expected a preset name, a scenario file path or an inline scenario object, got ${show(iss.input)}` });

export const ExperimentSchema = block({
  $schema: z.string().optional().describe('The JSON Schema of this file, for editors.'),
  name: z.string().optional().describe('Short name of the experiment.'),
  description: z.string().optional(),
  base: BaseRefSchema.describe('The base scenario: a preset name, a scenario file path (relative to the experiment file) or an inline scenario (which may say "extends": PRESET or FILE and state only what differs).'),
  days: int(1, 36500).optional().describe('Days of every run (overrides the base scenario\'s days).'),
  reps: int(1, 1_000_000).default(1).describe('Replications of every design point; replication r runs with seed deriveSeed(seed, r) at every point (common random numbers).'),
  seed: int(0, 2 ** 32 - 1).default(1).describe('Base seed of the replications (and of random and Latin hypercube designs).'),
  factors: z.record(z.string(), FactorSchema, { error: (iss) => `expected an object of "scenario.path": values or range, got ${show(iss.input)}` }).default({}).describe('Scenario paths to vary, each a list of values or a range sampled on a grid, at random or by Latin hypercube.'),
  metrics: z.array(metricName(), { error: (iss) => `expected a list of summary metric names, got ${show(iss.input)}` }).min(1, { error: 'expected at least one metric' }).default(DEFAULT_METRICS).describe('Summary metrics of summary.csv (runs.csv has every summary metric).'),
  series: z
    .union([z.boolean(), z.enum(['wide', 'long'])], { error: (iss) => `expected true, false, "wide" or "long", got ${show(iss.input)}` })
    .default(false)
    .describe('Also write the daily series of every run to series.csv: true or "wide" (one row per run and day: point, rep, seed, day, the varied parameters, the posterior particle with a fit\'s posterior, every daily metric), "long" (point, rep, seed, day, metric, value), false (none).'),
  sensitivity: Sensitivity.prefault({}).describe('Options of `community-sim sensitivity` (every factor must then be a range).'),
  // optional without defaults: an experiment file without them keeps the hash it had before they existed
  reporters: z
    .record(z.string(), ReporterSchema, { error: (iss) => `expected an object of "name": { metric, at | mean, by }, got ${show(iss.input)}` })
    .optional()
    .describe('Extra columns of runs.csv and rows of summary.csv: a daily metric on a day ("at") or its mean over a window ("mean": [FROM, TO]), by stage or archetype ("by").'),
  stop: StopSchema.optional().describe('Ends a run early when a daily metric stays below a threshold for some days in a row (runs.csv then has stopped and stopDay).'),
});

/** A validated experiment file with every default filled in. */
export type Experiment = z.infer<typeof ExperimentSchema>;
export type ExperimentInput = z.input<typeof ExperimentSchema>;

/** An experiment ready to run: the file plus its loaded, checked base scenario. */
export interface ResolvedExperiment {
  spec: Experiment;
  /** The base scenario (with `days` applied and a graph file made absolute). */
  base: Scenario;
  /** How the base was named (preset, file or "inline"). */
  baseLabel: string;
  /** sha256 of the base scenario and the rest of the experiment: a resumed sweep must match it. */
  hash: string;
}

/** The JSON Schema of experiment files, for editors. */
export function experimentJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ExperimentSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

/** sha256 (hex) of a value's JSON text. */
export function hashJson(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

export { zodIssues } from './zod-issues.js';

const isUnknownPath = (i: FieldIssue, path: string) => i.path !== path || /^(unknown field|not an object field|expected a dotted)/.test(i.message);

/** Factor paths that name no scenario field, checked on the defaults (so a file with other errors reports them too). */
function unknownFactorPaths(input: unknown): FieldIssue[] {
  const factors = (input as { factors?: unknown } | null)?.factors;
  if (!factors || typeof factors !== 'object') return [];
  const defaults = parseScenario({});
  return Object.keys(factors).flatMap((path) => {
    try {
      withPath(defaults, path, undefined);
      return [];
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      return e.issues.filter((i) => isUnknownPath(i, path)).map((i) => ({ path: `factors.${i.path}`, message: i.message }));
    }
  });
}

/**
 * Values that stand for a random or Latin hypercube range's draws: its ends, its midpoint and a
 * point at an irrational fraction of the way. The midpoint of 50..150 is a whole number but a draw almost never is,
 * so an integer field without `"integer": true` is caught here instead of failing mid-sweep.
 */
function sampledProbes(r: Extract<Factor, { min: number }>): number[] {
  const at = (t: number) => (r.integer ? Math.round(r.min + (r.max - r.min) * t) : r.min + (r.max - r.min) * t);
  // An irrational fraction: at 1/3, 10..100 gave 40 (whole, like the midpoint) and the range passed.
  return [r.min, r.max, at(1 / 2), at((Math.sqrt(5) - 1) / 2)];
}

/**
 * The values of a grid that stand for all of them: every value of a small grid; of a large one the
 * first steps (a fractional step on an integer field shows there), the middle and the end. A grid
 * of 1,000,000 values took minutes to validate, one whole-scenario check per value.
 */
function gridProbes(r: Extract<Factor, { min: number }>): number[] {
  const values = gridValues(r);
  return values.length <= 64 ? values : [...values.slice(0, 32), values[values.length >> 1], values[values.length - 1]];
}

/**
 * Validates an experiment and loads its base. `dir` is where a base file path is looked up first
 * (the experiment file's directory). Throws an InputError naming every bad field.
 */
export function resolveExperiment(input: unknown, dir = process.cwd()): ResolvedExperiment {
  const r = ExperimentSchema.safeParse(input);
  if (!r.success) throw new InputError([...zodIssues(r.error), ...unknownFactorPaths(input)]);
  const spec = r.data;
  const issues: FieldIssue[] = [];
  // A factor named "__proto__" is an own key of the parsed file that the record drops: it vanished
  // from the design without a word (the sweep ran with no factor). Name every key that was lost.
  const rawFactors = (input as { factors?: object }).factors ?? {};
  for (const k of Object.keys(rawFactors)) {
    if (!Object.hasOwn(spec.factors, k)) issues.push({ path: `factors.${k}`, message: 'expected a dotted field path such as policies.moderation.strictness' });
  }

  // Sampled ranges are drawn jointly, so they must agree on n.
  const sampled = Object.entries(spec.factors).filter(([, f]) => isRange(f) && f.sample !== 'grid') as [string, { n: number }][];
  for (const [path, f] of sampled.slice(1)) {
    if (f.n !== sampled[0][1].n) issues.push({ path: `factors.${path}.n`, message: `expected the same n as the other random/lhs factor ${sampled[0][0]} (${sampled[0][1].n}), got ${f.n}` });
  }

  const { base, baseLabel } = resolveBase(spec.base, spec.days, dir);
  issues.push(...reporterIssues(spec, base.days));

  for (const [path, f] of Object.entries(spec.factors)) {
    if (path === 'seed') {
      issues.push({ path: 'factors.seed', message: 'expected a scenario field other than seed (replication seeds come from the experiment\'s seed)' });
      continue;
    }
    // Probe the values a sweep will use (grid points, or min, max and inner points of a sampled range).
    const probes: [string, unknown][] = !isRange(f)
      ? (f as readonly unknown[]).map((v, i): [string, unknown] => [`[${i}]`, v])
      : f.sample === 'grid'
        ? gridProbes(f).map((v): [string, unknown] => ['', v])
        : sampledProbes(f).map((v): [string, unknown] => ['', v]);
    for (const [where, value] of probes) {
      try {
        withPath(base, path, value);
      } catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        for (const i of e.issues) {
          // An unknown path is named as far as it is known; a bad value by the factor and its index.
          const unknownPath = isUnknownPath(i, path);
          const hint = isRange(f) && !f.integer && /integer/.test(i.message) ? ' (set "integer": true on the range)' : '';
          issues.push({ path: unknownPath ? `factors.${i.path}` : `factors.${path}${where}`, message: `${i.message}${hint}` });
        }
        break;
      }
    }
  }
  if (issues.length) throw new InputError(issues);
  const { base: _, ...rest } = spec;
  return { spec, base, baseLabel, hash: hashJson({ base, ...rest }) };
}

/** Columns every runs.csv has before the factor paths and metrics. */
const FIXED_COLUMNS = ['point', 'rep', 'seed', 'particle', 'stopped', 'stopDay'];

/**
 * What the schema cannot check of the reporters: names usable as columns and distinct from every
 * other column, and days within the runs (`days` is the base's, unless a factor varies it).
 */
function reporterIssues(spec: Experiment, days: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const taken = new Set<string>([...FIXED_COLUMNS, ...SUMMARY_METRIC_NAMES, ...Object.keys(spec.factors)]);
  const daysVary = 'days' in spec.factors;
  for (const [name, r] of Object.entries(spec.reporters ?? {})) {
    if (!REPORTER_NAME.test(name)) {
      issues.push({ path: `reporters.${name}`, message: 'expected a name of letters, digits and underscores starting with a letter (it names a column of runs.csv)' });
      continue;
    }
    for (const col of reporterColumns({ ...r, name })) {
      if (taken.has(col)) issues.push({ path: `reporters.${name}`, message: `expected a name of its own, but the column "${col}" is already a column of runs.csv (a summary metric, a factor, or another reporter's)` });
      taken.add(col);
    }
    if (daysVary) continue;
    if (typeof r.at === 'number' && r.at > days) issues.push({ path: `reporters.${name}.at`, message: `expected a day in [0, ${days}] (the runs' days), got ${r.at}` });
    if (r.mean && r.mean[1] > days) issues.push({ path: `reporters.${name}.mean`, message: `expected a window within days [0, ${days}] (the runs' days), got [${r.mean[0]}, ${r.mean[1]}]` });
  }
  if (spec.stop && !daysVary && spec.stop.for > days) issues.push({ path: 'stop.for', message: `expected at most ${days} days (the runs' days), got ${spec.stop.for}` });
  return issues;
}

/** The reporters and stop condition of an experiment, null when it has none. */
export function experimentProbes(spec: Experiment): Probes | null {
  const reporters = Object.entries(spec.reporters ?? {}).map(([name, r]) => ({ ...r, name }));
  return reporters.length || spec.stop ? { reporters, ...(spec.stop ? { stop: spec.stop } : {}) } : null;
}

/**
 * The base scenario of an experiment or an optimisation: a preset name or a scenario file
 * (looked up in `dir` first), or an inline scenario (which may "extends" one), with `days`
 * applied and a graph file made absolute. Errors are named under `base`.
 */
export function resolveBase(ref: string | Record<string, unknown>, days: number | undefined, dir: string): { base: Scenario; baseLabel: string } {
  try {
    let base: Scenario;
    if (typeof ref === 'string') {
      const local = resolve(dir, ref);
      const resolved = loadScenario({ ref: existsSync(local) ? local : ref });
      base = absoluteGraphFile(resolved.scenario, resolved.source.dir);
    } else {
      base = absoluteGraphFile(parseScenario(resolveExtends(ref, dir, '')), dir);
    }
    if (days !== undefined) base = withPath(base, 'days', days);
    return { base, baseLabel: typeof ref === 'string' ? ref : 'inline' };
  } catch (e) {
    if (!(e instanceof InputError || e instanceof ScenarioError)) throw e;
    throw new InputError(e.issues.map((i) => ({ path: i.path ? `base: ${i.path}` : 'base', message: i.message })));
  }
}

/**
 * The scenario with a relative `population.graph.file` made absolute (relative to `dir`, the
 * scenario file's directory, else the working directory): jobs run in other threads or
 * machines, which must not depend on where the scenario file was.
 */
export function absoluteGraphFile(scenario: Scenario, dir: string): Scenario {
  const g = scenario.population.graph;
  if (!('file' in g) || isAbsolute(g.file)) return scenario;
  const near = resolve(dir, g.file);
  return withPath(scenario, 'population.graph.file', existsSync(near) ? near : resolve(g.file));
}

/** Reads, parses and resolves an experiment file. */
export function loadExperiment(path: string): ResolvedExperiment {
  return resolveExperiment(readJsonFile(path, 'experiment'), dirname(resolve(path)));
}

/** The factors of a sensitivity analysis: every one must be a numeric range. */
export function sensitivityRanges(spec: Experiment): { names: string[]; ranges: Extract<Factor, { min: number }>[] } {
  const names = Object.keys(spec.factors);
  const issues: FieldIssue[] = [];
  if (names.length === 0) issues.push({ path: 'factors', message: 'expected at least one factor for a sensitivity analysis' });
  for (const n of names) if (!isRange(spec.factors[n])) issues.push({ path: `factors.${n}`, message: 'expected a range { min, max } for a sensitivity analysis, got a list' });
  if (issues.length) throw new InputError(issues);
  return { names, ranges: names.map((n) => spec.factors[n] as Extract<Factor, { min: number }>) };
}
