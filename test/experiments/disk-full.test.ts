// A full disk while a sweep writes its files (reliability review D13): a DiskFullError that says
// what to free and how to go on, no temporary file left behind, and a resume after room is made
// gives the files of an uninterrupted sweep. The disk is made full through the seam of the
// sweep's write call (mounting a small tmpfs needs root): a quota of bytes, never freed.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InlineExecutor } from '../../experiments/executor.js';
import { DiskFullError, sweepIo } from '../../experiments/io/disk-full.js';
import { sweep } from '../../experiments/sweep.js';

const dir = mkdtempSync(join(tmpdir(), 'disk-full-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const realWrite = sweepIo.writeSync;
afterEach(() => {
  sweepIo.writeSync = realWrite;
});

/** A disk that takes `quota` more bytes of the sweep's files, then answers ENOSPC. */
function fillAfter(quota: number): void {
  let left = quota;
  sweepIo.writeSync = ((fd: number, data: string | NodeJS.ArrayBufferView, ...rest: unknown[]) => {
    const n = typeof data === 'string' ? Buffer.byteLength(data) : typeof rest[1] === 'number' ? rest[1] : data.byteLength;
    if (n > left) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    left -= n;
    return (realWrite as (...a: unknown[]) => number)(fd, data, ...rest);
  }) as typeof sweepIo.writeSync;
}

describe('a full disk during a sweep', () => {
  const exp = { base: { population: { initialMembers: 30, burnInDays: 10 } }, days: 6, reps: 2, seed: 3, series: true, factors: { 'policies.moderation.strictness': [0, 1] } };
  const files = ['runs.csv', 'series.csv', 'summary.csv'];
  let whole = '';
  let bytes = 0;
  beforeAll(async () => {
    whole = join(dir, 'whole');
    await sweep(exp, { out: whole, executor: new InlineExecutor() }).result;
    bytes = statSync(join(whole, 'runs.csv')).size + statSync(join(whole, 'series.csv')).size;
  });

  const failing = async (out: string, quota: number) => {
    fillAfter(quota);
    const error = await sweep(exp, { out, executor: new InlineExecutor() }).result.catch((e: unknown) => e);
    sweepIo.writeSync = realWrite;
    return error as DiskFullError;
  };
  const resumed = async (out: string) => {
    await sweep(exp, { out, executor: new InlineExecutor(), resume: true }).result;
    for (const f of files) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(whole, f), 'utf8'));
    expect(readdirSync(out).sort()).toEqual(['manifest.json', ...files].sort());
  };

  it('while the runs are written: the finished runs kept, what to free, resumable to the same files', async () => {
    const out = join(dir, 'runs-phase');
    const e = await failing(out, Math.floor(bytes / 2));
    expect(e).toBeInstanceOf(DiskFullError);
    expect(e.phase).toBe('runs');
    expect(e.message).toMatch(/: no space left on the device \(ENOSPC\) while writing the finished runs; the finished runs are kept\. Free at least \d+ MB there \(finalizing writes a second copy of runs\.csv and series\.csv.*then resume into the same directory$/);
    expect(readdirSync(out).filter((f) => f.includes('tmp'))).toEqual([]);
    await resumed(out);
  });

  it('while finalizing (which needs room for a second copy of series.csv): no partial copy left, resumable', async () => {
    const out = join(dir, 'finalize-phase');
    // room for the runs and a little, not for the final copies
    const e = await failing(out, bytes + 200);
    expect(e).toBeInstanceOf(DiskFullError);
    expect(e.phase).toBe('finalize');
    expect(readdirSync(out).filter((f) => f.includes('tmp'))).toEqual([]);
    await resumed(out);
  });
});
