/**
 * The daily pass over the social graph (MODEL.md steps 2, 3 and 9): for every member, the
 * tie-weighted activity of friends today (tomorrow's social pull), the strength of ties to
 * current members (bonds), and friends' visible toxic acts (exposure through ties).
 * This is the tick's hottest loop: one pass over the compact ties, three branch-free sums per
 * edge, no allocation (bench/tick.bench.ts compares it with a bare typed-array loop).
 */
import type { World } from '../world.js';

/** Runs the pass and returns the number of edge visits (for benchmarks). */
export function socialPass(w: World): number {
  const m = w.members;
  const t = w.ties;
  const n = m.count;
  const { present, visited, toxicToday, bonds, pull, tieToxic } = m;
  const { start, len, nbr, wt } = t;
  const scale = t.scale;
  let visits = 0;
  for (let u = 0; u < n; u++) {
    if (!present[u]) continue;
    const s = start[u];
    const e = s + len[u];
    let sw = 0;
    let sa = 0;
    let sx = 0;
    for (let k = s; k < e; k++) {
      const v = nbr[k];
      const x = wt[k];
      sw += x * present[v];
      sa += x * visited[v];
      sx += x * toxicToday[v];
    }
    visits += e - s;
    bonds[u] = sw * scale;
    pull[u] = sa * scale;
    tieToxic[u] = sx * scale;
  }
  return visits;
}
