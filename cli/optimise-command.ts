/**
 * `community-sim optimise SPEC.json --out DIR`: the multi-objective search of
 * experiments/optimise.ts from the command line, with its progress on stderr (runs, generation,
 * the front's size: a bar, or lines when piped), `--workers`, `--queue` and `--resume` like
 * `sweep`, and the front as a table.
 */
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { basename, extname } from 'node:path';
import { availableParallelism } from 'node:os';
import { loadOptimisation, optimise, type OptimiseOptions, type OptimiseResult } from '../experiments/optimise.js';
import { QUEUE_HELP, commandLine, flagNamed, queueExecutor, runSeconds, threadCount } from './experiments-commands.js';
import { Progress, type ProgressOptions } from './progress.js';

const fmt = (v: number) => (!Number.isFinite(v) ? 'NA' : Number(v.toPrecision(4)).toString());

/** The front as a text table: levers, objectives with intervals, hours used. */
function frontTable(res: OptimiseResult): string {
  const names = Object.keys(res.base.levers);
  const header = ['#', ...names, ...res.base.objectives.map((o) => `${o.metric} (${o.goal}) [95% CI]`), 'hours/day', 'beats base'];
  const row = (s: OptimiseResult['front'][number], label: string) => [
    label,
    ...names.map((n) => fmt(s.levers[n])),
    ...s.objectives.map((o) => `${fmt(o.mean)} [${fmt(o.ciLow)}, ${fmt(o.ciHigh)}]`),
    fmt(s.hours.managerHoursUsed),
    s.dominatesBaseCI ? 'yes (95%)' : s.dominatesBase ? 'on means' : '',
  ];
  const rows = [...res.front.map((s) => row(s, String(s.candidate))), row(res.base, `base${res.base.feasible ? '' : ' (over budget)'}`)];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

type OptimiseStep = Parameters<NonNullable<OptimiseOptions['onProgress']>>[0];

/**
 * What a search says on stderr as it goes. With a worker pool (`perRun`, a run's estimated
 * seconds at the base's size), its estimate first: a bound, the spec's `runs` (levers change a
 * run's size). Then a bar on a terminal (runs, generation, the front's size), or piped, once
 * the search is long (see Progress), a line at most every report interval: runs done of the
 * budget, the generation, the front's size, the time so far and at most left.
 */
export function optimiseProgress(total: number, { perRun, parallel = 1, ...options }: ProgressOptions & { perRun?: number; parallel?: number } = {}): { update(p: OptimiseStep): void; stop(): void } {
  const progress = new Progress(options);
  if (perRun !== undefined) progress.estimateRuns(total, perRun, parallel, { of: 'the spec\'s runs', at: "the base scenario's" });
  const bar = progress.piped
    ? undefined
    : new cliProgress.SingleBar({ stream: progress.stream as NodeJS.WriteStream, format: '{bar} {value}/{total} runs | generation {generation} | front {front}{phase}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  bar?.start(total, 0, { generation: 0, front: 0, phase: '' });
  return {
    update: (p) => {
      const phase = p.phase === 'final' ? ', re-evaluating the front' : '';
      bar?.update(p.runs, { generation: p.generation, front: p.front, phase: phase.replace(',', ' |') });
      const n = (x: number) => x.toLocaleString('en-US');
      progress.tick(p.runs - p.read, p.total - p.runs, () => `${n(p.runs)}/${n(p.total)} runs: generation ${p.generation}, front ${p.front}${phase}`, true);
    },
    stop: () => bar?.stop(),
  };
}

export function registerOptimiseCommand(program: Command): void {
  program
    .command('optimise')
    .alias('optimize')
    .description('Search the levers for the best strategies under an hours budget: a Pareto front of the objectives (NSGA-II), each strategy re-run for 95% intervals.')
    .argument('<spec>', 'optimisation spec (JSON)')
    .option('-o, --out <dir>', 'output directory (default: SPEC-results)')
    .option('-w, --workers <n>', 'worker threads (default: the number of cores)')
    .option('--resume', 'finish an interrupted search in --out (finished runs are read back, not run again)')
    .option('-q, --queue <url>', QUEUE_HELP)
    .addHelpText(
      'after',
      `
Spec:
  { "base": "brand-community", "days": 120, "reps": 2, "seed": 1,
    "levers": { "policies.rubrics.perWeek": { "min": 0, "max": 7 },
                "policies.response.targetHours": { "min": 1, "max": 48 } },
    "budget": { "hoursPerDay": 2 },
    "objectives": [ { "metric": "finalMembers", "goal": "max" },
                    { "metric": "meanToxicShare", "goal": "min" } ],
    "runs": 1200 }
  Levers on integer fields take integers. A candidate whose activities take more than
  budget.hoursPerDay on average (its hours by activity, run with the base's manager.hoursPerDay)
  is infeasible. finalReps (default max(5, 3 x reps)) replications for every reported strategy.

Files: front.csv (the strategies), candidates.csv (every run), report.html (for a manager), manifest.json.`,
    )
    .action(async (file: string, opts: { out?: string; workers?: string; resume?: boolean; queue?: string }) => {
      const workers = threadCount('--workers', opts.workers);
      const spec = loadOptimisation(file);
      const out = opts.out ?? `${basename(file, extname(file))}-results`;
      const queue = await flagNamed(() => queueExecutor(opts.queue));
      const progress = optimiseProgress(spec.spec.runs, queue ? {} : { perRun: runSeconds(spec.base), parallel: workers ?? availableParallelism() });
      const onSignal = (signal: NodeJS.Signals) => {
        progress.stop();
        process.stderr.write(`interrupted: finished runs are kept; run \`community-sim optimise ${file} --out ${out} --resume\` to finish\n`);
        process.exit(signal === 'SIGINT' ? 130 : 143);
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const t0 = Date.now();
      let res: OptimiseResult;
      try {
        res = await flagNamed(() =>
          optimise(spec, {
            out,
            workers,
            resume: opts.resume,
            executor: queue,
            command: commandLine(),
            onProgress: progress.update,
          }),
        );
      } finally {
        progress.stop();
        if (queue) await queue.close();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      process.stdout.write(frontTable(res));
      process.stderr.write(`${res.front.length} strategies on the front after ${res.generations} generations, ${res.runs} runs in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${out}/\n`);
      if (res.failures.length) {
        for (const f of res.failures) process.stderr.write(`run failed twice: candidate ${f.candidate} rep ${f.rep} seed ${f.seed}: ${f.error}\n`);
        process.exitCode = 1;
      }
      if (!res.front.length) {
        process.stderr.write(`no strategy stayed within ${spec.spec.budget.hoursPerDay} hours a day (raise budget.hoursPerDay, or narrow the levers that take hours)\n`);
        process.exitCode = 1;
      }
    });
}
