/**
 * Parameter recovery at a larger budget than the CI test (test/experiments/recovery.test.ts):
 * for each seed, a community of known parameters seen only as a platform sees it (weekly
 * contributors, posts, replies, questions: experiments/recovery.ts), fitted back from wide
 * priors; the share of true values inside their 90% posterior intervals (about 0.9 for a
 * calibrated fit) and how much of the prior's range the intervals keep.
 *
 * Run: `npx tsx bench/recovery.ts [--seeds N] [--particles N] [--generations N] [--workers N]`
 * (markdown on stdout).
 */
import { parseScenario } from '../engine/index.js';
import { WorkerPool } from '../experiments/pool.js';
import { recover, type Recovered } from '../experiments/recovery.js';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const k = args.indexOf(name);
  return k >= 0 ? Number(args[k + 1]) : dflt;
};
const seeds = opt('--seeds', 10);
const particles = opt('--particles', 100);
const generations = opt('--generations', 4);

// Eight weeks of 300 fresh members; three parameters: activity, reply propensity, churn.
const base = parseScenario({ days: 56, population: { initialMembers: 300, burnInDays: 0 } });
const params = {
  'behaviour.posting.postRate.contributor': { truth: 0.15, min: 0.015, max: 1, scale: 'log' as const },
  'behaviour.posting.replyRate.contributor': { truth: 0.3, min: 0.03, max: 3, scale: 'log' as const },
  'behaviour.churnBase': { truth: 0.01, min: 0.001, max: 0.1, scale: 'log' as const },
};

const executor = new WorkerPool({ size: opt('--workers', 2) });
const all: Recovered[] = [];
let runs = 0;
let ms = 0;
try {
  console.log(`| seed | ${Object.keys(params).map((p) => `${p} (truth ${params[p as keyof typeof params].truth}): 5% / median / 95%`).join(' | ')} | runs | s |`);
  console.log(`|---:|${Object.keys(params).map(() => '---|').join('')}---:|---:|`);
  for (let seed = 1; seed <= seeds; seed++) {
    const r = await recover({ base, params, seed, spec: { particles, generations, seed: 1000 + seed } }, executor);
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
for (const name of Object.keys(params)) {
  const rs = all.filter((r) => r.name === name);
  const p = params[name as keyof typeof params];
  const width = rs.reduce((s, r) => s + Math.log(r.hi90 / r.lo90) / Math.log(p.max / p.min), 0) / rs.length;
  console.log(`- ${name}: truth inside the 90% interval in ${rs.filter((r) => r.inside).length} of ${rs.length} seeds; the interval keeps ${(width * 100).toFixed(0)}% of the prior's log range on average`);
}
console.log(`- ${runs} runs in ${(ms / 1000).toFixed(0)} s (${particles} particles, ${generations} generations after the prior's, ${seeds} seeds)`);
