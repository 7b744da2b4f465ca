// optimise --queue on a real redis-server with a `community-sim worker` process: each
// generation's runs go through Redis, and the files equal a local search's (front.csv,
// candidates.csv), with Redis left without the search's jobs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../cli/run-cli.js';
import { scratchDir } from '../../cli/scratch.js';
import { PREFIX } from '../../../experiments/queue/names.js';
import { redisForFile } from './redis-server.js';

const scratch = scratchDir('optimise-queue');
const redis = redisForFile({ timeout: 180_000 });

const spec = {
  base: { population: { initialMembers: 30 }, manager: { hoursPerDay: 1 } },
  days: 15,
  reps: 1,
  finalReps: 2,
  seed: 4,
  levers: { 'policies.moderation.strictness': { min: 0, max: 1 }, 'policies.rubrics.perWeek': { min: 0, max: 3 } },
  budget: { hoursPerDay: 1 },
  objectives: [{ metric: 'finalMembers' }, { metric: 'meanToxicShare' }],
  runs: 16,
  populationSize: 4,
};

describe('optimise --queue', () => {
  it('through a worker process equals the local search, file for file', async () => {
    const file = scratch.write('spec.json', spec);
    const local = join(scratch.path, 'local');
    const queued = join(scratch.path, 'queued');
    const a = cli(['optimise', file, '--out', local, '--workers', '1']);
    expect(a.code, a.stderr).toBe(0);
    const worker = redis.worker();
    const b = cli(['optimise', file, '--out', queued, '--queue', redis.server.url]);
    expect(b.code, b.stderr).toBe(0);
    expect(await worker.joined(10_000), worker.log).toBe(true);
    for (const f of ['front.csv', 'candidates.csv']) expect(readFileSync(join(queued, f), 'utf8'), f).toBe(readFileSync(join(local, f), 'utf8'));
    expect(JSON.parse(readFileSync(join(queued, 'manifest.json'), 'utf8')).runs).toBe(JSON.parse(readFileSync(join(local, 'manifest.json'), 'utf8')).runs);
    const c = redis.server.client();
    const left = (await c.keys(`${PREFIX}:*`)).filter((k) => !/:(meta|events|stalled-check)$/.test(k));
    c.disconnect();
    expect(left).toEqual([]);
  }, 180_000);
});
