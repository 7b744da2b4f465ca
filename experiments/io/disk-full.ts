/**
 * A full disk (or a quota) while a sweep writes its files: the finished runs are kept (each is
 * appended whole; a torn last block is dropped on resume), so the error says how much room to
 * make and that the run can be resumed, not a stack trace.
 */
import { statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** True for "no space left" and "quota exceeded" errors from node:fs. */
export function isDiskFull(e: unknown): e is NodeJS.ErrnoException {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

const mb = (b: number) => `${Math.max(1, Math.ceil(b / 1e6))} MB`;

export class DiskFullError extends Error {
  constructor(
    readonly dir: string,
    readonly phase: 'runs' | 'finalize',
    readonly code: string,
  ) {
    const size = (f: string) => statSync(join(dir, f), { throwIfNoEntry: false })?.size ?? 0;
    // finalizing rewrites runs.csv and series.csv in their canonical order through temporary copies
    const copies = size('runs.csv') + size('series.csv');
    super(
      `${dir}: no space left on the device (${code}) while ${phase === 'runs' ? 'writing the finished runs' : 'finalizing the output files'}; ` +
        `the finished runs are kept. Free at least ${mb(copies)} there (finalizing writes a second copy of runs.csv and series.csv, ${mb(copies)} now, before replacing them; more for the runs still to do), then resume into the same directory`,
    );
    this.name = 'DiskFullError';
  }
}

/**
 * The write call of the sweep's growing files (runs.csv, series.csv and their final copies): a
 * seam where a test makes the disk full, since a small tmpfs needs root to mount.
 */
export const sweepIo = { writeSync };
