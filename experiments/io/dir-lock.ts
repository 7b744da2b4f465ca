/**
 * A lock on an output directory, so that two processes never finish one sweep at once (both
 * would do every remaining run, and could trip over each other's files).
 *
 * The lock is a file `.lock` in the directory, created exclusively, holding the owner's process
 * id and host. A lock whose process is gone (killed, crashed: nothing removed the file) is stale
 * and taken over. A lock from another host cannot be checked and is reported with how to clear it.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { InputError } from './input-error.js';

/** Whether a process with this id runs on this machine (EPERM: it does, owned by someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock on `dir` (which exists) or throws an InputError under `field` naming the
 * process that holds it. Returns the release function (idempotent).
 */
export function lockDir(dir: string, field: string): () => void {
  const path = join(dir, '.lock');
  const me = `${process.pid} ${hostname()}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let text = '';
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        continue; // released between the two calls: try again
      }
      const [pidText, host] = text.trim().split(' ');
      const pid = Number(pidText);
      const stale = Number.isInteger(pid) && pid > 0 && host === hostname() && !alive(pid);
      // An empty or unreadable lock file is one whose writer died between creating and writing it.
      if (stale || text.trim() === '') {
        rmSync(path, { force: true });
        continue;
      }
      const who = host === hostname() ? `process ${pid}` : `process ${pidText} on host ${host ?? '?'}`;
      throw new InputError([{ path: field, message: `expected no other process working in ${dir}, but ${who} holds its lock (${path}); wait for it to finish, or delete that file if it is gone` }]);
    }
    try {
      writeSync(fd, me);
    } finally {
      closeSync(fd);
    }
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.off('exit', release);
      try {
        if (readFileSync(path, 'utf8') === me) rmSync(path, { force: true });
      } catch {
        // already gone (the directory was removed): nothing to release
      }
    };
    // a normal exit (an error thrown to the top, or process.exit on a signal) releases it too
    process.on('exit', release);
    return release;
  }
  throw new InputError([{ path: field, message: `expected to lock ${dir}, but its lock file ${path} keeps changing (another process is starting there)` }]);
}
