/**
 * The one place that turns bad input into an exit code: every command throws `InputError` (or
 * lets a `ScenarioError` through) and `reportInputError` prints one line per problem on stderr,
 * `path: what was expected`, with exit code 2 and no stack trace. Anything else is a bug and
 * keeps its stack.
 */
import { inputErrorLines } from '../experiments/io/input-error.js';

/** Exit code of every bad-input failure (malformed file, unknown preset, bad flag or value). */
export const EXIT_BAD_INPUT = 2;

/**
 * Prints an input error on stderr and sets exit code 2; returns false (and prints nothing) for
 * any other error, which the caller should rethrow.
 */
export function reportInputError(e: unknown): boolean {
  const lines = inputErrorLines(e);
  if (!lines) return false;
  process.stderr.write(lines.map((l) => `${l}\n`).join(''));
  process.exitCode = EXIT_BAD_INPUT;
  return true;
}
