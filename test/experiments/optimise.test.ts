// The optimiser end to end on a small community, in this thread (InlineExecutor): the files and
// their columns, the hours budget judged by the model's hours by activity, common seeds across
// candidates, integer levers, a killed search resumed to the same files, and bad specs.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SUMMARY_METRIC_NAMES } from '../../engine/index.js';
import { InlineExecutor, type Executor, type RunJob, type RunOutcome } from '../../experiments/executor.js';
import { HOURS_METRICS, optimise, resolveOptimisation } from '../../experiments/optimise.js';
import { InputError } from '../../experiments/io/input-error.js';

const dir = mkdtempSync(join(tmpdir(), 'community-sim-optimise-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = {
  base: { population: { initialMembers: 60, organicPerDay: 1 }, manager: { hoursPerDay: 3 }, policies: { response: { targetHours: 2 }, rubrics: { perWeek: 5 } } },
  days: 30,
  reps: 1,
  finalReps: 3,
  seed: 3,
  levers: {
    'policies.moderation.strictness': { min: 0, max: 1 },
    'policies.rubrics.perWeek': { min: 0, max: 5 },
    'policies.contests.durationDays': { min: 1, max: 14 },
    'policies.response.targetHours': { min: 1, max: 240 },
  },
  budget: { hoursPerDay: 0.5 },
  objectives: [{ metric: 'finalMembers' }, { metric: 'meanToxicShare', goal: 'min' }],
  runs: 60,
  populationSize: 8,
};

const csvRows = (p: string) => readFileSync(p, 'utf8').trim().split('\n').map((l) => l.split(','));

/** An executor that stops the process's search after `n` runs, as a kill would. */
class Killed implements Executor {
  readonly size = 1;
  private left: number;
  constructor(n: number) {
    this.left = n;
  }
  async *run(jobs: Iterable<RunJob> | AsyncIterable<RunJob>): AsyncIterable<RunOutcome> {
    for await (const o of new InlineExecutor().run(jobs)) {
      if (this.left-- <= 0) throw new Error('killed');
      yield o;
    }
  }
  async close() {}
}

describe('optimise', () => {
  const whole = join(dir, 'whole');
  let result: Awaited<ReturnType<typeof optimise>>;

  it('writes the front within the budget, judged by the hours the activities took', async () => {
    const opt = resolveOptimisation(spec);
    expect(opt.levers.map((l) => l.integer)).toEqual([false, false, true, false]);
    expect(opt.goals).toEqual(['max', 'min']); // finalMembers: higher is better
    result = await optimise(opt, { out: whole, executor: new InlineExecutor() });
    expect(result.front.length).toBeGreaterThan(0);
    expect(result.runs).toBeLessThanOrEqual(60);
    for (const s of result.front) {
      expect(s.hours.managerHoursUsed).toBeLessThanOrEqual(0.5);
      // the breakdown adds up to the hours used
      expect(HOURS_METRICS.reduce((a, m) => a + s.hours[m], 0)).toBeCloseTo(s.hours.managerHoursUsed, 9);
      expect(s.reps).toBe(3);
      expect(Number.isInteger(s.levers['policies.contests.durationDays'])).toBe(true);
      for (const o of s.objectives) {
        // a toxic share is undefined in a run with nothing posted: with fewer than two replications
        // that have one there is no interval (NaN, null in the files), never a made-up one
        if (Number.isNaN(o.ciLow) || Number.isNaN(o.ciHigh)) {
          expect(Number.isNaN(o.ciLow) && Number.isNaN(o.ciHigh)).toBe(true);
          continue;
        }
        expect(o.ciLow).toBeLessThanOrEqual(o.mean);
        expect(o.ciHigh).toBeGreaterThanOrEqual(o.mean);
        // clipped to the metric's range: a count at or above 0, a share in [0, 1]
        expect(o.ciLow).toBeGreaterThanOrEqual(0);
        if (o.metric === 'meanToxicShare') expect(o.ciHigh).toBeLessThanOrEqual(1);
      }
    }
    // The base's own settings (five rubrics a week, every question answered after 2 hours) need more than 0.5 h a day.
    expect(result.base.hours.managerHoursUsed).toBeGreaterThan(0.5);
    expect(result.base.feasible).toBe(false);

    const front = csvRows(join(whole, 'front.csv'));
    expect(front[0]).toEqual(['candidate', ...Object.keys(spec.levers), 'finalMembers', 'finalMembers_ciLow', 'finalMembers_ciHigh', 'meanToxicShare', 'meanToxicShare_ciLow', 'meanToxicShare_ciHigh', 'managerHoursUsed', ...HOURS_METRICS, 'reps', 'dominatesBase', 'dominatesBaseCI']);
    expect(front.length - 1).toBe(result.front.length);

    // candidates.csv: one row per run; replication r has the same seed in every candidate.
    const runs = csvRows(join(whole, 'candidates.csv'));
    expect(runs[0]).toEqual(['candidate', 'generation', 'rep', 'seed', ...Object.keys(spec.levers), ...SUMMARY_METRIC_NAMES]);
    expect(runs.length - 1).toBe(result.runs);
    const seedOfRep = new Map<string, string>();
    for (const r of runs.slice(1)) {
      expect(seedOfRep.get(r[2]) ?? r[3]).toBe(r[3]);
      seedOfRep.set(r[2], r[3]);
      expect(Number.isInteger(Number(r[6]))).toBe(true); // policies.contests.durationDays
    }
    // report.html: one sentence per strategy, self-contained
    const html = readFileSync(join(whole, 'report.html'), 'utf8');
    expect(html.match(/<li data-candidate="\d+">/g)).toHaveLength(result.front.length);
    expect(html).not.toMatch(/https?:|<script|<link|<img|src=|url\(/);
    // the main series of the base and of the strategies on the front, each with its band over its runs
    expect(result.series?.map((g) => g.name)).toEqual(['base', ...result.front.slice(0, 5).map((st) => `#${st.candidate}`)].slice(0, result.series!.length));
    expect(result.series!.every((g) => g.bands[0].runs >= 3)).toBe(true);
    expect(html).toContain('<figure data-series="members">');
    const manifest = JSON.parse(readFileSync(join(whole, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ kind: 'optimise', populationSize: 8, finalReps: 3, frontSize: result.front.length });
  });

  it('with a budget the activities never exceed, nothing is infeasible; with none they fit, nothing is reported', async () => {
    const roomy = await optimise(resolveOptimisation({ ...spec, budget: { hoursPerDay: 24 } }), { out: join(dir, 'roomy'), executor: new InlineExecutor() });
    expect(roomy.base.feasible).toBe(true);
    const tight = await optimise(resolveOptimisation({ ...spec, budget: { hoursPerDay: 0 }, base: { ...spec.base, policies: { response: { targetHours: 0 }, moderation: { strictness: 0.5 } } } }), { out: join(dir, 'tight'), executor: new InlineExecutor() });
    expect(tight.front).toEqual([]);
  });

  it('says which strategies dominate the base\'s own settings, in front.csv, manifest.json and report.html, and none when the base is best', async () => {
    // More organic newcomers bring more members and more joins: the top of the range beats the
    // base's own 1 a day on both by the paired intervals; with the range ending at 1, nothing can.
    const small = { base: { population: { initialMembers: 40, organicPerDay: 1 } }, days: 40, reps: 1, finalReps: 5, seed: 2, budget: { hoursPerDay: 24 }, objectives: [{ metric: 'finalMembers' }, { metric: 'totalJoins' }], runs: 40, populationSize: 4 };
    const read = (out: string) => ({ front: csvRows(join(out, 'front.csv')), manifest: JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')), html: readFileSync(join(out, 'report.html'), 'utf8') });
    const better = await optimise(resolveOptimisation({ ...small, levers: { 'population.organicPerDay': { min: 0, max: 10 } } }), { out: join(dir, 'better'), executor: new InlineExecutor() });
    const b = read(join(dir, 'better'));
    const ci = better.front.filter((s) => s.dominatesBaseCI).map((s) => s.candidate);
    expect(ci.length).toBeGreaterThan(0);
    for (const s of better.front.filter((x) => x.dominatesBaseCI)) {
      expect(s.levers['population.organicPerDay']).toBeGreaterThan(1);
      for (const [k, o] of s.objectives.entries()) expect(o.ciLow).toBeGreaterThan(better.base.objectives[k].mean);
    }
    const col = b.front[0].indexOf('dominatesBaseCI');
    expect(b.front.slice(1).filter((r) => r[col] === 'true').map((r) => Number(r[0]))).toEqual(ci);
    expect(b.manifest.dominatingBaseCI).toEqual(ci);
    expect(b.html).toContain(`data-dominates-base-ci="${ci.join(' ')}"`);
    expect(b.html).toContain(`${ci.length} of the ${better.front.length} strategies dominate them by the 95% intervals`);

    const best = await optimise(resolveOptimisation({ ...small, levers: { 'population.organicPerDay': { min: 0, max: 1 } } }), { out: join(dir, 'best'), executor: new InlineExecutor() });
    expect(best.front.some((s) => s.dominatesBase || s.dominatesBaseCI)).toBe(false);
    const w = read(join(dir, 'best'));
    expect(w.manifest.dominatingBase).toEqual([]);
    expect(w.html).toContain('data-dominates-base-ci=""');
    expect(w.front.slice(1).every((r) => r[w.front[0].indexOf('dominatesBase')] === 'false')).toBe(true);
  });

  it('a killed search resumes to the same files', async () => {
    const out = join(dir, 'killed');
    await expect(optimise(resolveOptimisation(spec), { out, executor: new Killed(23) })).rejects.toThrow('killed');
    expect(existsSync(join(out, 'front.csv'))).toBe(false);
    await expect(optimise(resolveOptimisation(spec), { out, executor: new InlineExecutor() })).rejects.toThrow(/holds a previous search/);
    let ran = 0;
    const counting: Executor = { size: 1, close: async () => {}, run: (jobs) => (async function* () { for await (const o of new InlineExecutor().run(jobs)) { ran++; yield o; } })() };
    const again = await optimise(resolveOptimisation(spec), { out, executor: counting, resume: true });
    expect(ran).toBe(result.runs - 23);
    expect(again.runs).toBe(result.runs);
    for (const f of ['front.csv', 'candidates.csv']) expect(readFileSync(join(out, f), 'utf8')).toBe(readFileSync(join(whole, f), 'utf8'));
  });

  it('a resume with a damaged manifest.json is refused, naming the file, not crashed', async () => {
    const out = join(dir, 'damaged');
    await expect(optimise(resolveOptimisation(spec), { out, executor: new Killed(5) })).rejects.toThrow('killed');
    writeFileSync(join(out, 'manifest.json'), '{"specHash": "abc", ');
    const refused = optimise(resolveOptimisation(spec), { out, executor: new InlineExecutor(), resume: true });
    await expect(refused).rejects.toBeInstanceOf(InputError);
    await expect(refused).rejects.toThrow(/manifest\.json, but it is not valid JSON/);
  });

  it('names the field of a bad spec', () => {
    const issues = (s: unknown) => {
      try {
        resolveOptimisation(s);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as InputError).issues;
      }
      throw new Error('expected an InputError');
    };
    expect(issues({ ...spec, levers: { 'policies.moderation.strictnes': { min: 0, max: 1 } } })[0].path).toBe('levers.policies.moderation.strictnes');
    expect(issues({ ...spec, levers: { 'policies.moderation.strictness': { min: 0, max: 2 } } })[0]).toMatchObject({ path: 'levers.policies.moderation.strictness.max' });
    expect(issues({ ...spec, objectives: [{ metric: 'managerHoursUsed' }] })[0]).toEqual({ path: 'objectives[0].goal', message: 'expected "max" or "min" (managerHoursUsed has no better direction)' });
    expect(issues({ ...spec, runs: 10 })[0]).toMatchObject({ path: 'runs', message: expect.stringMatching(/^expected at least 26/) });
    expect(issues({ ...spec, base: { extends: 'no-such-preset' } })[0].path).toBe('base: extends');
    expect(issues({ ...spec, budget: {} })[0].path).toBe('budget.hoursPerDay');
  });
});
