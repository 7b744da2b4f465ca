/**
 * What a manager policy looks like (STYLE.md example 1): a factory that returns an object with
 * the hooks it needs. Hooks run at fixed points of the tick; each policy reads its parameters
 * from `w.scenario.policies` every day, so schedules and live changes take effect next day.
 * Work that takes the manager's time is drawn with `w.manager.spend(hours)`.
 */
import type { Stream } from '../rng.js';
import type { World } from '../world.js';

export interface Policy {
  /** Name of the policy; also the name of its random stream (`policy:NAME`). */
  readonly name: string;
  /** Once, when the simulation is created (day 0). */
  init?(w: World, rng: Stream): void;
  /** Before visits: fresh content, events, contests, climate, arrivals the policy brings. */
  startOfDay?(w: World, rng: Stream): void;
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
