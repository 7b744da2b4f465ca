/**
 * Parameter recovery at a larger budget than the CI test (test/experiments/recovery.test.ts):
 * for each seed, a community of known parameters seen only as a platform sees it (weekly
 * contributors, posts, replies, questions: experiments/recovery.ts), fitted back from wide
 * priors; the share of true values inside their 90% posterior intervals (about 0.9 for a
 * calibrated fit) and how much of the prior's range the intervals keep.
 *
 * Two cases (`--set`):
 * - `three` (default): 300 fresh members for eight weeks (an unstated market: 3 x 300);
 *   activity, reply propensity and churn.
 * - `default`: the fit's default parameter set and priors (DEFAULT_FIT_PARAMS, seven parameters)
 *   on a community that opens with no members, as `fit` without `--base` assumes, and grows
 *   for twelve weeks into a market of 1,500 (about 1,100 members by the end).
 *
 * Run: `npx tsx bench/recovery.ts [--set three|default] [--distance relative|log]
 * [--kernel olcm|global] [--seeds N] [--first-seed S] [--particles N] [--generations N]
 * [--workers N]` (markdown on stdout; the distance and kernel default to FIT.json's).
 */
import { parseScenario } from '../engine/index.js';
import { DEFAULT_FIT_PARAMS, FitSpecSchema } from '../experiments/fit.js';
import { WorkerPool } from '../experiments/pool.js';
import { recover, type Recovered, type RecoveryCase } from '../experiments/recovery.js';

const args = process.argv.slice(2);
const raw = (name: string) => {
  const k = args.indexOf(name);
  return k >= 0 ? args[k + 1] : undefined;
};
const opt = (name: string, dflt: number) => Number(raw(name) ?? dflt);
const seeds = opt('--seeds', 10);
const firstSeed = opt('--first-seed', 1);
const particles = opt('--particles', 100);
const generations = opt('--generations', 4);
const set = raw('--set') ?? 'three';
// FIT.json's defaults unless named, so that a run without --distance measures the default.
const defaults = FitSpecSchema.parse({});
const distance = FitSpecSchema.shape.distance.parse(raw('--distance') ?? defaults.distance);
const kernel = FitSpecSchema.shape.kernel.parse(raw('--kernel') ?? defaults.kernel);

type Params = RecoveryCase['params'];
const cases: Record<string, { base: unknown; params: Params }> = {
  // Eight weeks of 300 fresh members; three parameters: activity, reply propensity, churn.
  three: {
    base: { days: 56, population: { initialMembers: 300, burnInDays: 0 } },
    params: {
      'behaviour.posting.postRate.contributor': { truth: 0.15, min: 0.015, max: 1, scale: 'log' },
      'behaviour.posting.replyRate.contributor': { truth: 0.3, min: 0.03, max: 3, scale: 'log' },
      'behaviour.churnBase': { truth: 0.01, min: 0.001, max: 0.1, scale: 'log' },
    },
  },
  // Twelve weeks from no members: the default set at values where every one of them shows
  // (half the newcomers arrive whatever the activity, so it starts; the market fills).
  default: {
    base: { days: 84, population: { initialMembers: 0 } },
    params: Object.fromEntries(Object.entries({
      'population.organicPerDay': 30,
      'population.audience': 1500,
      'behaviour.posting.postRate.contributor': 0.15,
      'behaviour.posting.replyRate.contributor': 0.3,
      'behaviour.churnBase': 0.02,
      'population.discovery.baseline': 0.5,
      'population.mix.lurker': 0.735,
    }).map(([name, truth]) => {
      const p = DEFAULT_FIT_PARAMS[name];
      return [name, { truth, min: p.min, max: p.max, scale: p.scale ?? 'linear' }];
    })),
  },
};
if (!(set in cases)) throw new Error(`bench/recovery: --set: expected ${Object.keys(cases).join(' or ')}, got ${set}`);
const base = parseScenario(cases[set].base);
const params = cases[set].params;

/** The interval's width as a share of the prior's range (log range for a log prior). */
const widthShare = (r: Recovered) => {
  const p = params[r.name];
  return p.scale === 'log' ? Math.log(r.hi90 / r.lo90) / Math.log(p.max / p.min) : (r.hi90 - r.lo90) / (p.max - p.min);
};
/** How far the median is from the truth, as a share of the prior's (log) range. */
const errorShare = (r: Recovered) => {
  const p = params[r.name];
  return p.scale === 'log' ? Math.abs(Math.log(r.median / r.truth)) / Math.log(p.max / p.min) : Math.abs(r.median - r.truth) / (p.max - p.min);
};

const executor = new WorkerPool({ size: opt('--workers', 2) });
const all: Recovered[] = [];
let runs = 0;
let ms = 0;
try {
  console.log(`set ${set}, distance ${distance}, kernel ${kernel}\n`);
  console.log(`| seed | ${Object.keys(params).map((p) => `${p} (truth ${params[p].truth}): 5% / median / 95%`).join(' | ')} | runs | s |`);
  console.log(`|---:|${Object.keys(params).map(() => '---|').join('')}---:|---:|`);
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
    const r = await recover({ base, params, seed, spec: { particles, generations, seed: 1000 + seed, distance, kernel } }, executor);
    all.push(...r.recovered);
    runs += r.runs;
    ms += r.ms;
    const f = (v: number) => v.toPrecision(2);
    console.log(`| ${seed} | ${r.recovered.map((x) => `${f(x.lo90)} / ${f(x.median)} / ${f(x.hi90)}${x.inside ? '' : ' (out)'}`).join(' | ')} | ${r.runs} | ${(r.ms / 1000).toFixed(0)} |`);
  }
} finally {
  await executor.close();
}
console.log('');
console.log('| parameter | truth inside the 90% interval | interval width, share of the prior\'s range | median\'s error, share of the prior\'s range |');
console.log('|---|---:|---:|---:|');
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
for (const name of Object.keys(params)) {
  const rs = all.filter((r) => r.name === name);
  console.log(`| ${name} | ${rs.filter((r) => r.inside).length} of ${rs.length} | ${(mean(rs.map(widthShare)) * 100).toFixed(0)}% | ${(mean(rs.map(errorShare)) * 100).toFixed(0)}% |`);
}
console.log(`| all | ${all.filter((r) => r.inside).length} of ${all.length} | ${(mean(all.map(widthShare)) * 100).toFixed(0)}% | ${(mean(all.map(errorShare)) * 100).toFixed(0)}% |`);
console.log(`\n${runs} runs in ${(ms / 1000).toFixed(0)} s (${particles} particles, ${generations} generations after the prior's, seeds ${firstSeed}-${firstSeed + seeds - 1}, distance ${distance}, kernel ${kernel})`);
