/**
 * Experimental designs: which parameter combinations a sweep or a sensitivity analysis runs.
 *
 * - A factor is a list of values, or a range `{ min, max, n, sample }` sampled on a grid, at
 *   random or by Latin hypercube (McKay, Beckman & Conover 1979).
 * - Lists and grids are crossed (full factorial); ranges sampled at random or by Latin hypercube
 *   share one `n` and are drawn jointly as n points, which are then crossed with the factorial.
 * - Morris trajectories (Morris 1991) and Saltelli's A/B/AB matrices (Saltelli et al. 2010) are
 *   built in the unit cube; `scaleUnit` maps them onto the factors' ranges.
 *
 * Every random draw comes from a seeded Stream (engine/rng.ts), so a design is reproducible.
 */
import { Stream } from '../engine/rng.js';

export type Sampling = 'grid' | 'random' | 'lhs';

/** A numeric range of a factor. */
export interface RangeFactor {
  min: number;
  max: number;
  /** Values drawn from the range (grid points or samples). */
  n: number;
  sample: Sampling;
  /** Round sampled values to integers (for integer fields such as population.initialMembers). */
  integer?: boolean;
}

export type Factor = readonly unknown[] | RangeFactor;

export const isRange = (f: Factor): f is RangeFactor => !Array.isArray(f);

/** Design points as rows of values, one column per factor name. */
export interface Design {
  names: string[];
  points: unknown[][];
}

const roundIf = (f: RangeFactor, v: number) => (f.integer ? Math.round(v) : v);

/** Evenly spaced values from min to max (min alone when n is 1). */
export function gridValues(f: RangeFactor): number[] {
  if (f.n === 1) return [roundIf(f, f.min)];
  return Array.from({ length: f.n }, (_, i) => roundIf(f, f.min + ((f.max - f.min) * i) / (f.n - 1)));
}

/** n values in [0, 1): one per stratum [i/n, (i+1)/n), in random order (one Latin hypercube column). */
export function latinColumn(n: number, stream: Stream): Float64Array {
  const col = new Float64Array(n);
  for (let i = 0; i < n; i++) col[i] = (i + stream.next()) / n;
  for (let i = n - 1; i > 0; i--) {
    const j = stream.int(i + 1);
    const t = col[i]; col[i] = col[j]; col[j] = t;
  }
  return col;
}

/**
 * The design points of a sweep, in a fixed order: the factorial of lists and grids with the
 * first factor varying slowest, and the block of sampled ranges innermost.
 */
export function designPoints(factors: Record<string, Factor>, seed: number): Design {
  const names = Object.keys(factors);
  const stream = Stream.derive(seed, 'design');
  const crossed: { col: number; values: unknown[] }[] = [];
  const sampled: number[] = [];
  names.forEach((name, col) => {
    const f = factors[name];
    if (!isRange(f)) crossed.push({ col, values: [...f] });
    else if (f.sample === 'grid') crossed.push({ col, values: gridValues(f) });
    else sampled.push(col);
  });
  // The jointly sampled block: n rows, each column uniform or Latin hypercube over its range.
  const n = sampled.length ? (factors[names[sampled[0]]] as RangeFactor).n : 1;
  const block: number[][] = Array.from({ length: n }, () => []);
  for (const col of sampled) {
    const f = factors[names[col]] as RangeFactor;
    const u = f.sample === 'lhs' ? latinColumn(n, stream) : Float64Array.from({ length: n }, () => stream.next());
    for (let i = 0; i < n; i++) block[i].push(roundIf(f, f.min + u[i] * (f.max - f.min)));
  }
  const points: unknown[][] = [];
  const idx = new Array<number>(crossed.length).fill(0);
  for (;;) {
    for (const row of block) {
      const p = new Array<unknown>(names.length);
      crossed.forEach((c, i) => (p[c.col] = c.values[idx[i]]));
      sampled.forEach((col, i) => (p[col] = row[i]));
      points.push(p);
    }
    // Odometer over the crossed factors, last one fastest.
    let d = crossed.length - 1;
    while (d >= 0 && ++idx[d] === crossed[d].values.length) idx[d--] = 0;
    if (d < 0) break;
  }
  return { names, points };
}

/** Maps a point of the unit cube onto the factors' ranges. */
export function scaleUnit(u: ArrayLike<number>, ranges: RangeFactor[]): number[] {
  return ranges.map((f, i) => roundIf(f, f.min + u[i] * (f.max - f.min)));
}

/** A Morris design in the unit cube: `trajectories` paths of k + 1 points, one factor moved per step. */
export interface MorrisDesign {
  k: number;
  levels: number;
  /** Step size in the unit cube: levels / (2 (levels - 1)). */
  delta: number;
  /** trajectories x (k + 1) points, each a row of k values in [0, 1]. */
  points: Float64Array[];
  /** For step s of trajectory t (index t * k + s): the factor moved and the step's sign. */
  moved: Int32Array;
  sign: Int8Array;
}

/**
 * Morris trajectories: a random start on the p-level grid, then each factor in random order moves
 * by delta, up from the lower half of the levels and down from the upper half, so the path stays
 * in the cube and every coordinate stays uniform over the levels at every step.
 */
export function morrisDesign(k: number, trajectories: number, levels: number, stream: Stream): MorrisDesign {
  if (levels < 2 || levels % 2) throw new Error('experiments/design: Morris levels must be an even number >= 2');
  const delta = levels / (2 * (levels - 1));
  const points: Float64Array[] = [];
  const moved = new Int32Array(trajectories * k);
  const sign = new Int8Array(trajectories * k);
  for (let t = 0; t < trajectories; t++) {
    const x = Float64Array.from({ length: k }, () => stream.int(levels) / (levels - 1));
    points.push(x.slice());
    const order = Array.from({ length: k }, (_, i) => i);
    for (let i = k - 1; i > 0; i--) {
      const j = stream.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    order.forEach((f, s) => {
      const up = x[f] + delta <= 1 + 1e-12;
      x[f] = up ? x[f] + delta : x[f] - delta;
      moved[t * k + s] = f;
      sign[t * k + s] = up ? 1 : -1;
      points.push(x.slice());
    });
  }
  return { k, levels, delta, points, moved, sign };
}

/**
 * Saltelli's sampling for first-order and total Sobol indices: matrices A and B of N uniform rows,
 * and AB_i (A with column i taken from B). Rows come in blocks of k + 2 per sample j:
 * A_j, AB_j^1 ... AB_j^k, B_j, so the model is run N (k + 2) times.
 */
export function saltelliDesign(k: number, n: number, stream: Stream): Float64Array[] {
  const rows: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const a = Float64Array.from({ length: k }, () => stream.next());
    const b = Float64Array.from({ length: k }, () => stream.next());
    rows.push(a);
    for (let i = 0; i < k; i++) {
      const ab = a.slice();
      ab[i] = b[i];
      rows.push(ab);
    }
    rows.push(b);
  }
  return rows;
}
