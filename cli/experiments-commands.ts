/**
 * The batch-experiment commands: `compare` (paired replications with 95% intervals), `sweep`
 * (an experiment file's design, streamed to tidy CSV, resumable), `sensitivity` (Morris or
 * Sobol indices of one metric), `experiment-schema`, and `worker` (the runs of sweeps submitted
 * to Redis with `--queue`, experiments/queue/). The work is done by experiments/; this
 * file turns flags into its options, draws the progress bar and prints the tables.
 */
import { availableParallelism } from 'node:os';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { SUMMARY_METRIC_NAMES, runCost, summaryMetric, type SummaryMetric } from '../engine/index.js';
import { compare, type CompareResult, type CompareRow } from '../experiments/compare.js';
import { compareReport } from '../experiments/report.js';
import type { Batch, RunFailure } from '../experiments/runner.js';
import { absoluteGraphFile, DEFAULT_METRICS, experimentJsonSchema, loadExperiment, type ResolvedExperiment } from '../experiments/schema.js';
import { sensitivity, sensitivityCsv, type SensitivityResult } from '../experiments/sensitivity.js';
import { sweep, sweepPlan } from '../experiments/sweep.js';
import type { QueueExecutor } from '../experiments/queue/executor.js';
import { writeFileAtomic } from '../experiments/io/atomic-write.js';
import { csvTable } from '../experiments/io/csv.js';
import { InputError } from '../experiments/io/input-error.js';
import { DiskFullError } from '../experiments/io/disk-full.js';
import { withPath, type FieldIssue, type Scenario } from '../scenarios/schema.js';
import { readScenarioGraph } from '../experiments/io/scenario-source.js';
import { parsePosteriorCsv, type PosteriorDraws } from '../experiments/posterior-draws.js';
import { checkCost, limitOptions, runLimits, type LimitFlags } from './limits.js';
import { SCENARIO_PATHS_HELP, resolveScenario } from './scenario-source.js';
import { Progress, type ProgressOptions } from './progress.js';

const collect = (value: string, previous: string[]) => [...previous, value];

/** An integer flag of at least `min` (and at most `max`, for the reason `why`), or an InputError naming it. */
export function positiveInt(flag: string, raw: string | undefined, min = 1, max?: number, why = ''): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || (max !== undefined && v > max)) {
    const range = max === undefined ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new InputError([{ path: flag, message: `expected an integer ${range}${why}, got ${JSON.stringify(raw)}` }]);
  }
  return v;
}

/** The bounds of an experiment file's reps and seed, so a flag cannot ask for what a file cannot. */
const MAX_REPS = 1_000_000;
const MAX_SEED = 2 ** 32 - 1;

/**
 * Threads at once: more than a few per core only adds memory (about 30 MB a thread; 400 of them
 * ended in a fatal out-of-memory in the review), never speed.
 */
export function threadCount(flag: string, raw: string | undefined): number | undefined {
  const cores = availableParallelism();
  return positiveInt(flag, raw, 1, 4 * cores, ` (4 x this machine's ${cores} cores; each thread holds about 30 MB)`);
}

function metricList(raw: string | undefined): SummaryMetric[] | undefined {
  if (raw === undefined) return undefined;
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !(SUMMARY_METRIC_NAMES as string[]).includes(n));
  if (bad.length || !names.length) {
    throw new InputError([{ path: '--metrics', message: `expected summary metric names separated by commas (${SUMMARY_METRIC_NAMES.join(', ')}), got ${JSON.stringify(bad.join(',') || raw)}` }]);
  }
  return names as SummaryMetric[];
}

function metricName(raw: string | undefined): SummaryMetric | undefined {
  if (raw === undefined) return undefined;
  if (!(SUMMARY_METRIC_NAMES as string[]).includes(raw)) throw new InputError([{ path: '--metric', message: `expected a summary metric name (${SUMMARY_METRIC_NAMES.join(', ')}), got ${JSON.stringify(raw)}` }]);
  return raw as SummaryMetric;
}

/** The flags that set the experiment library's options, whose names its input errors use. */
const OPTION_FLAGS = new Map([['out', '--out'], ['resume', '--resume'], ['url', '--queue'], ['series', '--series']]);

/**
 * Runs a library call, naming the command line's flags in its input errors where the library
 * names its options (as an issue's path, or in backquotes in a message).
 */
export async function flagNamed<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(e.issues.map((i) => ({ path: OPTION_FLAGS.get(i.path) ?? i.path, message: i.message.replace(/`(\w+)`/g, (m, name: string) => OPTION_FLAGS.get(name) ?? m) })));
  }
}

const POSTERIOR_HELP = 'the folder of a fit (`community-sim fit --out`): replication r of every arm or point runs at the same posterior particle, drawn by weight from its seed (runs.csv: particle)';

/** `--posterior DIR`: the fit's posterior.csv, read and checked. */
function readPosteriorFlag(dir: string | undefined): PosteriorDraws | undefined {
  if (dir === undefined) return undefined;
  const file = join(dir, 'posterior.csv');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError([{ path: '--posterior', message: `expected the folder of a finished fit, but ${file} cannot be read` }]);
  }
  return parsePosteriorCsv(text, file);
}

export const commandLine = () => ['community-sim', ...process.argv.slice(2).map((a) => (/^[\w./:=,@+-]+$/.test(a) ? a : JSON.stringify(a)))].join(' ');

/** How a batch reports besides its progress options: how to resume, its queue, its estimate. */
export interface BatchProgress extends ProgressOptions {
  resumeHint?: string;
  queue?: QueueExecutor;
  /** Seconds a run of the batch takes at full speed, on average (runCost); none with a queue, whose workers set the pace. */
  perRun?: number;
  /** Runs at once. */
  parallel?: number;
}

/**
 * Drives a batch to its end. A batch estimated at `announceSeconds` or more (its runs left times
 * `perRun`, over the runs at once) says so first; then a bar on a terminal (runs done, runs per
 * second, time left), or when stderr is piped a line every `everyMs` once the batch is long
 * (runs done of all, time so far and left: see Progress). Ctrl-C keeps every finished run and
 * says how to resume.
 */
export async function batchWithProgress<T>(batch: Batch<unknown, T>, { resumeHint, queue, perRun, parallel = 1, ...options }: BatchProgress = {}): Promise<T> {
  const progress = new Progress(options);
  if (perRun !== undefined) progress.estimateRuns(batch.total - batch.skipped, perRun, parallel);
  const bar = progress.piped
    ? undefined
    : new cliProgress.SingleBar(
        { stream: progress.stream as NodeJS.WriteStream, format: '{bar} {value}/{total} runs | {rate} runs/s | eta {eta_formatted}{queue}', hideCursor: true, clearOnComplete: true, etaBuffer: 50 },
        cliProgress.Presets.shades_classic,
      );
  const onSignal = (signal: NodeJS.Signals) => {
    bar?.stop();
    if (resumeHint) process.stderr.write(`interrupted: finished runs are kept; ${resumeHint}\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let done = batch.skipped;
  const queueStatus = () => (queue ? ` | ${queue.status()}` : '');
  bar?.start(batch.total, done, { rate: '0.0', queue: queueStatus() });
  try {
    for await (const _ of batch) {
      done++;
      bar?.update(done, { rate: (((done - batch.skipped) * 1000) / Math.max(1, progress.now() - progress.started)).toFixed(1), queue: queueStatus() });
      progress.tick(done - batch.skipped, batch.total - done, () => `${done.toLocaleString('en-US')}/${batch.total.toLocaleString('en-US')} runs${queueStatus()}`);
    }
    return await batch.result;
  } catch (e) {
    // a full disk is the machine's state, not a bug: one line, what to free and how to go on
    if (e instanceof DiskFullError) throw new InputError(resumeHint ? `${e.message}: ${resumeHint}` : e.message);
    throw e;
  } finally {
    bar?.stop();
    if (queue) {
      await queue.close();
      process.stderr.write(`queue ${queue.namespace ?? ''}: ${queue.status()}\n`);
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The node count of the graph file `s` starts from, if any (`nodes` from checkGraphFiles). */
function graphNodes(s: Scenario, nodes: Map<string, number>): number | undefined {
  const g = s.population.graph;
  return 'file' in g ? nodes.get(g.file) : undefined;
}

/** The mean estimated seconds of a run of `scenarios` (engine/cost.ts runCost). */
function meanRunSeconds(scenarios: Scenario[], nodes: Map<string, number>): number {
  return scenarios.reduce((t, s) => t + runCost(s, graphNodes(s, nodes)).seconds, 0) / Math.max(1, scenarios.length);
}

/** Design points whose scenarios a sweep's estimate reads: evenly spread, so a large design costs no more than this. */
const ESTIMATE_POINTS = 32;

/** The scenarios of up to ESTIMATE_POINTS design points of a sweep, evenly spread over its design. */
function sampledPoints(exp: ResolvedExperiment): Scenario[] {
  const plan = sweepPlan(exp);
  const n = Math.min(plan.points, ESTIMATE_POINTS);
  return Array.from({ length: n }, (_, i) => plan.scenarioOf(Math.floor((i * plan.points) / n)));
}

/**
 * Reads every graph file the runs will start from, so a bad one is exit 2 before anything is
 * written (each run would fail twice instead, exit 1, with the output files written: review D7).
 * With --queue a file missing here is left to the workers, which read their own --graph-dir.
 */
function checkGraphFiles(scenarios: Iterable<Scenario>, queued: boolean): Map<string, number> {
  const nodes = new Map<string, number>();
  for (const scenario of scenarios) {
    const g = scenario.population.graph;
    if (!('file' in g) || nodes.has(g.file)) continue;
    if (queued && !existsSync(g.file)) continue;
    nodes.set(g.file, readScenarioGraph(scenario, process.cwd())?.nodes ?? 0);
  }
  return nodes;
}

/** The estimated seconds of a run of `s` (its graph file read for its nodes): `fit`'s and `optimise`'s estimates. */
export const runSeconds = (s: Scenario): number => meanRunSeconds([s], checkGraphFiles([s], false));

/**
 * Refuses, before anything is written, a run whose starting members need more than this
 * machine allows a run (cli/limits.ts); `nodes` are the graph files' node counts. With --queue
 * the runs happen on the workers, which enforce their own limits: checked only when a limit
 * flag is given.
 */
function checkCosts(scenarios: Iterable<[string, Scenario]>, limits: ReturnType<typeof runLimits>, parallel: number, nodes: Map<string, number>, queued: boolean): void {
  if (queued && !limits.explicit) return;
  for (const [where, s] of scenarios) checkCost(s, limits, parallel, where, graphNodes(s, nodes));
}

/** An experiment's base, its graph values and the base at the largest population and degree its factors reach. */
function* experimentSizes(exp: ResolvedExperiment): Generator<[string, Scenario]> {
  for (const s of experimentGraphs(exp)) yield ['base', s];
  for (const path of ['population.initialMembers', 'population.graph.meanDegree']) {
    const f = exp.spec.factors[path];
    if (f === undefined) continue;
    const values = Array.isArray(f) ? f.filter((v): v is number => typeof v === 'number') : [(f as { max: number }).max];
    if (values.length) yield [`factors.${path}`, withPath(exp.base, path, Math.max(...values))];
  }
}

/** The scenarios of an experiment that can name distinct graph files: its base and each `population.graph` value. */
function* experimentGraphs(exp: ResolvedExperiment): Generator<Scenario> {
  yield exp.base;
  const values = exp.spec.factors['population.graph'];
  if (Array.isArray(values)) for (const v of values) yield withPath(exp.base, 'population.graph', v);
}

/** Reports runs that failed twice on stderr (exit code 1: the tables lack them). */
function reportFailures(failures: RunFailure[], where?: string): void {
  if (!failures.length) return;
  for (const f of failures) {
    process.stderr.write(`run failed twice: point ${f.point} rep ${f.rep} seed ${f.seed} params ${JSON.stringify(f.params)}: ${f.error}\n`);
  }
  process.stderr.write(`${failures.length} run(s) failed${where ? ` (listed in ${where}/manifest.json; --resume retries them)` : ''}\n`);
  process.exitCode = 1;
}

const fmt = (v: number) => (!Number.isFinite(v) ? 'NA' : v === 0 ? '0' : Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 ? v.toExponential(2) : Number(v.toPrecision(4)).toString());
const pct = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%` : 'NA');

/** Left-aligned first column, right-aligned numbers. */
function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/** One arm of `compare` as the command line gives it: its label, scenario reference and overrides in order. */
interface ArmRequest {
  name: string;
  ref: string;
  sets: string[];
}

const ARM_NAME = /^[^\s:=]+$/;

/**
 * The arms of `compare`: positional arms (labelled by the reference and their --set-a/--set-b),
 * then `--arm NAME=REF` ones; every arm takes the shared `--set PATH=VALUE` first, then its own
 * (`--set-a`, `--set-b`, `--set NAME:PATH=VALUE`).
 */
export function compareArms(refs: string[], opts: { arm: string[]; set: string[]; setA: string[]; setB: string[] }): ArmRequest[] {
  const issues: FieldIssue[] = [];
  const shared: string[] = [];
  const own = new Map<string, string[]>();
  const named: ArmRequest[] = opts.arm.flatMap((arg) => {
    const eq = arg.indexOf('=');
    const name = arg.slice(0, eq).trim();
    const ref = arg.slice(eq + 1).trim();
    if (eq <= 0 || !ref || !ARM_NAME.test(name)) {
      issues.push({ path: `--arm ${arg}`, message: 'expected NAME=PRESET or NAME=FILE, with a NAME of letters, digits and punctuation other than ":" and "=", e.g. fast=brand-community' });
      return [];
    }
    if (own.has(name)) issues.push({ path: `--arm ${arg}`, message: `expected a distinct arm name, got "${name}" twice` });
    own.set(name, []);
    return [{ name, ref, sets: [] }];
  });
  for (const arg of opts.set) {
    const eq = arg.indexOf('=');
    const colon = arg.indexOf(':');
    if (colon < 0 || (eq >= 0 && colon > eq)) {
      shared.push(arg);
      continue;
    }
    const name = arg.slice(0, colon);
    const list = own.get(name);
    if (list) list.push(arg.slice(colon + 1));
    else issues.push({ path: `--set ${arg}`, message: `expected NAME:PATH=VALUE with NAME one of the --arm names (${[...own.keys()].join(', ') || 'none given'}), got "${name}"` });
  }
  const positional = refs.map((ref, i) => {
    const sets = [opts.setA, opts.setB][i] ?? [];
    return { name: [ref, ...sets].join(' '), ref, sets: [...shared, ...sets] };
  });
  if (opts.setB.length && refs.length < 2) issues.push({ path: '--set-b', message: 'expected a second positional arm to apply to (use --set NAME:PATH=VALUE for --arm arms)' });
  if (opts.setA.length && refs.length < 1) issues.push({ path: '--set-a', message: 'expected a first positional arm to apply to (use --set NAME:PATH=VALUE for --arm arms)' });
  const arms = [...positional, ...named.map((a) => ({ ...a, sets: [...shared, ...own.get(a.name)!] }))];
  if (arms.length < 2) issues.push({ path: 'arms', message: `expected at least two scenarios to compare (positional or --arm), got ${arms.length}` });
  if (issues.length) throw new InputError(issues);
  // Two positional arms with the same reference and overrides still need distinct labels.
  const names = arms.map((a) => a.name);
  arms.forEach((a, i) => {
    if (names.indexOf(a.name) !== i) a.name = `${a.name} #${i + 1}`;
  });
  return arms;
}

const COMPARE_COLUMNS = ['metric', 'a', 'b', 'diff', 'ciLow', 'ciHigh', 'relChange', 'significant'] as const;

/**
 * The practical size of a difference, by the metric's kind: percentage points for shares and
 * rates, a relative change for amounts, nothing for levels (the difference says it).
 */
function changeCell(r: CompareRow): string {
  const kind = summaryMetric(r.metric)?.kind;
  if (kind === 'share' || kind === 'rate') return Number.isFinite(r.diff) ? `${r.diff >= 0 ? '+' : ''}${(r.diff * 100).toFixed(1)} pp` : 'NA';
  return kind === 'amount' ? pct(r.relChange) : '–';
}

/** `*` when the interval excludes 0, with whether B is better or worse where the metric has a direction. */
function sigCell(r: CompareRow): string {
  if (!r.significant) return '';
  const better = summaryMetric(r.metric)?.better ?? 'none';
  if (better === 'none') return '*';
  return (r.diff > 0) === (better === 'higher') ? '* better' : '* worse';
}

function compareTable(res: CompareResult): string {
  const many = res.arms.length > 2;
  const header = ['metric', ...(many ? ['arm'] : []), 'unit', 'A', 'B', 'B - A', '95% CI', 'change', 'n', 'sig'];
  const rows = res.rows.map((r) => [
    r.metric,
    ...(many ? [r.arm ?? ''] : []),
    summaryMetric(r.metric)?.unit ?? '',
    fmt(r.a), fmt(r.b), fmt(r.diff), `[${fmt(r.ciLow)}, ${fmt(r.ciHigh)}]`, changeCell(r), String(r.n), sigCell(r),
  ]);
  const legend = many ? `A: ${res.arms[0]}\nB: each other arm\n` : `A: ${res.arms[0]}\nB: ${res.arms[1]}\n`;
  const missing = res.rows.some((r) => r.n < res.reps)
    ? `n: paired replications where both arms have a value (a metric can be undefined in a run: NA)\n`
    : '';
  return `${legend}${res.reps} paired replications (common seeds)\n\n` + textTable(header, rows) +
    '* the 95% interval of the paired difference excludes 0 (better or worse by the metric\'s direction)\n' +
    'change: percentage points (pp) for shares and rates, relative change for counts and hours\n' + missing;
}

/** compare.csv: each row labelled by its arm and the arm it is compared with (`baseline`, the first). */
function compareCsv(res: CompareResult): string {
  const header = ['baseline', 'arm', ...COMPARE_COLUMNS, 'n'];
  const labelled = res.rows.map((r: CompareRow) => ({ ...r, baseline: res.arms[0], arm: r.arm ?? res.arms[1] }));
  return csvTable(header, labelled.map((r) => header.map((h) => r[h as keyof typeof r] as string | number | boolean)));
}

const USED = 'n: trajectories (Morris) or sample rows (Sobol) used: those where the metric is defined at every point\n';

function sensitivityTable(res: SensitivityResult): string {
  const ci = (lo: number, hi: number) => `[${fmt(lo)}, ${fmt(hi)}]`;
  const title = `${res.method === 'morris' ? 'Morris elementary effects' : 'Sobol indices'} of ${res.metric} (${res.points} design points)\n`;
  if (res.morris) {
    const rows = [...res.morris].sort((x, y) => y.muStar - x.muStar).map((m) => [m.factor, fmt(m.muStar), ci(m.muStarLow, m.muStarHigh), fmt(m.mu), fmt(m.sigma), String(m.n)]);
    return title + textTable(['factor', 'mu*', '95% CI', 'mu', 'sigma', 'n'], rows) + `mu*: mean absolute elementary effect, the metric's change per whole range of the lever (from steps of ${fmt(res.delta ?? NaN)} of the range); sigma: nonlinearity or interactions\n` + USED;
  }
  const rows = [...(res.sobol ?? [])].sort((x, y) => y.ST - x.ST).map((s) => [s.factor, fmt(s.S1), ci(s.S1Low, s.S1High), fmt(s.ST), ci(s.STLow, s.STHigh), String(s.n)]);
  const warning = res.warnings.length ? `warning: impossible indices (outside [0, 1], S1 above ST, or S1 adding up to more than 1): too few samples; try sensitivity.samples = ${res.suggestedSamples} (details on stderr and in manifest.json)\n` : '';
  return title + textTable(['factor', 'S1', '95% CI', 'ST', '95% CI', 'n'], rows) + 'S1: share of variance from the factor alone; ST: alone and in interactions\n' + USED + warning;
}

const defaultOut = (file: string) => `${basename(file, extname(file))}-results`;

export const QUEUE_HELP = 'run through Redis at redis://[user:password@]HOST[:PORT][/DB] (rediss:// for TLS): `community-sim worker` processes do the runs';

/**
 * Warns (once per process) when a `--queue` URL carries no password: whoever can write to that
 * Redis can change the jobs and the results, and an open Redis lets anyone who reaches it do so.
 */
let warnedOpenQueue = false;
async function warnIfOpen(url: string): Promise<void> {
  const { parseQueueUrl, redactUrl } = await import('../experiments/queue/connection.js');
  if (warnedOpenQueue || parseQueueUrl(url, '--queue').password) return;
  warnedOpenQueue = true;
  process.stderr.write(`warning: --queue ${redactUrl(url)} has no password: anyone who can reach that Redis can change the sweep's jobs and results (use redis://user:password@... on a Redis with requirepass or ACLs, and rediss:// across machines)\n`);
}

/** The executor of `--queue URL`, loaded (with BullMQ) only when asked for. */
export async function queueExecutor(url: string | undefined): Promise<QueueExecutor | undefined> {
  if (url === undefined) return undefined;
  await warnIfOpen(url);
  const { QueueExecutor } = await import('../experiments/queue/executor.js');
  const executor = new QueueExecutor({
    url,
    onWait: (holder, ms) =>
      process.stderr.write(`queue: another submitter (${holder.split(':').slice(0, 2).join(', pid ')}) holds this sweep; waiting up to ${Math.ceil(ms / 1000)} s for its lease to lapse\n`),
  });
  await executor.check(); // before anything is written to the output directory
  return executor;
}

export function registerExperimentCommands(program: Command): void {
  limitOptions(program.command('compare'))
    .description('Compare strategies: every arm runs the same replication seeds, and each metric gets the paired difference with its 95% interval.')
    .argument('[arms...]', 'preset names or scenario files (arms before any --arm); each arm after the first is compared with the first')
    .option('--arm <name=scenario>', 'a named arm: NAME=PRESET or NAME=FILE (after the positional arms); repeatable', collect, [])
    .option('--set <path=value>', 'override a field of every arm (PATH=VALUE) or of one named arm (NAME:PATH=VALUE); repeatable', collect, [])
    .option('-r, --reps <n>', 'replications per arm', '10')
    .option('-d, --days <n>', 'days of every run (overrides the scenarios\' days)')
    .option('-s, --seed <s>', 'base seed of the replications', '1')
    .option('-m, --metrics <list>', `summary metrics, comma-separated (default ${DEFAULT_METRICS.join(',')})`)
    .option('-o, --out <dir>', 'also write runs.csv, summary.csv, compare.csv and manifest.json to this directory')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .option('--report <file>', 'also write a self-contained HTML report (the question, one sentence per outcome with its 95% interval, units, charts, the hours by activity)')
    .option('--set-a <path=value>', 'override a field of the first arm; repeatable', collect, [])
    .option('--set-b <path=value>', 'override a field of the second arm; repeatable', collect, [])
    .option('-w, --workers <n>', 'worker threads (default: the number of cores)')
    .option('-q, --queue <url>', QUEUE_HELP)
    .option('--posterior <dir>', POSTERIOR_HELP)
    .addHelpText(
      'after',
      `
Output (json): { arms, reps, seeds, rows: [ { metric, a, b, diff, ciLow, ciHigh, relChange, significant, n } ] }
  With --posterior, also "posterior": { source, params, particles } (replication r's particle).
  n: paired replications where both arms have a value; undefined numbers are null; relChange
  only for counts and hours. With more than two arms, one row per metric and arm (named in
  "arm") against the first. "community-sim metrics" defines every metric.
  Arms are labelled by their --arm names (positional arms by their preset or file and --set-a/-b).

Examples:
  community-sim compare moderated-forum unmoderated-forum --reps 30
  community-sim compare moderated-forum moderated-forum --set-b policies.response.targetHours=48 --format json
  community-sim compare --arm fast=brand-community --arm rubrics=brand-community --arm both=strat/both.json \\
    --set population.initialMembers=2000 --set manager.hoursPerDay=2 \\
    --set fast:policies.rubrics.perWeek=0 --set rubrics:policies.response.targetHours=null
${SCENARIO_PATHS_HELP}
  A scenario file may say "extends": "PRESET or FILE" and state only what differs.`,
    )
    .action(async (refs: string[], opts: { arm: string[]; set: string[]; report?: string; reps: string; days?: string; seed: string; metrics?: string; out?: string; format: 'table' | 'json' | 'csv'; setA: string[]; setB: string[]; workers?: string; queue?: string; posterior?: string } & LimitFlags) => {
      const reps = positiveInt('--reps', opts.reps, 1, MAX_REPS)!;
      const seed = positiveInt('--seed', opts.seed, 0, MAX_SEED)!;
      const workers = threadCount('--workers', opts.workers);
      const metrics = metricList(opts.metrics);
      if (opts.report !== undefined && !statSync(dirname(resolve(opts.report)), { throwIfNoEntry: false })?.isDirectory()) {
        throw new InputError([{ path: '--report', message: `expected a file in an existing directory, got ${JSON.stringify(opts.report)}` }]);
      }
      const arms = compareArms(refs, opts).map(({ name, ref, sets }) => {
        const { scenario, source } = resolveScenario({ ref, sets, days: opts.days, readGraph: false });
        return { name, scenario: absoluteGraphFile(scenario, source.dir) };
      });
      const nodes = checkGraphFiles(arms.map((a) => a.scenario), opts.queue !== undefined);
      const parallel = workers ?? availableParallelism();
      const limits = runLimits(opts, parallel);
      checkCosts(arms.map((a) => [a.name, a.scenario]), limits, parallel, nodes, opts.queue !== undefined);
      const posterior = readPosteriorFlag(opts.posterior);
      const queue = await flagNamed(() => queueExecutor(opts.queue));
      const batch = await flagNamed(() => compare(arms, { reps, seed, metrics, out: opts.out, workers, runLimits: limits, executor: queue, command: commandLine(), posterior, seriesBands: opts.report !== undefined }));
      const res = await flagNamed(() => batchWithProgress(batch, { queue, parallel, perRun: queue ? undefined : meanRunSeconds(arms.map((a) => a.scenario), nodes) }));
      if (opts.out) writeFileAtomic(`${opts.out}/compare.csv`, compareCsv(res));
      if (opts.report) writeFileAtomic(opts.report, compareReport({ result: res, arms, seed, command: commandLine() }));
      const text =
        opts.format === 'json' ? `${JSON.stringify({ arms: res.arms, reps: res.reps, seeds: res.seeds, ...(posterior ? { posterior: { source: posterior.source, params: posterior.names, particles: res.particles } } : {}), rows: res.rows }, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`
        : opts.format === 'csv' ? compareCsv(res)
        : compareTable(res);
      process.stdout.write(text);
      reportFailures(res.failures, opts.out);
    });

  limitOptions(program.command('sweep'))
    .description('Run an experiment file: every design point x replication, streamed to runs.csv, summary.csv (mean, sd, 95% CI) and manifest.json.')
    .argument('<experiment>', 'experiment file (JSON; `community-sim experiment-schema` prints its schema)')
    .option('-w, --workers <n>', 'worker threads (default: the number of cores)')
    .option('-o, --out <dir>', 'output directory (default: EXPERIMENT-results)')
    .option('--resume', 'finish an interrupted sweep in --out: finished runs are kept, the rest are run')
    .option('-q, --queue <url>', `${QUEUE_HELP}; --resume re-attaches to the sweep's queue`)
    .option('--posterior <dir>', `${POSTERIOR_HELP}; --resume needs the same`)
    .addOption(new Option('--series <form>', 'write series.csv in this form, whatever the file\'s "series" says: wide (one row per run and day) or long (one row per run, day and metric); --resume keeps the form of the interrupted sweep').choices(['wide', 'long']))
    .addHelpText(
      'after',
      `
Experiment file:
  { "base": "moderated-forum", "days": 120, "reps": 3, "seed": 7,
    "factors": { "policies.moderation.strictness": [0, 0.5, 1],
                 "policies.rubrics.perWeek": { "min": 0, "max": 6, "n": 4, "sample": "grid" } },
    "metrics": ["finalMembers", "meanToxicShare"], "series": true }
  base: a preset name, a scenario file (relative to the experiment file) or an inline scenario.
  A factor is a list of values or a range sampled on a "grid", at "random" or by "lhs".
  series: true or "wide", "long", false (default).
  reporters: { "NAME": { "metric": DAILY, "at": DAY | "end" } or { "metric": DAILY, "mean": [FROM, TO] },
    with "by": "stage" | "archetype" for one column per group }: more columns of runs.csv.
  stop: { "metric": DAILY, "below": X, "for": K }: end a run after K days in a row below X.

Files (tidy CSV for pandas or R):
  runs.csv      point, rep, seed, each varied parameter, [particle with --posterior,] every
                summary metric, each reporter, stopped, stopDay (with "stop") (one row per run)
  summary.csv   point, parameters, metric, n, mean, sd, ciLow, ciHigh (95% t interval)
  series.csv    wide: point, rep, seed, day, each varied parameter, every daily metric (one row
                per run and day); long: point, rep, seed, day, metric, value (with "series")
  manifest.json version, command, hashes, seeds, start and end, failed runs`,
    )
    .action(async (file: string, opts: { workers?: string; out?: string; resume?: boolean; queue?: string; series?: 'wide' | 'long'; posterior?: string } & LimitFlags) => {
      const workers = threadCount('--workers', opts.workers);
      const exp = loadExperiment(file);
      const posterior = readPosteriorFlag(opts.posterior);
      const nodes = checkGraphFiles(experimentGraphs(exp), opts.queue !== undefined);
      const parallel = workers ?? availableParallelism();
      const limits = runLimits(opts, parallel);
      checkCosts(experimentSizes(exp), limits, parallel, nodes, opts.queue !== undefined);
      const out = opts.out ?? defaultOut(file);
      const t0 = Date.now();
      const queue = await flagNamed(() => queueExecutor(opts.queue));
      const batch = await flagNamed(() => sweep(exp, { out, workers, runLimits: limits, resume: opts.resume, executor: queue, command: commandLine(), series: opts.series, posterior }));
      const res = await flagNamed(() => batchWithProgress(batch, { resumeHint: `run \`community-sim sweep ${file} --out ${out} --resume${opts.queue ? ' --queue URL' : ''}\` to finish`, queue, parallel, perRun: queue ? undefined : meanRunSeconds(sampledPoints(exp), nodes) }));
      process.stderr.write(`${res.completed} runs in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${out}/\n`);
      reportFailures(res.failures, out);
    });

  limitOptions(program.command('sensitivity'))
    .description('Which levers move a metric most: Morris elementary effects (mu*, sigma) or Sobol first-order and total indices with 95% intervals.')
    .argument('<experiment>', 'experiment file whose factors are all ranges { min, max }')
    .addOption(new Option('--method <method>', 'morris (screening) or sobol (variance shares); default: the file\'s sensitivity.method').choices(['morris', 'sobol']))
    .option('--metric <name>', 'summary metric to analyse (default: the file\'s sensitivity.metric)')
    .option('-w, --workers <n>', 'worker threads (default: the number of cores)')
    .option('-o, --out <dir>', 'also write runs.csv, summary.csv, sensitivity.csv and manifest.json to this directory')
    .option('--resume', 'finish an interrupted analysis in --out')
    .option('-q, --queue <url>', QUEUE_HELP)
    .option('--posterior <dir>', `${POSTERIOR_HELP}: the indices are then over the fit's uncertainty; --resume needs the same`)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'csv']).default('table'))
    .action(async (file: string, opts: { method?: 'morris' | 'sobol'; metric?: string; workers?: string; out?: string; resume?: boolean; format: 'table' | 'csv'; queue?: string; posterior?: string } & LimitFlags) => {
      const workers = threadCount('--workers', opts.workers);
      const metric = metricName(opts.metric);
      if (opts.resume && !opts.out) throw new InputError([{ path: '--resume', message: 'expected --out DIR naming the interrupted analysis' }]);
      const exp = loadExperiment(file);
      const posterior = readPosteriorFlag(opts.posterior);
      const nodes = checkGraphFiles(experimentGraphs(exp), opts.queue !== undefined);
      const parallel = workers ?? availableParallelism();
      const limits = runLimits(opts, parallel);
      checkCosts(experimentSizes(exp), limits, parallel, nodes, opts.queue !== undefined);
      const queue = await flagNamed(() => queueExecutor(opts.queue));
      const batch = await flagNamed(() => sensitivity(exp, { method: opts.method, metric, out: opts.out, workers, runLimits: limits, resume: opts.resume, executor: queue, command: commandLine(), posterior }));
      const hint = opts.out ? `run the same command with --resume to finish` : undefined;
      const res = await flagNamed(() => batchWithProgress(batch, { resumeHint: hint, queue, parallel, perRun: queue ? undefined : meanRunSeconds([exp.base], nodes) }));
      process.stdout.write(opts.format === 'csv' ? sensitivityCsv(res) : sensitivityTable(res));
      for (const w of res.warnings) process.stderr.write(`warning: ${w}\n`);
      reportFailures(res.failures, opts.out);
    });

  limitOptions(program.command('worker'))
    .description('Do the runs of sweeps submitted with --queue: start one or more on any machine that reaches Redis, at any time; Ctrl-C stops after the runs in progress.')
    .requiredOption('-q, --queue <url>', 'Redis at redis://[user:password@]HOST[:PORT][/DB] (rediss:// for TLS)')
    .option('-c, --concurrency <n>', 'runs at once, each in its own thread, shared between the sweeps being worked on (default: the number of cores)')
    .option('--lock-duration <ms>', 'how long a run stays claimed without a heartbeat: a killed worker\'s runs are taken over after it', '30000')
    .option('--stalled-interval <ms>', 'how often to look for runs whose worker was lost', '30000')
    .option('--graph-dir <dir>', 'the directory of the graph files that queued scenarios may name (population.graph.file); without it such runs fail')
    .action(async (opts: { queue: string; concurrency?: string; lockDuration: string; stalledInterval: string; graphDir?: string } & LimitFlags) => {
      const { parseQueueUrl } = await import('../experiments/queue/connection.js');
      parseQueueUrl(opts.queue, '--queue');
      await warnIfOpen(opts.queue);
      const concurrency = threadCount('--concurrency', opts.concurrency) ?? availableParallelism();
      const lockDuration = positiveInt('--lock-duration', opts.lockDuration, 100)!;
      const stalledInterval = positiveInt('--stalled-interval', opts.stalledInterval, 100)!;
      const graphDir = opts.graphDir === undefined ? undefined : resolve(opts.graphDir);
      if (graphDir !== undefined && !statSync(graphDir, { throwIfNoEntry: false })?.isDirectory()) {
        throw new InputError([{ path: '--graph-dir', message: `expected a directory, got ${JSON.stringify(opts.graphDir)}` }]);
      }
      const { serveUntilSignal } = await import('../experiments/queue/worker.js');
      const runLimitsOf = runLimits(opts, concurrency);
      await flagNamed(() => serveUntilSignal({ url: opts.queue, concurrency, lockDuration, stalledInterval, graphDir, runLimits: { maxMembers: runLimitsOf.maxMembers, maxBytes: runLimitsOf.maxBytes } }));
    });

  program
    .command('experiment-schema')
    .description('Print the JSON Schema of experiment files (for editor autocompletion).')
    .action(() => {
      process.stdout.write(`${JSON.stringify(experimentJsonSchema(), null, 2)}\n`);
    });
}
