// `community-sim sensitivity EXP --posterior DIR`, as compare and sweep take it: every design
// point's replication r runs at the particle drawn for its seed (runs.csv: particle), and a
// folder without a fit's posterior.csv is refused with exit code 2 before any run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { particleOfSeed, parsePosteriorCsv } from '../../experiments/posterior-draws.js';
import { cli } from './run-cli.js';
import { scratchDir } from './scratch.js';

const scratch = scratchDir('sensitivity-posterior');
const POSTERIOR = 'particle,weight,distance,population.organicPerDay,behaviour.churnBase\n0,0.5,0.2,0.5,0.01\n1,0.3,0.25,20,0.02\n2,0.2,0.3,80,0.005\n';
const EXPERIMENT = {
  base: { population: { initialMembers: 10 } }, days: 6, reps: 2, seed: 2, metrics: ['finalMembers'],
  factors: { 'policies.moderation.strictness': { min: 0, max: 1, n: 1 } },
  sensitivity: { method: 'morris', metric: 'finalMembers', trajectories: 2, levels: 4, resamples: 20 },
};

describe('sensitivity --posterior', () => {
  it('runs every point at the replications\' particles; a folder with no posterior.csv is exit 2', () => {
    scratch.write('fit/posterior.csv', POSTERIOR);
    const exp = scratch.write('exp.json', EXPERIMENT);
    const out = join(scratch.path, 'out');
    const r = cli(['sensitivity', exp, '--posterior', join(scratch.path, 'fit'), '--out', out, '--workers', '1', '--format', 'csv']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^method,metric,factor,/);
    const [head, ...rows] = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    expect(head[4]).toBe('particle');
    expect(rows.length).toBe(8);
    const weights = parsePosteriorCsv(POSTERIOR).weights;
    for (const row of rows) expect(Number(row[4])).toBe(particleOfSeed(weights, Number(row[2])));
    const bad = cli(['sensitivity', exp, '--posterior', join(scratch.path, 'nothing'), '--workers', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--posterior: expected the folder of a finished fit/);
  });
});
