/**
 * The batch-experiment commands (`compare`, `sweep`, `sensitivity`): registered here by the
 * experiments module; empty until it lands.
 */
import type { Command } from 'commander';

export function registerExperimentCommands(program: Command): void {
  void program;
}
