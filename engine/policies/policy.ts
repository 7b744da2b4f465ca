/**
 * What a manager policy looks like (STYLE.md example 1): a factory that returns an object with
 * the hooks it needs. Hooks run at fixed points of the tick; each policy reads its parameters
 * from `w.scenario.policies` every day, so schedules and live changes take effect next day.
 * Work that takes the manager's time is drawn with `w.manager.spend(hours, activity)`.
 */
import { Archetype } from '../agents/members.js';
import type { Stream } from '../rng.js';
import type { Activity, World } from '../world.js';

/**
 * Adds `amount` of fresh content of `quality` to today's climate (a reason to visit). Several
 * levers add to it on the same day; the quality is their weighted mean.
 */
export function addFresh(w: World, amount: number, quality: number): void {
  if (amount <= 0) return;
  const c = w.climate;
  const total = c.fresh + amount;
  c.freshQuality = (c.fresh * c.freshQuality + amount * quality) / total;
  c.fresh = Math.min(1, total);
}

export interface Policy {
  /** Name of the policy; also the name of its random stream (`policy:NAME`). */
  readonly name: string;
  /** Once, when the simulation is created (day 0). */
  init?(w: World, rng: Stream): void;
  /** Before visits: fresh content, events, contests, climate. */
  startOfDay?(w: World, rng: Stream): void;
  /**
   * After today's visits are decided: newcomers the policy brings (ads, contests), admitted with
   * `admit(..., cdf)` so that each visits exactly once on their first day.
   */
  arrive?(w: World, rng: Stream, cdf: Float64Array): void;
  /** After items [from, to) of today's feed were created: moderation. */
  moderate?(w: World, rng: Stream, from: number, to: number): void;
  /** After reading: the manager answers and welcomes. */
  answer?(w: World, rng: Stream): void;
  /** After satisfaction and stages: recognition, bookkeeping. */
  endOfDay?(w: World, rng: Stream): void;
  /** Policy state for snapshots (plain data), and its restore. */
  save?(): unknown;
  restore?(state: unknown): void;
}

/**
 * Spends `hours` of the manager's day on one indivisible piece of work (an event, a contest, an
 * invite) when the day still has them all, and says whether it did; otherwise spends nothing,
 * and the work waits for a day with the time.
 */
export function spendWhole(w: World, hours: number, activity: Activity): boolean {
  if (w.manager.hoursLeft < hours) return false;
  w.manager.spend(hours, activity);
  return true;
}

/**
 * A thread a lever has a member start (a hosted rubric, an expert's AMA): it enters today's feed
 * before anyone reads, and counts as the member's contribution.
 */
export function postAs(w: World, author: number, kind: number, topic: number, quality: number): void {
  const m = w.members;
  w.feed.add(author, kind, topic, false, -1, quality, false);
  w.today.posts++;
  w.lifetime.items++;
  if (m.archetype[author] !== Archetype.Troll) w.lifetime.nonTrollItems++;
  w.lifetime.lastPostDay = w.day;
  m.contribs[author]++;
  m.lastContrib[author] = w.day;
}
