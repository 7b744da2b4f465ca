/**
 * The experiment runner's speed goals (issue 4), on the compiled JS:
 * - two workers finish a batch of short runs at least 1.8 times faster than one;
 * - pool overhead (start, transfer, aggregation) under 5% of the batch's time: the 1-worker
 *   pool's wall time against the same runs executed inline in one thread, and against the sum of
 *   the runs' own times measured inside the worker;
 * - peak memory (RSS of the whole process, worker threads included) of a 100,000-run sweep
 *   through the full runner (runs.csv, sort, summary.csv) under 300 MB.
 *
 *   node dist/bench/experiments.bench.js [--runs 200] [--members 100] [--days 60] [--rounds 3]
 *                                        [--compare PRESET,PRESET --reps 100]
 *                                        [--large 100000] [--skip-pool] [--skip-large]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveSeed, parseScenario, type Scenario } from '../engine/index.js';
import { InlineExecutor, type Executor, type RunJob } from '../experiments/executor.js';
import { WorkerPool } from '../experiments/pool.js';
import { runDesign } from '../experiments/runner.js';
import { loadPreset } from '../experiments/io/scenario-source.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

function stringArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function jobs(scenario: Scenario, n: number): RunJob[] {
  return Array.from({ length: n }, (_, r) => ({ key: `0:${r}`, point: 0, rep: r, seed: deriveSeed(1, r), scenario }));
}

/** Wall time of a whole batch, executor start and close included; and the runs' own time. */
async function timeBatch(make: () => Executor, list: RunJob[]): Promise<{ wall: number; inside: number; cores: number; cpu: number }> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage(); // all threads of the process: how many cores the batch really got
  const ex = make();
  let inside = 0;
  for await (const o of ex.run(list)) {
    if (!o.ok) throw new Error(`bench: run ${o.job.key} failed: ${o.error}`);
    inside += o.output.ms;
  }
  await ex.close();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { wall, inside, cores: cpuMs / wall, cpu: cpuMs };
}

/** Jobs of a batch: `--compare a,b` gives reps x arms runs of those presets (common seeds, arms interleaved as `compare` sends them), else `--runs` runs of a small scenario. */
function batch(): { label: string; list: RunJob[] } {
  const presets = stringArg('compare');
  if (presets) {
    const arms = presets.split(',').map((name) => parseScenario(loadPreset(name).input));
    const reps = arg('reps', 100);
    const list: RunJob[] = [];
    for (let r = 0; r < reps; r++) arms.forEach((scenario, a) => list.push({ key: `${a}:${r}`, point: a, rep: r, seed: deriveSeed(1, r), scenario }));
    return { label: `${list.length} runs: compare ${presets.split(',').join(' ')} --reps ${reps} (${arms.map((a) => `${a.population.initialMembers} members x ${a.days} days`).join(', ')})`, list };
  }
  const members = arg('members', 100);
  const days = arg('days', 60);
  const runs = arg('runs', 200);
  return { label: `${runs} runs of ${members} members x ${days} days`, list: jobs(parseScenario({ days, population: { initialMembers: members } }), runs) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Rounds alternate inline, 1 worker and 2 workers, so a change in the machine's load (shared
 * with other work) falls on all three alike; the medians are compared.
 */
async function poolBench(rounds: number): Promise<void> {
  const { label, list } = batch();
  // Warm the main thread's JIT so the inline baseline is not charged for it.
  await timeBatch(() => new InlineExecutor(), list.slice(0, 20));
  const inline: Awaited<ReturnType<typeof timeBatch>>[] = [];
  const one: typeof inline = [];
  const two: typeof inline = [];
  const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`batch: ${label}; ${rounds} rounds`);
  for (let k = 0; k < rounds; k++) {
    inline.push(await timeBatch(() => new InlineExecutor(), list));
    one.push(await timeBatch(() => new WorkerPool({ size: 1 }), list));
    two.push(await timeBatch(() => new WorkerPool({ size: 2 }), list));
    const [i, o, t] = [inline[k], one[k], two[k]];
    console.log(
      `  round ${k + 1}: inline ${f(i.wall)} (${i.cores.toFixed(2)} cores), 1 worker ${f(o.wall)} (runs' own ${f(o.inside)}, ${o.cores.toFixed(2)} cores), ` +
        `2 workers ${f(t.wall)} (runs' own ${f(t.inside)}, ${t.cores.toFixed(2)} cores): ${(o.wall / t.wall).toFixed(2)}x, load ${loadavg()[0].toFixed(1)}`,
    );
  }
  const m = (xs: typeof inline, key: 'wall' | 'inside' | 'cpu') => median(xs.map((x) => x[key]));
  const [iw, ow, tw, oin, ocpu, icpu] = [m(inline, 'wall'), m(one, 'wall'), m(two, 'wall'), m(one, 'inside'), m(one, 'cpu'), m(inline, 'cpu')];
  console.log(`  medians: inline ${f(iw)}, 1 worker ${f(ow)}, 2 workers ${f(tw)}`);
  console.log(`  speedup 2 vs 1 worker  ${(ow / tw).toFixed(2)}x (median of rounds' ratios ${median(one.map((o, k) => o.wall / two[k].wall)).toFixed(2)}x)   (goal >= 1.8x)`);
  console.log(`  pool overhead          ${(((ow - iw) / ow) * 100).toFixed(1)}% vs inline, ${(((ow - oin) / ow) * 100).toFixed(1)}% vs the runs' own time   (goal < 5%)`);
  // CPU time is what the machinery costs whatever the load: worker start, messages, aggregation.
  console.log(`  pool CPU overhead      ${(((ocpu - icpu) / ocpu) * 100).toFixed(1)}% (1 worker: ${f(ocpu)} CPU vs ${f(icpu)} inline)`);
}

async function memoryBench(runs: number): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'bench-sweep-'));
  const scenario = parseScenario({ days: 5, population: { initialMembers: 10 }, metrics: { graphEvery: 0 } });
  let peak = 0;
  const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));
  const timer = setInterval(sample, 100);
  const t0 = performance.now();
  try {
    const batch = runDesign(
      {
        kind: 'sweep', hash: 'bench', baseSeed: 1, reps: runs, points: 1, paramNames: [],
        paramsOf: () => [], scenarioOf: () => scenario, series: false, metrics: ['finalMembers', 'meanToxicShare'], manifest: {},
      },
      { out, workers: 2 },
    );
    let n = 0;
    for await (const _ of batch) if (++n % 1000 === 0) sample();
    const res = await batch.result;
    sample();
    console.log(`large sweep: ${res.completed} runs (10 members x 5 days) through the full runner, 2 workers`);
    console.log(`  time ${((performance.now() - t0) / 1000).toFixed(1)} s, peak RSS ${(peak / 2 ** 20).toFixed(0)} MB   (goal < 300 MB)`);
  } finally {
    clearInterval(timer);
    rmSync(out, { recursive: true, force: true });
  }
}

const cpu = cpus()[0]?.model ?? 'unknown cpu';
console.log(`machine: ${availableParallelism()} cores (${cpu}), node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
if (!process.argv.includes('--skip-pool')) await poolBench(arg('rounds', 3));
if (!process.argv.includes('--skip-large')) await memoryBench(arg('large', 100_000));
console.log(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
