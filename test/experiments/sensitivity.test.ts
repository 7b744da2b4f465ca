import { describe, expect, it } from 'vitest';
import { Stream } from '../../engine/rng.js';
import { morrisDesign, saltelliDesign, scaleUnit, type RangeFactor } from '../../experiments/design.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InlineExecutor } from '../../experiments/executor.js';
import { morrisIndices, sensitivity, sobolCheck, sobolIndices } from '../../experiments/sensitivity.js';

// Ishigami & Homma (1990), a = 7, b = 0.1, x in [-pi, pi]^3: the standard test of Sobol estimators.
const ishigami = (x: number[]) => Math.sin(x[0]) + 7 * Math.sin(x[1]) ** 2 + 0.1 * x[2] ** 4 * Math.sin(x[0]);
const range: RangeFactor = { min: -Math.PI, max: Math.PI, n: 1, sample: 'grid' };
const ranges = [range, range, range];
const names = ['x1', 'x2', 'x3'];

describe('experiments/sensitivity', () => {
  it('Sobol first-order and total indices of Ishigami', () => {
    const n = 20_000;
    const rows = saltelliDesign(3, n, Stream.derive(11, 'test'));
    const y = rows.map((u) => ishigami(scaleUnit(u, ranges)));
    const idx = sobolIndices(y, 3, n, names, { resamples: 300 });
    const S1 = [0.3139, 0.4424, 0];
    const ST = [0.5576, 0.4424, 0.2437];
    idx.forEach((s, i) => {
      expect(Math.abs(s.S1 - S1[i])).toBeLessThan(0.04);
      expect(Math.abs(s.ST - ST[i])).toBeLessThan(0.03);
      // The intervals are honest: they bracket the estimate and (almost always) the truth.
      expect(s.S1Low).toBeLessThanOrEqual(s.S1);
      expect(s.S1High).toBeGreaterThanOrEqual(s.S1);
      expect(s.S1Low - 0.01).toBeLessThan(S1[i]);
      expect(s.S1High + 0.01).toBeGreaterThan(S1[i]);
      expect(s.STLow - 0.01).toBeLessThan(ST[i]);
      expect(s.STHigh + 0.01).toBeGreaterThan(ST[i]);
      expect(s.n).toBe(n);
    });
    expect(sobolCheck(idx, n)).toEqual({ warnings: [], suggestedSamples: null });
  });

  it('warns of impossible indices from too few samples and suggests an N that gives possible ones', () => {
    const indicesAt = (n: number) => {
      const y = saltelliDesign(3, n, Stream.derive(2, 'test')).map((u) => ishigami(scaleUnit(u, ranges)));
      return sobolIndices(y, 3, n, names, { resamples: 200 });
    };
    const few = sobolCheck(indicesAt(8), 8);
    expect(few.warnings.length).toBeGreaterThan(1);
    expect(few.warnings.join('\n')).toMatch(/(outside \[0, 1\]|exceeds its total index|add up to)/);
    expect(few.warnings.at(-1)).toMatch(/^too few samples for these indices \(N = 8; the widest 95% interval is [\d.]+ wide\): try sensitivity\.samples = \d+ or more$/);
    expect(few.suggestedSamples).toBeGreaterThanOrEqual(32);
    // the suggestion is enough: at the N it names, the indices are possible
    expect(sobolCheck(indicesAt(few.suggestedSamples!), few.suggestedSamples!).warnings).toEqual([]);
    // a metric that never varies has no variance to share out
    const flat = sobolIndices(new Float64Array(5 * 16).fill(3), 3, 16, names, { resamples: 20 });
    expect(sobolCheck(flat, 16).warnings[0]).toMatch(/^x1: indices undefined/);
  });

  it('Morris on a linear function recovers the slopes exactly', () => {
    const ranges2: RangeFactor[] = [
      { min: 0, max: 1, n: 1, sample: 'grid' },
      { min: 0, max: 10, n: 1, sample: 'grid' },
      { min: -1, max: 1, n: 1, sample: 'grid' },
    ];
    const f = (x: number[]) => 3 * x[0] - 0.5 * x[1] + 0 * x[2];
    const d = morrisDesign(3, 20, 4, Stream.derive(3, 'test'));
    const y = d.points.map((u) => f(scaleUnit(u, ranges2)));
    const idx = morrisIndices(y, d, ['a', 'b', 'c']);
    // Effects are measured per unit-cube step: slope x range width.
    expect(idx[0].muStar).toBeCloseTo(3, 10);
    expect(idx[0].mu).toBeCloseTo(3, 10);
    expect(idx[1].muStar).toBeCloseTo(5, 10);
    expect(idx[1].mu).toBeCloseTo(-5, 10);
    expect(idx[2].muStar).toBe(0);
    for (const i of idx) expect(i.sigma).toBeCloseTo(0, 10);
  });

  it('Morris on Ishigami converges to the exact mean absolute effects', () => {
    const p = 4;
    const delta = p / (2 * (p - 1));
    // Every coordinate is uniform over the p levels at every step, so mu*_i is the mean of
    // |f(x + delta e_i) - f(x)| / delta over grid points with x_i in the lower half.
    const levels = Array.from({ length: p }, (_, j) => j / (p - 1));
    const exact = [0, 1, 2].map((i) => {
      let s = 0, c = 0;
      for (const a of levels) for (const b of levels) for (const cc of levels) {
        const x = [a, b, cc];
        if (x[i] + delta > 1 + 1e-12) continue;
        const up = x.slice(); up[i] += delta;
        s += Math.abs(ishigami(scaleUnit(up, ranges)) - ishigami(scaleUnit(x, ranges))) / delta;
        c++;
      }
      return s / c;
    });
    const d = morrisDesign(3, 2000, p, Stream.derive(5, 'test'));
    const y = d.points.map((u) => ishigami(scaleUnit(u, ranges)));
    const idx = morrisIndices(y, d, names, { resamples: 200 });
    idx.forEach((m, i) => {
      expect(Math.abs(m.muStar - exact[i]) / exact[i]).toBeLessThan(0.06);
      expect(m.muStarLow).toBeLessThan(exact[i] * 1.02);
      expect(m.muStarHigh).toBeGreaterThan(exact[i] * 0.98);
    });
    // x3 has no first-order effect but matters through its interaction with x1: Morris sees it,
    // with a sigma as large as its mu*.
    expect(idx[2].muStar).toBeGreaterThan(1);
    expect(idx[2].sigma).toBeGreaterThan(idx[2].muStar * 0.8);
    expect(idx[0].n).toBe(2000);
    // a point with an undefined metric (NaN) drops its trajectory, and n says so
    const holed = y.slice();
    holed[5] = NaN;
    expect(morrisIndices(holed, d, names, { resamples: 20 }).map((m) => m.n)).toEqual([1999, 1999, 1999]);
  });

  it('leaves out the units a failed run (NaN) touches', () => {
    const n = 2000;
    const rows = saltelliDesign(3, n, Stream.derive(11, 'test'));
    const y = rows.map((u) => ishigami(scaleUnit(u, ranges)));
    const full = sobolIndices(y, 3, n, names, { resamples: 50 });
    y[7] = NaN; // sample row 1 (rows 5..9)
    const holed = sobolIndices(y, 3, n, names, { resamples: 50 });
    holed.forEach((s, i) => {
      expect(Number.isFinite(s.S1) && Number.isFinite(s.ST)).toBe(true);
      expect(Math.abs(s.S1 - full[i].S1)).toBeLessThan(0.02);
    });
    const d = morrisDesign(3, 50, 4, Stream.derive(5, 'test'));
    const ym = d.points.map((u) => ishigami(scaleUnit(u, ranges)));
    ym[4] = NaN;
    for (const m of morrisIndices(ym, d, names, { resamples: 50 })) expect(Number.isFinite(m.muStar) && Number.isFinite(m.sigma)).toBe(true);
  });

  it('a Sobol analysis with too few samples carries its warnings into the result and manifest.json', async () => {
    const out = mkdtempSync(join(tmpdir(), 'sobol-warn-'));
    try {
      const exp = {
        base: { population: { initialMembers: 30 } }, days: 10,
        factors: { 'policies.moderation.strictness': { min: 0, max: 1, n: 1 }, 'policies.response.targetHours': { min: 1, max: 48, n: 1 } },
        sensitivity: { method: 'sobol' as const, metric: 'meanActive' as const, samples: 4, resamples: 50 },
      };
      const res = await sensitivity(exp, { out, executor: new InlineExecutor() }).result;
      expect(res.warnings.length).toBeGreaterThan(0);
      expect(res.warnings.at(-1)).toMatch(/try sensitivity\.samples = \d+ or more$/);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      expect(manifest).toMatchObject({ warnings: res.warnings, suggestedSamples: res.suggestedSamples });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
