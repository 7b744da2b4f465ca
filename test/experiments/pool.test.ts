import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunJob, RunOutcome } from '../../experiments/executor.js';
import { WorkerPool } from '../../experiments/pool.js';

const faulty = new URL('./fixtures/faulty-worker.mjs', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'pool-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const job = (i: number, name = 'ok', description = ''): RunJob =>
  ({ key: `${i}:0`, point: i, rep: 0, seed: 1000 + i, scenario: { name, description } as never, params: { x: i } });

async function collect(it: AsyncIterable<RunOutcome>): Promise<RunOutcome[]> {
  const out: RunOutcome[] = [];
  for await (const o of it) out.push(o);
  return out;
}

describe('experiments/pool', () => {
  it('runs every job once across the workers, pulling a generator lazily', async () => {
    const pool = new WorkerPool({ size: 2, workerUrl: faulty });
    let pulled = 0;
    function* jobs() {
      for (let i = 0; i < 40; i++) {
        pulled++;
        yield job(i);
      }
    }
    const it = pool.run(jobs())[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    expect(pulled).toBeLessThan(10); // lazily, not all 40 up front
    const rest: RunOutcome[] = [first.value];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value);
    expect(rest.map((o) => o.job.key).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `${i}:0`).sort());
    for (const o of rest) expect(o.ok && o.output.summary.finalMembers).toBe(o.job.seed);
    await pool.close();
  });

  it('a run that throws is retried once, reported with its seed and parameters, and the batch goes on', async () => {
    const pool = new WorkerPool({ size: 2, workerUrl: faulty });
    const out = await collect(pool.run([job(0), job(1, 'throw'), job(2), job(3)]));
    expect(out.length).toBe(4);
    const bad = out.find((o) => !o.ok)!;
    expect(bad.ok).toBe(false);
    expect(bad.attempts).toBe(2);
    expect(bad.job.seed).toBe(1001);
    expect(bad.job.params).toEqual({ x: 1 });
    if (!bad.ok) expect(bad.error).toContain('bad run 1:0');
    expect(out.filter((o) => o.ok).length).toBe(3);
    await pool.close();
  });

  it('a crashed worker is replaced and its run retried; a run that crashes twice is reported', async () => {
    const pool = new WorkerPool({ size: 2, workerUrl: faulty });
    const out = await collect(pool.run([job(0), job(1, 'crash-once', join(dir, 'marker')), job(2, 'crash'), job(3), job(4)]));
    const byKey = new Map(out.map((o) => [o.job.key, o]));
    expect(out.length).toBe(5);
    expect(byKey.get('1:0')).toMatchObject({ ok: true, attempts: 2 });
    const twice = byKey.get('2:0')!;
    expect(twice).toMatchObject({ ok: false, attempts: 2 });
    if (!twice.ok) expect(twice.error).toMatch(/exited with code 3/);
    for (const k of ['0:0', '3:0', '4:0']) expect(byKey.get(k)!.ok).toBe(true);
    expect(pool.crashes).toBeGreaterThanOrEqual(2); // crash twice (crash-once may share its death)
    await pool.close();
  });
});
