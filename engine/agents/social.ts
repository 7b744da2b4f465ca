/**
 * The daily pass over the social graph (MODEL.md steps 2, 3 and 9): for every member, the
 * tie-weighted activity of friends today (tomorrow's social pull), the strength of ties to
 * current members (bonds), and friends' visible toxic acts (exposure through ties).
 * This is the tick's hottest loop: one pass over the compact ties, three branch-free sums per
 * edge, no allocation (bench/tick.bench.ts compares it with a bare typed-array loop).
 */
import type { World } from '../world.js';

/**
 * Each member's three 0/1 flags packed in one byte (present, visited << 1, toxicToday << 2), so an
 * edge costs one random read instead of three. Scratch space, rewritten by every pass.
 */
let flags = new Uint8Array(1024);

/** Runs the pass and returns the number of edge visits (for benchmarks). */
export function socialPass(w: World): number {
  const m = w.members;
  const t = w.ties;
  const n = m.count;
  const { present, visited, toxicToday, bonds, pull, tieToxic, roster } = m;
  const listed = m.rosterSize;
  const { start, len, nbr, wt } = t;
  const scale = t.scale;
  if (flags.length < n) flags = new Uint8Array(m.capacity);
  const f = flags;
  // only listed members and today's visitors (who may have been banned today) can have a flag
  // set: the rest of the rows, departed members, are all zero
  f.fill(0, 0, n);
  for (let r = 0; r < listed; r++) {
    const v = roster[r];
    f[v] = present[v] | (visited[v] << 1) | (toxicToday[v] << 2);
  }
  const seen = w.visitors;
  for (let k = 0; k < w.today.visitors; k++) {
    const v = seen[k];
    f[v] = present[v] | (visited[v] << 1) | (toxicToday[v] << 2);
  }
  let visits = 0;
  for (let r = 0; r < listed; r++) {
    const u = roster[r];
    if (!present[u]) continue;
    const s = start[u];
    const e = s + len[u];
    let sw = 0;
    let sa = 0;
    let sx = 0;
    for (let k = s; k < e; k++) {
      const b = f[nbr[k]];
      const x = wt[k];
      sw += x * (b & 1);
      sa += x * ((b >> 1) & 1);
      sx += x * (b >> 2);
    }
    visits += e - s;
    bonds[u] = sw * scale;
    pull[u] = sa * scale;
    tieToxic[u] = sx * scale;
  }
  return visits;
}
