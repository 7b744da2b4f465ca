import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Feed, Kind } from '../../../engine/content/feed.js';

/** The reference: the first index whose cumulative weight exceeds u * total (n - 1 when none does). */
function reference(cum: Float64Array, n: number, u: number): number {
  const x = u * cum[n - 1];
  for (let i = 0; i < n - 1; i++) if (cum[i] > x) return i;
  return n - 1;
}

const item = fc.record({
  kind: fc.constantFrom(Kind.Discussion, Kind.Question, Kind.Reply, Kind.Expert),
  toxic: fc.boolean(),
  quality: fc.double({ min: 0, max: 1, noNaN: true }),
  // removed items keep a share of their audience, down to none
  visibility: fc.oneof(fc.constant(1), fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })),
});
// draws as the engine makes them (32-bit), plus the edges of [0, 1)
const draw = fc.oneof(fc.nat(0xffffffff).map((k) => k / 4294967296), fc.constantFrom(0, 1 - 2 ** -32, 0.5));

describe('Feed picks through guide tables', () => {
  it('picks exactly what a search of the cumulative attention table picks', () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 300 }), fc.array(draw, { minLength: 1, maxLength: 50 }), fc.double({ min: 0.5, max: 5, noNaN: true }), (items, us, toxicAttention) => {
        const f = new Feed(16); // small, so the arrays grow while items are added
        for (const it of items) {
          const k = f.add(0, it.kind, 0, it.toxic, it.kind === Kind.Reply ? 0 : -1, it.quality, false);
          f.visibility[k] = it.visibility;
        }
        f.index(toxicAttention);
        const starters = items.filter((it) => it.kind !== Kind.Reply).length;
        expect(f.posts).toBe(starters);
        for (const u of us) {
          expect(f.pick(u)).toBe(reference(f.cum, f.count, u));
          if (starters > 0) expect(f.pickPost(u)).toBe(f.postIds[reference(f.postCum, f.posts, u)]);
          else expect(f.pickPost(u)).toBe(-1);
        }
      }),
    );
  });

  it('resolves draws that land exactly on a cumulative weight to the next item', () => {
    // five items of weight 1: a draw of 2 / 5 lands on cum[1] = 2 and must pick item 2, while its
    // guide bucket (3 of 8) starts the scan at item 1
    const f = new Feed();
    for (let k = 0; k < 5; k++) f.add(0, Kind.Discussion, 0, false, -1, 0.5, false);
    f.index(2);
    for (let k = 0; k < 5; k++) {
      expect(f.pick(k / 5)).toBe(reference(f.cum, 5, k / 5));
      expect(f.pickPost(k / 5)).toBe(reference(f.postCum, 5, k / 5));
    }
    expect(f.pick(2 / 5)).toBe(2);
  });

  it('picks nothing from an empty feed', () => {
    const f = new Feed();
    f.index(2);
    expect(f.pick(0.3)).toBe(-1);
    expect(f.pickPost(0.3)).toBe(-1);
  });
});

describe('a growing feed', () => {
  it('keeps its attention tables when it grows while replies are being picked', () => {
    const f = new Feed(4);
    for (let i = 0; i < 4; i++) f.add(i, Kind.Discussion, 0, false, -1, 0.5, false);
    f.index(1.8);
    const before = [0.1, 0.4, 0.7, 0.95].map((u) => f.pickPost(u));
    for (let i = 0; i < 10; i++) f.add(9, Kind.Reply, 0, false, 0, 0, false); // grows past 4
    expect([0.1, 0.4, 0.7, 0.95].map((u) => f.pickPost(u))).toEqual(before);
    expect(new Set(before).size).toBeGreaterThan(1);
  });
});
