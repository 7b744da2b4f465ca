/**
 * A steady start (model-truth issue, item 3). A community given N initial members should start
 * as an established community would be, not as N strangers who all arrived today: a mix of
 * stages, tenures, habits, ties, satisfaction, and accounts that stopped coming long ago. Rather
 * than guess that mix, the model produces it. Before day 0 the community lives
 * `population.burnInDays` days, unrecorded, with the scenario's members, manager and levers but
 * no schedule, shocks or growth, and every member who stops coming or leaves is replaced by a
 * newcomer, so the active community keeps its size and ages into its own steady mix.
 *
 * Accounts of members who stopped coming stay on the rolls until `behaviour.dormantDays` pass,
 * longer than a burn-in lasts, so their steady number is extrapolated rather than waited for:
 * with members lapsing at a rate r a day (measured over the burn-in's second half) and each
 * lapsed account kept about D = dormantDays, an established community of N accounts has
 * N / (1 + r D) active members and the rest lapsed, last seen any time in the past D days.
 * Day 0 keeps that many of the burn-in's active members (drawn at random) and that many lapsed
 * accounts (the burn-in's, repeated when more are needed), renumbered 0..N-1 (the collector tells
 * initial members from newcomers by id).
 *
 * The burn-in runs on days -burnInDays + 1 to 0 (engine/tick.ts), so every day field stays on
 * one clock.
 */
import { Ties } from '../graph/ties.js';
import type { Stream } from '../rng.js';
import type { World } from '../world.js';
import { Channel, NO_DAY } from './members.js';

/**
 * Keeps N initial members in the steady mix of active and lapsed accounts (`lapseRate`: lapses a
 * day per active member, measured over the burn-in) and forgets the burn-in's record.
 */
export function endBurnIn(w: World, n: number, lapseRate: number, rng: Stream): void {
  const old = w.members;
  const active: number[] = [];
  const lapsed: number[] = [];
  for (let i = 0; i < old.count; i++) {
    if (!old.present[i]) continue;
    if (old.lapsed[i]) lapsed.push(i);
    else active.push(i);
  }
  const dormant = w.scenario.behaviour.dormantDays;
  let keepActive = Math.min(active.length, Math.round(n / (1 + lapseRate * dormant)));
  if (lapsed.length === 0) keepActive = Math.min(active.length, n);
  const keepLapsed = lapsed.length > 0 ? n - keepActive : 0;
  // a random set of the active members, in id order (partial Fisher-Yates)
  for (let k = 0; k < keepActive; k++) {
    const j = k + rng.int(active.length - k);
    const t = active[k];
    active[k] = active[j];
    active[j] = t;
  }
  const rows = new Int32Array(keepActive + keepLapsed);
  const kept = active.slice(0, keepActive).sort((a, b) => a - b);
  for (let k = 0; k < keepActive; k++) rows[k] = kept[k];
  // lapsed accounts: each of the burn-in's once, then copies of random ones
  for (let k = 0; k < keepLapsed; k++) rows[keepActive + k] = k < lapsed.length ? lapsed[k] : lapsed[rng.int(lapsed.length)];
  const members = old.select(rows);
  // ties among the kept originals (a copy has none: its ties faded while it stayed away)
  const map = new Int32Array(old.count).fill(-1);
  const used = new Uint8Array(old.count);
  for (let k = 0; k < rows.length; k++) {
    if (used[rows[k]]) continue;
    used[rows[k]] = 1;
    map[rows[k]] = k;
  }
  const ties = new Ties(members.capacity, Math.max(8192, Math.ceil(w.ties.edges * 2.5)));
  const t = w.ties;
  for (let u = 0; u < map.length; u++) {
    const a = map[u];
    if (a < 0) continue;
    for (let e = t.start[u]; e < t.start[u] + t.len[u]; e++) {
      const b = map[t.nbr[e]];
      if (b > a) ties.strengthen(a, b, t.wt[e] * t.scale);
    }
  }
  // blocks grown edge by edge lie scattered through the slab; packed, the daily pass is fast
  ties.prune(0, members.present, members.count);
  for (let i = 0; i < members.count; i++) {
    members.channel[i] = Channel.Initial;
    members.questionDay[i] = NO_DAY;
    members.answerAt[i] = Infinity;
    members.visited[i] = 0;
    members.toxicToday[i] = 0;
    members.delta[i] = 0;
  }
  // a lapsed account was last seen any day of the past dormancy, evenly in a steady state
  for (let k = keepActive; k < members.count; k++) members.lastVisit[k] = w.day - rng.int(Math.max(1, dormant - 1));
  w.members = members;
  w.ties = ties;
  let seen = 0;
  for (let k = 0; k < w.lastVisitorCount; k++) {
    const id = map[w.lastVisitors[k]];
    if (id >= 0) w.lastVisitors[seen++] = id;
  }
  w.lastVisitorCount = seen;
  while (w.queue.size > 0) w.queue.shift();
  // the burn-in's record is not the run's, but why a lever cannot act still holds on day 0 (it is
  // said once, and was said during the burn-in)
  const standing = w.events.filter((e) => e.kind === 'lever').map((e) => ({ ...e, day: 0 }));
  w.events.length = 0;
  w.events.push(...standing);
  w.today.reset();
  w.lifetime.reset();
  w.initialMembers = members.count;
  w.present = members.count;
}
