// The compare report: sentences whose numbers are the comparison's (pp for shares and rates,
// relative for counts, the unit for levels), verdicts by the metric's better direction, the
// arms' differences, escaping; and the page a real Chromium opens from disk with no request
// leaving the file and no console error, its sentences matching `compare --format json`.
// The run report (`run --report`): the same in Chromium, its sentences matching the runs' JSON.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenarios/schema.js';
import type { CompareResult, CompareRow } from '../../experiments/compare.js';
import { compareReport, outcomeSentence, runSentence, scenarioDifferences } from '../../experiments/report.js';
import { SeriesBands } from '../../experiments/series-bands.js';
import { deriveSeed, type DailyRow } from '../../engine/index.js';
import { cli, ensureBuilt } from '../cli/run-cli.js';
import { scratchDir } from '../cli/scratch.js';
import { hasChromium, openStaticPage } from './static-page.js';

const row = (metric: string, a: number, b: number, ciLow: number, ciHigh: number, relChange = NaN): CompareRow =>
  ({ metric, a, b, diff: b - a, ciLow, ciHigh, relChange, significant: ciLow > 0 || ciHigh < 0, n: 20 }) as CompareRow;

describe('outcome sentences', () => {
  it('counts: a relative change with a relative interval', () => {
    expect(outcomeSentence('fast', 'both', row('finalMembers', 2674, 3019, 251, 439, 345 / 2674))).toBe(
      'both against fast: finalMembers is 13% higher (3,019 members against 2,674 members; 95% interval +9.4% to +16%): better.',
    );
  });

  it('shares: percentage points, and a worse verdict when lower is better', () => {
    expect(outcomeSentence('A', 'B', row('meanToxicShare', 0.0151, 0.0227, 0.005, 0.01))).toBe(
      'B against A: meanToxicShare is 0.76 pp higher (2.27% against 1.51%; 95% interval +0.5 pp to +1 pp): worse.',
    );
  });

  it('rates in percentage points with their unit; an interval across 0 is no clear difference', () => {
    expect(outcomeSentence('A', 'B', row('growthRate', -0.0102, -0.0858, -0.08, 0.001))).toBe(
      'B against A: growthRate is 7.6 pp lower (-8.58% per 30 days against -1.02% per 30 days; 95% interval -8 pp to +0.1 pp): no clear difference: the interval includes no change.',
    );
  });

  it('levels in their own unit; a metric with no better direction is only different', () => {
    expect(outcomeSentence('A', 'B', row('postsGini', 0.5, 0.6, 0.05, 0.15))).toBe(
      'B against A: postsGini is 0.1 index 0-1 higher (0.6 index 0-1 against 0.5 index 0-1; 95% interval +0.05 to +0.15 index 0-1): a clear difference (neither direction is better).',
    );
  });
});

describe('run sentences and series bands', () => {
  it('a mean with its 95% interval, unit and direction; one run says so', () => {
    expect(runSentence('finalMembers', [100, 110, 120]).text).toBe(
      'finalMembers: 110 members (mean of 3 runs, 95% interval 85.2 members to 135 members; higher is better). Members on the last day.',
    );
    expect(runSentence('meanToxicShare', [0.02]).text).toMatch(/^meanToxicShare: 2% \(one run; lower is better\)\. /);
    // a share's interval stays within [0, 1]
    expect(runSentence('answeredShare', [0.99, 1, 0.9]).ciHigh).toBe(1);
  });

  it('bands are the median and the 5th and 95th percentiles of the runs, day by day, skipping undefined days', () => {
    const bands = new SeriesBands(['members', 'toxicShare']);
    const run = (m: number[], t: number[]) => m.map((v, d) => ({ day: d, members: v, toxicShare: t[d] }) as unknown as DailyRow);
    for (let k = 0; k <= 20; k++) bands.add(0, run([k, 10 * k], [k / 100, NaN]));
    const [members, toxic] = bands.bands(0);
    expect(members.day).toEqual([0, 1]);
    expect(members.median).toEqual([10, 100]);
    expect(members.low).toEqual([1, 10]);
    expect(members.high).toEqual([19, 190]);
    expect(toxic.median[0]).toBeCloseTo(0.1, 6);
    expect(toxic.median[1]).toBeNaN();
    expect(members.runs).toBe(21);
    expect(bands.bands(1)).toEqual([]);
  });
});

describe('the page', () => {
  const base = parseScenario({ name: 'Base <forum>', days: 90 });
  const other = parseScenario({ days: 90, policies: { rubrics: { perWeek: 2 } }, manager: { hoursPerDay: 5 } });
  const result: CompareResult = {
    arms: ['<b>base</b>', 'rubrics'],
    reps: 20,
    seeds: [1, 2],
    rows: [row('finalMembers', 100, 110, 2, 18, 0.1), row('retentionD90', NaN, NaN, NaN, NaN)],
    hours: [{ managerHoursUsed: 1, hoursAnswering: 1 }, { managerHoursUsed: 2, hoursAnswering: 1, hoursRubrics: 1 }],
    failures: [],
  };
  const html = compareReport({ result, arms: [{ name: '<b>base</b>', scenario: base }, { name: 'rubrics', scenario: other }], seed: 7, command: 'community-sim compare x y' });

  it('states how the arms differ, escapes names, and fetches nothing', () => {
    expect(scenarioDifferences(base, other).map((d) => d.path)).toEqual(['manager.hoursPerDay', 'policies.rubrics.perWeek']);
    expect(html).toContain('<code>policies.rubrics.perWeek</code> 0 → 2');
    expect(html).toContain('&lt;b&gt;base&lt;/b&gt;');
    expect(html).not.toContain('<b>base</b>');
    expect(html).not.toMatch(/https?:|<script|<link|<img|src=|@import|url\(/);
    expect(html).toContain('retentionD90 was not measured');
    // the verdict line groups the metrics by their verdict, as the sentences give them
    expect(html).toContain('<p class="verdict" data-arm="rubrics"><b>rubrics against &lt;b&gt;base&lt;/b&gt;</b>: <span class="better">better on finalMembers</span>.</p>');
    expect(html).toContain('base seed 7, 20 replications');
    expect(html).toContain('2 hours/day');
  });
});

describe.skipIf(!hasChromium)('compare --report in Chromium', () => {
  const scratch = scratchDir('report');
  beforeAll(() => ensureBuilt());

  it('opens from disk with no request and no console error; every sentence is a row of --format json', async () => {
    const a = scratch.write('a.json', { population: { initialMembers: 80 }, days: 40 });
    const report = join(scratch.path, 'r.html');
    const args = ['compare', '--arm', 'calm=' + a, '--arm', 'strict=' + a, '--arm', 'lax=' + a, '--set', 'strict:policies.moderation.strictness=1', '--set', 'lax:policies.moderation.strictness=0', '--reps', '3', '--workers', '1'];
    const r = cli([...args, '--report', report, '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    await openStaticPage(report, async (page) => {
      const items = await page.$$eval('li[data-metric]', (els) =>
        els.map((e) => ({ arm: e.getAttribute('data-arm')!, metric: e.getAttribute('data-metric')!, diff: e.getAttribute('data-diff'), ciLow: e.getAttribute('data-ci-low'), ciHigh: e.getAttribute('data-ci-high'), text: e.textContent ?? '' })),
      );
      expect(items.length).toBe(json.rows.length);
      for (const it of items) {
        const j = json.rows.find((x: { arm: string; metric: string }) => x.arm === it.arm && x.metric === it.metric);
        expect(Number(it.diff)).toBe(j.diff ?? NaN);
        expect(Number(it.ciLow)).toBe(j.ciLow ?? NaN);
        expect(Number(it.ciHigh)).toBe(j.ciHigh ?? NaN);
        expect(it.text).toMatch(new RegExp(`^${it.arm} against calm: ${it.metric} `));
      }
      expect(await page.locator('svg').count()).toBeGreaterThanOrEqual(3);
      // the series of the three arms, each a median line and a 5-95% band over the 3 replications
      expect(await page.locator('figure[data-series="members"] path[fill-opacity]').count()).toBe(3);
    });
    expect(readFileSync(report, 'utf8')).toContain('strict</b>: <code>policies.moderation.strictness</code>');
  }, 120_000);
});

describe.skipIf(!hasChromium)('run --report in Chromium', () => {
  const scratch = scratchDir('run-report');
  beforeAll(() => ensureBuilt());

  it('opens from disk with no request and no console error; its outcomes are the means of the runs', async () => {
    const file = scratch.write('forum.json', { name: 'Small <forum>', population: { initialMembers: 80 }, days: 40, seed: 5, policies: { rubrics: { perWeek: 2 } } });
    const report = join(scratch.path, 'run.html');
    const r = cli(['run', file, '--report', report, '--reps', '2', '--workers', '1', '--out', join(scratch.path, 'run.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(''); // with --report the run goes to --out only
    // replication 0 is the run itself; replication 1 runs with deriveSeed(seed, 1)
    const first = JSON.parse(readFileSync(join(scratch.path, 'run.json'), 'utf8'));
    const second = JSON.parse(cli(['run', file, '--seed', String(deriveSeed(5, 1))]).stdout);
    await openStaticPage(report, async (page) => {
      const items = await page.$$eval('li[data-metric]', (els) => els.map((e) => ({ metric: e.getAttribute('data-metric')!, mean: Number(e.getAttribute('data-mean')), n: Number(e.getAttribute('data-n')) })));
      expect(items.map((i) => i.metric)).toContain('finalMembers');
      for (const it of items) {
        const vs = [first.summary[it.metric], second.summary[it.metric]].filter((v) => v !== null);
        expect(it.n).toBe(vs.length);
        if (vs.length) expect(it.mean).toBeCloseTo(vs.reduce((a: number, b: number) => a + b, 0) / vs.length, 9);
      }
      // the main series with a band each, the hours, what the scenario sets
      expect(await page.locator('figure[data-series] path[fill-opacity]').count()).toBeGreaterThanOrEqual(4);
      expect(await page.title()).toBe('Run: Small <forum>');
      expect(await page.locator('text=policies.rubrics.perWeek').count()).toBeGreaterThan(0);
      expect(await page.locator('text=hours/day').count()).toBeGreaterThan(0);
    });
  }, 120_000);

  it('--reps without --report, and a report in a missing directory, are exit 2 naming the flag', () => {
    const reps = cli(['run', '--reps', '3']);
    expect(reps.code).toBe(2);
    expect(reps.stderr).toMatch(/^--reps: expected --report/);
    const dir = cli(['run', '--report', '/nonexistent/dir/r.html']);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toMatch(/^--report: expected a file in an existing directory/);
  });
});
