// Rows 243-266 of the reliability review's "All attempts": determinism, the property fuzz
// (areas 5-6) and the browser's hostile imports and links (area 7). Engine rows run the library
// in this process; share links are decoded by the page's own module (viz/share.ts) in Node, and
// the rows about the page itself point to the e2e test that replays them in Chromium.
import { deflateRawSync } from 'node:zlib';
import { describe, expect } from 'vitest';
import { GrowthLimitError, createSimulation, deriveSeed, parseScenario, type DailyRow } from '../../engine/index.js';
import { ScenarioError } from '../../scenarios/schema.js';
import { decodeShare, encodeShare } from '../../viz/share.js';
import { cli, expectAccepted, pointer, put, replay, type Row } from './replay.js';

const run = (input: object) => createSimulation(parseScenario(input)).run();
const e2e = (test: string) => `replayed in Chromium by test/viz/e2e.test.ts: '${test}'`;

/** A share link (hash) carrying `json` as its scenario, as a hand-made link would. */
const link = (json: string, seed?: string) => `#${seed === undefined ? '' : `seed=${encodeURIComponent(seed)}&`}s=${deflateRawSync(Buffer.from(json)).toString('base64url')}`;

/** The link is refused with a clear message: a ScenarioError naming a field, or the damage; never a raw TypeError. */
async function expectLinkRefused(hash: string, message: RegExp): Promise<void> {
  let error: unknown;
  try {
    await decodeShare(hash);
  } catch (e) {
    error = e;
  }
  expect(error, 'refused').toBeInstanceOf(Error);
  expect((error as Error).constructor.name).toMatch(/^(ScenarioError|Error)$/);
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).not.toMatch(/Cannot (read|set) properties/);
}

/** Small valid scenarios drawn across the schema's ranges (a fixed sequence: the same every run). */
function fuzzScenarios(count: number): object[] {
  let x = 12345;
  const u = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return Array.from({ length: count }, (_, i) => ({
    seed: i + 1,
    days: 10 + Math.floor(u() * 30),
    population: { initialMembers: 10 + Math.floor(u() * 150), burnInDays: Math.floor(u() * 30), organicPerDay: u() * 3 },
    policies: { moderation: { strictness: u() }, response: { targetHours: u() < 0.3 ? null : 1 + u() * 72 } },
    manager: { hoursPerDay: u() * 4 },
    schedule: u() < 0.5 ? [{ day: Math.floor(u() * 10), set: { 'manager.hoursPerDay': u() * 3 } }] : [],
    shocks: u() < 0.5 ? [{ type: 'troll-raid', day: Math.floor(u() * 10), size: 1 + Math.floor(u() * 20) }] : [],
  }));
}
const FUZZ = fuzzScenarios(12);

const COUNTS = ['members', 'active', 'activeWeek', 'activeMonth', 'joins', 'churned', 'banned', 'posts', 'replies', 'trollsActive', 'questions', 'answered'] as const;
const SHARES = ['toxicShare', 'answeredShare'] as const;

const rows: Row[] = [
  {
    n: 243,
    id: 'det-paths',
    what: 'same numbers from CLI `run` and the library in the main thread (seed deriveSeed(1,0))',
    test: async (dir) => {
      const input = { seed: deriveSeed(1, 0), days: 40, population: { initialMembers: 60, burnInDays: 20 } };
      const o = await cli('run', put(dir, 's.json', input));
      expectAccepted(o);
      const viaCli = JSON.parse(o.stdout) as { series: DailyRow[]; summary: object };
      const viaLib = JSON.parse(JSON.stringify(run(input))) as { series: DailyRow[]; summary: object };
      expect(viaCli.series).toEqual(viaLib.series);
      expect(viaCli.summary).toEqual(viaLib.summary);
    },
  },
  pointer(244, 'det-threads', 'local sweep with 2 threads vs 1 thread; queue vs local: byte-identical', "replayed by test/experiments/runner.test.ts 'worker threads and the calling thread give byte-identical runs.csv' and test/experiments/queue/distributed.test.ts 'through two worker processes equals the local sweep, file for file'"),
  pointer(245, 'det-browser', 'browser vs CLI, same presets and seed, 365 days: byte-identical', "replayed in Chromium by test/viz/determinism.test.ts 'every preset scenario gives the same series, summary, cohorts, graph and events in Chromium and Node'"),
  {
    n: 246,
    id: 'fuzz-invariants',
    what: 'random valid scenarios (12 here, 300 in the review): no exception, no NaN/Infinity or negative counts, shares in [0,1], members balance',
    test: () => {
      for (const input of FUZZ) {
        const r = run(input);
        for (const d of r.series) {
          for (const k of COUNTS) {
            expect(Number.isInteger(d[k]) && d[k] >= 0, `${k} on day ${d.day} of ${JSON.stringify(input)}`).toBe(true);
          }
          for (const k of SHARES) if (!Number.isNaN(d[k])) expect(d[k] >= 0 && d[k] <= 1, `${k} on day ${d.day}`).toBe(true);
        }
        for (let i = 1; i < r.series.length; i++) {
          const [a, b] = [r.series[i - 1], r.series[i]];
          expect(b.members, `members balance on day ${b.day}`).toBe(a.members + b.joins - b.churned - b.banned);
        }
      }
    },
  },
  {
    n: 247,
    id: 'fuzz-runtime',
    what: 'fuzzed scenarios with exponential referral growth: each run bounded (a few seconds) or stopped with a clear error (in an open market: an unstated one, 3 x 76 people, bounds it)',
    test: () => {
      const t0 = Date.now();
      const s = parseScenario({ days: 365, population: { initialMembers: 76, burnInDays: 0, audience: 1_000_000 }, behaviour: { referralRate: 0.56 }, policies: { acquisition: { referralIncentive: 7.7 } } });
      expect(() => createSimulation(s, { maxMembers: 2000 }).run()).toThrow(GrowthLimitError);
      expect(Date.now() - t0).toBeLessThan(10_000);
    },
  },
  {
    n: 248,
    id: 'fuzz-active',
    what: 'daily active <= weekly active <= monthly active, and <= members',
    test: () => {
      for (const input of FUZZ) {
        for (const d of run(input).series) {
          expect(d.active <= d.activeWeek && d.activeWeek <= d.activeMonth, `day ${d.day}: ${d.active}, ${d.activeWeek}, ${d.activeMonth}`).toBe(true);
          expect(d.active).toBeLessThanOrEqual(d.members);
        }
      }
    },
  },
  {
    n: 249,
    id: 'fuzz-hours',
    what: 'schedule manager.hoursPerDay 0.1 on day 10: managerHoursUsed <= managerHours on that day too',
    test: () => {
      const r = run({ days: 20, population: { initialMembers: 200, burnInDays: 10 }, manager: { hoursPerDay: 3 }, schedule: [{ day: 10, set: { 'manager.hoursPerDay': 0.1 } }] });
      for (const d of r.series) expect(d.managerHoursUsed, `day ${d.day}`).toBeLessThanOrEqual(d.managerHours + 1e-9);
      expect(r.series[10].managerHours).toBeCloseTo(0.1, 9);
    },
  },
  {
    n: 250,
    id: 'fuzz-day0',
    what: 'a shock and a schedule entry on day 0 (the schema allows 0): applied, not silently dropped',
    test: () => {
      const base = { days: 5, population: { initialMembers: 50, burnInDays: 0 } };
      const raided = run({ ...base, shocks: [{ type: 'troll-raid', day: 0, size: 30 }] });
      const calm = run(base);
      expect(raided.events.some((e) => e.day === 0 && e.kind === 'shock'), 'a shock event on day 0').toBe(true);
      expect(raided.series[0].members).toBeGreaterThan(calm.series[0].members);
      const scheduled = run({ ...base, manager: { hoursPerDay: 3 }, schedule: [{ day: 0, set: { 'manager.hoursPerDay': 0.5 } }] });
      expect(scheduled.series[0].managerHours).toBeCloseTo(0.5, 9);
    },
  },
  {
    n: 251,
    id: 'fuzz-undefined',
    what: 'summary values undefined for the run are NA, not 0 (retentionD90 of a 60-day run; answered share without questions)',
    test: () => {
      const r = run({ days: 60, population: { initialMembers: 30, burnInDays: 0 } });
      expect(r.summary.retentionD90).toBeNaN();
      const empty = run({ days: 10, population: { initialMembers: 0, burnInDays: 0, organicPerDay: 0 } });
      expect(empty.summary.answeredShare).toBeNaN();
      expect(empty.summary.medianResponseHours).toBeNaN();
    },
  },
  pointer(252, 'br-baseline', 'baseline: load, Play: no console errors, no outside requests', e2e('loads with no console errors and no external requests')),
  pointer(253, 'br-file-name', 'Open scenario: a file named as HTML with an unknown field', `the page names files with textContent; ${e2e('importing an invalid scenario shows the field error and keeps the old scenario')}`),
  pointer(254, 'br-html-name', 'a valid scenario whose name/description are HTML: Play, Download, Share', e2e('downloads the scenario, the daily series as CSV and charts as SVG and PNG')),
  pointer(255, 'br-html-keys', 'a file whose unknown keys are HTML: listed as text', e2e('importing an invalid scenario shows the field error and keeps the old scenario')),
  pointer(256, 'br-deep', 'a file with a value nested 6,000 deep: a field error', 'the page validates with parseScenario like the CLI; rows 21-24 replay the nesting limit'),
  pointer(257, 'br-1000-sched', 'a valid file with 1,000 schedule entries plays at speed', 'schedules apply in linear time (h-harden, cb1ab4b); rows 27-28 replay 20,000 entries'),
  {
    n: 258,
    id: 'br-link-html',
    what: 'share link with a hostile name/description: decoded as plain text',
    test: async () => {
      const html = '<img src=x onerror=alert(1)><script>alert(2)</script>';
      const s = await decodeShare(`#${await encodeShare(parseScenario({ name: html, description: html }))}`);
      expect(s!.name).toBe(html);
    },
  },
  { n: 259, id: 'br-link-noise', what: 'share link with 1.5 MB of random base64: "damaged", page usable', test: () => expectLinkRefused(`#s=${Buffer.from(Array.from({ length: 1_100_000 }, (_, i) => (i * 2654435761) >>> 24)).toString('base64url')}`, /damaged/) },
  {
    n: 260,
    id: 'br-link-bomb',
    what: 'share link JSON bomb: 80 MB description in a 104 kB hash: refused while it inflates (the tab held 168 MB)',
    test: async () => {
      // 80 MB of one character deflates to ~80 kB: the bomb is built from its compressed form
      const hash = `#s=${deflateRawSync(Buffer.from(`{"description":"${'x'.repeat(80_000_000)}"}`), { level: 9 }).toString('base64url')}`;
      expect(hash.length).toBeLessThan(120_000);
      const t0 = Date.now();
      await expectLinkRefused(hash, /^share link: the scenario in this link unpacks to more than 8 MB/);
      expect(Date.now() - t0).toBeLessThan(2_000);
    },
  },
  {
    n: 261,
    id: 'br-link-30000',
    what: 'share link with 30,000 schedule entries (12 kB hash): decoded in seconds (the page froze on it)',
    test: async () => {
      const schedule = Array.from({ length: 30_000 }, (_, i) => ({ day: 1 + (i % 30), set: { 'policies.moderation.strictness': (i % 10) / 10 } }));
      const t0 = Date.now();
      const s = await decodeShare(link(JSON.stringify({ days: 30, population: { initialMembers: 20, burnInDays: 0 }, schedule })));
      expect(s!.schedule).toHaveLength(30_000);
      expect(Date.now() - t0).toBeLessThan(10_000);
    },
  },
  pointer(262, 'br-link-huge', 'share link: 10 M members x degree 200', e2e('population controls from the schema restart the run; a size the machine may not hold is confirmed first, from a control or a link')),
  {
    n: 263,
    id: 'br-link-fields',
    what: 'share links with __proto__, seed=abc, seed=1e99, a graph file, [1,2,3], deep nesting: each a field error',
    test: async () => {
      await expectLinkRefused(link('{"__proto__": {"days": 5}}'), /__proto__: unknown field/);
      await expectLinkRefused(link('{}', 'abc'), /^seed: expected an integer.*got (?!null)/); // it said "got null"
      await expectLinkRefused(link('{}', '1e99'), /^seed: expected an integer/);
      await expectLinkRefused(link('{"population": {"graph": {"file": "/etc/passwd"}}}'), /^population\.graph\.file: the browser cannot read a graph file/);
      await expectLinkRefused(link('[1,2,3]'), /expected an object/);
      await expectLinkRefused(link(`{"policies": ${'{"a": '.repeat(6000)}1${'}'.repeat(6000)}}`), /policies\.a|nested/);
    },
  },
  { n: 264, id: 'br-link-tostring', what: 'share link: schedule path policies.toString.x: a field error (it showed a raw TypeError)', test: () => expectLinkRefused(link('{"schedule": [{"day": 1, "set": {"policies.toString.x": 1}}]}'), /schedule\[0\]\.set\.policies\.toString.*unknown field/) },
  { n: 265, id: 'br-link-null', what: 'share link whose JSON is null: a clear error (it showed "Cannot set properties of null")', test: () => expectLinkRefused(link('null', '7'), /expected an object, got null/) },
  pointer(266, 'br-compare-html', 'Compare tab: arm names and an override line of HTML: escaped', e2e('compare mode runs both strategies and shows the table of differences')),
];

describe('reliability review, areas 5-7: determinism, property fuzz, browser links', () => {
  replay(rows);
});
void ScenarioError;
