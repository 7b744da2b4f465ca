/**
 * `community-sim fit OBSERVED.csv --out DIR`: calibrates scenario parameters to a community's
 * observed series (from `observe`) by ABC-SMC on the worker pool, and writes the posterior, the
 * fitted scenario, the observed-vs-simulated bands and a manifest. The fit itself is
 * experiments/fit.ts; this file maps flags, reports its progress on stderr (cli/progress.ts) and
 * writes the files.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { AbcGeneration } from '../experiments/abc-smc.js';
import { type FitOptions, type FitSpec, fitCsv, fitManifest, fitObserved, forecastBands, forecastCsv, parseFitCsv, parseObservedCsv, posteriorCsv, readFitDir, resolveFit } from '../experiments/fit.js';
import { generationsJson, readGenerations } from '../experiments/fit-resume.js';
import { fitReportHtml, forecastReportHtml } from '../experiments/fit-report.js';
import { absoluteGraphFile } from '../experiments/schema.js';
import { writeFileAtomic } from '../experiments/io/atomic-write.js';
import { InputError } from '../experiments/io/input-error.js';
import { readJsonFile } from '../experiments/io/json-file.js';
import { withPath } from '../scenarios/schema.js';
import { resolveScenario } from './scenario-source.js';
import { QUEUE_HELP, flagNamed, queueExecutor, runSeconds } from './experiments-commands.js';
import { Progress, type ProgressOptions } from './progress.js';
import type { Executor, RunJob, RunOutcome } from '../experiments/executor.js';

/**
 * The fit's executor on `--queue URL`: every batch of proposals is one queued design of its own
 * (named by its jobs, so a resumed fit re-attaches to a batch already in Redis and gets the same
 * runs back), submitted, collected and closed. The queue's workers run every proposal to its
 * last day (queued jobs carry no tolerance): the same proposals are accepted, at more cost.
 */
async function queueBatches(url: string): Promise<Executor> {
  await (await flagNamed(() => queueExecutor(url)))!.close(); // checks the URL and that Redis answers, before any file
  return {
    size: 1,
    async *run(jobs: Iterable<RunJob> | AsyncIterable<RunJob>): AsyncIterable<RunOutcome> {
      const q = (await queueExecutor(url))!;
      try {
        yield* q.run(jobs);
      } finally {
        await q.close();
      }
    },
    close: async () => {},
  };
}

interface FitFlags {
  base?: string;
  params?: string;
  out: string;
  workers?: string;
  seed?: string;
  particles?: string;
  generations?: string;
  resume?: boolean;
  queue?: string;
}

const positive = (flag: string, raw: string | undefined, min = 1) => {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) throw new InputError([{ path: flag, message: `expected an integer >= ${min}, got ${JSON.stringify(raw)}` }]);
  return v;
};

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError([{ path, message: code === 'ENOENT' ? 'no such observed series file' : `cannot read (${code ?? String(e)})` }]);
  }
}

/** A batch of a generation's proposals is done (experiments/fit.ts FitOptions.onBatch). */
type FitBatch = Parameters<NonNullable<FitOptions['onBatch']>>[0];

/**
 * What a fit says on stderr as it goes, besides its line per generation. With FIT.json
 * `maxRuns` and a worker pool (`perRun`, a run's estimated seconds at the base's size), its
 * estimate first: a bound, the runs the budget leaves and the predictive ones (proposals vary in
 * size, and a run sure to miss the tolerance stops early, costing less). Then on a terminal a
 * bar per generation (particles accepted of those wanted, the tolerance, the time left at this
 * generation's acceptance so far); piped, once the fit is long (see Progress), a line at most
 * every report interval: the generation, its tolerance, the particles accepted, the runs, the
 * time so far and, with `maxRuns`, at most left.
 */
export function fitProgress(
  spec: Pick<FitSpec, 'particles' | 'maxRuns' | 'predictive'>,
  resumed: readonly AbcGeneration[],
  { perRun, parallel = 1, ...options }: ProgressOptions & { perRun?: number; parallel?: number } = {},
): { batch(b: FitBatch): void; generation(g: AbcGeneration): void; stop(): void } {
  const progress = new Progress(options);
  const before = resumed.reduce((n, g) => n + g.simulations, 0);
  const budget = spec.maxRuns === undefined ? NaN : Math.max(0, spec.maxRuns - before) + spec.predictive;
  if (perRun !== undefined) progress.estimateRuns(budget, perRun, parallel, { of: `FIT.json maxRuns${before ? ` less ${before.toLocaleString('en-US')} before` : ''}, and ${spec.predictive} predictive`, at: "the base scenario's" });
  const bar = progress.piped
    ? undefined
    : new cliProgress.SingleBar({ stream: progress.stream as NodeJS.WriteStream, format: 'generation {generation} | tolerance {tolerance} | {bar} {value}/{total} particles | {proposed} runs | eta {eta_formatted}', hideCursor: true, clearOnComplete: true, etaBuffer: 20 }, cliProgress.Presets.shades_classic);
  let barGeneration = -1;
  let finished = 0; // runs of the generations this process finished
  return {
    batch: (b) => {
      if (bar && b.generation !== barGeneration) {
        bar.stop();
        bar.start(spec.particles, 0, { generation: b.generation, tolerance: b.tolerance.toPrecision(3), proposed: 0 });
        barGeneration = b.generation;
      }
      bar?.update(b.accepted, { proposed: b.proposed });
      const runs = finished + b.proposed;
      const what = () => `generation ${b.generation}: tolerance ${b.tolerance.toPrecision(3)}, ${b.accepted}/${spec.particles} particles, ${(before + runs).toLocaleString('en-US')} runs`;
      progress.tick(runs, budget - runs, what, true);
    },
    generation: (g) => {
      bar?.stop();
      barGeneration = -1;
      finished += g.simulations;
    },
    stop: () => bar?.stop(),
  };
}

/**
 * `executor`, reporting a forecast's progress on stderr: the estimate of its `draws` runs first
 * (`perRun`, a run's estimated seconds at the fitted scenario's size; none with a queue), then,
 * piped and once the forecast is long (see Progress), a line at most every report interval with
 * the runs done, the time so far and left.
 */
export function forecastProgress(executor: Executor, draws: number, { perRun, ...options }: ProgressOptions & { perRun?: number } = {}): Executor {
  const progress = new Progress(options);
  if (perRun !== undefined) progress.estimateRuns(draws, perRun, executor.size);
  let done = 0;
  return {
    size: executor.size,
    close: () => executor.close(),
    async *run(jobs) {
      for await (const o of executor.run(jobs)) {
        done++;
        progress.tick(done, draws - done, () => `${done}/${draws} runs`);
        yield o;
      }
    },
  };
}

export function registerFitCommand(program: Command): void {
  program
    .command('fit')
    .description('Fit scenario parameters to a community\'s observed series (from `observe`) by ABC-SMC; writes the posterior, a fitted scenario and the observed-vs-simulated bands.')
    .argument('<observed>', 'the series CSV `community-sim observe` wrote (daily or weekly)')
    .requiredOption('-o, --out <dir>', 'output directory')
    .option('-b, --base <scenario>', 'preset name or scenario file to start from (default: every default, with no members on day 0)')
    .option('-p, --params <file>', 'FIT.json: parameters and their priors, columns and weights, particles, generations, seed')
    .option('-w, --workers <n>', 'worker threads (default: the number of cores)')
    .option('-s, --seed <s>', 'seed (overrides FIT.json\'s)')
    .option('--particles <n>', 'particles per generation (overrides FIT.json\'s)')
    .option('--generations <n>', 'generations after the prior\'s (overrides FIT.json\'s)')
    .option('--resume', 'go on with an interrupted fit in --out (the same command): finished generations are kept')
    .option('-q, --queue <url>', QUEUE_HELP)
    .addHelpText(
      'after',
      `
FIT.json (every field optional):
  { "params": { "population.organicPerDay": { "min": 0.1, "max": 300, "scale": "log" },
                "behaviour.churnBase": { "min": 0.001, "max": 1, "scale": "log" } },
    "columns": { "posts": 1, "contributors": 2 },
    "particles": 200, "generations": 6, "quantile": 0.5, "minTolerance": 0,
    "maxRuns": 20000, "predictive": 100, "seed": 1, "days": 120, "kernel": "olcm",
    "distance": "relative" }

Files in --out:
  posterior.csv  particle, weight, distance, one column per parameter (the last generation)
  generations.json  every generation's particles (written as each ends; --resume goes on from it)
  fitted.json    the base scenario at the posterior median (runnable)
  fit.csv        day, column, observed, median, lo50, hi50, lo90, hi90 (posterior predictive)
  report.html    observed points over the bands, coverage, posterior marginals, tolerances
  manifest.json  version, command, seed, priors, tolerance per generation, runs, seconds

Example:
  community-sim observe forum.csv --period week --out observed.csv
  community-sim fit observed.csv --params fit.json --out forum-fit`,
    )
    .action(async (observedFile: string, flags: FitFlags) => {
      const workers = positive('--workers', flags.workers);
      const obs = parseObservedCsv(readText(observedFile), observedFile);
      const { scenario, source } = flags.base === undefined ? resolveScenario({}) : resolveScenario({ ref: flags.base });
      // A community that opens on the log's first day starts with no members.
      const base = absoluteGraphFile(flags.base === undefined ? withPath(scenario, 'population.initialMembers', 0) : scenario, source.dir);
      const spec = (flags.params === undefined ? {} : readJsonFile(flags.params, 'fit')) as Record<string, unknown>;
      if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new InputError([{ path: flags.params!, message: 'expected a JSON object' }]);
      const over = { seed: positive('--seed', flags.seed, 0), particles: positive('--particles', flags.particles, 10), generations: positive('--generations', flags.generations) };
      const input = { ...spec, ...Object.fromEntries(Object.entries(over).filter(([, v]) => v !== undefined)) };
      const fit = resolveFit(input, obs, base, flags.params ?? 'fit');
      if (existsSync(flags.out) && !statSync(flags.out).isDirectory()) throw new InputError([{ path: '--out', message: `expected a directory, got the file ${JSON.stringify(flags.out)}` }]);
      const state = join(flags.out, 'generations.json');
      let resume: AbcGeneration[] | undefined;
      if (flags.resume) {
        if (!existsSync(state)) throw new InputError([{ path: '--resume', message: `expected an interrupted fit in ${flags.out} (no generations.json there)` }]);
        resume = readGenerations(readFileSync(state, 'utf8'), fit, state);
      }
      mkdirSync(flags.out, { recursive: true });

      const { WorkerPool } = await import('../experiments/pool.js');
      const executor = flags.queue === undefined ? new WorkerPool({ size: workers }) : await queueBatches(flags.queue);
      const started = new Date().toISOString();
      if (resume) process.stderr.write(`resuming after generation ${resume[resume.length - 1].generation}\n`);
      const progress = fitProgress(fit.spec, resume ?? [], flags.queue === undefined ? { perRun: runSeconds(fit.base), parallel: executor.size } : {});
      try {
        const done: AbcGeneration[] = [...(resume ?? [])];
        const result = await fitObserved(fit, {
          executor,
          resume,
          onBatch: progress.batch,
          onGeneration: (g) => {
            progress.generation(g);
            done.push(g);
            writeFileAtomic(state, generationsJson(fit, done));
            process.stderr.write(`generation ${g.generation}: tolerance ${Number.isFinite(g.tolerance) ? g.tolerance.toPrecision(3) : 'none (prior)'}, ${g.simulations} runs, acceptance ${(g.acceptance * 100).toFixed(1)}%, ESS ${g.ess.toFixed(0)}\n`);
          },
        });
        writeFileAtomic(join(flags.out, 'posterior.csv'), posteriorCsv(result));
        writeFileAtomic(join(flags.out, 'fitted.json'), `${JSON.stringify(result.fitted, null, 2)}\n`);
        writeFileAtomic(join(flags.out, 'fit.csv'), fitCsv(result));
        writeFileAtomic(join(flags.out, 'report.html'), fitReportHtml(result, `Fit of ${basename(observedFile)}`));
        const command = ['community-sim', ...process.argv.slice(2)].join(' ');
        writeFileAtomic(join(flags.out, 'manifest.json'), `${JSON.stringify(fitManifest(result, { command, observed: observedFile, base: flags.base ?? null, startedAt: started, endedAt: new Date().toISOString() }), null, 2)}\n`);
        process.stderr.write(`${result.runs} runs in ${(result.ms / 1000).toFixed(1)} s (${result.stopped}) -> ${flags.out}/\n`);
      } finally {
        progress.stop();
        await executor.close();
      }
    });

  program
    .command('forecast')
    .description('The posterior predictive of a fit N days past its data, with 50% and 90% bands, written into the fit\'s folder as forecast.csv and forecast.html.')
    .argument('<dir>', 'the --out folder of `community-sim fit`')
    .requiredOption('-d, --days <n>', 'days past the observed ones')
    .option('-r, --runs <n>', 'runs at posterior particles drawn by weight', '100')
    .option('-w, --workers <n>', 'worker threads (default: the number of cores)')
    .option('-q, --queue <url>', QUEUE_HELP)
    .addHelpText('after', `
forecast.csv: day, column, median, lo50, hi50, lo90, hi90, one row per period and fitted column,
  day continuing the observed days (the periods that start after the data), as fit.csv.
forecast.html: one self-contained page per fitted column: the observed points and the fit's
  bands (fit.csv), then the forecast's 50% and 90% bands and median past the data.`)
    .action(async (dir: string, flags: { days: string; runs: string; workers?: string; queue?: string }) => {
      const days = positive('--days', flags.days)!;
      const draws = positive('--runs', flags.runs)!;
      const workers = positive('--workers', flags.workers);
      const read = (f: string) => {
        try {
          return readFileSync(join(dir, f), 'utf8');
        } catch {
          throw new InputError([{ path: dir, message: `expected the folder of a finished fit (no ${f} there)` }]);
        }
      };
      const fit = readFitDir({ fitted: read('fitted.json'), posterior: read('posterior.csv'), manifest: read('manifest.json') }, dir);
      const fitted = parseFitCsv(read('fit.csv'), join(dir, 'fit.csv'));
      const { WorkerPool } = await import('../experiments/pool.js');
      // --queue: the runs go through Redis as one queued design, as a fit's predictive runs do.
      const pool = flags.queue === undefined ? new WorkerPool({ size: workers }) : await queueBatches(flags.queue);
      const executor = forecastProgress(pool, draws, flags.queue === undefined ? { perRun: runSeconds(withPath(fit.base, 'days', fit.days + days)) } : {});
      try {
        const bands = await forecastBands(executor, fit, days, draws);
        writeFileAtomic(join(dir, 'forecast.csv'), forecastCsv(bands));
        writeFileAtomic(join(dir, 'forecast.html'), forecastReportHtml(fitted, bands, { title: `Forecast of ${basename(dir)}`, runs: draws, dataDays: fit.days, days }));
        process.stderr.write(`${draws} runs: days ${fit.days} to ${fit.days + days - 1} -> ${join(dir, 'forecast.csv')}, forecast.html\n`);
      } finally {
        await executor.close();
      }
    });
}
