/**
 * Runs a design: every (point, replication) job through an executor, streaming the results into
 * the output directory as they finish, then the final tables. compare, sweep and sensitivity
 * are each a design (arms, factor combinations, Morris or Saltelli points) plus their analysis.
 *
 * Files in the output directory (all tidy CSV for pandas or R):
 * - runs.csv: `point, rep, seed, <one column per varied parameter>, [particle,] <every summary
 *   metric>`, one row per finished run, appended as runs finish and sorted by (point, rep) at the
 *   end; `particle` (with a fit's posterior) is the row of posterior.csv the run's parameters came from.
 *   With the plan's probes (experiments/reporters.ts), each reporter column follows, then
 *   `stopped, stopDay` with a stop condition; a stopped run's series ends on its stop day.
 * - series.csv (when asked): the daily series. Wide (the default for a new run): `point, rep, seed,
 *   day, <one column per varied parameter>, [particle,] <every daily metric>`, one row per run and day, like
 *   BehaviorSpace's table output or Mesa's batch_run frame. Long (`series: 'long'`, the only form
 *   before the wide one): `point, rep, seed, day, metric, value`. The form is recorded in
 *   manifest.json (`seriesForm`), and a resume keeps the form it finds there.
 * - summary.csv: `point, <parameters>, metric, n, mean, sd, ciLow, ciHigh` (95% t interval over
 *   the replications that had a value, clipped to the metric's range), from the sorted runs.csv;
 *   the plan's metrics, then each probe column.
 * - manifest.json: tool version, command line, experiment hash, scenario hashes, seeds, counts,
 *   the definition of every metric (engine/metrics.ts), failed runs, start and end times.
 *
 * Resuming: runs.csv is the record of what finished. A resumed run keeps the rows it can check
 * (the right number of cells, a key of the design, the seed derived for that replication, and,
 * with series.csv, a whole series block of its form ending on the run's last day); anything else (a torn
 * or garbage line, a series cut short or deleted) is dropped and its run done again. Only the
 * missing keys run, and the final sort makes every file identical to an uninterrupted run's;
 * only manifest.json's times differ (`startedAt` stays the first start's, `resumedAt` lists the
 * resumes). manifest.json is written before any other file, so a directory holding anything of a
 * run also holds its manifest; a `.lock` file keeps a second process out while one works there.
 */
import { accessSync, closeSync, constants, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DAILY_METRIC_NAMES, SUMMARY_METRICS, SUMMARY_METRIC_NAMES, VERSION, clipInterval, deriveSeed, summaryMetric, type DailyRow, type MetricDef, type RunLimits, type RunSummary, type Scenario, type SummaryMetric } from '../engine/index.js';
import { fsyncDir, tempName, writeFileAtomic } from './io/atomic-write.js';
import { lockDir } from './io/dir-lock.js';
import { DiskFullError, isDiskFull } from './io/disk-full.js';
import { cell, type CsvCell } from './io/csv.js';
import { InputError } from './io/input-error.js';
import type { Executor, RunJob, RunOutcome } from './executor.js';
import { WorkerPool } from './pool.js';
import { KeyedCsv, eachLine, parseCsvLine } from './keyed-csv.js';
import { probeColumns, type Probes } from './reporters.js';
import { meanInterval } from './stats.js';
import { hashJson } from './schema.js';
import { atParticle, checkPosterior, particleOfSeed, type PosteriorDraws } from './posterior-draws.js';

/** What to run: `points` design points x `reps` replications. */
export interface DesignPlan {
  kind: 'sweep' | 'compare' | 'sensitivity';
  /** Experiment hash: a resume must find the same one in manifest.json. */
  hash: string;
  baseSeed: number;
  reps: number;
  points: number;
  /** Names of the parameter columns and each point's values. */
  paramNames: string[];
  paramsOf(point: number): unknown[];
  /** The validated scenario of a point. */
  scenarioOf(point: number): Scenario;
  /**
   * Write the daily series (series.csv): `true` in the default form (wide) of a new run, or the
   * form named. A resume keeps the form recorded in the manifest.
   */
  series: boolean | SeriesForm;
  /** Ask the executor for the daily series without writing series.csv (the runs yielded carry them: a report's bands). */
  keepSeries?: boolean;
  /** Metrics of summary.csv. */
  metrics: SummaryMetric[];
  /** Extra manifest fields (the experiment, arms, base label...). */
  manifest: Record<string, unknown>;
  /** Called with every row of the final runs.csv, in (point, rep) order: the analyses read it here. */
  collect?: (row: RunsRow) => void;
  /** Reporters and a stop condition (experiments/reporters.ts): more columns in runs.csv and rows in summary.csv. */
  probes?: Probes | null;
}

export interface RunnerOptions {
  /** Output directory (created); default: a temporary directory removed at the end. */
  out?: string;
  /** Executor to use (left open); default: a WorkerPool of `workers` threads, closed at the end. */
  executor?: Executor;
  workers?: number;
  /** What each run of the default WorkerPool may hold (engine/cost.ts). */
  runLimits?: RunLimits;
  /** Finish an interrupted run in `out`. */
  resume?: boolean;
  /** The command line, for the manifest. */
  command?: string;
  /**
   * Write series.csv in this form (and write it even when the plan does not ask for it). A resume
   * must name the form of the interrupted run or nothing.
   */
  series?: SeriesForm;
  /**
   * A fit's posterior (`--posterior DIR`): replication r of every point runs at the particle
   * drawn for its seed (posterior-draws.ts), recorded in runs.csv's `particle` column.
   */
  posterior?: PosteriorDraws;
}

/** The two layouts of series.csv (module header). */
export type SeriesForm = 'wide' | 'long';
export const SERIES_FORMS: readonly SeriesForm[] = ['wide', 'long'];

/** One finished run. */
export interface RunRecord {
  key: string;
  point: number;
  rep: number;
  seed: number;
  params: Record<string, unknown>;
  summary: RunSummary;
  series?: DailyRow[];
}

/** A run that failed twice. */
export interface RunFailure {
  key: string;
  point: number;
  rep: number;
  seed: number;
  params: Record<string, unknown>;
  error: string;
}

/** One row of summary.csv. */
export interface SummaryRow {
  point: number;
  params: Record<string, unknown>;
  /** A summary metric, or a column of the reporters (and `stopped`, `stopDay`). */
  metric: SummaryMetric | (string & {});
  n: number;
  mean: number;
  sd: number;
  ciLow: number;
  ciHigh: number;
}

export interface DesignResult {
  /** The output directory (undefined when it was temporary and is gone). */
  out?: string;
  /** Runs in runs.csv (finished now or before a resume). */
  completed: number;
  failures: RunFailure[];
  /** Per point and metric; left empty beyond 100,000 rows (read summary.csv instead). */
  summary: SummaryRow[];
}

/**
 * Results as they come plus the final tables: iterate it for the runs as they finish, then
 * await `result`. Awaiting `result` alone runs everything without looking at the runs.
 */
export class Batch<R, T> implements AsyncIterable<R> {
  private started = false;
  private resolve!: (v: T) => void;
  private reject!: (e: unknown) => void;
  /** The final tables, once every run has finished. */
  readonly result: Promise<T>;

  constructor(
    /** Runs in the whole batch, and runs already finished (a resume). */
    readonly total: number,
    readonly skipped: number,
    private readonly body: () => AsyncGenerator<R, T>,
  ) {
    const result = new Promise<T>((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    // Awaiting `result` without iterating drives the batch, but only once it is awaited (so a
    // script can take `.result` first and iterate after): a lazy promise-like.
    const start = () => {
      if (!this.started) void this.drain().catch(() => {});
      return result;
    };
    this.result = {
      then: (ok, fail) => start().then(ok, fail),
      catch: (fail) => start().catch(fail),
      finally: (f) => start().finally(f),
      [Symbol.toStringTag]: 'Promise',
    } as Promise<T>;
    void result.catch(() => {});
  }

  private async drain(): Promise<void> {
    for await (const _ of this) { /* consume */ }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<R> {
    if (this.started) throw new Error('experiments: a batch can be iterated once');
    this.started = true;
    try {
      const gen = this.body();
      for (;;) {
        const r = await gen.next();
        if (r.done) {
          this.resolve(r.value);
          return;
        }
        yield r.value;
      }
    } catch (e) {
      this.reject(e);
      throw e;
    }
  }
}

const RUN_FIXED = ['point', 'rep', 'seed'];
const LONG_HEADER = 'point,rep,seed,day,metric,value';
/** The daily metrics of a series row, `day` aside (it is a key column in both forms). */
const SERIES_METRICS = DAILY_METRIC_NAMES.filter((m) => m !== 'day');
// with a posterior, runs.csv's particle column too: a row of the wide form says which particle it ran at
const wideHeader = (paramNames: string[], particle: boolean) => ['point', 'rep', 'seed', 'day', ...paramNames, ...(particle ? ['particle'] : []), ...SERIES_METRICS].map(cell).join(',');
const runKey = (point: number, rep: number) => `${point}:${rep}`;
const keyOfLine = (line: string) => {
  const a = line.indexOf(',');
  const b = line.indexOf(',', a + 1);
  return `${line.slice(0, a)}:${line.slice(a + 1, b)}`;
};

/**
 * How a factor value `null` (a lever's "never": every nullable scenario field means "never") is
 * written: `never`, a word neither pandas (whose default missing values include `null`, `NULL`
 * and `None`) nor R (`NA`, and readr's empty cell) reads as missing. Sweeps written before it
 * used `null`; a resume keeps the token its manifest records (`nullToken`, `null` when absent).
 */
export const NULL_TOKEN = 'never';

/** A parameter value as a CSV cell: objects and arrays as JSON text, `null` as the null token. */
const paramCell = (v: unknown, nullToken: string): string => (v === null ? nullToken : cell(typeof v === 'object' ? JSON.stringify(v) : (v as CsvCell)));

/** The manifest of a previous run in `dir`, null when there is none; an unreadable one is an InputError naming it. */
export function readManifest(dir: string, field: string): Record<string, unknown> | null {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) return null;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const why = e instanceof SyntaxError ? 'it is not valid JSON' : `it cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    throw new InputError([{ path: field, message: `expected the manifest of a run in ${file}, but ${why}; restore it, or delete the directory and start again` }]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError([{ path: field, message: `expected the manifest of a run in ${file}, but it is not a JSON object; restore it, or delete the directory and start again` }]);
  return value as Record<string, unknown>;
}

/**
 * The form of series.csv, null for none. A new run takes `options.series`, else the plan's (true:
 * wide). A resume keeps the manifest's `seriesForm`; a manifest written before the wide form
 * existed has none, and its series.csv (if `files` lists it) is long.
 */
function seriesFormOf(plan: DesignPlan, options: RunnerOptions, previous: Record<string, unknown> | null, out: string): SeriesForm | null {
  if (options.series !== undefined && !SERIES_FORMS.includes(options.series)) {
    throw new InputError([{ path: 'series', message: `expected "wide" or "long", got ${JSON.stringify(options.series)}` }]);
  }
  if (previous) {
    const r = previous.seriesForm;
    const recorded = r === 'wide' || r === 'long' ? r : r === undefined && Array.isArray(previous.files) && previous.files.includes('series.csv') ? 'long' : null;
    if (options.series !== undefined && options.series !== recorded) {
      throw new InputError([{ path: 'series', message: `expected the series form of the interrupted run in ${out} (${recorded ?? 'none: it writes no series.csv'}) or none, got "${options.series}"` }]);
    }
    return recorded;
  }
  if (options.series) return options.series;
  return plan.series === true ? 'wide' : plan.series || null;
}

/** Runs a design plan; see the module header for the files. */
export function runDesign(given: DesignPlan, options: RunnerOptions = {}): Batch<RunRecord, DesignResult> {
  const post = options.posterior;
  const seeds = Array.from({ length: given.reps }, (_, r) => deriveSeed(given.baseSeed, r));
  // Replication r's particle (one per seed, the same in every point); null without a posterior.
  const particles = post ? seeds.map((seed) => particleOfSeed(post.weights, seed)) : null;
  if (post) checkPosterior(post, Array.from({ length: given.points }, (_, p) => ({ what: `${given.kind === 'compare' ? 'arm' : 'point'} ${JSON.stringify(String(given.paramsOf(p)[0] ?? p))}`, scenario: given.scenarioOf(p) })));
  // Another posterior is another experiment: a resume must find the same.
  const plan: DesignPlan = post ? { ...given, hash: hashJson({ plan: given.hash, posterior: { names: post.names, params: post.params, weights: post.weights } }) } : given;
  const temporary = options.out === undefined;
  const out = options.out ?? mkdtempSync(join(tmpdir(), 'community-sim-'));
  const probeCols = plan.probes ? probeColumns(plan.probes) : [];
  const runsHeader = [...RUN_FIXED, ...plan.paramNames, ...(particles ? ['particle'] : []), ...SUMMARY_METRIC_NAMES, ...probeCols.map((c) => c.name)].map(cell).join(',');
  const runsPath = join(out, 'runs.csv');
  const seriesPath = join(out, 'series.csv');

  // Check the directory before anything is written: a fresh run must not clobber a sweep.
  const previous = temporary ? null : readManifest(out, options.resume ? 'resume' : 'out');
  if (options.resume) {
    if (!previous) throw new InputError([{ path: 'resume', message: `expected an interrupted run in ${out} (no manifest.json there)` }]);
    if (previous.experimentHash !== plan.hash) throw new InputError([{ path: 'resume', message: `expected the same experiment as the run in ${out} (its hash differs: the file, the base scenario or the tool changed)` }]);
  } else if (!temporary && (existsSync(runsPath) || previous)) {
    throw new InputError([{ path: 'out', message: `expected a new or empty directory, but ${out} holds a previous run (finish it with \`resume\`, or choose another \`out\`)` }]);
  }
  const form = seriesFormOf(plan, options, options.resume ? previous : null, out);
  const nullToken = options.resume && previous ? (typeof previous.nullToken === 'string' ? previous.nullToken : 'null') : NULL_TOKEN;
  const cellsOf = (point: number) => plan.paramsOf(point).map((v) => paramCell(v, nullToken));
  const seriesHeader = form === 'wide' ? wideHeader(plan.paramNames, particles !== null) : LONG_HEADER;
  try {
    makeDirs(out);
    if (!statSync(out).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(out, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new InputError([{ path: 'out', message: `expected a directory this process can write, got ${JSON.stringify(out)} (${code})` }]);
  }
  const unlock = lockDir(out, options.resume ? 'resume' : 'out');

  const total = plan.points * plan.reps;
  const startedAt = typeof previous?.startedAt === 'string' ? previous.startedAt : new Date().toISOString();
  const earlier = Array.isArray(previous?.resumedAt) ? (previous.resumedAt as unknown[]).filter((t): t is string => typeof t === 'string') : [];
  const resumedAt = [...earlier, ...(options.resume ? [new Date().toISOString()] : [])];
  const manifest = (extra: Record<string, unknown>) => ({
    tool: 'community-sim',
    version: VERSION,
    kind: plan.kind,
    command: (previous?.command as string | undefined) ?? options.command ?? null,
    experimentHash: plan.hash,
    ...plan.manifest,
    baseSeed: plan.baseSeed,
    reps: plan.reps,
    seeds,
    designPoints: plan.points,
    runs: total,
    files: ['runs.csv', 'summary.csv', ...(form ? ['series.csv'] : []), 'manifest.json'],
    // the layout of series.csv (null: none), which a resume keeps
    seriesForm: form,
    // how a factor value null is written in the CSV files
    nullToken,
    // what each column of runs.csv means, so the results document themselves (an unbounded end of a range is null)
    metrics: SUMMARY_METRICS,
    // the fit whose particles the replications ran at, and replication r's particle (runs.csv's particle column)
    ...(post && particles ? { posterior: { source: post.source, params: post.names, particles } } : {}),
    ...(probeCols.length ? { reporterColumns: Object.fromEntries(probeCols.map((c) => [c.name, c.def])) } : {}),
    startedAt,
    resumedAt,
    ...extra,
  });
  const writeManifest = (extra: Record<string, unknown>) => writeFileAtomic(join(out, 'manifest.json'), `${JSON.stringify(manifest(extra), null, 2)}\n`);

  let runs: KeyedCsv;
  let series: KeyedCsv | null = null;
  try {
    if (options.resume) {
      const check = recoveryChecks(plan, seeds, runsHeader, form, cellsOf, particles, !!plan.probes?.stop);
      runs = KeyedCsv.recover(runsPath, runsHeader, keyOfLine, check.run) ?? KeyedCsv.create(runsPath, runsHeader);
      if (form) {
        series = KeyedCsv.recover(seriesPath, seriesHeader, keyOfLine, (k, lines) => runs.has(k) && check.series(k, lines)) ?? KeyedCsv.create(seriesPath, seriesHeader);
        // a finished run whose series block is gone (series.csv cut short or deleted) runs again
        for (const k of [...runs.keys()]) if (!series.has(k)) runs.drop(k);
      }
      writeManifest({ endedAt: null, completed: runs.count, failures: [] });
    } else {
      // the manifest first: a kill before it leaves an empty directory, after it a resumable one
      writeManifest({ endedAt: null, completed: 0, failures: [] });
      runs = KeyedCsv.create(runsPath, runsHeader);
      if (form) series = KeyedCsv.create(seriesPath, seriesHeader);
    }
  } catch (e) {
    unlock();
    // A file of the folder that cannot be opened (runs.csv replaced by a directory, no permission)
    // is the folder's problem, said in one line; it was an EISDIR stack trace.
    const err = e as NodeJS.ErrnoException;
    if (!(e instanceof InputError) && err?.code && err.path) {
      throw new InputError([{ path: 'out', message: `expected ${err.path} to be a file this process can read and write, got ${err.code === 'EISDIR' ? 'a directory' : 'an error'} (${err.code})` }]);
    }
    throw e;
  }

  const paramsRecord = (point: number) => {
    const values = plan.paramsOf(point);
    return Object.fromEntries(plan.paramNames.map((n, j) => [n, values[j]]));
  };

  function* jobs(): Generator<RunJob> {
    for (let point = 0; point < plan.points; point++) {
      let scenario: Scenario | undefined;
      for (let rep = 0; rep < plan.reps; rep++) {
        const key = runKey(point, rep);
        if (runs.has(key)) continue;
        scenario ??= plan.scenarioOf(point);
        yield { key, point, rep, seed: seeds[rep], scenario: particles ? atParticle(scenario, post!, particles[rep]) : scenario, series: form !== null || !!plan.keepSeries, params: paramsRecord(point), ...(plan.probes ? { probes: plan.probes } : {}) };
      }
    }
  }

  async function* body(): AsyncGenerator<RunRecord, DesignResult> {
    const executor: Executor = options.executor ?? new WorkerPool({ size: options.workers, runLimits: options.runLimits });
    executor.bind?.({ hash: plan.hash, out });
    const failures: RunFailure[] = [];
    let finished = false;
    try {
      for await (const o of executor.run(jobs()) as AsyncIterable<RunOutcome>) {
        const { job } = o;
        if (!o.ok) {
          failures.push({ key: job.key, point: job.point, rep: job.rep, seed: job.seed, params: job.params ?? {}, error: o.error });
          continue;
        }
        if (runs.has(job.key)) continue; // a duplicate delivery: one result per key
        const measured = o.output.reporters ?? [];
        if (measured.length !== probeCols.length) {
          // an executor that does not know reporters (a worker of an older build): not this run's row
          failures.push({ key: job.key, point: job.point, rep: job.rep, seed: job.seed, params: job.params ?? {}, error: `expected ${probeCols.length} reporter values from the executor, got ${measured.length}` });
          continue;
        }
        const s = o.output.summary;
        const params = cellsOf(job.point);
        if (series && o.output.series) series.append(job.key, form === 'wide' ? wideLines(job, particles ? [...params, String(particles[job.rep])] : params, o.output.series) : longLines(job, o.output.series));
        runs.append(job.key, `${[job.point, job.rep, job.seed, ...params, ...(particles ? [particles[job.rep]] : [])].join(',')},${[...SUMMARY_METRIC_NAMES.map((m) => s[m]), ...measured].map((v) => cell(v)).join(',')}\n`);
        yield { key: job.key, point: job.point, rep: job.rep, seed: job.seed, params: job.params ?? {}, summary: s, series: o.output.series };
      }
      finished = true;
    } catch (e) {
      if (isDiskFull(e) && !temporary) throw new DiskFullError(out, 'runs', e.code!);
      throw e;
    } finally {
      if (!options.executor) await executor.close();
      // A consumer that stops early leaves a resumable directory; do not leak its descriptors.
      if (!finished) {
        runs.close();
        series?.close();
        unlock();
      }
    }
    // Canonical order: point-major, replications inside.
    const order = function* () {
      for (let p = 0; p < plan.points; p++) for (let r = 0; r < plan.reps; r++) yield runKey(p, r);
    };
    const completed = runs.count;
    failures.sort((x, y) => x.point - y.point || x.rep - y.rep); // completion order is not reproducible
    let summary: SummaryRow[];
    try {
      runs.finalize(order());
      series?.finalize(order());
      summary = writeSummary(plan, out, cellsOf, probeCols);
      writeManifest({ endedAt: new Date().toISOString(), completed, failures });
    } catch (e) {
      if (isDiskFull(e) && !temporary) throw new DiskFullError(out, 'finalize', e.code!);
      throw e;
    } finally {
      unlock();
    }
    if (temporary) rmSync(out, { recursive: true, force: true });
    return { out: temporary ? undefined : out, completed, failures, summary };
  }

  return new Batch(total, runs.count, body);
}

/**
 * What a recovered block must look like to count as a finished run. runs.csv: one row with every
 * column, a key of the design and the seed derived for its replication (a torn row, garbage or
 * a row edited to another seed is dropped and the run done again). series.csv, long: every line
 * with six cells and that seed, the metrics in their order; wide: every line with every column,
 * that seed, the point's parameter cells, numbers or empty cells for the metrics, and days one
 * after another. Either ends on the scenario's last day (a block cut short by a truncated file is
 * not whole).
 */
function recoveryChecks(plan: DesignPlan, seeds: number[], runsHeader: string, form: SeriesForm | null, cellsOf: (point: number) => string[], particles: number[] | null, stops: boolean) {
  const columns = parseCsvLine(runsHeader).length;
  // a run ended by the stop condition ends its series on its stop day (runs.csv's last column)
  const stopDays = new Map<string, string>();
  const wideColumns = 4 + plan.paramNames.length + (particles ? 1 : 0) + SERIES_METRICS.length;
  const lastDay = new Map<number, number>();
  const keyParts = (key: string): [number, number] | null => {
    const m = /^(0|[1-9]\d*):(0|[1-9]\d*)$/.exec(key);
    if (!m) return null;
    const point = Number(m[1]);
    const rep = Number(m[2]);
    return point < plan.points && rep < plan.reps ? [point, rep] : null;
  };
  const numbersFrom = (cells: string[], first: number) => {
    for (let i = first; i < cells.length; i++) if (cells[i] !== '' && !Number.isFinite(Number(cells[i]))) return false;
    return true;
  };
  const endsWell = (key: string, point: number, day: string) => {
    const stopped = stopDays.get(key);
    if (stopped !== undefined) return day === stopped;
    let last = lastDay.get(point);
    if (last === undefined) lastDay.set(point, (last = plan.scenarioOf(point).days));
    return day === String(last);
  };
  const longBlock = (seed: string, lines: string[]): string | null => {
    if (lines.length % SERIES_METRICS.length !== 0) return null;
    let day = '';
    for (let i = 0; i < lines.length; i++) {
      const cells = parseCsvLine(lines[i]);
      if (cells.length !== 6 || cells[2] !== seed || cells[4] !== SERIES_METRICS[i % SERIES_METRICS.length]) return null;
      if (i % SERIES_METRICS.length === 0) day = cells[3];
      else if (cells[3] !== day) return null;
    }
    return day;
  };
  const wideBlock = (seed: string, point: number, rep: number, lines: string[]): string | null => {
    // the parameters' cells, then the particle's with a posterior
    const params = particles ? [...cellsOf(point), String(particles[rep])] : cellsOf(point);
    let day = -1;
    for (const line of lines) {
      const cells = parseCsvLine(line);
      if (cells.length !== wideColumns || cells[2] !== seed || !/^(0|[1-9]\d*)$/.test(cells[3])) return null;
      const d = Number(cells[3]);
      if (day >= 0 && d !== day + 1) return null;
      day = d;
      for (let j = 0; j < params.length; j++) if (cells[4 + j] !== params[j]) return null;
      if (!numbersFrom(cells, 4 + params.length)) return null;
    }
    return String(day);
  };
  return {
    run(key: string, lines: string[]): boolean {
      const kr = keyParts(key);
      if (!kr || lines.length !== 1) return false;
      const cells = parseCsvLine(lines[0]);
      if (cells.length !== columns || cells[2] !== String(seeds[kr[1]])) return false;
      const params = cellsOf(kr[0]);
      for (let j = 0; j < params.length; j++) if (cells[3 + j] !== params[j]) return false;
      if (particles && cells[3 + params.length] !== String(particles[kr[1]])) return false;
      // every metric cell is a number or empty (undefined): anything else was not written by a run
      if (!numbersFrom(cells, 3 + plan.paramNames.length + (particles ? 1 : 0))) return false;
      if (stops) stopDays.set(key, cells[columns - 1]);
      return true;
    },
    series(key: string, lines: string[]): boolean {
      const kr = keyParts(key);
      if (!kr || lines.length === 0) return false;
      const seed = String(seeds[kr[1]]);
      const day = form === 'wide' ? wideBlock(seed, kr[0], kr[1], lines) : longBlock(seed, lines);
      return day !== null && endsWell(key, kr[0], day);
    },
  };
}

function longLines(job: RunJob, rows: DailyRow[]): string {
  const lead = `${job.point},${job.rep},${job.seed},`;
  let text = '';
  for (const row of rows) {
    const day = row.day;
    for (const m of SERIES_METRICS) text += `${lead}${day},${m},${cell(row[m])}\n`;
  }
  return text;
}

/** A run's rows of the wide series.csv: its key, the day, the point's parameters (and particle), every daily metric. */
function wideLines(job: RunJob, paramCells: string[], rows: DailyRow[]): string {
  const params = paramCells.length ? `,${paramCells.join(',')}` : '';
  let text = '';
  for (const row of rows) {
    text += `${job.point},${job.rep},${job.seed},${row.day}${params}`;
    for (const m of SERIES_METRICS) text += `,${cell(row[m])}`;
    text += '\n';
  }
  return text;
}

/** One parsed row of a finalized runs.csv. */
export interface RunsRow {
  point: number;
  rep: number;
  seed: number;
  params: string[];
  /** The posterior particle the run was at (`--posterior`), else undefined. */
  particle?: number;
  summary: RunSummary;
}

/** Reads a finalized runs.csv row by row (memory stays flat). */
export function eachRunsRow(out: string, paramCount: number, fn: (row: RunsRow) => void): void {
  let header: string[] | null = null;
  eachLine(join(out, 'runs.csv'), (buf) => {
    const cells = parseCsvLine(buf.toString('utf8'));
    if (!header) {
      header = cells;
      return;
    }
    const summary = {} as RunSummary;
    // a posterior's particle column sits between the parameters and the metrics
    const particle = header[3 + paramCount] === 'particle' ? Number(cells[3 + paramCount]) : undefined;
    const first = 3 + paramCount + (particle === undefined ? 0 : 1);
    for (let i = first; i < header.length; i++) summary[header[i] as SummaryMetric] = cells[i] === '' ? NaN : Number(cells[i]);
    fn({ point: Number(cells[0]), rep: Number(cells[1]), seed: Number(cells[2]), params: cells.slice(3, 3 + paramCount), ...(particle === undefined ? {} : { particle }), summary });
  });
}

/**
 * Writes summary.csv from the sorted runs.csv, one point at a time: undefined values (NaN, empty
 * cells) are left out of n, and intervals are clipped to the metric's range.
 */
function writeSummary(plan: DesignPlan, out: string, cellsOf: (point: number) => string[], extra: { name: string; def: MetricDef }[]): SummaryRow[] {
  const metrics: string[] = [...plan.metrics, ...extra.map((c) => c.name)];
  const defOf = new Map<string, MetricDef | undefined>(metrics.map((m) => [m, summaryMetric(m) ?? extra.find((c) => c.name === m)?.def]));
  const rows: SummaryRow[] = [];
  const keep = plan.points * metrics.length <= 100_000;
  const path = join(out, 'summary.csv');
  const tmp = tempName(path);
  const fd = openSync(tmp, 'w');
  writeSync(fd, ['point', ...plan.paramNames, 'metric', 'n', 'mean', 'sd', 'ciLow', 'ciHigh'].map(cell).join(',') + '\n');
  let point = -1;
  let values: number[][] = [];
  const flush = () => {
    if (point < 0) return;
    const params = plan.paramsOf(point);
    let text = '';
    metrics.forEach((metric, i) => {
      const iv = meanInterval(values[i]);
      // the t interval is symmetric and can spill out of what the metric can be (a share below 0);
      // a reporter is clipped to its daily metric's range
      const [low, high] = clipInterval(defOf.get(metric), iv.low, iv.high);
      text += [point, ...cellsOf(point), metric, iv.n, cell(iv.mean), cell(iv.sd), cell(low), cell(high)].join(',') + '\n';
      if (keep) rows.push({ point, params: Object.fromEntries(plan.paramNames.map((n, j) => [n, params[j]])), metric, n: iv.n, mean: iv.mean, sd: iv.sd, ciLow: low, ciHigh: high });
    });
    writeSync(fd, text);
  };
  try {
    eachRunsRow(out, plan.paramNames.length, (row) => {
      if (row.point !== point) {
        flush();
        point = row.point;
        values = metrics.map(() => []);
      }
      metrics.forEach((m, i) => values[i].push(row.summary[m as SummaryMetric])); // meanInterval leaves NaN out of n
      plan.collect?.(row);
    });
    flush();
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  fsyncDir(out);
  return rows;
}

/**
 * `mkdir -p`, one level at a time: Node 20's recursive mkdirSync spins forever where mkdir keeps
 * answering ENOENT under an existing parent (a path in /proc, say).
 */
function makeDirs(dir: string): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  mkdirSync(dir);
}
