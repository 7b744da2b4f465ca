/**
 * The one place that turns bad input into an exit code: every command throws `InputError` (or
 * lets a `ScenarioError` through) and `reportInputError` prints one line per problem on stderr,
 * `path: what was expected`, with exit code 2 and no stack trace. Anything else is a bug and
 * keeps its stack.
 */
import { InputError, inputErrorLines } from '../experiments/io/input-error.js';

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

/**
 * Runs a library call, naming the command line's flags in its input errors where the library
 * names its options (as an issue's path, or in backquotes in a message): `flags` maps an option
 * name to its flag.
 */
export async function withFlagNames<T>(flags: ReadonlyMap<string, string>, call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw new InputError(e.issues.map((i) => ({ path: flags.get(i.path) ?? i.path, message: i.message.replace(/`(\w+)`/g, (m, name: string) => flags.get(name) ?? m) })));
  }
}
