/**
 * Reads a JSON input file (a scenario, an experiment) into plain data, or an InputError naming
 * the file and what was wrong: missing, not a regular file, unreadable, or not JSON (with line and
 * column).
 */
import { InputError } from './input-error.js';
import { readInputFile } from './input-file.js';
import { notJsonMessage } from './json-syntax.js';

/** The parsed content of `path`; `kind` names the file in messages ("scenario", "experiment"). */
export function readJsonFile(path: string, kind: string): unknown {
  const text = readInputFile(path, kind);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // never JSON.parse's message: it quotes the file, which may be any file on the machine
    throw new InputError([{ path, message: notJsonMessage(text) }]);
  }
  const deep = tooDeep(value);
  if (deep !== null) throw new InputError([{ path, message: tooDeepMessage(deep) }]);
  return value;
}

/**
 * How deeply JSON input may nest. The deepest valid scenario or experiment is about ten levels;
 * a value nested thousands deep (10 kB of brackets) overflowed the stack while being validated.
 */
export const MAX_JSON_DEPTH = 64;

/** The dotted path of the first value nested deeper than MAX_JSON_DEPTH, or null ('' is the top). */
export function tooDeep(value: unknown): string | null {
  const stack: [unknown, string, number][] = [[value, '', 0]];
  while (stack.length) {
    const [v, at, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return at;
    for (const [k, child] of Object.entries(v)) stack.push([child, Array.isArray(v) ? `${at}[${k}]` : at ? `${at}.${k}` : k, depth + 1]);
  }
  return null;
}

/** The message for a value tooDeep found at `at`. */
export function tooDeepMessage(at: string): string {
  return `expected JSON nested at most ${MAX_JSON_DEPTH} levels deep, got deeper${at ? ` at ${at.length > 80 ? `${at.slice(0, 80)}...` : at}` : ''}`;
}
