/**
 * The scenario commands: `validate FILE` (every field error, or "ok"), `schema` (the JSON Schema
 * of scenario files, for editors) and `presets` (the shipped scenarios, one line each).
 */
import type { Command } from 'commander';
import { scenarioJsonSchema } from '../scenarios/schema.js';
import { listPresets } from '../experiments/io/scenario-source.js';
import { resolveScenario } from './scenario-source.js';

export function registerScenarioCommands(program: Command): void {
  program
    .command('validate')
    .description('Check a scenario file (and the graph file it names); print "ok: NAME" or one line per bad field.')
    .argument('<file>', 'scenario file, or a preset name')
    .action((file: string) => {
      const { scenario, source } = resolveScenario({ ref: file });
      process.stdout.write(`ok: ${scenario.name ?? source.label}\n`);
    });

  program
    .command('schema')
    .description('Print the JSON Schema of scenario files (for editor autocompletion and docs).')
    .action(() => {
      process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    });

  program
    .command('presets')
    .description('List the shipped preset scenarios: name and description, one a line.')
    .action(() => {
      const presets = listPresets();
      const width = Math.max(0, ...presets.map((p) => p.name.length));
      process.stdout.write(presets.map((p) => `${p.name.padEnd(width)}  ${p.description}\n`).join(''));
    });
}
