// Reporters and the stop condition: the values are the run's own (the series on that day, its
// mean over the window, the archetype counts adding up to the day's column), a stop ends the run
// on the day the condition is met (summary and series end there), bad definitions name their
// field, and a sweep with them writes the columns and resumes.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSimulation, parseScenario, runScenario } from '../../engine/index.js';
import { InlineExecutor } from '../../experiments/executor.js';
import { measureRun, probeColumns, type Probes } from '../../experiments/reporters.js';
import { resolveExperiment, type ExperimentInput } from '../../experiments/schema.js';
import { sweep } from '../../experiments/sweep.js';

const dir = mkdtempSync(join(tmpdir(), 'reporters-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenario = parseScenario({ days: 40, population: { initialMembers: 120 } });
const seed = 9;

describe('experiments/reporters measureRun', () => {
  const probes: Probes = {
    reporters: [
      { name: 'm20', metric: 'members', at: 20 },
      { name: 'late', metric: 'activeWeek', mean: [30, 40] },
      { name: 'stages', metric: 'members', by: 'stage', at: 25 },
      { name: 'arch', metric: 'members', by: 'archetype', at: 25 },
      { name: 'archEnd', metric: 'activeMonth', by: 'archetype', at: 'end' },
    ],
  };

  it('reads the run\'s own series, and changes nothing of the run', () => {
    const plain = runScenario(scenario, { seed });
    const sim = createSimulation(scenario, { seed });
    const { values, stoppedAt } = measureRun(sim, probes);
    expect(stoppedAt).toBeUndefined();
    expect(sim.summary()).toEqual(plain.summary); // stepping a day at a time is the same trace
    const s = plain.series;
    const cols = probeColumns(probes).map((c) => c.name);
    const v = Object.fromEntries(cols.map((c, i) => [c, values[i]]));
    expect(v.m20).toBe(s[20].members);
    expect(v.late).toBeCloseTo(s.slice(30, 41).reduce((a, r) => a + r.activeWeek, 0) / 11, 12);
    expect([v['stages.newcomer'], v['stages.regular'], v['stages.core'], v['stages.advocate']]).toEqual([s[25].newcomers, s[25].regulars, s[25].coreSize - s[25].advocates, s[25].advocates]);
    // the archetype split adds up to the collector's column of that day
    const arch = ['lurker', 'contributor', 'expert', 'troll'].map((a) => v[`arch.${a}`]);
    expect(arch.reduce((a, b) => a + b, 0)).toBe(s[25].members);
    expect(arch.filter((x) => x > 0).length).toBeGreaterThan(1);
    const end = ['lurker', 'contributor', 'expert', 'troll'].map((a) => v[`archEnd.${a}`]);
    expect(end.reduce((a, b) => a + b, 0)).toBe(s[40].activeMonth);
  });

  it('a stop condition ends the run on the day it is met; reporters past it are undefined', () => {
    // weekly actives below a level the community is far above on day 1: met on day 1, 2, 3
    const always = { metric: 'activeWeek' as const, below: 1e9, for: 3 };
    const sim = createSimulation(scenario, { seed });
    const { values, stoppedAt } = measureRun(sim, { ...probes, stop: always });
    expect(stoppedAt).toBe(3);
    expect(sim.day).toBe(3);
    expect(sim.series().length).toBe(4);
    const cols = probeColumns({ ...probes, stop: always }).map((c) => c.name);
    const v = Object.fromEntries(cols.map((c, i) => [c, values[i]]));
    expect(v.m20).toBeNaN();
    expect(v.late).toBeNaN();
    expect(v['arch.lurker']).toBeNaN();
    expect(v['archEnd.lurker'] + v['archEnd.contributor'] + v['archEnd.expert'] + v['archEnd.troll']).toBe(sim.series()[3].activeMonth);
    expect([v.stopped, v.stopDay]).toEqual([1, 3]);
    const short = createSimulation(scenario, { seed });
    short.step(3);
    expect(sim.summary()).toEqual(short.summary());
    // a level never crossed: the run goes to its last day
    const never = measureRun(createSimulation(scenario, { seed }), { reporters: [], stop: { metric: 'members', below: -1, for: 1 } });
    expect(never).toEqual({ values: [0, 40] });
  });
});

describe('experiments/reporters in experiment files', () => {
  const base = { base: { population: { initialMembers: 30 } }, days: 30 };
  const issues = (extra: object) => {
    try {
      resolveExperiment({ ...base, ...extra });
    } catch (e) {
      return (e as Error).message.split('\n');
    }
    return [];
  };

  it('names the field of every bad definition', () => {
    expect(issues({ reporters: { a: { metric: 'membrs', at: 1 }, b: { metric: 'members' }, c: { metric: 'active', by: 'stage', at: 2 }, d: { metric: 'members', by: 'archetype', mean: [1, 2] }, e: { metric: 'members', mean: [5, 2] }, f: { metric: 'members', at: 1, when: 3 } } })).toEqual([
      expect.stringMatching(/^reporters\.a\.metric: expected one of "members", .* got "membrs"$/),
      'reporters.b.at: expected exactly one of "at" (a day) and "mean" (a window [FROM, TO])',
      'reporters.c.metric: expected "members" with "by": "stage" (the collector counts members by stage), got "active"',
      'reporters.d.mean: expected "at" with "by": "archetype" (members are counted by archetype on one day, not over a window)',
      'reporters.e.mean: expected FROM <= TO, got [5, 2]',
      'reporters.f.when: unknown field',
    ]);
    expect(issues({ reporters: { finalMembers: { metric: 'members', at: 1 }, 'a-b': { metric: 'members', at: 1 }, late: { metric: 'members', at: 31 } }, stop: { metric: 'active', below: 1, for: 31 } })).toEqual([
      'reporters.finalMembers: expected a name of its own, but the column "finalMembers" is already a column of runs.csv (a summary metric, a factor, or another reporter\'s)',
      'reporters.a-b: expected a name of letters, digits and underscores starting with a letter (it names a column of runs.csv)',
      'reporters.late.at: expected a day in [0, 30] (the runs\' days), got 31',
      'stop.for: expected at most 30 days (the runs\' days), got 31',
    ]);
    expect(issues({ stop: { metric: 'active', below: 'x', for: 0 } })).toEqual(['stop.below: expected a number, got "x"', 'stop.for: expected an integer in [1, 36500], got 0']);
    // an experiment without them keeps the hash it had before they existed
    expect(resolveExperiment(base).hash).toBe(resolveExperiment({ ...base, reporters: undefined }).hash);
  });

  it('a sweep writes the columns and summary rows, and a cut series with stopped runs resumes to the same files', async () => {
    const exp = {
      ...base, base: { population: { initialMembers: 30, organicPerDay: 0 } }, reps: 2, seed: 4, series: true,
      factors: { 'population.initialMembers': [30, 0] },
      reporters: { m10: { metric: 'members', at: 10 }, share: { metric: 'toxicShare', mean: [1, 30] } },
      // an empty community (0 members) stops after 5 days; one of 30 runs to the end
      stop: { metric: 'members', below: 1, for: 5 },
    } as ExperimentInput;
    const whole = join(dir, 'whole');
    await sweep(exp, { out: whole, executor: new InlineExecutor() }).result;
    const runs = readFileSync(join(whole, 'runs.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    expect(runs[0].slice(-4)).toEqual(['m10', 'share', 'stopped', 'stopDay']);
    expect(runs.slice(1).map((r) => [r[3], ...r.slice(-2)])).toEqual([['30', '0', '30'], ['30', '0', '30'], ['0', '1', '5'], ['0', '1', '5']]);
    expect(runs[3].at(-4)).toBe(''); // members on day 10 of a run stopped on day 5: undefined
    const summary = readFileSync(join(whole, 'summary.csv'), 'utf8');
    expect(summary).toMatch(/^1,0,stopped,2,1,0,1,1$/m);
    for (const line of summary.split('\n').filter((l) => l.includes(',share,'))) {
      const [, , , , , , low, high] = line.split(',');
      if (low !== '') expect(Number(low)).toBeGreaterThanOrEqual(0); // clipped to toxicShare's [0, 1]
      if (high !== '') expect(Number(high)).toBeLessThanOrEqual(1);
    }
    const series = readFileSync(join(whole, 'series.csv'), 'utf8').trim().split('\n');
    expect(series.filter((l) => l.startsWith('1,0,')).at(-1)!.split(',')[3]).toBe('5');
    expect(JSON.parse(readFileSync(join(whole, 'manifest.json'), 'utf8')).reporterColumns.share.range).toEqual([0, 1]);

    // resume: a cut series (the stopped runs' blocks end on their stop day, and are whole)
    const cut = join(dir, 'cut');
    cpSync(whole, cut, { recursive: true });
    const text = readFileSync(join(cut, 'series.csv'), 'utf8');
    writeFileSync(join(cut, 'series.csv'), text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1)); // the last run's last day gone
    const resumed = sweep(exp, { out: cut, executor: new InlineExecutor(), resume: true });
    expect(resumed.skipped).toBe(3); // the other stopped run's block, ending on its stop day, is kept
    const res = await resumed.result;
    expect(res.completed).toBe(4);
    for (const f of ['runs.csv', 'series.csv', 'summary.csv']) expect(readFileSync(join(cut, f), 'utf8'), f).toBe(readFileSync(join(whole, f), 'utf8'));
  });
});
