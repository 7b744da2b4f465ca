/**
 * Reads a JSON input file (a scenario, an experiment) into plain data, or an InputError naming
 * the file and what was wrong: missing, not a regular file, unreadable, or not JSON (with line and
 * column).
 */
import { InputError } from './input-error.js';
import { readInputFile } from './input-file.js';

/** The parsed content of `path`; `kind` names the file in messages ("scenario", "experiment"). */
export function readJsonFile(path: string, kind: string): unknown {
  const text = readInputFile(path, kind);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError([{ path, message: `not valid JSON (${jsonErrorText(e as Error, text)})` }]);
  }
}

/** JSON.parse's message with a line and column added where it gives only a character offset. */
function jsonErrorText(e: Error, text: string): string {
  const m = /at position (\d+)/.exec(e.message);
  if (!m || /line \d+/.test(e.message)) return e.message;
  const before = text.slice(0, Number(m[1])).split('\n');
  return `${e.message} (line ${before.length} column ${before[before.length - 1].length + 1})`;
}
