/**
 * Reads an input file (a scenario, an experiment, a graph) as text, or an InputError naming the
 * file and what was wrong. Only a regular file is read: a FIFO would block the command forever
 * and a device such as /dev/zero never ends (Node aborted with bad_alloc), so both are refused
 * before anything is read. A symbolic link is followed.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { InputError } from './input-error.js';

/** What a file system entry other than a regular file is, for messages. */
export function entryKind(st: Stats): string {
  return st.isDirectory() ? 'a directory'
    : st.isCharacterDevice() ? 'a character device'
    : st.isBlockDevice() ? 'a block device'
    : st.isFIFO() ? 'a FIFO'
    : st.isSocket() ? 'a socket'
    : 'not a regular file';
}

/** The UTF-8 text of `path`; `kind` names the file in messages ("scenario", "experiment", "graph"). */
export function readInputFile(path: string, kind: string): string {
  const fail = (e: unknown): never => {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError([{ path, message: code === 'ENOENT' ? `no such ${kind} file` : `cannot read the ${kind} file (${code ?? String(e)})` }]);
  };
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    return fail(e);
  }
  if (!st.isFile()) throw new InputError([{ path, message: `expected a ${kind} file, got ${entryKind(st)}` }]);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    return fail(e);
  }
}
