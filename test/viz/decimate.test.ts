/**
 * A long line is drawn with at most four points a pixel column (viz/charts.ts decimate): the
 * same picture (each column's first, lowest, highest and last value, gaps kept) at a cost set by
 * the chart's width, not by the run's length.
 */
import { describe, expect, it } from 'vitest';
import { decimate, type LinePoint } from '../../viz/charts.js';

/** A seeded random walk of `n` days, with a gap (undefined values) on days 1000-1009. */
function walk(n: number): LinePoint[] {
  let y = 0;
  let s = 12345;
  const out: LinePoint[] = [];
  for (let d = 0; d < n; d++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    y += s / 2147483648 - 0.5;
    out.push({ x: d, y: d >= 1000 && d < 1010 ? NaN : y });
  }
  return out;
}

describe('decimate', () => {
  const width = 300;
  const px = (x: number) => (x / 3650) * width;
  const points = walk(3651);
  const drawn = decimate(points, px);

  it('keeps at most four points a pixel column and every gap', () => {
    expect(drawn.length).toBeLessThanOrEqual(4 * (width + 1) + 10);
    expect(drawn.length).toBeLessThan(points.length / 2);
    expect(drawn.filter((p) => Number.isNaN(p.y)).length).toBe(10);
  });

  it("keeps each column's first, lowest, highest and last value, in day order", () => {
    const cols = new Map<number, LinePoint[]>();
    for (const p of points) if (Number.isFinite(p.y)) cols.set(Math.round(px(p.x)), [...(cols.get(Math.round(px(p.x))) ?? []), p]);
    for (const [c, ps] of cols) {
      const kept = drawn.filter((p) => Number.isFinite(p.y) && Math.round(px(p.x)) === c);
      const ys = ps.map((p) => p.y);
      expect(kept.map((p) => p.y)).toContain(Math.min(...ys));
      expect(kept.map((p) => p.y)).toContain(Math.max(...ys));
      expect(kept[0]).toBe(ps[0]);
      expect(kept[kept.length - 1]).toBe(ps[ps.length - 1]);
    }
    for (let i = 1; i < drawn.length; i++) expect(drawn[i].x).toBeGreaterThan(drawn[i - 1].x);
  });

  it('leaves a line with room to spare as it is', () => {
    const short = walk(200);
    expect(decimate(short, (x) => x * 0.6)).toBe(short); // 200 days over 120 px
  });
});
