import { describe, expect, it } from 'vitest';
import { Stream } from '../../engine/rng.js';
import { designPoints, latinColumn, morrisDesign, saltelliDesign } from '../../experiments/design.js';

describe('experiments/design', () => {
  it('full factorial of lists and grids, first factor slowest', () => {
    const d = designPoints({ a: [0, 0.5, 1], b: { min: 0, max: 6, n: 4, sample: 'grid' } }, 7);
    expect(d.names).toEqual(['a', 'b']);
    expect(d.points.length).toBe(12);
    expect(d.points.slice(0, 5)).toEqual([[0, 0], [0, 2], [0, 4], [0, 6], [0.5, 0]]);
  });

  it('random and Latin hypercube ranges are drawn jointly, reproducibly, and crossed with lists', () => {
    const f = { s: ['x', 'y'], u: { min: 10, max: 20, n: 5, sample: 'lhs' as const }, v: { min: 0, max: 1, n: 5, sample: 'random' as const, integer: true } };
    const d = designPoints(f, 3);
    expect(d.points.length).toBe(10);
    expect(designPoints(f, 3)).toEqual(d);
    expect(designPoints(f, 4)).not.toEqual(d);
    // Latin hypercube: one value in each fifth of [10, 20].
    const strata = d.points.slice(0, 5).map((p) => Math.floor(((p[1] as number) - 10) / 2)).sort();
    expect(strata).toEqual([0, 1, 2, 3, 4]);
    for (const p of d.points) expect([0, 1]).toContain(p[2]);
  });

  it('no factors is one point', () => {
    expect(designPoints({}, 1).points).toEqual([[]]);
  });

  it('a Latin column has one value per stratum', () => {
    const c = latinColumn(50, Stream.derive(1, 't'));
    expect(Array.from(c, (v) => Math.floor(v * 50)).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('Morris trajectories move one factor by delta per step and stay in the cube', () => {
    const d = morrisDesign(4, 10, 4, Stream.derive(2, 't'));
    expect(d.points.length).toBe(50);
    for (let t = 0; t < 10; t++) {
      for (let s = 0; s < 4; s++) {
        const a = d.points[t * 5 + s], b = d.points[t * 5 + s + 1];
        const changed = [0, 1, 2, 3].filter((i) => a[i] !== b[i]);
        expect(changed).toEqual([d.moved[t * 4 + s]]);
        expect(b[changed[0]] - a[changed[0]]).toBeCloseTo(d.sign[t * 4 + s] * (2 / 3), 12);
      }
      for (const p of d.points) for (const v of p) expect(v >= 0 && v <= 1).toBe(true);
    }
  });

  it('Saltelli blocks are A, AB_1..AB_k, B', () => {
    const rows = saltelliDesign(2, 3, Stream.derive(1, 't'));
    expect(rows.length).toBe(12);
    const [a, ab1, ab2, b] = rows.slice(0, 4);
    expect([ab1[0], ab1[1]]).toEqual([b[0], a[1]]);
    expect([ab2[0], ab2[1]]).toEqual([a[0], b[1]]);
  });
});
