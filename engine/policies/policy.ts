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
 * Planned work that is prepared over the days before it (an event, a contest, an invite), as a
 * manager prepares a meetup over a week rather than in one sitting: a manager with an hour a day
 * still holds a three-hour event twice a month. Pieces fall due at `perDay` a day; each day the
 * manager puts aside hours so that the hours saved keep pace with the pieces due (perDay x hours
 * a day in steady state, more to catch up after days without time), within what is left of the
 * day. A piece is done when it is due and all its hours are saved. At most one piece waits from
 * one day to the next: a manager who could not hold an event for months does not then hold them
 * all at once.
 */
export class Plan {
  /** Pieces due (a fraction while the next one is on its way); starts half way, as in a running community. */
  due = 0.5;
  /** Hours put aside for the pieces due. */
  saved = 0;

  /** At creation: the preparation of the piece under way is as far along as it is due. */
  start(hours: number): void {
    this.saved = this.due * hours;
  }

  /**
   * Today's preparation. Returns false when a piece is due but no hour could be put aside
   * today (the lever cannot act), true otherwise.
   */
  prepare(w: World, perDay: number, hours: number, activity: Activity): boolean {
    if (perDay <= 0) return true;
    this.due = Math.min(this.due, 1) + perDay;
    const want = this.due * hours - this.saved;
    if (want <= 0) return true;
    const granted = w.manager.spend(want, activity);
    this.saved += granted;
    return granted > 0 || this.due < 1;
  }

  /** Takes a due piece whose hours are all saved, and says whether there was one. */
  take(hours: number): boolean {
    if (this.due < 1 || this.saved < hours - 1e-9) return false;
    this.due -= 1;
    this.saved -= hours;
    return true;
  }

  save(): { due: number; saved: number } {
    return { due: this.due, saved: this.saved };
  }

  restore(s: { due: number; saved: number }): void {
    this.due = s.due;
    this.saved = s.saved;
  }
}

/**
 * Why the manager cannot work on a lever today: nobody to work for, nobody working, or no time
 * left after the work that comes first.
 */
export function idleReason(w: World): string {
  if (w.members.rosterSize === 0) return 'the community has no members';
  if (w.manager.present === 0) return 'the manager is away';
  if (w.scenario.manager.hoursPerDay <= 0) return 'the manager has no hours (manager.hoursPerDay = 0)';
  return 'the manager\'s hours are taken by the work that comes first';
}

/**
 * Tells each reason a lever could not act once per run (a `lever` event), so that a lever that
 * does nothing says why instead of failing silently.
 */
export class Told {
  reasons: string[] = [];

  tell(w: World, text: string): void {
    // the burn-in before day 1 is not part of the run's record (engine/agents/burn-in.ts)
    if (w.day < 1 || this.reasons.includes(text)) return;
    this.reasons.push(text);
    w.log('lever', text);
  }
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
