import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../scenarios/schema.js';
import type { RunSummary } from '../../engine/metrics.js';
import { armName, compareCsv, compareTable, parseOverrides, weekMean } from '../../viz/compare.js';

describe('viz/compare parseOverrides', () => {
  it('reads "path = value" lines with JSON values, bare words as strings, skipping blanks and comments', () => {
    const text = `
      # stricter moderation
      policies.moderation.strictness = 0.9
      policies.response.targetHours = null
      policies.experts.selection = most-active
      policies.moderation.explainRemovals=true
    `;
    expect(parseOverrides(text)).toEqual([
      ['policies.moderation.strictness', 0.9],
      ['policies.response.targetHours', null],
      ['policies.experts.selection', 'most-active'],
      ['policies.moderation.explainRemovals', true],
    ]);
  });

  it('names a line without "=" as the problem', () => {
    expect(() => parseOverrides('policies.moderation.strictness 0.9')).toThrow(ScenarioError);
    expect(() => parseOverrides('policies.moderation.strictness 0.9')).toThrow('policies.moderation.strictness 0.9: expected "path = value"');
  });
});

describe('viz/compare names, table and means', () => {
  it('names a strategy by its scenario and overrides, never "A"/"B"; a typed name wins', () => {
    expect(armName('', 'moderated-forum', '')).toBe('moderated-forum');
    expect(armName('', '', '')).toBe('live scenario');
    expect(armName('', 'moderated-forum', '# note\npolicies.moderation.strictness=0.9\n')).toBe('moderated-forum, moderation.strictness = 0.9');
    expect(armName('  strict ', 'moderated-forum', 'policies.moderation.strictness = 0.9')).toBe('strict');
  });

  it('leaves undefined values (NaN) out of means and paired differences, counting the runs that had one', () => {
    const rep = (seed: number, retentionD30: number, finalMembers: number) => ({ seed, columns: {}, events: [], summary: { retentionD30, finalMembers } as unknown as RunSummary });
    const rows = compareTable([
      [rep(1, 0.5, 100), rep(2, NaN, 110), rep(3, 0.7, 120)],
      [rep(1, 0.6, 130), rep(2, 0.9, 140), rep(3, NaN, 150)],
    ]);
    const retention = rows.find((r) => r.metric === 'retentionD30')!;
    expect(retention.arms.map((a) => [a.n, a.mean])).toEqual([[2, 0.6], [2, 0.75]]);
    // Paired only on seed 1, the one seed where both arms have a value.
    expect(retention.diffs[0].n).toBe(1);
    expect(retention.diffs[0].diff).toBeCloseTo(0.1, 12);
    const members = rows.find((r) => r.metric === 'finalMembers')!;
    expect(members.diffs[0]).toMatchObject({ n: 3, diff: 30, significant: true, verdict: 'better' });
    const csv = compareCsv(['a', 'b, c'], rows).split('\n');
    const { low, high } = members.arms[1];
    expect(csv).toContain(`finalMembers,Members at the end,members,higher,"b, c",3,140,${low},${high},30,30,30,true,better`);
    // An undefined mean is an empty field, as in the CLI's CSV.
    expect(csv.find((l) => l.startsWith('retentionD30,') && l.includes(',a,'))).toMatch(/^retentionD30,[^,]+,share,higher,a,2,0.6,/);
  });

  it('the 7-day mean skips days without a value and is NaN for a week with none', () => {
    const m = weekMean(Float64Array.from([1, NaN, 3, NaN, NaN, NaN, NaN, NaN, NaN, NaN, 5]));
    expect(m[0]).toBe(1);
    expect(m[2]).toBe(2);
    expect(Number.isNaN(m[9])).toBe(true);
    expect(m[10]).toBe(5);
  });
});
