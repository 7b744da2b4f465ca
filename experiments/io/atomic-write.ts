/**
 * Writes an output file atomically: into a temporary file in the same directory, then renamed
 * over the target, so a reader (or a crash half-way) never sees a partial file.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from './input-error.js';

/** Writes `data` to `path` atomically; a path that cannot be written is an InputError naming it. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'its directory does not exist' : err.code === 'EISDIR' ? 'it is a directory' : `cannot write (${err.code ?? err.message})`;
    throw new InputError([{ path, message: why }]);
  }
}
