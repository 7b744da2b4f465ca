/**
 * Elementary functions that give the same bits on every JavaScript engine. The engine calls these
 * instead of `Math.exp`, `Math.log`, ... so that a scenario and seed give the same numbers in
 * Node and in the browser: ECMAScript leaves the precision of Math's transcendental functions to
 * the implementation, and Chromium and Node (different V8 versions) differ in the last bit of
 * `Math.log`, `exp`, `pow` and `cos` on a share of inputs; a draw compared against such a value at
 * a threshold can then flip and send a whole run down another trajectory.
 *
 * The implementations are stdlib's pure-JavaScript ports of FreeBSD msun / Sun fdlibm (`exp`,
 * `ln`, `log1p`, `expm1`, `pow`, `cos`; Apache-2.0, no native code on the paths imported here):
 * they use only IEEE-754 arithmetic (+ - * / and exactly rounded `Math.sqrt`), integer bit
 * operations and typed-array reinterpretation, all of which ECMAScript specifies bit for bit.
 * `tanh` is fdlibm's s_tanh.c formula on stdlib's `expm1` (stdlib's own `tanh` follows Cephes and is
 * up to 2 ulp from fdlibm). test/engine/numeric.test.ts checks each function against the platform's
 * Math within one ulp. In a tight loop they take 1 to 4 times as long as Math's (cos 1, log 2,
 * tanh 2, pow 2.7, exp 3.5 to 4; measured in the commit that added this file); the engine's hot loops
 * already skip most calls behind table bounds (agents/visits.ts, agents/churn.ts).
 *
 * `Math.sqrt`, `floor`, `ceil`, `round`, `abs`, `min`, `max` are exact by specification and stay.
 */
import stdlibCos from '@stdlib/math-base-special-cos';
import stdlibExp from '@stdlib/math-base-special-exp';
import stdlibExpm1 from '@stdlib/math-base-special-expm1';
import stdlibLn from '@stdlib/math-base-special-ln';
import stdlibLog1p from '@stdlib/math-base-special-log1p';
import stdlibPow from '@stdlib/math-base-special-pow';

/** e^x. */
export const exp: (x: number) => number = stdlibExp;

/** Natural logarithm (NaN below 0, -Infinity at 0). */
export const log: (x: number) => number = stdlibLn;

/** ln(1 + x), accurate for x near 0. */
export const log1p: (x: number) => number = stdlibLog1p;

/** e^x - 1, accurate for x near 0. */
export const expm1: (x: number) => number = stdlibExpm1;

/** Cosine of x radians. */
export const cos: (x: number) => number = stdlibCos;

/**
 * x^y with ECMAScript's special cases (Number::exponentiate). stdlib's pow follows C's table, which
 * differs (pow(1, Infinity) and pow(NaN, 0) are 1 in C) and mishandles a few corners (negative
 * zero and infinite bases, -1 to a huge even power), so every case but a positive finite base with
 * a finite nonzero exponent is settled here. stdlib also shortcuts y = 3, 4 and -0.5 with plain
 * products (x*x*x, (x*x)^2, 1/sqrt(x): up to 1.7 ulp off), so those go to `cube`, `fourth` and
 * `inverseSqrt`, which carry the rounding error of each step exactly.
 */
export function pow(x: number, y: number): number {
  if (y !== y) return NaN;
  if (y === 0) return 1;
  if (x !== x) return NaN;
  if (y === Infinity || y === -Infinity) {
    const a = Math.abs(x);
    if (a === 1) return NaN;
    return a > 1 === y > 0 ? Infinity : 0;
  }
  // y is finite and nonzero from here; beyond 2^53 every double is an even integer.
  const odd = y % 2 === 1 || y % 2 === -1;
  if (x === 0) {
    const negative = odd && 1 / x < 0; // -0 to an odd power keeps its sign
    if (y > 0) return negative ? -0 : 0;
    return negative ? -Infinity : Infinity;
  }
  if (x === Infinity) return y > 0 ? Infinity : 0;
  if (x === -Infinity) {
    if (y > 0) return odd ? -Infinity : Infinity;
    return odd ? -0 : 0;
  }
  if (x < 0) {
    if (!Number.isInteger(y)) return NaN;
    const r = positivePow(-x, y);
    return odd ? -r : r;
  }
  return positivePow(x, y);
}

/** x^y for a positive finite x and a finite nonzero y. */
function positivePow(x: number, y: number): number {
  if (y === 3) return cube(x);
  if (y === 4) return fourth(x);
  if (y === -0.5) return inverseSqrt(x);
  return stdlibPow(x, y);
}

/** Veltkamp's splitting constant 2^27 + 1. */
const SPLIT = 134217729;
/** Rounding error of the last `exactProduct`: a * b = product + productError exactly. */
let productError = 0;

/**
 * a * b rounded, leaving its rounding error in `productError` (Dekker's two-product with
 * Veltkamp's split; JavaScript has no fused multiply-add). Exact while |a|, |b| < 2^995 and the
 * error is above the subnormals.
 */
function exactProduct(a: number, b: number): number {
  const p = a * b;
  const ca = SPLIT * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = SPLIT * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  productError = ah * bh - p + ah * bl + al * bh + al * bl;
  return p;
}

/** Powers of two that rescale a base into the range where the exact products hold. */
const TWO_128 = 2 ** 128;
const TWO_M128 = 2 ** -128;
const NEAR = 2 ** 240;
const FAR = 2 ** -240;

/** x^3 for x > 0, within about half an ulp: x^2 = p + e exactly, then p * x exactly, plus e * x. */
function cube(x: number): number {
  if (x > NEAR) return x >= 2 ** 342 ? Infinity : cubeNear(x * TWO_M128) * 2 ** 384;
  if (x < FAR) return x < 2 ** -360 ? 0 : cubeNear(x * TWO_128) * 2 ** -384;
  return cubeNear(x);
}

function cubeNear(x: number): number {
  const p = exactProduct(x, x);
  const e = productError;
  const q = exactProduct(p, x);
  return q + (productError + e * x);
}

/** x^4 for x > 0, within about half an ulp: x^2 = p + e exactly, then p^2 exactly, plus 2pe. */
function fourth(x: number): number {
  if (x > NEAR) return x >= 2 ** 256 ? Infinity : fourthNear(x * TWO_M128) * 2 ** 512;
  if (x < FAR) return x < 2 ** -270 ? 0 : fourthNear(x * TWO_128) * 2 ** -512;
  return fourthNear(x);
}

function fourthNear(x: number): number {
  const p = exactProduct(x, x);
  const e = productError;
  const q = exactProduct(p, p);
  return q + (productError + 2 * p * e);
}

/**
 * 1 / sqrt(x) for x > 0, within about half an ulp: r = 1 / sqrt(x) (two roundings), then one
 * Newton step r (1 + (1 - r^2 x) / 2) with the residual computed exactly. x is first scaled by an
 * even power of two into [2^-500, 2^500] so the products hold.
 */
function inverseSqrt(x: number): number {
  if (x < 2 ** -500) return inverseSqrtNear(x * 2 ** 600) * 2 ** 300;
  if (x > 2 ** 500) return inverseSqrtNear(x * 2 ** -600) * 2 ** -300;
  return inverseSqrtNear(x);
}

function inverseSqrtNear(x: number): number {
  const r = 1 / Math.sqrt(x);
  const a = exactProduct(r, r); // r^2 = a + b
  const b = productError;
  const c = exactProduct(a, x); // a x = c + d
  const residual = 1 - c - productError - b * x; // 1 - c is exact: c is within an ulp or two of 1
  return r + r * residual * 0.5;
}

/** Below this |x|, tanh(x) rounds to x (the cubic term is under half an ulp). */
const TANH_TINY = 2 ** -28;
/** From this |x| on, tanh(x) rounds to ±1. */
const TANH_HUGE = 22;

/**
 * Hyperbolic tangent, by fdlibm's s_tanh.c: tanh|x| = 1 - 2 / (e^2|x| + 1) for |x| >= 1 and
 * -t / (t + 2) with t = expm1(-2|x|) below, which keeps full precision near 0.
 */
export function tanh(x: number): number {
  const a = Math.abs(x);
  if (!(a < TANH_HUGE)) return a !== a ? x : x > 0 ? 1 : -1; // NaN, or saturated
  if (a < TANH_TINY) return x; // keeps -0
  let z: number;
  if (a >= 1) {
    z = 1 - 2 / (expm1(2 * a) + 2);
  } else {
    const t = expm1(-2 * a);
    z = -t / (t + 2);
  }
  return x < 0 ? -z : z;
}
