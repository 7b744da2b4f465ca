/**
 * The one place that turns bad input into an exit code: every command throws `InputError` (or
 * lets a `ScenarioError` through) and `reportInputError` prints one line per problem on stderr,
 * `path: what was expected`, with exit code 2 and no stack trace. Anything else is a bug and
 * keeps its stack.
 */
import { GrowthLimitError } from '../engine/cost.js';
import { inputErrorLines } from '../experiments/io/input-error.js';

/** Exit code of every bad-input failure (malformed file, unknown preset, bad flag or value). */
export const EXIT_BAD_INPUT = 2;

/** Lines of one bad-input report at most (the last says how many more there were). */
const MAX_LINES = 20;

/**
 * Prints an input error on stderr and sets exit code 2; returns false (and prints nothing) for
 * any other error, which the caller should rethrow.
 */
export function reportInputError(e: unknown): boolean {
  // a run that outgrew what this machine allows it: refused like input it cannot hold
  const lines = e instanceof GrowthLimitError ? [`${e.message} (--max-members, --max-memory)`] : outOfMemory(e) ?? inputErrorLines(e);
  if (!lines) return false;
  // A file with millions of unknown keys printed 96 MB: the first problems are what one fixes first.
  const shown = lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES - 1), `... and ${lines.length - MAX_LINES + 1} more problems`] : lines;
  process.stderr.write(shown.map((l) => `${l}\n`).join(''));
  process.exitCode = EXIT_BAD_INPUT;
  return true;
}

/**
 * An allocation that failed although the limits allowed it (other processes took the memory, or
 * a limit set above what the machine has): one line saying so, not V8's stack trace.
 */
function outOfMemory(e: unknown): string[] | null {
  if (!(e instanceof RangeError) || !/Array buffer allocation failed|Invalid typed array length|Invalid array length/.test(e.message)) return null;
  return [`out of memory: ${e.message}; the run needs more memory than is free (set --max-memory to what this machine can give a run, or start smaller)`];
}
