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
import { closeSync, fsyncSync, lstatSync, openSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
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

/**
 * A temporary name beside `path` that no other process (nor another call in this one) uses: two
 * processes finishing the same directory must not write into one temporary file.
 */
export function tempName(path: string, what = 'tmp'): string {
  return join(dirname(path), `.${basename(path)}.${what}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Flushes a directory's entries (a rename done in it) to the disk. A rename is atomic for
 * readers, but until the directory is synced a power loss can undo it; platforms that cannot
 * open a directory (Windows) are skipped.
 */
export function fsyncDir(dir: string): void {
  let fd = -1;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // not supported here: the rename is still atomic, only not yet durable
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** Writes `data` to `path` atomically; a path that cannot be written is an InputError naming it. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const file = replaceable(path);
  const tmp = tempName(file);
  try {
    // the data reaches the disk before the name does: a power loss leaves the old file, not an empty one
    const fd = openSync(tmp, 'w');
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    fsyncDir(dirname(file));
  } catch (e) {
    rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'its directory does not exist' : err.code === 'EISDIR' ? 'it is a directory' : `cannot write (${err.code ?? err.message})`;
    throw new InputError([{ path, message: why }]);
  }
}
