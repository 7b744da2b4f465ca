/**
 * `npm run bench`: the engine's speed goals (issue 2) measured on the compiled JS. Each whole run
 * goes to its own child process (node --expose-gc, pinned to one core with taskset when it
 * exists) so its peak memory is its own; the random-generator and edge-visit benchmarks run
 * here. Figures are printed as text; bench/RESULTS.md records them with the machine.
 *
 *   node dist/bench/run.js [--sizes 10000,100000] [--full] [--days 365] [--seed 1]
 *                          [--only rng,edges,memory,runs] [--no-pin] [--json FILE]
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { writeFileSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rngBench } from './rng.bench.js';
import { edgeCase, memoryCase, runCase } from './tick.bench.js';

interface Options {
  sizes: number[];
  days: number;
  seed: number;
  only: Set<string>;
  pin: boolean;
  json?: string;
}

type Job = { kind: 'run'; members: number; days: number; graphEvery?: number; seed: number } | { kind: 'memory'; members: number; seed: number };

const GOAL_MS: Record<number, number> = { 10_000: 2_000, 100_000: 30_000 };
const GOAL_RSS_MB = 2048;

function parse(argv: string[]): Options {
  const o: Options = { sizes: [10_000, 100_000], days: 365, seed: 1, only: new Set(['rng', 'edges', 'memory', 'runs']), pin: true };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    const next = () => {
      const v = argv[++k];
      if (v === undefined) throw new Error(`bench: ${a} expects a value`);
      return v;
    };
    if (a === '--sizes') o.sizes = next().split(',').map(Number);
    else if (a === '--full') o.sizes = [10_000, 100_000, 1_000_000];
    else if (a === '--days') o.days = Number(next());
    else if (a === '--seed') o.seed = Number(next());
    else if (a === '--only') o.only = new Set(next().split(','));
    else if (a === '--no-pin') o.pin = false;
    else if (a === '--json') o.json = next();
    else throw new Error(`bench: unknown option ${a}`);
  }
  if (o.sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('bench: --sizes expects positive integers');
  return o;
}

/** Runs `job` in a fresh node (one core when pinned) and returns what it printed as JSON. */
function child<T>(job: Job, pin: boolean): T {
  const self = fileURLToPath(import.meta.url);
  const args = ['--expose-gc', '--max-old-space-size=4096', self, '--child', JSON.stringify(job)];
  let r = pin ? spawnSync('taskset', ['-c', '0', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 }) : undefined;
  if (!r || r.error) r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`bench: ${JSON.stringify(job)} failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

function runChild(job: Job): void {
  const out = job.kind === 'run' ? runCase(job.members, job.days, job.graphEvery, job.seed) : memoryCase(job.members, job.seed);
  console.log(JSON.stringify(out));
}

const f0 = (x: number) => x.toFixed(0);
const f1 = (x: number) => x.toFixed(1);
const mps = (x: number) => `${f1(x / 1e6)} M/s`;

function main(argv: string[]): void {
  if (argv[0] === '--child') return runChild(JSON.parse(argv[1]) as Job);
  const o = parse(argv);
  const results: Record<string, unknown> = {
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadavg: loadavg() },
    options: { ...o, only: [...o.only] },
  };
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model}, node ${process.version}, load ${loadavg().map(f1).join(' ')}`);

  if (o.only.has('rng')) {
    console.log('\n## random generators, ns per draw (best of 5 x 10M draws)');
    const r = rngBench();
    for (const x of r) console.log(`${x.name.padEnd(30)} ${x.nsPerDraw.toFixed(2).padStart(7)} ns  x${x.relative.toFixed(2)}`);
    results.rng = r;
  }

  if (o.only.has('edges')) {
    const n = o.sizes.includes(100_000) ? 100_000 : o.sizes[0];
    const at = [1, Math.round(o.days / 2), o.days];
    console.log(`\n## social pass vs bare CSR loop, ${n} members, seed ${o.seed}, days ${at.join(', ')}`);
    const r = edgeCase(n, o.seed, at);
    for (const x of r) {
      console.log(`day ${String(x.day).padStart(3)}: ${f0(x.visits)} visits; social ${mps(x.socialPerSec)}, bare ${mps(x.barePerSec)}, bare+draw ${mps(x.bareDrawPerSec)}; bare/social x${x.ratio.toFixed(2)}`);
    }
    results.edges = r;
  }

  if (o.only.has('memory')) {
    console.log('\n## memory at day 0');
    const r = o.sizes.map((members) => child<ReturnType<typeof memoryCase>>({ kind: 'memory', members, seed: o.seed }, o.pin));
    for (const x of r) {
      console.log(`${String(x.members).padStart(8)} members, ${x.ties} ties: row ${x.rowBytes} B, members' arrays ${f0(x.memberBytesPerMember)} B/member, ties ${f1(x.tieBytesPerTie)} B/tie, measured ${f0(x.measuredPerMember)} B/member (ties included)`);
    }
    results.memory = r;
  }

  if (o.only.has('runs')) {
    console.log(`\n## whole runs, ${o.days} days, seed ${o.seed}${o.pin ? ', pinned to one core' : ''}`);
    const r: ReturnType<typeof runCase>[] = [];
    for (const members of o.sizes) {
      // the scenario's default cadence, then monthly and none for the share of the graph metrics
      for (const graphEvery of [undefined, 30, 0]) {
        const x = child<ReturnType<typeof runCase>>({ kind: 'run', members, days: o.days, graphEvery, seed: o.seed }, o.pin);
        r.push(x);
        const goal = GOAL_MS[members];
        // the goals are for one core: the CPU time of a pinned process, which other work on the
        // machine does not inflate as it does the wall time
        const verdict = goal ? `goal < ${goal / 1000} s ${x.cpuMs < goal ? 'met' : 'MISSED'}` : `goal RSS < ${GOAL_RSS_MB} MB ${x.peakRssMB < GOAL_RSS_MB ? 'met' : 'MISSED'}`;
        console.log(
          `${String(members).padStart(8)} members, graphEvery ${String(x.graphEvery).padStart(2)}${graphEvery === undefined ? ' (default)' : ''}: cpu ${f0(x.cpuMs)} ms (wall: create ${f0(x.createMs)} ms, run ${f0(x.runMs)} ms), ` +
            `peak RSS ${f0(x.peakRssMB)} MB; final ${x.finalMembers} members, ${x.rows} rows, ${x.ties} ties, ${mps(x.edgeVisits / (x.cpuMs / 1000))} edge visits per CPU second of the whole run; ${verdict}`,
        );
      }
    }
    for (const members of o.sizes) {
      const on = r.filter((x) => x.members === members && x.graphEvery === 30).pop()!;
      const off = r.filter((x) => x.members === members && x.graphEvery === 0).pop()!;
      const samples = Math.floor(o.days / 30);
      console.log(`${String(members).padStart(8)} members: graph metrics every 30 days take ${f0(100 * (1 - off.cpuMs / on.cpuMs))}% of the run, ${f0((on.cpuMs - off.cpuMs) / samples)} ms CPU a sample`);
    }
    results.runs = r;
  }

  if (o.json) {
    writeFileSync(`${o.json}.tmp`, JSON.stringify(results, null, 2));
    renameSync(`${o.json}.tmp`, o.json);
  }
}

try {
  main(process.argv.slice(2));
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
