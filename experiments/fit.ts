/**
 * Fitting the model to a community's own history (the fit issue, step 2): ABC-SMC
 * (experiments/abc-smc.ts) over chosen scenario parameters, each proposal a run of the engine
 * through an executor (the worker pool or the queue), compared with the observed series of
 * `community-sim observe` period by period.
 *
 * Alignment: the observed day k is the run's day k + 1 (a run's day 0 is its starting state, its
 * first simulated day is day 1), so a fit of D observed days runs D days. A period is the
 * observed series' own (a day, or a week when its `day` column steps by 7); the run's daily
 * series is added up over the same days (counts), read at the period's last day (members, and
 * weekly contributors from the engine's distinct-over-7-days column), or averaged (shares).
 *
 * Distance: for each fitted column c, the root mean square over periods of (simulated - observed)
 * / scale_c, scale_c being the root mean square of the observed column, so every column counts
 * in relative terms whatever its size; columns combine as a weighted root mean square. A
 * tolerance of 0.3 is thus a typical error of 30% of the column's typical size. An undefined
 * simulated value where the observed one is defined (a share with no questions in the run) is an
 * error of |observed| / scale + 1 (fit-distance.ts missingError: farther than a zero, never a
 * match); undefined observed values are skipped.
 */
import { z } from 'zod';
import { DAILY_METRIC_NAMES, VERSION, type DailyRow, type Scenario } from '../engine/index.js';
import { Stream } from '../engine/rng.js';
import { ScenarioError, block, int, num, oneOf, parseScenario, withPath, type FieldIssue } from '../scenarios/schema.js';
import { abcSmc, marginal, proposalSeed, weightedQuantile, type AbcGeneration, type AbcPrior, type AbcProposal } from './abc-smc.js';
import type { Executor, RunJob, RunOutput } from './executor.js';
import { InputError } from './io/input-error.js';
import { parsePosteriorCsv } from './posterior-draws.js';
import { zodIssues } from './zod-issues.js';
import { quantileSorted } from './stats.js';
import { FIT_COLUMNS, engineColumns, fitDistance, simulatedPeriods, type FitDistanceKind, type FitTarget, type ObservedSeries } from './fit-distance.js';

export { FIT_COLUMNS, fitDistance, fitLowerBound, simulatedPeriods } from './fit-distance.js';
export type { FitDistanceKind, FitTarget, ObservedSeries } from './fit-distance.js';

// ---------------------------------------------------------------------------------------------
// The observed series

/** Reads the series CSV that `observe` writes (date, day, then one column per observable). */
export function parseObservedCsv(text: string, label = 'observed'): ObservedSeries {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2) throw new InputError([{ path: label, message: 'expected a header and at least one row (the CSV `community-sim observe` writes)' }]);
  const header = lines[0].split(',').map((h) => h.trim());
  const dayAt = header.indexOf('day');
  if (dayAt < 0) throw new InputError([{ path: label, message: `expected a "day" column, got ${header.map((h) => JSON.stringify(h)).join(', ')}` }]);
  const names = header.filter((h, i) => i !== dayAt && h !== 'date');
  const columns: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const starts: number[] = [];
  lines.slice(1).forEach((line, r) => {
    const cells = line.split(',');
    if (cells.length !== header.length) throw new InputError([{ path: `${label}:${r + 2}`, message: `expected ${header.length} fields as in the header, got ${cells.length}` }]);
    header.forEach((h, i) => {
      if (h === 'date') return;
      const raw = cells[i].trim();
      const v = raw === '' ? NaN : Number(raw);
      if (raw !== '' && !Number.isFinite(v)) throw new InputError([{ path: `${label}:${r + 2}`, message: `${h}: expected a number or an empty cell, got ${JSON.stringify(raw)}` }]);
      if (i === dayAt) starts.push(v);
      else columns[h].push(v);
    });
  });
  if (columns.posts && columns.replies && !columns.contributions) columns.contributions = columns.posts.map((v, i) => v + columns.replies[i]);
  const period = starts.length > 1 ? starts[1] - starts[0] : 1;
  const steady = starts.every((d, i) => d === i * period);
  if (!(period === 1 || period === 7) || !steady) {
    throw new InputError([{ path: label, message: `expected "day" to run 0, 1, 2, ... (daily) or 0, 7, 14, ... (weekly), got ${starts.slice(0, 4).join(', ')}${starts.length > 4 ? ', ...' : ''}` }]);
  }
  return { period, days: starts.length * period, starts, columns };
}

// ---------------------------------------------------------------------------------------------
// FIT.json

const Prior = block({
  min: z.number({ error: 'expected a number' }),
  max: z.number({ error: 'expected a number' }),
  scale: oneOf(['linear', 'log'] as const).default('linear'),
});

export const FitSpecSchema = block({
  params: z.record(z.string(), Prior).optional().describe('Scenario paths to fit, each with a uniform ("linear") or log-uniform ("log") prior on [min, max]; default DEFAULT_FIT_PARAMS.'),
  columns: z.record(z.string(), num(0, Infinity)).optional().describe('Observed columns to compare, with their weights; default every observed column a run reports, weight 1.'),
  particles: int(10, 1_000_000).default(200).describe('Particles per generation.'),
  generations: int(1, 100).default(6).describe('Generations after the prior\'s.'),
  quantile: num(0.05, 0.95).default(0.5).describe('Quantile of a generation\'s distances that sets the next tolerance.'),
  minTolerance: num(0, Infinity).default(0).describe('Stop once the tolerance is at most this.'),
  maxRuns: int(1, 1e9).optional().describe('Most runs the search may need.'),
  predictive: int(10, 100_000).default(100).describe('Runs at posterior particles (drawn by weight) for the bands of fit.csv.'),
  seed: int(0, 4294967295).default(1).describe('Seed of the search and of every run.'),
  maxDistance: num(0, Infinity).default(5).describe('A run whose relative distance (whatever `distance` is) is sure to exceed this is stopped and rejected, in every generation (the prior\'s included: a community many times the observed size costs the most and informs the least).'),
  kernel: oneOf(['olcm', 'global'] as const).default('olcm').describe('Perturbation kernel: "olcm" (Filippi et al. 2013: per particle, shrinks with the tolerance; more acceptances, fewer effective particles) or "global" (Beaumont et al. 2009: twice the weighted covariance; steadier effective sample size with many parameters and few particles).'),
  days: int(1, 1_000_000).optional().describe('Fit only the first this many observed days (whole periods: 120 days of weeks are 17 weeks).'),
  distance: oneOf(['relative', 'log'] as const).default('relative').describe('How a period\'s values compare: "relative", the difference over the column\'s root mean square (the peak weeks weigh most); "log", the difference of log(1 + value), a ratio (every week weighs alike; a community ten times too small is as far as one ten times too big).'),
});
export type FitSpec = z.infer<typeof FitSpecSchema>;

/**
 * The default parameters: discovery (organic newcomers a day at the reference activity, the share
 * of them that arrive whatever the community's own visible activity, and the audience that
 * arrivals saturate), who contributes (the weight of lurkers in the member mix against the
 * contributors', experts' and trolls' 0.265), activity (a contributor's chance of starting a
 * thread on a visit), reply propensity (a contributor's replies per visit) and churn (the daily
 * leaving hazard). Ranges span what communities show, on log scales where they cover magnitudes:
 * lurkers from 4% of members (a messaging network where most accounts write) to 97% (a forum
 * beyond 90-9-1); a newcomer's leaving hazard up to 1 a day (a launch whose visitors mostly try
 * it once). A community that opens on day 0 with no members grows only from the baseline share
 * at first, so the fit must be free to move it.
 */
export const DEFAULT_FIT_PARAMS: Record<string, z.input<typeof Prior>> = {
  'population.organicPerDay': { min: 0.1, max: 300, scale: 'log' },
  'population.audience': { min: 100, max: 10_000_000, scale: 'log' },
  'behaviour.posting.postRate.contributor': { min: 0.005, max: 0.9, scale: 'log' },
  'behaviour.posting.replyRate.contributor': { min: 0.005, max: 5, scale: 'log' },
  'behaviour.churnBase': { min: 0.001, max: 1, scale: 'log' },
  'population.discovery.baseline': { min: 0, max: 1, scale: 'linear' },
  'population.mix.lurker': { min: 0.01, max: 10, scale: 'log' },
};

export interface ResolvedFit {
  spec: FitSpec;
  /** The observed periods fitted (the first `spec.days` days). */
  observed: ObservedSeries;
  priors: AbcPrior[];
  weights: Record<string, number>;
  /** Root mean square of each fitted observed column. */
  scales: Record<string, number>;
  /** How values compare (FIT.json `distance`). */
  distance: FitDistanceKind;
  /** Root mean square of each fitted observed column: the relative distance's scales, which `maxDistance` is measured by. */
  rms: Record<string, number>;
  /** The base with the run length set to the observed days. */
  base: Scenario;
}

/** Validates a FIT.json against the observed series and the base scenario; every bad field is named. */
export function resolveFit(input: unknown, all: ObservedSeries, base: Scenario, label = 'fit'): ResolvedFit {
  const r = FitSpecSchema.safeParse(input ?? {});
  if (!r.success) throw new InputError(zodIssues(r.error).map((i) => ({ path: i.path ? `${label}: ${i.path}` : label, message: i.message })));
  const spec = r.data;
  const obs = spec.days === undefined ? all : firstDays(all, spec.days);
  if (!obs.starts.length) throw new InputError([{ path: `${label}: days`, message: `expected at least one whole period (${all.period} days), got ${spec.days}` }]);
  const issues: FieldIssue[] = [];
  const params = spec.params ?? Object.fromEntries(Object.entries(DEFAULT_FIT_PARAMS).map(([k, v]) => [k, Prior.parse(v)]));
  const priors: AbcPrior[] = [];
  for (const [path, p] of Object.entries(params)) {
    const at = `${label}: params.${path}`;
    if (!(p.min < p.max)) issues.push({ path: at, message: `expected min < max, got [${p.min}, ${p.max}]` });
    else if (p.scale === 'log' && !(p.min > 0)) issues.push({ path: at, message: `a log prior needs min > 0, got ${p.min}` });
    else {
      // Both ends must be values the scenario accepts at that path.
      for (const v of [p.min, p.max]) {
        try {
          withPath(base, path, v);
        } catch (e) {
          if (!(e instanceof ScenarioError)) throw e;
          issues.push(...e.issues.map((i) => ({ path: at, message: `${i.path === path ? '' : `${i.path}: `}${i.message}` })));
          break;
        }
      }
    }
    priors.push({ name: path, min: p.min, max: p.max, log: p.scale === 'log' });
  }
  if (!priors.length) issues.push({ path: `${label}: params`, message: 'expected at least one parameter to fit' });
  const available = new Set<string>(DAILY_METRIC_NAMES);
  const reported = (c: string) => c in FIT_COLUMNS && engineColumns(c, obs.period).every((e) => available.has(e));
  const weights = spec.columns ?? Object.fromEntries(Object.keys(obs.columns).filter(reported).map((c) => [c, 1]));
  for (const c of Object.keys(weights)) {
    const at = `${label}: columns.${c}`;
    if (!(c in obs.columns)) issues.push({ path: at, message: `not a column of the observed series (${Object.keys(obs.columns).join(', ')})` });
    else if (!reported(c)) issues.push({ path: at, message: `not a column runs report (${Object.keys(FIT_COLUMNS).filter(reported).join(', ')})` });
  }
  if (!Object.keys(weights).length) issues.push({ path: `${label}: columns`, message: `expected an observed column runs report (${Object.keys(FIT_COLUMNS).filter(reported).join(', ')}), got ${Object.keys(obs.columns).join(', ') || 'none'}` });
  if (issues.length) throw new InputError(issues);
  const rms = Object.fromEntries(Object.keys(weights).map((c) => {
    const v = obs.columns[c].filter(Number.isFinite);
    const rms = Math.sqrt(v.reduce((s, x) => s + x * x, 0) / Math.max(1, v.length));
    return [c, rms > 0 ? rms : 1];
  }));
  const scales = spec.distance === 'log' ? Object.fromEntries(Object.keys(rms).map((c) => [c, 1])) : rms;
  return { spec, observed: obs, priors, weights, scales, distance: spec.distance, rms, base: withPath(base, 'days', obs.days) };
}

/** The whole periods within the first `days` observed days. */
export function firstDays(obs: ObservedSeries, days: number): ObservedSeries {
  const n = Math.min(obs.starts.length, Math.floor(days / obs.period));
  return { period: obs.period, days: Math.min(obs.days, n * obs.period), starts: obs.starts.slice(0, n), columns: Object.fromEntries(Object.entries(obs.columns).map(([k, v]) => [k, v.slice(0, n)])) };
}

// ---------------------------------------------------------------------------------------------
// The fit

export interface FitOptions {
  executor: Executor;
  /** Stop a proposal's run once it is sure to miss the tolerance (default true; the same proposals are kept either way). */
  earlyStop?: boolean;
  /** Generations finished by an earlier, interrupted fit with the same inputs (see `generationsJson`). */
  resume?: readonly AbcGeneration[];
  /** A generation is done. */
  onGeneration?(g: AbcGeneration): void;
  /** A batch of runs is done. */
  onBatch?(p: { generation: number; tolerance: number; accepted: number; proposed: number }): void;
  /**
   * A generation is done: the simulated series of its particles (the runs that were accepted,
   * kept per period and column as they ran, so no run is added), summarised per period and
   * column by the particles' weighted median and 50% / 90% bands, with the observed values. They
   * narrow as the tolerance falls. Not called for generations taken from `resume`.
   */
  onGenerationBands?(generation: number, bands: FitBand[]): void;
}

/**
 * The bands of a generation's particles: per period and column, the weighted quantiles of the
 * particles' simulated values (`sims[i]`: particle i's values per column and period, undefined
 * when not known) with the observed value.
 */
export function particleBands(g: Pick<AbcGeneration, 'weights'>, sims: readonly (Record<string, number[]> | undefined)[], obs: Pick<ObservedSeries, 'starts' | 'columns'>, columns: readonly string[]): FitBand[] {
  const bands: FitBand[] = [];
  for (const column of columns) {
    obs.starts.forEach((day, k) => {
      const v: number[] = [];
      const w: number[] = [];
      sims.forEach((s, i) => {
        const x = s?.[column]?.[k];
        if (x !== undefined && Number.isFinite(x)) v.push(x), w.push(g.weights[i]);
      });
      const q = (x: number) => (v.length ? weightedQuantile(v, w, x) : NaN);
      bands.push({ day, column, observed: obs.columns[column]?.[k] ?? NaN, median: q(0.5), lo50: q(0.25), hi50: q(0.75), lo90: q(0.05), hi90: q(0.95) });
    });
  }
  return bands;
}

/** One period and column of the posterior predictive. */
export interface FitBand {
  day: number;
  column: string;
  observed: number;
  median: number;
  lo50: number;
  hi50: number;
  lo90: number;
  hi90: number;
}

export interface FitResult {
  fit: ResolvedFit;
  generations: AbcGeneration[];
  posterior: AbcGeneration;
  /** Each parameter's weighted median. */
  median: Record<string, number>;
  /** The base scenario at the posterior median. */
  fitted: Scenario;
  bands: FitBand[];
  runs: number;
  /** Runs stopped before their last day, sure to miss the tolerance. */
  stoppedEarly: number;
  simulations: number;
  stopped: string;
  ms: number;
}

/** The base scenario with the parameters' values. */
const scenarioAt = (base: Scenario, priors: readonly AbcPrior[], values: readonly number[]) => priors.reduce((s, p, i) => withPath(s, p.name, values[i]), base);

/** Runs jobs through the executor and returns their outputs by key (a failed run: undefined). */
async function runAll(executor: Executor, jobs: RunJob[]): Promise<Map<string, RunOutput>> {
  const out = new Map<string, RunOutput>();
  for await (const o of executor.run(jobs)) if (o.ok) out.set(o.job.key, o.output);
  return out;
}

/** Fits `fit.base` to the observed series; deterministic for the spec's seed on any executor. */
export async function fitObserved(fit: ResolvedFit, options: FitOptions): Promise<FitResult> {
  const t0 = Date.now();
  const { spec, priors, observed: obs } = fit;
  let stoppedEarly = 0;
  const columns = Object.keys(fit.weights);
  // The simulated periods of this generation's finished runs, by their parameters, for its bands.
  const periods = new Map<string, Record<string, number[]>>();
  const keyOf = (params: readonly number[]) => params.join(',');
  const onGeneration = (g: AbcGeneration) => {
    options.onGeneration?.(g);
    if (options.onGenerationBands && periods.size) options.onGenerationBands(g.generation, particleBands(g, g.params.map((q) => periods.get(keyOf(q))), obs, columns));
    periods.clear();
  };
  const simulate = async (batch: AbcProposal[]) => {
    // A run is stopped once it is sure to miss the tolerance: the same proposals are accepted.
    // With the log distance, maxDistance is a second, relative, bound (`size`): the log distance
    // grows slowly with a community's size, so it alone would let a huge one run for weeks.
    const relative = fit.distance === 'relative';
    const stop = (tolerance: number) => {
      const limit = relative ? Math.min(tolerance, spec.maxDistance) : tolerance;
      const size = relative || !Number.isFinite(spec.maxDistance) ? {} : { size: { scales: fit.rms, limit: spec.maxDistance } };
      return (Number.isFinite(limit) || 'size' in size) && options.earlyStop !== false ? { stopAbove: { observed: obs, weights: fit.weights, scales: fit.scales, distance: fit.distance, tolerance: limit, ...size } } : {};
    };
    const jobs = batch.map((p): RunJob => ({ key: `${p.index}:${p.generation}`, point: p.index, rep: p.generation, seed: p.seed, scenario: scenarioAt(fit.base, priors, p.params), series: true, params: Object.fromEntries(priors.map((q, i) => [q.name, p.params[i]])), ...stop(p.tolerance) }));
    const outputs = await runAll(options.executor, jobs);
    return jobs.map((j, i) => {
      const o = outputs.get(j.key);
      if (o?.stoppedAt !== undefined) {
        stoppedEarly++;
        return Infinity;
      }
      const d = o?.series ? fitDistance(o.series, obs, fit.weights, fit.scales, fit.distance) : NaN;
      // maxDistance is measured by the relative distance, whatever the fit's distance.
      const size = relative || !o?.series ? d : fitDistance(o.series, obs, fit.weights, fit.rms);
      if (options.onGenerationBands && o?.series && size <= spec.maxDistance) {
        const series = o.series;
        periods.set(keyOf(batch[i].params), Object.fromEntries(columns.map((c) => [c, simulatedPeriods(series, c, obs)])));
      }
      return size > spec.maxDistance ? Infinity : d;
    });
  };
  const abc = await abcSmc({
    priors, simulate, seed: spec.seed, particles: spec.particles, generations: spec.generations, quantile: spec.quantile,
    minTolerance: spec.minTolerance, maxSimulations: spec.maxRuns, minBatch: options.executor.size * 4, kernel: spec.kernel,
    onGeneration, onBatch: options.onBatch, resume: options.resume,
  });
  const post = abc.posterior;
  const medianValues = priors.map((_, i) => marginal(post, i, [0.5]).quantiles[0]);
  const median = Object.fromEntries(priors.map((p, i) => [p.name, medianValues[i]]));

  const bands = await predictiveBands(options.executor, { base: fit.base, priors, posterior: post, frame: obs, columns: Object.keys(fit.weights), draws: spec.predictive, seed: spec.seed, stream: 'fit/predictive' });
  for (const b of bands) b.observed = obs.columns[b.column][obs.starts.indexOf(b.day)];
  return {
    fit, generations: abc.generations, posterior: post, median, fitted: scenarioAt(fit.base, priors, medianValues), bands,
    runs: abc.runs + spec.predictive, stoppedEarly, simulations: abc.simulations, stopped: abc.stopped, ms: Date.now() - t0,
  };
}

/** What a posterior predictive needs: the scenario, the fitted parameters, the particles, the periods. */
export interface PredictiveInput {
  base: Scenario;
  priors: readonly AbcPrior[];
  posterior: Pick<AbcGeneration, 'params' | 'weights'>;
  /** The periods to report; runs last `frame.days` days. */
  frame: Pick<ObservedSeries, 'period' | 'days' | 'starts'>;
  columns: readonly string[];
  draws: number;
  seed: number;
  /** Names the random stream (the fit's bands and a forecast draw differently). */
  stream: string;
  /** Report only the periods starting on or after this day (a forecast's). */
  from?: number;
}

/**
 * The posterior predictive: `draws` runs at particles drawn by weight, each with a fresh seed,
 * summarised per period and column by the median and the 50% and 90% bands (`observed` NaN).
 */
export async function predictiveBands(executor: Executor, p: PredictiveInput): Promise<FitBand[]> {
  const rng = Stream.derive(p.seed, p.stream);
  const cum: number[] = [];
  p.posterior.weights.reduce((s, w, i) => (cum[i] = s + w), 0);
  const base = withPath(p.base, 'days', p.frame.days);
  const streamSeed = proposalSeed(p.seed, [...p.stream].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261));
  const jobs: RunJob[] = [];
  for (let k = 0; k < p.draws; k++) {
    const u = rng.next() * cum[cum.length - 1];
    const i = Math.min(cum.findIndex((c) => c >= u), cum.length - 1);
    // Keys are POINT:REP, as the queue's payloads require.
    jobs.push({ key: `${i}:${k}`, point: i, rep: k, seed: proposalSeed(streamSeed, k), scenario: scenarioAt(base, p.priors, p.posterior.params[i]), series: true });
  }
  const outputs = await runAll(executor, jobs);
  const runs = jobs.map((j) => outputs.get(j.key)?.series).filter((s): s is DailyRow[] => s !== undefined);
  const bands: FitBand[] = [];
  for (const column of p.columns) {
    const sims = runs.map((s) => simulatedPeriods(s, column, p.frame));
    p.frame.starts.forEach((day, k) => {
      if (day < (p.from ?? 0)) return;
      const v = sims.map((s) => s[k]).filter(Number.isFinite).sort((a, b) => a - b);
      const q = (x: number) => quantileSorted(v, x);
      bands.push({ day, column, observed: NaN, median: q(0.5), lo50: q(0.25), hi50: q(0.75), lo90: q(0.05), hi90: q(0.95) });
    });
  }
  return bands;
}

// ---------------------------------------------------------------------------------------------
// Files

const csvNumber = (v: number) => (Number.isFinite(v) ? String(v) : '');

/** posterior.csv: one particle a row, its weight, distance and parameter values. */
export function posteriorCsv(r: FitResult): string {
  const header = ['particle', 'weight', 'distance', ...r.fit.priors.map((p) => p.name)];
  const rows = r.posterior.params.map((p, i) => [String(i), csvNumber(r.posterior.weights[i]), csvNumber(r.posterior.distances[i]), ...p.map(csvNumber)].join(','));
  return [header.join(','), ...rows].join('\n') + '\n';
}

/** fit.csv: tidy observed vs simulated median and bands, per period and column. */
export function fitCsv(r: FitResult): string {
  const header = ['day', 'column', 'observed', 'median', 'lo50', 'hi50', 'lo90', 'hi90'] as const;
  return [header.join(','), ...r.bands.map((b) => header.map((h) => (h === 'column' ? b.column : csvNumber(b[h] as number))).join(','))].join('\n') + '\n';
}

/** Reads fit.csv (as `fitCsv` writes it) back into bands; empty cells are NaN. */
export function parseFitCsv(text: string, label = 'fit.csv'): FitBand[] {
  const [head, ...lines] = text.trim().split(/\r?\n/);
  const want = 'day,column,observed,median,lo50,hi50,lo90,hi90';
  if (head !== want) throw new InputError([{ path: label, message: `expected the header ${want}, got ${JSON.stringify(head)}` }]);
  return lines.map((l) => {
    const c = l.split(',');
    const n = (i: number) => (c[i] === '' ? NaN : Number(c[i]));
    return { day: n(0), column: c[1], observed: n(2), median: n(3), lo50: n(4), hi50: n(5), lo90: n(6), hi90: n(7) };
  });
}

/** manifest.json: what was fitted and how the search went. */
export function fitManifest(r: FitResult, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: VERSION,
    ...extra,
    seed: r.fit.spec.seed,
    spec: r.fit.spec,
    observedPeriods: { period: r.fit.observed.period, days: r.fit.observed.days },
    priors: r.fit.priors,
    columns: r.fit.weights,
    scales: r.fit.scales,
    generations: r.generations.map((g) => ({ generation: g.generation, tolerance: Number.isFinite(g.tolerance) ? g.tolerance : null, simulations: g.simulations, acceptance: g.acceptance, ess: g.ess })),
    stopped: r.stopped,
    simulations: r.simulations,
    runs: r.runs,
    stoppedEarly: r.stoppedEarly,
    median: r.median,
    seconds: r.ms / 1000,
    files: ['posterior.csv', 'fitted.json', 'fit.csv', 'report.html', 'generations.json', 'manifest.json'],
  };
}

// ---------------------------------------------------------------------------------------------
// Forecast

/** The forecast's rows: fit.csv's columns without `observed`. */
export function forecastCsv(bands: readonly FitBand[]): string {
  const header = ['day', 'column', 'median', 'lo50', 'hi50', 'lo90', 'hi90'] as const;
  return [header.join(','), ...bands.map((b) => header.map((h) => (h === 'column' ? b.column : csvNumber(b[h] as number))).join(','))].join('\n') + '\n';
}

/** A fit's folder as `forecast` needs it: fitted.json, posterior.csv and manifest.json, read and checked. */
export function readFitDir(files: { fitted: string; posterior: string; manifest: string }, dir: string): Omit<PredictiveInput, 'frame' | 'draws' | 'stream' | 'from'> & { period: number; days: number } {
  const bad = (message: string) => new InputError([{ path: dir, message }]);
  let manifest: { priors?: AbcPrior[]; columns?: Record<string, number>; seed?: number; observedPeriods?: { period: number; days: number } };
  let fitted: unknown;
  try {
    manifest = JSON.parse(files.manifest);
    fitted = JSON.parse(files.fitted);
  } catch {
    throw bad('expected the folder of a finished fit (manifest.json and fitted.json did not parse)');
  }
  if (!manifest.priors || !manifest.columns || manifest.seed === undefined || !manifest.observedPeriods) throw bad('expected the folder of a finished fit (manifest.json lacks priors, columns, seed or observedPeriods)');
  let base: Scenario;
  try {
    base = parseScenario(fitted);
  } catch (e) {
    if (e instanceof ScenarioError) throw new InputError(e.issues.map((i) => ({ path: `${dir}/fitted.json: ${i.path}`, message: i.message })));
    throw e;
  }
  const post = parsePosteriorCsv(files.posterior, `${dir}/posterior.csv`);
  const names = manifest.priors.map((p) => p.name);
  if (post.names.join(',') !== names.join(',')) throw bad(`posterior.csv's parameters (${post.names.join(', ')}) are not the manifest's (${names.join(', ')})`);
  return {
    base, priors: manifest.priors, columns: Object.keys(manifest.columns), seed: manifest.seed,
    posterior: { weights: post.weights, params: post.params },
    period: manifest.observedPeriods.period, days: manifest.observedPeriods.days,
  };
}

/** The posterior predictive `extraDays` past a fit's data, in its periods (days continue the observed ones). */
export function forecastBands(executor: Executor, fit: ReturnType<typeof readFitDir>, extraDays: number, draws: number): Promise<FitBand[]> {
  const days = fit.days + extraDays;
  const starts: number[] = [];
  for (let d = 0; d < days; d += fit.period) starts.push(d);
  return predictiveBands(executor, { ...fit, frame: { period: fit.period, days, starts }, draws, stream: 'fit/forecast', from: fit.days });
}
