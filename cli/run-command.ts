/**
 * `community-sim run`: one run of a scenario (a file, a preset or the defaults, with overrides)
 * printed as JSON (the engine's RunResult) or as the tidy CSV of its daily series, to stdout or
 * atomically to `--out`. A progress bar goes to stderr when it is a terminal and the run is long.
 */
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import type { RunResult, Simulation } from '../engine/index.js';
import { writeFileAtomic } from '../experiments/io/atomic-write.js';
import { seriesCsv } from '../experiments/io/csv.js';
import { checkCost, limitOptions, runLimits, type LimitFlags } from './limits.js';
import { SCENARIO_PATHS_HELP, resolveScenario } from './scenario-source.js';

interface RunOptions extends LimitFlags {
  preset?: string;
  days?: string;
  seed?: string;
  set: string[];
  out?: string;
  format: 'json' | 'csv';
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
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'csv']).default('json'));
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
${SCENARIO_PATHS_HELP}`,
    )
    .action(async (file: string | undefined, opts: RunOptions) => {
      const { scenario, graph } = resolveScenario({ file, preset: opts.preset, sets: opts.set, days: opts.days, seed: opts.seed });
      const limits = runLimits(opts, 1);
      checkCost(scenario, limits, 1, '', graph?.nodes);
      // The engine loads only when a command runs it, so help, validate and schema start fast.
      const { createSimulation, memberLimit } = await import('../engine/index.js');
      const sim = createSimulation(scenario, { ...(graph ? { graph } : {}), maxMembers: memberLimit(scenario, limits) });
      const result = runWithProgress(sim);
      const text = opts.format === 'csv' ? seriesCsv(result.series) : `${JSON.stringify(result)}\n`;
      if (opts.out) writeFileAtomic(opts.out, text);
      else process.stdout.write(text);
    });
}

/** Runs to the end; a bar appears only when stderr is a terminal and the run passes a second. */
function runWithProgress(sim: Simulation): RunResult {
  if (!process.stderr.isTTY) return sim.run();
  const started = Date.now();
  let bar: cliProgress.SingleBar | undefined;
  try {
    return sim.run((day) => {
      if (!bar && Date.now() - started > 1000) {
        bar = new cliProgress.SingleBar(
          { stream: process.stderr, format: 'day {value}/{total} [{bar}] {percentage}% eta {eta_formatted}', etaBuffer: 60, clearOnComplete: true, hideCursor: true },
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
