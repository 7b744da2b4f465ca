/**
 * Bad input on the command line, and the one place that turns it into an exit code: every
 * command throws `InputError` (or lets a `ScenarioError` through) and `reportInputError` prints
 * one line per problem on stderr, `path: what was expected`, with exit code 2 and no stack trace.
 * Anything else is a bug and keeps its stack.
 */
import { ScenarioError, type FieldIssue } from '../scenarios/schema.js';

/** Exit code of every bad-input failure (malformed file, unknown preset, bad flag or value). */
export const EXIT_BAD_INPUT = 2;

function issueLine(issue: FieldIssue): string {
  // A message is one line by contract; an embedded newline (from a parser) would break it.
  const message = issue.message.replace(/\s*\n\s*/g, ' ');
  return issue.path ? `${issue.path}: ${message}` : message;
}

/** A problem with what the user gave; each issue prints as one line. */
export class InputError extends Error {
  readonly issues: FieldIssue[];

  constructor(issues: FieldIssue[] | string) {
    const list = typeof issues === 'string' ? [{ path: '', message: issues }] : issues;
    super(list.map(issueLine).join('\n'));
    this.name = 'InputError';
    this.issues = list;
  }

  /** The issues of a ScenarioError, each prefixed by where the scenario came from (a file name). */
  static fromScenarioError(e: ScenarioError, where?: string): InputError {
    if (!where) return new InputError(e.issues);
    return new InputError(e.issues.map((i) => ({ path: i.path ? `${where}: ${i.path}` : where, message: i.message })));
  }
}

/** The lines to print for an input error, or null when `e` is not the user's fault. */
export function inputErrorLines(e: unknown): string[] | null {
  if (e instanceof InputError || e instanceof ScenarioError) return e.issues.map(issueLine);
  return null;
}

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
