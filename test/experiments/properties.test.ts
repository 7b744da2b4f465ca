// Invariants of the statistics and designs over generated inputs (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { designPoints, type RangeFactor } from '../../experiments/design.js';
import { meanInterval, pairedDifference, tCdf, tQuantile } from '../../experiments/stats.js';

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });

describe('experiments: properties', () => {
  it('the t quantile inverts the t CDF', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.integer({ min: 1, max: 500 }), (p, df) => {
        expect(tCdf(tQuantile(p, df), df)).toBeCloseTo(p, 9);
      }),
    );
  });

  it('a mean interval is centred on the mean and widens with the level', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 2, maxLength: 50 }), (xs) => {
        const a = meanInterval(xs, 0.9), b = meanInterval(xs, 0.99);
        expect(a.low).toBeLessThanOrEqual(a.mean);
        expect(a.high).toBeGreaterThanOrEqual(a.mean);
        expect(a.mean - a.low).toBeCloseTo(a.high - a.mean, 6);
        expect(b.high - b.low).toBeGreaterThanOrEqual(a.high - a.low);
      }),
    );
  });

  it('an undefined value (NaN) anywhere changes nothing but is left out of n', () => {
    const maybe = fc.oneof({ weight: 3, arbitrary: finite }, { weight: 1, arbitrary: fc.constant(NaN) });
    fc.assert(
      fc.property(fc.array(maybe, { maxLength: 40 }), (xs) => {
        const kept = xs.filter((x) => !Number.isNaN(x));
        expect(meanInterval(xs)).toEqual(meanInterval(kept));
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(maybe, maybe), { maxLength: 30 }), (pairs) => {
        const both = pairs.filter(([x, y]) => !Number.isNaN(x) && !Number.isNaN(y));
        const d = pairedDifference(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
        expect(d).toEqual(pairedDifference(both.map((p) => p[0]), both.map((p) => p[1])));
        expect(d.n).toBe(both.length);
      }),
    );
  });

  it('swapping the arms of a paired comparison flips the difference and keeps significance', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(finite, finite), { minLength: 2, maxLength: 30 }), (pairs) => {
        const a = pairs.map((p) => p[0]), b = pairs.map((p) => p[1]);
        const ab = pairedDifference(a, b), ba = pairedDifference(b, a);
        expect(ab.diff).toBeCloseTo(-ba.diff, 6);
        expect(ab.significant).toBe(ba.significant);
      }),
    );
  });

  it('a design has the product of the factors\' sizes and stays in range', () => {
    const range = fc.record({ min: fc.integer({ min: -50, max: 50 }), width: fc.integer({ min: 1, max: 50 }), n: fc.integer({ min: 1, max: 5 }), sample: fc.constantFrom('grid', 'random', 'lhs') as fc.Arbitrary<RangeFactor['sample']> });
    fc.assert(
      fc.property(fc.array(range, { minLength: 1, maxLength: 4 }), fc.array(fc.integer(), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 1000 }), (ranges, list, seed) => {
        const sampledN = ranges.find((r) => r.sample !== 'grid')?.n;
        const factors: Record<string, RangeFactor | number[]> = { list };
        ranges.forEach((r, i) => (factors[`f${i}`] = { min: r.min, max: r.min + r.width, n: r.sample === 'grid' ? r.n : sampledN!, sample: r.sample }));
        const d = designPoints(factors, seed);
        const expected = list.length * ranges.filter((r) => r.sample === 'grid').reduce((m, r) => m * r.n, 1) * (sampledN ?? 1);
        expect(d.points.length).toBe(expected);
        for (const p of d.points) {
          ranges.forEach((r, i) => {
            const v = p[i + 1] as number;
            expect(v).toBeGreaterThanOrEqual(r.min);
            expect(v).toBeLessThanOrEqual(r.min + r.width);
          });
        }
      }),
    );
  });
});
