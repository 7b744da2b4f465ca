/**
 * Cost per draw of the random generators the engine could use (issue 2, "Speed"): seedrandom's
 * default ARC4, its alea and xor128, the engine's sfc32 `Stream` (engine/rng.ts) as the tick
 * calls it, and a bare inline sfc32 in local variables as the floor. Backs the choice in
 * engine/rng.ts: seedrandom seeds each stream, sfc32 draws.
 */
import seedrandom from 'seedrandom';
import { Stream } from '../engine/rng.js';

export interface RngResult {
  name: string;
  nsPerDraw: number;
  /** Time per draw relative to the engine's Stream.next. */
  relative: number;
}

/** Keeps the sums alive so no loop is optimised away. */
let sink = 0;

/** Draws through a function call, as seedrandom's generators are used. */
function drain(next: () => number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += next();
  return s;
}

/** Draws through the engine's Stream, inlined at the call site as in the tick. */
function drainStream(stream: Stream, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += stream.next();
  return s;
}

/** sfc32 with its state in locals: the least a 32-bit generator can cost in JS. */
function drainInline(n: number): number {
  let a = 0x9e3779b9 | 0, b = 0x243f6a88 | 0, c = 0xb7e15162 | 0, d = 1;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    s += (t >>> 0) / 4294967296;
  }
  return s;
}

/**
 * Best CPU time per draw over `repeats` rounds of `draws` draws, after a warm-up round for the
 * JIT. CPU time, not wall time, so other work on the machine does not count.
 */
function best(run: (n: number) => number, draws: number, repeats: number): number {
  run(Math.min(draws, 100_000));
  let min = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = process.cpuUsage();
    sink += run(draws);
    const t = process.cpuUsage(t0);
    min = Math.min(min, (t.user + t.system) / 1000);
  }
  return (min * 1e6) / draws;
}

/** Measures every candidate with a fixed seed. */
export function rngBench(draws = 10_000_000, repeats = 5): RngResult[] {
  const seed = '1/bench';
  const arc4 = seedrandom(seed);
  const alea = seedrandom.alea(seed);
  const xor128 = seedrandom.xor128(seed);
  const stream = Stream.derive(1, 'bench');
  const cases: [string, (n: number) => number][] = [
    ['seedrandom default (ARC4)', (n) => drain(arc4, n)],
    ['seedrandom alea', (n) => drain(alea, n)],
    ['seedrandom xor128', (n) => drain(xor128, n)],
    ['engine Stream.next (sfc32)', (n) => drainStream(stream, n)],
    ['inline sfc32 (locals)', drainInline],
  ];
  const ns = cases.map(([name, run]) => ({ name, ns: best(run, draws, repeats) }));
  const ref = ns.find((c) => c.name.startsWith('engine'))!.ns;
  if (sink === 42) console.log(''); // never true; reads the sink
  return ns.map((c) => ({ name: c.name, nsPerDraw: c.ns, relative: c.ns / ref }));
}
