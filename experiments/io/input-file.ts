/**
 * Reads an input file (a scenario, an experiment, a graph) as text, or an InputError naming the
 * file and what was wrong. Only a regular file is read: a FIFO would block the command forever
 * and a device such as /dev/zero never ends (Node aborted with bad_alloc), so both are refused
 * before anything is read. A symbolic link is followed. The text must be UTF-8; a byte order mark
 * is dropped.
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
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return fail(e);
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new InputError([{ path, message: `expected UTF-8 text, got an invalid byte at line ${at.line} (byte ${at.offset}); save the file as UTF-8` }]);
  }
}

// Strict: invalid bytes are an error, not silently U+FFFD; a leading byte order mark (Windows
// Notepad writes one) is dropped rather than becoming part of the first token.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Where the first invalid UTF-8 sequence starts (0-based byte offset), and its 1-based line. */
function firstInvalidUtf8(bytes: Uint8Array): { offset: number; line: number } {
  let line = 1;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (n === 0 || i + n > bytes.length) return { offset: i, line };
    try {
      UTF8.decode(bytes.subarray(i, i + n));
    } catch {
      return { offset: i, line };
    }
    if (b === 0x0a) line++;
    i += n;
  }
  return { offset: bytes.length, line };
}
