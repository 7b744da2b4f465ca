/**
 * Bad input from the user, as the library reports it: `InputError` carries one issue per problem,
 * `path: what was expected`, where the path is a scenario or experiment field, a file, or the
 * name of an option (`out`, `resume`, `url`). The command line turns it into one stderr line per
 * issue and exit code 2 (cli/errors.ts), naming its flags instead of the options.
 */
import { ScenarioError, type FieldIssue } from '../../scenarios/schema.js';

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

/**
 * The lines to print for an input error, each once (a value can break two rules of a field with
 * the same message, e.g. a seed of 1e20), or null when `e` is not the user's fault.
 */
export function inputErrorLines(e: unknown): string[] | null {
  if (e instanceof InputError || e instanceof ScenarioError) return [...new Set(e.issues.map(issueLine))];
  return null;
}
