/**
 * `community-sim run`: one run of a scenario (a file, a preset or the defaults, with overrides)
 * printed as JSON (the engine's RunResult) or as the tidy CSV of its daily series, to stdout or
 * atomically to `--out`. A run estimated at 10 s or more states its estimate on stderr first; then
 * a progress bar follows it on a terminal, and a line every 10 s when stderr is piped.
 *
 * `--report FILE.html` writes the page a manager reads (experiments/report.ts runReport); with
 * `--reps N` it rests on N replications: the run itself (the scenario's seed) in this process
 * and replication r (seed deriveSeed(seed, r)) in worker threads meanwhile.
 */
import { dirname, resolve } from 'node:path';
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { describeArrivals, formatBytes, type Cost, type RunResult, type RunSummary, type Scenario, type Simulation } from '../engine/index.js';
import { writeFileAtomic } from '../experiments/io/atomic-write.js';
import { seriesCsv } from '../experiments/io/csv.js';
import { checkCost, limitOptions, runLimits, type LimitFlags } from './limits.js';
import { InputError } from '../experiments/io/input-error.js';
import { absoluteGraphFile } from '../experiments/schema.js';
import { SeriesBands } from '../experiments/series-bands.js';
import type { Executor, RunOutcome } from '../experiments/executor.js';
import { commandLine, positiveInt, threadCount } from './experiments-commands.js';
import { SCENARIO_PATHS_HELP, resolveScenario } from './scenario-source.js';
import { Progress, type ProgressOptions } from './progress.js';

interface RunOptions extends LimitFlags {
  preset?: string;
  days?: string;
  seed?: string;
  set: string[];
  out?: string;
  format: 'json' | 'csv';
  report?: string;
  reps?: string;
  workers?: string;
}

/** A report path in an existing directory, or an InputError naming `flag` (nothing is run). */
export function reportPath(flag: string, path: string | undefined): string | undefined {
  if (path !== undefined && !statSync(dirname(resolve(path)), { throwIfNoEntry: false })?.isDirectory()) {
    throw new InputError([{ path: flag, message: `expected a file in an existing directory, got ${JSON.stringify(path)}` }]);
  }
  return path;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerRunCommand(program: Command): void {
  const cmd = program
    .command('run')
    .description('Run one scenario and print its daily series, summary and cohorts.')
    .argument('[file]', 'scenario file (JSON); without it and without --preset, every default')
    .option('-p, --preset <name>', 'run a shipped preset (see `community-sim presets`)')
    .option('-d, --days <n>', 'days to simulate (overrides the scenario\'s days)')
    .option('-s, --seed <s>', 'run seed (overrides the scenario\'s seed)')
    .option('--set <path=value>', 'override a scenario field by its dotted path; repeatable', collect, [])
    .option('-o, --out <file>', 'write to this file (atomically) instead of stdout')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'csv']).default('json'))
    .option('--report <file.html>', 'write a self-contained HTML page a manager can read (the run goes to stdout only with --out)')
    .option('--reps <n>', 'with --report: replications behind it (medians, 5-95% bands, 95% intervals); default 1')
    .option('-w, --workers <n>', 'with --reps: worker threads for the other replications (default: the number of cores)');
  limitOptions(cmd)
    .addHelpText(
      'after',
      `
Output:
  json  { scenario, seed, version, series: [ {day, members, ...}, ... ], summary, cohorts, graph, events }
  csv   the daily series, one row per day and one column per metric, with a header row

Examples:
  community-sim run --days 365 --seed 1 > run.json
  community-sim run --preset moderated-forum --set policies.moderation.strictness=0.8 --format csv
  community-sim run my-forum.json --set 'policies.response.targetHours=null' --out run.json
  community-sim run --preset brand-community --days 120 --report brand.html --reps 10

Report (--report FILE.html): one page, inline SVG, nothing fetched: what the scenario sets
  (with each field's definition and evidence), one sentence per key outcome (mean and 95%
  interval over the replications), the main series (median and 5-95% band), where the manager's
  hours went, the events of the run, and the version, seeds and command. With --report the
  run's JSON or CSV is written only with --out. Replication 0 is the run itself (the scenario's
  seed); replication r runs with deriveSeed(seed, r), as compare's replications do.
${SCENARIO_PATHS_HELP}`,
    )
    .action(async (file: string | undefined, opts: RunOptions) => {
      const report = reportPath('--report', opts.report);
      if (opts.reps !== undefined && report === undefined) throw new InputError([{ path: '--reps', message: 'expected --report FILE.html with it (replications are for the report; compare and sweep run many)' }]);
      const reps = positiveInt('--reps', opts.reps, 1, 100_000) ?? 1;
      const workers = threadCount('--workers', opts.workers);
      const { scenario, graph, source } = resolveScenario({ file, preset: opts.preset, sets: opts.set, days: opts.days, seed: opts.seed });
      // this thread and the other replications' threads run at once and share the memory limit
      const parallel = reps > 1 ? 1 + Math.min(workers ?? availableParallelism(), reps - 1) : 1;
      const limits = runLimits(opts, parallel);
      const cost = checkCost(scenario, limits, parallel, '', graph?.nodes);
      // The engine loads only when a command runs it, so help, validate and schema start fast.
      const { createSimulation, deriveSeed, memberLimit } = await import('../engine/index.js');
      // the other replications start in worker threads before this process runs its own
      let others: Promise<RunOutcome[]> | undefined;
      if (reps > 1) {
        const { WorkerPool } = await import('../experiments/pool.js');
        const seeds = Array.from({ length: reps - 1 }, (_, i) => deriveSeed(scenario.seed, i + 1));
        others = replications(new WorkerPool({ size: parallel - 1, runLimits: limits }), absoluteGraphFile(scenario, source.dir), seeds);
        // one turn of the event loop hands the workers their first jobs before this thread is busy
        await new Promise((r) => setImmediate(r));
      }
      const sim = createSimulation(scenario, { ...(graph ? { graph } : {}), maxMembers: memberLimit(scenario, limits) });
      const result = runWithProgress(sim, cost);
      const text = opts.format === 'csv' ? seriesCsv(result.series) : `${JSON.stringify(result)}\n`;
      if (opts.out) writeFileAtomic(opts.out, text);
      else if (!report) process.stdout.write(text);
      if (!report) return;
      const bands = new SeriesBands();
      bands.add(0, result.series);
      const summaries: RunSummary[] = [result.summary];
      const seeds = [result.seed];
      for (const o of others ? await others : []) {
        if (!o.ok) {
          process.stderr.write(`replication ${o.job.rep} (seed ${o.job.seed}) failed twice: ${o.error}\n`);
          process.exitCode = 1;
          continue;
        }
        bands.add(0, o.output.series ?? []);
        summaries.push(o.output.summary);
        seeds.push(o.job.seed);
      }
      const { runReport } = await import('../experiments/report.js');
      const label = opts.preset ? `preset ${opts.preset}` : file ?? 'the default scenario';
      writeFileAtomic(report, runReport({ scenario, source: label, summaries, seeds, bands: bands.bands(0), events: result.events, command: commandLine() }));
      process.stderr.write(`report of ${summaries.length} run${summaries.length === 1 ? '' : 's'} -> ${report}\n`);
    });
}

/** Runs the scenario with each seed in a worker pool; the outcomes in seed order. */
async function replications(pool: Executor, scenario: Scenario, seeds: number[]): Promise<RunOutcome[]> {
  const out: RunOutcome[] = [];
  try {
    const jobs = seeds.map((seed, i) => ({ key: `0:${i + 1}`, point: 0, rep: i + 1, seed, scenario, series: true }));
    for await (const o of pool.run(jobs)) out.push(o);
  } finally {
    await pool.close();
  }
  return out.sort((a, b) => a.job.rep - b.job.rep);
}

/**
 * Runs to the end. A run estimated to take `announceSeconds` or more says so first (members,
 * memory, time), so a long run is never silent; then a bar follows it on a terminal, and when
 * stderr is piped or logged, a line every `everyMs` (day, members, time so far and left) once
 * the run is long (see Progress).
 */
export function runWithProgress(sim: Simulation, cost: Cost, options: ProgressOptions = {}): RunResult {
  const progress = new Progress(options);
  const grow = cost.maxMembers > cost.members ? `up to ${Math.round(cost.maxMembers).toLocaleString('en-US')} members by day ${sim.days} (${describeArrivals(cost)})` : `${cost.members.toLocaleString('en-US')} members`;
  progress.estimate(cost.seconds, (time) => `${grow}, about ${formatBytes(cost.bytes)} of memory and ${time} at full speed`);
  if (progress.piped) {
    return sim.run((day) => progress.tick(day, sim.days - day, () => `day ${day}/${sim.days}: ${(sim.series(day).at(-1)?.members ?? 0).toLocaleString('en-US')} members`));
  }
  let bar: cliProgress.SingleBar | undefined;
  try {
    return sim.run((day) => {
      if (!bar && progress.now() - progress.started > 1000) {
        bar = new cliProgress.SingleBar(
          { stream: progress.stream as NodeJS.WriteStream, format: 'day {value}/{total} [{bar}] {percentage}% eta {eta_formatted}', etaBuffer: 60, clearOnComplete: true, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(sim.days, day);
      }
      bar?.update(day);
    });
  } finally {
    bar?.stop();
  }
}
