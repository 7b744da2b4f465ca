// compare, sweep and sensitivity under a fit's posterior: replication r of every arm runs at the particle
// drawn for its seed (the same in every arm, so differences stay paired), the particle's values
// are applied (each run equals a direct run of the arm at that particle), runs.csv records it,
// and bad posteriors or arms that set a fitted parameter are refused before any run.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deriveSeed, parseScenario, runScenario } from '../../engine/index.js';
import { compare } from '../../experiments/compare.js';
import { InlineExecutor } from '../../experiments/executor.js';
import { atParticle, parsePosteriorCsv, particleOfSeed } from '../../experiments/posterior-draws.js';
import { sensitivity } from '../../experiments/sensitivity.js';
import { sweep } from '../../experiments/sweep.js';

const dir = mkdtempSync(join(tmpdir(), 'community-sim-posterior-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Three particles far apart in newcomers a day, so a run shows which one it had.
const POSTERIOR = 'particle,weight,distance,population.organicPerDay,behaviour.churnBase\n0,0.5,0.2,0.5,0.01\n1,0.3,0.25,20,0.02\n2,0.2,0.3,80,0.005\n';
const post = parsePosteriorCsv(POSTERIOR, 'fit/posterior.csv');
const small = parseScenario({ days: 12, population: { initialMembers: 10 } });
const strict = parseScenario({ ...small, policies: { moderation: { strictness: 1 } } });
const runsOf = (out: string) => {
  const [head, ...rows] = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
};

describe('posterior draws', () => {
  it('a weighted draw per seed: every particle with weight is drawn about as often as it weighs', () => {
    const counts = [0, 0, 0, 0];
    const weights = [0.5, 0.3, 0, 0.2];
    for (let r = 0; r < 4000; r++) counts[particleOfSeed(weights, deriveSeed(1, r))]++;
    expect(counts[2]).toBe(0);
    // binomial sd at n = 4000 is at most 32: 4 sd
    weights.forEach((w, i) => expect(Math.abs(counts[i] - 4000 * w)).toBeLessThan(130));
    expect(particleOfSeed(weights, 99)).toBe(particleOfSeed(weights, 99));
  });

  it('compare: replication r of both arms runs at the same particle, applied; runs.csv and the result record it', async () => {
    const out = join(dir, 'cmp');
    const res = await compare([{ name: 'A', scenario: small }, { name: 'B', scenario: strict }], { reps: 6, seed: 3, executor: new InlineExecutor(), out, posterior: post, metrics: ['finalMembers'] }).result;
    const runs = runsOf(out);
    expect(Object.keys(runs[0]).slice(0, 5)).toEqual(['point', 'rep', 'seed', 'arm', 'particle']);
    const expected = res.seeds.map((s) => particleOfSeed(post.weights, s));
    expect(res.particles).toEqual(expected);
    expect(new Set(expected).size).toBeGreaterThan(1); // the draws differ between replications
    for (const run of runs) {
      const rep = Number(run.rep);
      expect(Number(run.particle)).toBe(expected[rep]);
      // the particle's values were applied: the run is a direct run of the arm at that particle
      const arm = run.arm === 'A' ? small : strict;
      const direct = runScenario(atParticle(arm, post, expected[rep]), { seed: Number(run.seed) }).summary;
      expect(Number(run.finalMembers)).toBe(direct.finalMembers);
    }
    // and it matters: without the posterior the same seeds give other members
    const plain = await compare([{ name: 'A', scenario: small }, { name: 'B', scenario: strict }], { reps: 6, seed: 3, executor: new InlineExecutor(), metrics: ['finalMembers'] }).result;
    expect(plain.particles).toBeUndefined();
    expect(plain.rows[0].a).not.toBe(res.rows[0].a);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.posterior).toEqual({ source: 'fit/posterior.csv', params: ['population.organicPerDay', 'behaviour.churnBase'], particles: expected });
  });

  it('sweep: every point shares the replications\' particles', async () => {
    const out = join(dir, 'sweep');
    const spec = { base: { population: { initialMembers: 10 } }, days: 8, reps: 3, seed: 2, factors: { 'policies.moderation.strictness': [0, 1] }, metrics: ['finalMembers' as const], series: true };
    await sweep(spec, { out, executor: new InlineExecutor(), posterior: post }).result;
    const runs = runsOf(out);
    expect(runs.length).toBe(6);
    for (const run of runs) expect(Number(run.particle)).toBe(particleOfSeed(post.weights, Number(run.seed)));
    // the wide series.csv says which particle each row ran at, as runs.csv does
    const [header, ...rows] = readFileSync(join(out, 'series.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    expect(header.slice(0, 7)).toEqual(['point', 'rep', 'seed', 'day', 'policies.moderation.strictness', 'particle', 'members']);
    expect(rows).toHaveLength(6 * 9);
    for (const row of rows) expect(Number(row[5])).toBe(particleOfSeed(post.weights, Number(row[2])));
    // and a resume recognises those rows as whole: deleting runs.csv's last run re-runs only that run
    const runsPath = join(out, 'runs.csv');
    const lines = readFileSync(runsPath, 'utf8').trimEnd().split('\n');
    writeFileSync(runsPath, `${lines.slice(0, -1).join('\n')}\n`);
    const series = readFileSync(join(out, 'series.csv'), 'utf8');
    const resumed = sweep(spec, { out, executor: new InlineExecutor(), posterior: post, resume: true });
    const ran: string[] = [];
    for await (const r of resumed) ran.push(`${r.point}:${r.rep}`);
    expect(ran).toEqual(['1:2']);
    expect((await resumed.result).completed).toBe(6);
    expect(readFileSync(join(out, 'series.csv'), 'utf8')).toBe(series);
    expect(readFileSync(join(out, 'summary.csv'), 'utf8').split('\n')[0]).toBe('point,policies.moderation.strictness,metric,n,mean,sd,ciLow,ciHigh');
  });

  it('sensitivity: every design point shares the replications\' particles, applied; a factor that is a fitted parameter is refused', async () => {
    const out = join(dir, 'sensitivity');
    const exp = {
      base: { population: { initialMembers: 10 } }, days: 8, reps: 2, seed: 2, metrics: ['finalMembers' as const],
      factors: { 'policies.moderation.strictness': { min: 0, max: 1, n: 1 } },
      sensitivity: { method: 'morris' as const, metric: 'finalMembers' as const, trajectories: 2, levels: 4, resamples: 20 },
    };
    await sensitivity(exp, { out, executor: new InlineExecutor(), posterior: post }).result;
    const runs = runsOf(out);
    expect(runs.length).toBe(2 * 2 * 2);
    for (const run of runs) {
      const particle = Number(run.particle);
      expect(particle).toBe(particleOfSeed(post.weights, Number(run.seed)));
      const direct = runScenario(atParticle(parseScenario({ days: 8, population: { initialMembers: 10 }, policies: { moderation: { strictness: Number(run['policies.moderation.strictness']) } } }), post, particle), { seed: Number(run.seed) });
      expect(Number(run.finalMembers)).toBe(direct.summary.finalMembers);
    }
    expect(() => sensitivity({ ...exp, factors: { 'behaviour.churnBase': { min: 0.01, max: 0.1, n: 1 } } }, { executor: new InlineExecutor(), posterior: post })).toThrow(/behaviour\.churnBase is a fitted parameter, but point/);
  });

  it('refuses a bad posterior.csv and arms that set a fitted parameter, before any run', () => {
    expect(() => parsePosteriorCsv('particle,weight\n0,1\n', 'p.csv')).toThrow('p.csv: expected the posterior.csv of a fit');
    expect(() => parsePosteriorCsv('particle,weight,distance,x\n0,-1,0,1\n', 'p.csv')).toThrow('p.csv:2: weight: expected a number >= 0, got "-1"');
    expect(() => parsePosteriorCsv('particle,weight,distance,x\n0,1,0,\n', 'p.csv')).toThrow('p.csv:2: x: expected a number, got ""');
    expect(() => parsePosteriorCsv('particle,weight,distance,x\n0,0,0,1\n', 'p.csv')).toThrow('p.csv: expected weights that sum to more than 0');
    const churny = parseScenario({ ...small, behaviour: { churnBase: 0.1 } });
    expect(() => compare([{ name: 'A', scenario: small }, { name: 'B', scenario: churny }], { reps: 2, executor: new InlineExecutor(), posterior: post })).toThrow(
      /fit\/posterior\.csv: behaviour\.churnBase is a fitted parameter, but arm "B" sets it \(0\.1\) unlike arm "A" \(0\.0\d+\)/,
    );
    const wrong = parsePosteriorCsv('particle,weight,distance,behaviour.churnBase\n0,1,0,3\n', 'q.csv');
    expect(() => compare([{ name: 'A', scenario: small }, { name: 'B', scenario: small }], { reps: 2, executor: new InlineExecutor(), posterior: wrong })).toThrow(/q\.csv: behaviour\.churnBase: expected a number in \[0, 1\], got 3/);
  });
});
