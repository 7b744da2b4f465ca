import { describe, expect, it } from 'vitest';
import { incompleteBeta, mean, meanInterval, pairedDifference, relativeChange, sd, tCdf, tQuantile, normalCdf } from '../../experiments/stats.js';

describe('experiments/stats', () => {
  it('mean and sd of a known sample', () => {
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5);
    expect(sd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935299395, 14);
    expect(sd([3])).toBeNaN();
  });

  it('incomplete beta against closed forms', () => {
    // I_x(1, b) = 1 - (1 - x)^b and I_x(a, 1) = x^a.
    expect(incompleteBeta(0.3, 1, 4)).toBeCloseTo(1 - 0.7 ** 4, 14);
    expect(incompleteBeta(0.3, 2.5, 1)).toBeCloseTo(0.3 ** 2.5, 14);
    expect(incompleteBeta(0.5, 7, 7)).toBeCloseTo(0.5, 14);
  });

  it('t quantiles match printed tables', () => {
    const table: [number, number, number][] = [
      [0.975, 1, 12.706204736174707],
      [0.975, 2, 4.302652729749464],
      [0.975, 4, 2.7764451051977934],
      [0.975, 5, 2.5705818356363146],
      [0.975, 10, 2.2281388519862744],
      [0.975, 29, 2.045229642132703],
      [0.975, 30, 2.0422724563012378],
      [0.975, 100, 1.9839715185235556],
      [0.995, 10, 3.169272672616951],
      [0.95, 3, 2.353363434801823],
      [0.9, 7, 1.4149239276505079],
      [0.975, Infinity, 1.959963984540054],
    ];
    for (const [p, df, t] of table) {
      expect(tQuantile(p, df)).toBeCloseTo(t, 9);
      expect(tQuantile(1 - p, df)).toBeCloseTo(-t, 9);
      expect(tCdf(t, df)).toBeCloseTo(p, 12);
    }
    expect(tQuantile(0.5, 3)).toBe(0);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalCdf(-5)).toBeCloseTo(2.866515718791939e-7, 20);
  });

  it('95% interval of the mean of a known sample', () => {
    // 1..5: mean 3, sd sqrt(2.5), se sqrt(0.5), t(0.975, 4) = 2.7764451
    const iv = meanInterval([1, 2, 3, 4, 5]);
    expect(iv.mean).toBe(3);
    expect(iv.low).toBeCloseTo(3 - 2.7764451051977934 * Math.sqrt(0.5), 12);
    expect(iv.high).toBeCloseTo(3 + 2.7764451051977934 * Math.sqrt(0.5), 12);
    expect(meanInterval([4]).low).toBeNaN();
  });

  it('paired difference uses the differences, not two intervals', () => {
    const a = [10, 20, 30, 40, 50];
    const b = [11, 22, 31, 43, 52]; // b - a = 1, 2, 1, 3, 2
    const d = pairedDifference(a, b);
    expect(d.a).toBe(30);
    expect(d.b).toBe(31.8);
    expect(d.diff).toBeCloseTo(1.8, 14);
    const half = 2.7764451051977934 * Math.sqrt(0.7 / 5);
    expect(d.ciLow).toBeCloseTo(1.8 - half, 12);
    expect(d.ciHigh).toBeCloseTo(1.8 + half, 12);
    expect(d.significant).toBe(true);
    expect(d.relChange).toBeCloseTo(0.06, 14);
    expect(pairedDifference([1, 2, 3], [1, 2, 3]).significant).toBe(false);
    expect(pairedDifference([1, 2, 3], [2, 1, 3]).significant).toBe(false);
    expect(relativeChange(0, 1)).toBeNaN();
    expect(relativeChange(-2, -1)).toBe(0.5);
  });

  it('leaves undefined values (NaN) out of a mean and out of n', () => {
    const iv = meanInterval([1, NaN, 2, 3, NaN, 4, 5]);
    expect(iv.n).toBe(5);
    expect(iv.mean).toBe(3);
    expect(iv.high).toBeCloseTo(3 + 2.7764451051977934 * Math.sqrt(0.5), 12);
    expect(meanInterval([NaN, NaN])).toMatchObject({ n: 0, mean: NaN });
  });

  it('pairs only the replications where both arms have a value', () => {
    // the pair (NaN, 99) and the pair (7, NaN) are dropped from the means and the differences
    const d = pairedDifference([10, NaN, 20, 30, 7, 40, 50], [11, 99, 22, 31, NaN, 43, 52]);
    expect(d.n).toBe(5);
    expect(d.a).toBe(30);
    expect(d.b).toBe(31.8);
    expect(d.diff).toBeCloseTo(1.8, 14);
    expect(pairedDifference([NaN], [1]).n).toBe(0);
  });
});
