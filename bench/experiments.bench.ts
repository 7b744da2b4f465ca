/**
 * The experiment runner's speed goals (issue 4), on the compiled JS:
 * - two workers finish a batch of short runs at least 1.8 times faster than one;
 * - pool overhead (start, transfer, aggregation) under 5% of the batch's time: the 1-worker
 *   pool's wall time against the same runs executed inline in one thread, and against the sum of
 *   the runs' own times measured inside the worker;
 * - peak memory (RSS of the whole process, worker threads included) of a 100,000-run sweep
 *   through the full runner (runs.csv, sort, summary.csv) under 300 MB.
 *
 *   node dist/bench/experiments.bench.js [--runs 200] [--members 100] [--days 60] [--large 100000]
 *                                        [--skip-pool] [--skip-large]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveSeed, parseScenario, type Scenario } from '../engine/index.js';
import { InlineExecutor, type Executor, type RunJob } from '../experiments/executor.js';
import { WorkerPool } from '../experiments/pool.js';
import { runDesign } from '../experiments/runner.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
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

async function poolBench(runs: number, members: number, days: number): Promise<void> {
  const scenario = parseScenario({ days, population: { initialMembers: members } });
  const list = jobs(scenario, runs);
  // Warm the main thread's JIT so the inline baseline is not charged for it.
  await timeBatch(() => new InlineExecutor(), list.slice(0, 20));
  const inline = await timeBatch(() => new InlineExecutor(), list);
  const one = await timeBatch(() => new WorkerPool({ size: 1 }), list);
  const two = await timeBatch(() => new WorkerPool({ size: 2 }), list);
  const f = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`batch: ${runs} runs of ${members} members x ${days} days`);
  const got = (r: { cores: number }) => `${r.cores.toFixed(2)} cores obtained`;
  console.log(`  inline, one thread     ${f(inline.wall)}   (${got(inline)})`);
  console.log(`  pool, 1 worker         ${f(one.wall)}   (runs' own time ${f(one.inside)}; ${got(one)})`);
  console.log(`  pool, 2 workers        ${f(two.wall)}   (${got(two)})`);
  console.log(`  speedup 2 vs 1 worker  ${(one.wall / two.wall).toFixed(2)}x   (goal >= 1.8x)`);
  console.log(`  pool overhead          ${(((one.wall - inline.wall) / one.wall) * 100).toFixed(1)}% vs inline, ${(((one.wall - one.inside) / one.wall) * 100).toFixed(1)}% vs the runs' own time   (goal < 5%)`);
  // CPU time is what the machinery costs whatever the load: worker start, messages, aggregation.
  console.log(`  pool CPU overhead      ${(((one.cpu - inline.cpu) / one.cpu) * 100).toFixed(1)}% (1 worker: ${f(one.cpu)} CPU vs ${f(inline.cpu)} inline), ${(((two.cpu - inline.cpu) / two.cpu) * 100).toFixed(1)}% with 2 workers (${f(two.cpu)} CPU)`);
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
if (!process.argv.includes('--skip-pool')) await poolBench(arg('runs', 200), arg('members', 100), arg('days', 60));
if (!process.argv.includes('--skip-large')) await memoryBench(arg('large', 100_000));
console.log(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
