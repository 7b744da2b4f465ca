/**
 * Writes an output file atomically: into a temporary file in the same directory, then renamed
 * over the target, so a reader (or a crash half-way) never sees a partial file.
 *
 * Only a regular file is ever replaced. A target that exists and is something else (a device
 * such as /dev/null, a FIFO, a socket, a directory) is refused: the rename would put a regular
 * file in its place (as root, `--out /dev/null` would replace the system's /dev/null). A symbolic
 * link is written through: the file it points to is replaced and the link stays; a link to
 * anything but a regular file (such as /dev/stdout, a link to /proc/self/fd/1) is refused.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from './input-error.js';
import { entryKind } from './input-file.js';

/** The file to replace: `path` itself, or the regular file a symbolic link at `path` points to. */
function replaceable(path: string): string {
  let entry: Stats | undefined;
  try {
    entry = lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return path; // e.g. ENOTDIR or EACCES: the write below fails and says why
  }
  if (!entry || entry.isFile()) return path;
  if (!entry.isSymbolicLink()) {
    const message = entry.isDirectory() ? 'it is a directory' : `expected a regular file or a new path, got ${entryKind(entry)} (refusing to replace it)`;
    throw new InputError([{ path, message }]);
  }
  const target = statSync(path, { throwIfNoEntry: false });
  if (!target) throw new InputError([{ path, message: 'expected a regular file or a new path, got a symbolic link to a missing file' }]);
  if (!target.isFile()) throw new InputError([{ path, message: `expected a regular file or a new path, got a symbolic link to ${entryKind(target)} (refusing to replace it)` }]);
  return realpathSync(path);
}

/** Writes `data` to `path` atomically; a path that cannot be written is an InputError naming it. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const file = replaceable(path);
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'its directory does not exist' : err.code === 'EISDIR' ? 'it is a directory' : `cannot write (${err.code ?? err.message})`;
    throw new InputError([{ path, message: why }]);
  }
}
