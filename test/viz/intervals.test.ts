import { describe, expect, it } from 'vitest';
import { meanInterval, pairedDifference, t975 } from '../../viz/intervals.js';

describe('viz/intervals', () => {
  it('uses Student t quantiles', () => {
    expect(t975(1)).toBeCloseTo(12.706, 3);
    expect(t975(9)).toBeCloseTo(2.262, 3);
    expect(t975(60)).toBeCloseTo(2.0, 2);
    expect(t975(1e6)).toBeCloseTo(1.96, 3);
  });

  it('computes a 95% t interval of the mean', () => {
    // mean 3, sd 1.5811, se 0.7071, t(4) = 2.776
    const i = meanInterval([1, 2, 3, 4, 5]);
    expect(i.mean).toBe(3);
    expect(i.hi - i.mean).toBeCloseTo(2.776 * Math.sqrt(2.5 / 5), 6);
    expect(i.n).toBe(5);
    expect(meanInterval([7])).toEqual({ mean: 7, lo: 7, hi: 7, n: 1 });
    expect(meanInterval([NaN, 2, 4]).mean).toBe(3);
  });

  it('pairs differences on common seeds, which is tighter than the spread of either arm', () => {
    const a = [10, 20, 30, 40];
    const b = [11, 22, 31, 42];
    const d = pairedDifference(a, b);
    expect(d.mean).toBe(1.5);
    expect(d.lo).toBeGreaterThan(0);
    expect(d.hi - d.lo).toBeLessThan(meanInterval(a).hi - meanInterval(a).lo);
  });
});
