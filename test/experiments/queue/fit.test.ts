// `community-sim fit --queue URL` on a real redis-server with a `community-sim worker` process:
// every batch of proposals goes through Redis, and the files equal a fit on the local pool with
// the same seed (the queue's workers run proposals to their last day; the same ones are kept);
// `forecast --queue` likewise gives the local forecast.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../cli/run-cli.js';
import { scratchDir } from '../../cli/scratch.js';
import { redisForFile } from './redis-server.js';

const scratch = scratchDir('fit-queue');
const redis = redisForFile();

const OBSERVED = 'date,day,joins,members\n2024-01-01,0,56,53\n2024-01-08,7,60,96\n2024-01-15,14,54,128\n';
const SPEC = { params: { 'population.organicPerDay': { min: 0.5, max: 50, scale: 'log' } }, particles: 10, generations: 1, predictive: 10, seed: 4 };

describe('fit --queue, forecast --queue', () => {
  it('writes the files of a local fit with the same seed', async () => {
    const observed = scratch.write('observed.csv', OBSERVED);
    const spec = scratch.write('fit.json', SPEC);
    const local = cli(['fit', observed, '--params', spec, '--out', join(scratch.path, 'local'), '--workers', '1']);
    expect(local.code).toBe(0);
    redis.worker();
    const queued = cli(['fit', observed, '--params', spec, '--out', join(scratch.path, 'queued'), '--queue', redis.server.url]);
    expect(queued.stderr).toMatch(/generation 1: tolerance /);
    expect(queued.code).toBe(0);
    for (const f of ['posterior.csv', 'fit.csv', 'fitted.json', 'generations.json']) {
      expect(readFileSync(join(scratch.path, 'queued', f), 'utf8'), f).toBe(readFileSync(join(scratch.path, 'local', f), 'utf8'));
    }
    // forecast --queue: its runs through Redis give the local forecast.
    expect(cli(['forecast', join(scratch.path, 'local'), '--days', '14', '--runs', '10', '--workers', '1']).code).toBe(0);
    const forecast = cli(['forecast', join(scratch.path, 'queued'), '--days', '14', '--runs', '10', '--queue', redis.server.url]);
    expect(forecast.stderr).toMatch(/10 runs: days 21 to 34/);
    expect(forecast.code).toBe(0);
    expect(readFileSync(join(scratch.path, 'queued', 'forecast.csv'), 'utf8')).toBe(readFileSync(join(scratch.path, 'local', 'forecast.csv'), 'utf8'));
  }, 180_000);
});
