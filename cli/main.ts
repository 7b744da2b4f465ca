/**
 * The `community-sim` command line: builds the commander program, runs it, and maps bad input
 * (an InputError, a ScenarioError or a usage error from commander) to one line per problem on
 * stderr and exit code 2.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_BAD_INPUT, reportInputError } from './errors.js';
import { registerExperimentCommands } from './experiments-commands.js';
import { registerMetricsCommand } from './metrics-command.js';
import { registerFitCommand } from './fit-command.js';
import { registerObserveCommand } from './observe-command.js';
import { registerOptimiseCommand } from './optimise-command.js';
import { registerRunCommand } from './run-command.js';
import { registerScenarioCommands } from './scenario-commands.js';
import { packageRoot } from '../experiments/io/scenario-source.js';
import { SCENARIO_PATHS_HELP } from './scenario-source.js';

const EXIT_CODES = `
Exit codes: 0 success, 2 bad input (one line per problem on stderr, nothing written).`;

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** The program with every command registered (exported for the commands' own tests and docs). */
export function buildProgram(): Command {
  const program = new Command('community-sim')
    .description('Agent-based simulation of online and offline communities: what a manager\'s choices do to growth, toxicity and retention.')
    .version(packageVersion())
    .showSuggestionAfterError(true)
    .addHelpText('after', SCENARIO_PATHS_HELP + '\n' + EXIT_CODES);
  registerRunCommand(program);
  registerScenarioCommands(program);
  registerExperimentCommands(program);
  registerMetricsCommand(program);
  registerObserveCommand(program);
  registerOptimiseCommand(program);
  registerFitCommand(program);
  // Throw instead of exiting, on every command however it was added, so main() owns exit codes.
  const override = (cmd: Command) => {
    cmd.exitOverride();
    cmd.commands.forEach(override);
  };
  override(program);
  return program;
}

/** Runs the CLI on `argv` (without node and the script); sets process.exitCode. */
export async function main(argv: string[]): Promise<void> {
  // `community-sim run | head` closes stdout early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander has printed its message (or the help/version) already.
      process.exitCode = e.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
      return;
    }
    if (!reportInputError(e)) throw e;
  }
}
