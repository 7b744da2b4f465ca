// The fit's pieces: reading the observed series, lining a run's days up with observed periods,
// the per-column scaled distance (hand-computed), FIT.json errors, and a small parameter
// recovery: a run with known newcomers a day, observed weekly, fitted back.
import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario, type DailyRow } from '../../engine/index.js';
import { InlineExecutor, executeJob } from '../../experiments/executor.js';
import { bandWidth, correlation, coverage, fitReportHtml } from '../../experiments/fit-report.js';
import { fitCsv, fitDistance, fitLowerBound, fitObserved, parseObservedCsv, type FitBand, posteriorCsv, resolveFit, simulatedPeriods, type ObservedSeries } from '../../experiments/fit.js';

/** A fake daily series (day 0 is the starting state) with the given columns. */
const series = (days: number, cols: Record<string, (d: number) => number>) =>
  Array.from({ length: days + 1 }, (_, d) => Object.fromEntries([['day', d], ...Object.entries(cols).map(([k, f]) => [k, f(d)])])) as unknown as DailyRow[];

describe('fit: the observed series', () => {
  it('reads daily and weekly CSV from observe, empty cells as NaN', () => {
    const w = parseObservedCsv('date,day,posts,answeredShare\n2024-01-01,0,3,0.5\n2024-01-08,7,4,\n');
    expect(w).toEqual({ period: 7, days: 14, starts: [0, 7], columns: { posts: [3, 4], answeredShare: [0.5, NaN] } });
    expect(parseObservedCsv('day,posts\n0,1\n1,2\n2,3\n').period).toBe(1);
    // contributions: posts and replies together (for logs where every line is a post).
    expect(parseObservedCsv('day,posts,replies\n0,3,1\n1,2,0\n').columns.contributions).toEqual([4, 2]);
  });

  it('FIT.json days: only the whole periods within the first days', () => {
    const obs = parseObservedCsv('day,posts\n0,1\n7,2\n14,3\n');
    const f = resolveFit({ days: 20, columns: { posts: 1 } }, obs, parseScenario({}));
    expect(f.observed).toEqual({ period: 7, days: 14, starts: [0, 7], columns: { posts: [1, 2] } });
    expect(f.base.days).toBe(14);
    expect(() => resolveFit({ days: 6 }, obs, parseScenario({}), 'f')).toThrow('f: days: expected at least one whole period (7 days), got 6');
  });

  it('names what is wrong', () => {
    expect(() => parseObservedCsv('date,posts\nx,1\n', 'o.csv')).toThrow('o.csv: expected a "day" column, got "date", "posts"');
    expect(() => parseObservedCsv('day,posts\n0,1\n3,2\n', 'o.csv')).toThrow('o.csv: expected "day" to run 0, 1, 2, ... (daily) or 0, 7, 14, ... (weekly), got 0, 3');
    expect(() => parseObservedCsv('day,posts\n0,many\n', 'o.csv')).toThrow('o.csv:2: posts: expected a number or an empty cell, got "many"');
    expect(() => parseObservedCsv('day,posts\n', 'o.csv')).toThrow('o.csv: expected a header and at least one row');
  });
});

describe('fit: runs against observed periods', () => {
  // Run day d has posts = d, members = 10 d, answeredShare NaN on odd days.
  const s = series(10, { posts: (d) => d, members: (d) => 10 * d, answeredShare: (d) => (d % 2 ? NaN : d / 10) });

  it('observed day k is run day k + 1: counts add up, members at the period end, shares averaged, a short last period', () => {
    const weekly = { period: 7, days: 10, starts: [0, 7] };
    expect(simulatedPeriods(s, 'posts', weekly)).toEqual([1 + 2 + 3 + 4 + 5 + 6 + 7, 8 + 9 + 10]);
    expect(simulatedPeriods(s, 'members', weekly)).toEqual([70, 100]);
    expect(simulatedPeriods(s, 'answeredShare', weekly)).toEqual([(0.2 + 0.4 + 0.6) / 3, (0.8 + 1) / 2]);
    expect(simulatedPeriods(s, 'posts', { period: 1, days: 3, starts: [0, 1, 2] })).toEqual([1, 2, 3]);
    const both = series(3, { posts: (d) => d, replies: (d) => 10 * d });
    expect(simulatedPeriods(both, 'contributions', { period: 1, days: 3, starts: [0, 1, 2] })).toEqual([11, 22, 33]);
  });

  it('distance: per column RMS of errors over its scale, columns by weight; observed NaN skipped, simulated NaN farther than a zero', () => {
    const obs: ObservedSeries = { period: 7, days: 10, starts: [0, 7], columns: { posts: [28, 30], members: [70, NaN], answeredShare: [0.4, 0.5] } };
    // posts: errors 0 and -3 over scale 2 -> mean square 9/8; members: 0; answeredShare errors 0 and 0.4 over 0.5 -> 0.32.
    const d = fitDistance(s, obs, { posts: 1, members: 1, answeredShare: 2 }, { posts: 2, members: 1, answeredShare: 0.5 });
    expect(d).toBeCloseTo(Math.sqrt((9 / 8 + 0 + 2 * ((0.4 / 0.5) ** 2 / 2)) / 4), 12);
    // A run that reports nothing where something was observed: each period |observed| / scale + 1
    // away, farther than a run of zeros (and never a perfect match).
    const none = series(10, { posts: () => NaN });
    const zero = series(10, { posts: () => 0 });
    const two = { ...obs, columns: { posts: [3, 4] } };
    expect(fitDistance(none, two, { posts: 1 }, { posts: 1 })).toBeCloseTo(Math.sqrt((4 ** 2 + 5 ** 2) / 2), 12);
    expect(fitDistance(zero, two, { posts: 1 }, { posts: 1 })).toBeCloseTo(Math.sqrt((3 ** 2 + 4 ** 2) / 2), 12);
    // A share the run leaves undefined where observed 0 (no answers at all): not a match either.
    const noShare = series(10, { answeredShare: () => NaN });
    expect(fitDistance(noShare, { ...obs, columns: { answeredShare: [0, 0] } }, { answeredShare: 1 }, { answeredShare: 0.5 })).toBe(1);
    // A period past the run's last day is missing too.
    const short = series(7, { posts: () => 1 });
    expect(fitDistance(short, two, { posts: 1 }, { posts: 1 })).toBeCloseTo(Math.sqrt(((7 - 3) ** 2 + 5 ** 2) / 2), 12);
  });

  it('log distance: differences of log(1 + value), scales 1; ten times too small is as far as ten times too big, a dead run farther still', () => {
    const obs = parseObservedCsv('day,posts\n0,63\n7,693\n');
    const f = resolveFit({ distance: 'log', columns: { posts: 1 } }, obs, parseScenario({}));
    expect(f.scales).toEqual({ posts: 1 });
    // A run with these weekly totals, spread evenly over each week's days (run days 1-7, 8-14).
    const weeks = (a: number, b: number, fit = f) => fitDistance(series(14, { posts: (d) => (d <= 7 ? a : b) / 7 }), fit.observed, fit.weights, fit.scales, fit.distance);
    expect(weeks(63, 693)).toBeCloseTo(0, 12);
    // 1 + value ten times the observed, and a tenth of it.
    expect(weeks(10 * 64 - 1, 10 * 694 - 1)).toBeCloseTo(Math.log(10), 12);
    expect(weeks(64 / 10 - 1, 694 / 10 - 1)).toBeCloseTo(Math.log(10), 12);
    expect(weeks(0, 0)).toBeCloseTo(Math.sqrt((Math.log(64) ** 2 + Math.log(694) ** 2) / 2), 12);
    // The relative distance (the default) puts a dead run (1.0) nearer than one ten times too big.
    const rel = resolveFit({ columns: { posts: 1 } }, obs, parseScenario({}));
    expect(rel.distance).toBe('relative');
    expect(weeks(0, 0, rel)).toBeCloseTo(1, 12);
    expect(weeks(10 * 64 - 1, 10 * 694 - 1, rel)).toBeGreaterThan(8);
  });
});

describe('fit: stopping a run early', () => {
  it('the distance of the first periods never exceeds the whole distance', () => {
    const s = series(21, { posts: (d) => (d * 7) % 5, members: (d) => d });
    const t = { observed: { period: 7, days: 21, starts: [0, 7, 14], columns: { posts: [9, 12, NaN], members: [3, 20, 21] } }, weights: { posts: 1, members: 0.5 }, scales: { posts: 10, members: 15 } };
    const bounds = [0, 1, 2, 3].map((p) => fitLowerBound(s, t, p));
    expect(bounds[0]).toBe(0);
    for (let p = 1; p < 4; p++) expect(bounds[p]).toBeGreaterThanOrEqual(bounds[p - 1]);
    expect(bounds[3]).toBe(fitDistance(s, t.observed, t.weights, t.scales));
  });

  it('the executor stops a run at the end of the period where it passes the tolerance', async () => {
    const scenario = parseScenario({ days: 28, population: { initialMembers: 0, organicPerDay: 5 } });
    const observed = { period: 7, days: 28, starts: [0, 7, 14, 21], columns: { joins: [1000, 1000, 1000, 1000] } };
    const out = await executeJob({ key: 'k', point: 0, rep: 0, seed: 1, scenario, series: true, stopAbove: { observed, weights: { joins: 1 }, scales: { joins: 1000 }, tolerance: 0.3 } });
    // After a week joins are far below 1000: the bound is already sqrt(1/4 x 0.9^2 ...) > 0.3.
    expect(out.stoppedAt).toBe(7);
    expect(out.series!.length).toBe(8);
    const loose = await executeJob({ key: 'k', point: 0, rep: 0, seed: 1, scenario, series: true, stopAbove: { observed, weights: { joins: 1 }, scales: { joins: 1000 }, tolerance: 5 } });
    expect(loose.stoppedAt).toBeUndefined();
    expect(loose.series!.length).toBe(29);
  });

  it('with the log distance, a community many times the observed size stops by the relative bound (size), which the log bound alone would let run', async () => {
    const scenario = parseScenario({ days: 28, population: { initialMembers: 0, organicPerDay: 200, discovery: { baseline: 1 } } });
    const observed = { period: 7, days: 28, starts: [0, 7, 14, 21], columns: { joins: [20, 20, 20, 20] } };
    const target = { observed, weights: { joins: 1 }, scales: { joins: 1 }, distance: 'log' as const, tolerance: Infinity };
    const job = { key: 'k', point: 0, rep: 0, seed: 1, scenario, series: true };
    const unbounded = await executeJob({ ...job, stopAbove: target });
    expect(unbounded.stoppedAt).toBeUndefined();
    // About 1,400 joins a week against 20: relative errors near 70 from the first week.
    const bounded = await executeJob({ ...job, stopAbove: { ...target, size: { scales: { joins: 20 }, limit: 5 } } });
    expect(bounded.stoppedAt).toBe(7);
  });
});

describe('fit: FIT.json', () => {
  const obs: ObservedSeries = { period: 7, days: 14, starts: [0, 7], columns: { posts: [1, 2], joins: [5, 6], likes: [1, 1] } };
  const base = parseScenario({});

  it('defaults: the default parameters, every observed column a run reports, scales, the run length', () => {
    const f = resolveFit({}, obs, base);
    expect(f.priors.map((p) => p.name)).toContain('population.organicPerDay');
    expect(f.weights).toEqual({ posts: 1, joins: 1 });
    expect(f.observed).toBe(obs);
    expect(f.scales.posts).toBeCloseTo(Math.sqrt(2.5), 12);
    expect(f.base.days).toBe(14);
    expect(f.spec.kernel).toBe('olcm');
    expect(resolveFit({ kernel: 'global' }, obs, base).spec.kernel).toBe('global');
  });

  it('the outside calendar is a fit parameter like any other: a break placed and sized by uniform priors', () => {
    const params = { 'calendar.break.start': { min: 1, max: 14 }, 'calendar.break.days': { min: 1, max: 30 }, 'calendar.break.visits': { min: 0.01, max: 1, scale: 'log' } };
    expect(resolveFit({ params }, obs, base).priors).toEqual([
      { name: 'calendar.break.start', min: 1, max: 14, log: false },
      { name: 'calendar.break.days', min: 1, max: 30, log: false },
      { name: 'calendar.break.visits', min: 0.01, max: 1, log: true },
    ]);
    expect(() => resolveFit({ params: { 'calendar.break.visits': { min: 0, max: 20 } } }, obs, base, 'f')).toThrow('f: params.calendar.break.visits: expected a number in [0, 10], got 20');
  });

  it('names every bad field', () => {
    expect(() => resolveFit({ params: { 'population.organicPerDay': { min: 0, max: 5, scale: 'log' }, 'behaviour.nope': { min: 0, max: 1 }, 'behaviour.churnBase': { min: 0, max: 2 } }, columns: { likes: 1, views: 1 }, particles: 3 }, obs, base, 'f.json')).toThrow(
      [
        'f.json: particles: expected an integer in [10, 1000000], got 3',
      ].join('\n'),
    );
    let err: Error | undefined;
    try {
      resolveFit({ params: { 'population.organicPerDay': { min: 0, max: 5, scale: 'log' }, 'behaviour.nope': { min: 0, max: 1 }, 'behaviour.churnBase': { min: 0, max: 2 } }, columns: { likes: 1, views: 1 } }, obs, base, 'f.json');
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message.split('\n').map((l) => l.replace(/ \(known: .*\)$/, ''))).toEqual([
      'f.json: params.population.organicPerDay: a log prior needs min > 0, got 0',
      'f.json: params.behaviour.nope: unknown field',
      'f.json: params.behaviour.churnBase: expected a number in [0, 1], got 2',
      'f.json: columns.likes: not a column runs report (contributions, posts, replies, questions, joins, newContributors, contributors, members, answeredShare, medianResponseHours)',
      'f.json: columns.views: not a column of the observed series (posts, joins, likes)',
    ]);
  });
});

describe('fit: parameter recovery (small)', () => {
  it('the newcomers a day of a known run lie inside the 90% posterior interval; a seed gives the same files', async () => {
    const truth = parseScenario({ days: 56, population: { initialMembers: 0, organicPerDay: 8 } });
    const run = runScenario(truth, { seed: 42 });
    const frame = { period: 7, days: 56, starts: [0, 7, 14, 21, 28, 35, 42, 49] };
    const obs: ObservedSeries = { ...frame, columns: { joins: simulatedPeriods(run.series, 'joins', frame), members: simulatedPeriods(run.series, 'members', frame) } };
    const spec = { params: { 'population.organicPerDay': { min: 0.5, max: 50, scale: 'log' } }, particles: 40, generations: 3, predictive: 10, seed: 3 };
    const fit = resolveFit(spec, obs, parseScenario({ population: { initialMembers: 0 } }));
    const r = await fitObserved(fit, { executor: new InlineExecutor() });
    const [lo, hi] = [0.05, 0.95].map((q) => {
      const order = r.posterior.params.map((p, i) => [p[0], r.posterior.weights[i]]).sort((a, b) => a[0] - b[0]);
      let c = 0;
      for (const [v, w] of order) if ((c += w) >= q) return v;
      return NaN;
    });
    expect(lo).toBeLessThan(8);
    expect(hi).toBeGreaterThan(8);
    expect(hi / lo).toBeLessThan(10); // informative: the prior spans a factor of 100
    expect(r.fitted.population.organicPerDay).toBeCloseTo(r.median['population.organicPerDay'], 12);
    expect(fitCsv(r).split('\n')[0]).toBe('day,column,observed,median,lo50,hi50,lo90,hi90');
    expect(fitCsv(r).trim().split('\n').length).toBe(1 + 2 * 8);
    const html = fitReportHtml(r, 'Recovery <test>');
    expect(html).toContain('<title>Recovery &#60;test&#62;</title>');
    expect(html.match(/<section>/g)!.length).toBe(2 + 1); // two columns, one parameter
    // Runs stopped once they were sure to miss the tolerance change nothing but the work done.
    expect(r.stoppedEarly).toBeGreaterThan(0);
    // Every generation's particles' own runs as bands (as the page draws them while it fits):
    // nothing is run for them, nothing changes, and they tighten from the prior's.
    const byGeneration: [number, FitBand[]][] = [];
    const full = await fitObserved(fit, { executor: new InlineExecutor(), earlyStop: false, onGenerationBands: (g, b) => byGeneration.push([g, b]) });
    expect(byGeneration.map(([g]) => g)).toEqual(r.generations.map((g) => g.generation));
    for (const [, b] of byGeneration) {
      expect(b.length).toBe(2 * 8);
      expect(b.every((x) => x.lo90 <= x.lo50 && x.lo50 <= x.median && x.median <= x.hi50 && x.hi50 <= x.hi90)).toBe(true);
      expect(b.filter((x) => x.column === 'joins').map((x) => x.observed)).toEqual(obs.columns.joins);
    }
    const widths = byGeneration.map(([, b]) => bandWidth(b.filter((x) => x.column === 'joins')));
    expect(widths[widths.length - 1]).toBeLessThan(widths[0] / 2);
    expect(full.runs).toBe(r.runs);
    expect(full.stoppedEarly).toBe(0);
    expect(posteriorCsv(full)).toBe(posteriorCsv(r));
    expect(fitCsv(full)).toBe(fitCsv(r));
  });
});

describe('fit: report figures', () => {
  it('correlation and band coverage', () => {
    expect(correlation([1, 2, 3, NaN], [2, 4, 6, 1])).toBeCloseTo(1, 12);
    expect(correlation([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(correlation([1, 1, 1], [1, 2, 3])).toBeNaN();
    const band = (observed: number) => ({ day: 0, column: 'x', observed, median: 5, lo50: 4, hi50: 6, lo90: 2, hi90: 8 });
    const bands = [band(5), band(3), band(9), band(NaN)];
    expect(coverage(bands, 'lo90', 'hi90')).toBeCloseTo(2 / 3, 12);
    expect(coverage(bands, 'lo50', 'hi50')).toBeCloseTo(1 / 3, 12);
  });
});
