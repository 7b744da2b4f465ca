/**
 * Moments worth telling, read off the day's metrics and logged as events (the trainer's
 * commentary and the CLI's `events` show them): a flame war, an exodus, a wave of bans.
 * Thresholds are for narration, not for the model: nothing in the simulation reacts to them.
 */
import type { Collector } from './collector.js';
import type { World } from './world.js';

/** A day is a flame war when at least this share of its items, and this many, are toxic. */
const FLAME_SHARE = 0.2;
const FLAME_ITEMS = 5;
/** An exodus: at least this share of the members leave within seven days. */
const EXODUS_SHARE = 0.1;
const EXODUS_MIN = 10;
/** A ban wave: at least this many bans in a day. */
const BAN_WAVE = 3;
/** The same kind of moment is told at most once a week. */
const QUIET_DAYS = 7;

export function noteworthy(w: World, collector: Collector, lastTold: Map<string, number>): void {
  const c = collector.columns;
  const d = w.day;
  const tell = (kind: 'flame-war' | 'exodus' | 'ban-wave', text: string) => {
    if (d - (lastTold.get(kind) ?? -Infinity) < QUIET_DAYS) return;
    lastTold.set(kind, d);
    w.log(kind, text);
  };
  const items = c.posts[d] + c.replies[d];
  if (c.toxicPosts[d] >= FLAME_ITEMS && c.toxicPosts[d] >= FLAME_SHARE * items) {
    tell('flame-war', `a flame war: ${c.toxicPosts[d]} of ${items} posts and replies were toxic`);
  }
  let left = 0;
  for (let k = Math.max(1, d - 6); k <= d; k++) left += c.churned[k];
  const before = c.members[Math.max(0, d - 7)];
  if (left >= EXODUS_MIN && left >= EXODUS_SHARE * before) {
    tell('exodus', `${left} members left this week (${Math.round((100 * left) / Math.max(1, before))}% of the community)`);
  }
  if (c.banned[d] >= BAN_WAVE) tell('ban-wave', `${c.banned[d]} members banned today`);
}
