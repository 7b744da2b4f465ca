/**
 * engine/numeric.ts against the platform's Math: every function within one ulp of Math's on fixed
 * grids (edge cases, subnormals, huge values, NaN and infinities) and on generated doubles, with
 * NaN, infinities and the sign of zero exactly as Math gives them. A digest of the outputs on a
 * fixed input set is pinned, so a package update that changes any bit fails here (the browser
 * test in test/viz/determinism.test.ts checks the same functions give the same bits in Chromium).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cos, exp, expm1, log, log1p, pow, tanh } from '../../engine/numeric.js';

const bits = new Float64Array(1);
const words = new BigInt64Array(bits.buffer);

/** Position of |x| among the doubles (0 for ±0, 1 for the smallest subnormal, ...). */
function magnitudeIndex(x: number): bigint {
  bits[0] = Math.abs(x);
  return words[0];
}

/** Ulps between a and b; Infinity when they differ in NaN-ness, sign, or one is infinite and the other not. */
function ulpsApart(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (Object.is(a, b)) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  const negative = (v: number) => v < 0 || Object.is(v, -0);
  if (negative(a) !== negative(b)) return Infinity;
  const d = magnitudeIndex(a) - magnitudeIndex(b);
  return Number(d < 0n ? -d : d);
}

const MIN_SUBNORMAL = Number.MIN_VALUE; // 5e-324
const MAX_SUBNORMAL = 2 ** -1022 - 2 ** -1074;
const MIN_NORMAL = 2 ** -1022;
const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, MIN_SUBNORMAL, -MIN_SUBNORMAL, MAX_SUBNORMAL, -MAX_SUBNORMAL, MIN_NORMAL, -MIN_NORMAL, Number.MAX_VALUE, -Number.MAX_VALUE, 1, -1, 0.5, -0.5, 2, -2, Number.EPSILON, 1 + Number.EPSILON, 1 - Number.EPSILON / 2, 2 ** -28, 2 ** -54, 1e-300, 1e300];

/** Doubles spread over every binade: ±m·2^e for e in [-1074, 1023] and a few mantissas. */
function everyBinade(): number[] {
  const out: number[] = [];
  for (let e = -1074; e <= 1023; e++) {
    for (const m of [1, 1.0000000000000002, 1.1, 1.25, 1.4142135623730951, 1.5, 1.7, 1.9999999999999998]) {
      const v = m * 2 ** e;
      if (Number.isFinite(v)) out.push(v, -v);
    }
  }
  return out;
}

/** n evenly spaced points in [lo, hi], ends included. */
function linspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}

const BINADES = everyBinade();
const RUNS = { numRuns: 20_000 };

/** Checks f against reference on every input and reports the first few that are further than one ulp. */
function expectWithinUlp(f: (x: number) => number, reference: (x: number) => number, inputs: Iterable<number>): void {
  const bad: string[] = [];
  for (const x of inputs) {
    const got = f(x);
    const want = reference(x);
    if (ulpsApart(got, want) > 1 && bad.length < 5) bad.push(`f(${x}) = ${got}, Math gives ${want}`);
  }
  expect(bad).toEqual([]);
}

const UNARY = [
  { name: 'exp', f: exp, math: Math.exp, domain: linspace(-746, 710, 100_001), near: fc.double({ min: -746, max: 710 }) },
  { name: 'log', f: log, math: Math.log, domain: linspace(0, 1e4, 100_001), near: fc.double({ min: 0, max: 1e6 }) },
  { name: 'log1p', f: log1p, math: Math.log1p, domain: linspace(-1, 100, 100_001), near: fc.double({ min: -1, max: 1 }) },
  { name: 'expm1', f: expm1, math: Math.expm1, domain: linspace(-40, 710, 100_001), near: fc.double({ min: -2, max: 2 }) },
  { name: 'cos', f: cos, math: Math.cos, domain: [...linspace(-100, 100, 100_001), ...Array.from({ length: 2001 }, (_, k) => ((k - 1000) * Math.PI) / 2)], near: fc.double({ min: -1e9, max: 1e9 }) },
  { name: 'tanh', f: tanh, math: Math.tanh, domain: linspace(-25, 25, 100_001), near: fc.double({ min: -3, max: 3 }) },
] as const;

describe('unary functions against Math, within one ulp', () => {
  for (const { name, f, math, domain, near } of UNARY) {
    it(`${name}: special values, every binade, a fine grid of its working range`, () => {
      expectWithinUlp(f, math, SPECIAL);
      for (const x of SPECIAL) if (!Number.isFinite(math(x)) || math(x) === 0) expect(Object.is(f(x), math(x)), `${name}(${x})`).toBe(true);
      expectWithinUlp(f, math, BINADES);
      expectWithinUlp(f, math, domain);
    });

    it(`${name}: generated doubles (any double, and its working range)`, () => {
      fc.assert(fc.property(fc.double(), (x) => ulpsApart(f(x), math(x)) <= 1), RUNS);
      fc.assert(fc.property(near, (x) => ulpsApart(f(x), math(x)) <= 1), RUNS);
    });
  }

  it('exp near its overflow and underflow thresholds (results into the subnormals)', () => {
    expectWithinUlp(exp, Math.exp, linspace(709.7, 709.8, 10_001));
    expectWithinUlp(exp, Math.exp, linspace(-745.2, -707, 10_001));
  });
});

describe('pow against Math.pow', () => {
  const VALUES = [...SPECIAL, 3, -3, 1.5, -1.5, 2 ** 53, -(2 ** 53), 2 ** 53 + 2, 1e20, 0.9999999999999999, 1.0000000000000002, 1 / 3, -1 / 3, 10, 0.1];

  it('follows ECMAScript on every pair of special values (exactly where Math gives 0, Infinity or NaN)', () => {
    const bad: string[] = [];
    for (const x of VALUES) {
      for (const y of VALUES) {
        const got = pow(x, y);
        const want = Math.pow(x, y);
        const exact = Number.isNaN(want) || !Number.isFinite(want) || want === 0;
        if (exact ? !Object.is(got, want) : ulpsApart(got, want) > 1) bad.push(`pow(${x}, ${y}) = ${got}, Math gives ${want}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('integer powers of negative bases keep the sign of odd powers, and fractional ones are NaN', () => {
    expect(pow(-2, 3)).toBe(-8);
    expect(pow(-2, 4)).toBe(16);
    expect(pow(-2, -1)).toBe(-0.5);
    expect(pow(-1, 2 ** 60)).toBe(1);
    expect(pow(-8, 1 / 3)).toBeNaN();
  });

  it('bases over every binade to exponents across the range', () => {
    const bad: string[] = [];
    for (const x of BINADES) {
      if (x <= 0) continue;
      for (const y of [-1074, -100, -4, -3, -2, -1, -0.5, -1e-3, 1e-3, 0.5, 1, 2, 3, 4, 7.5, 100, 1023]) {
        if (ulpsApart(pow(x, y), Math.pow(x, y)) > 1 && bad.length < 5) bad.push(`pow(${x}, ${y}) = ${pow(x, y)}, Math gives ${Math.pow(x, y)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('generated pairs: any doubles, the engine\'s range, results near overflow and into the subnormals', () => {
    fc.assert(fc.property(fc.double(), fc.double(), (x, y) => ulpsApart(pow(x, y), Math.pow(x, y)) <= 1), RUNS);
    fc.assert(fc.property(fc.double({ min: 0, max: 10 }), fc.double({ min: -50, max: 50 }), (x, y) => ulpsApart(pow(x, y), Math.pow(x, y)) <= 1), RUNS);
    fc.assert(fc.property(fc.double({ min: 0.5, max: 2, noNaN: true }), fc.double({ min: -1100, max: 1100, noNaN: true }), (x, y) => ulpsApart(pow(x, y), Math.pow(x, y)) <= 1), RUNS);
    fc.assert(fc.property(fc.double({ min: -10, max: 10, noNaN: true }), fc.integer({ min: -300, max: 300 }), (x, n) => ulpsApart(pow(x, n), Math.pow(x, n)) <= 1), RUNS);
    // The exponents stdlib shortcuts with plain products (pow(x, 4) was up to 1.7 ulp off), over every magnitude.
    fc.assert(fc.property(fc.double({ noNaN: true }), fc.constantFrom(3, 4, -0.5), (x, y) => ulpsApart(pow(x, y), Math.pow(x, y)) <= 1), RUNS);
    fc.assert(fc.property(fc.double({ min: -10, max: 10, noNaN: true }), fc.constantFrom(3, 4, -0.5), (x, y) => ulpsApart(pow(x, y), Math.pow(x, y)) <= 1), RUNS);
  });
});

describe('pinned outputs', () => {
  /** The outputs on a fixed set of inputs, as a digest of their bits. */
  function digest(): string {
    const inputs = [...SPECIAL, ...linspace(-50, 50, 20_001)];
    const out = new Float64Array(inputs.length * 8);
    let k = 0;
    for (const x of inputs) {
      out[k++] = exp(x);
      out[k++] = log(Math.abs(x));
      out[k++] = log1p(x);
      out[k++] = expm1(x);
      out[k++] = cos(x);
      out[k++] = tanh(x);
      out[k++] = pow(Math.abs(x), 0.37);
      out[k++] = pow(1.0001, x * 100);
    }
    return createHash('sha256').update(new Uint8Array(out.buffer)).digest('hex');
  }

  it('give the same bits as when the engine adopted them (a dependency update must not change a run)', () => {
    expect(digest()).toBe('0ac31fdad0813caab5bdf4f8003c9c7068efe62d109955d7be994db53ba9de2f');
  });
});

describe('engine sources', () => {
  const ENGINE = resolve(import.meta.dirname, '../../engine');
  /** Math's functions whose last bits ECMAScript leaves to the implementation (sqrt is exactly rounded, so it may stay). */
  const RAW = /\bMath\.(exp|expm1|log|log1p|log2|log10|pow|cos|sin|tan|tanh|sinh|cosh|atan|atan2|asin|acos|asinh|acosh|atanh|cbrt|hypot)\b/;
  /** `a ** b` is Math.pow; two integer literals (`2 ** 32`) are exact and allowed. */
  const POWER = /([\w.)\]]+)\s*\*\*\s*(-?[\w.(]+)/g;

  /** Every .ts file under dir. */
  function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  }

  it('call no transcendental Math function (engine/numeric.ts has deterministic ones)', () => {
    const found: string[] = [];
    for (const file of sources(ENGINE)) {
      if (file === join(ENGINE, 'numeric.ts')) continue;
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '').replace(/^\s*\/?\*.*$/, ''); // comments name Math functions freely
        const where = `${relative(ENGINE, file)}:${i + 1}`;
        if (RAW.test(code)) found.push(`${where}: ${line.trim()}`);
        for (const [expr, a, b] of code.matchAll(POWER)) if (!/^\d+$/.test(a) || !/^-?\d+$/.test(b)) found.push(`${where}: ${expr}`);
      });
    }
    expect(found).toEqual([]);
  });
});
