/**
 * The outside calendar (scenario `calendar`): breaks that come from outside the community, such as
 * a term that ends, holidays, a platform outage or a season. Members keep their reasons to come,
 * but for the days of a break each one's chance of a visit is multiplied by the break's factor,
 * and so are the newcomers who would find the community or be brought by a friend: outsiders keep
 * the same calendar. Everything else follows through the member model: fewer visitors post, reply
 * and answer less, habits fade and the away penalty grows, so activity comes back after the break,
 * but not all of it (Burr & Spennemann 2004: university forums are used in session and little
 * between sessions).
 *
 * A break holds no state: the factor of a day follows from the scenario and the day, so a snapshot
 * needs nothing more. The burn-in (days up to 0) knows no calendar.
 */
import type { Scenario } from '../scenarios/schema.js';
import type { World } from './world.js';

type Break = Scenario['calendar']['break'];

/** Whether run day `day` falls in `b`: start <= day < start + days. */
const inBreak = (b: Break, day: number): boolean => b.days > 0 && day >= b.start && day < b.start + b.days;

/** The first whole day of `b` (its log line is written then). */
const firstDay = (b: Break): number => Math.max(1, Math.ceil(b.start));

/**
 * The calendar's factor on visits and arrivals for the day about to start (after the burn-in):
 * written into `climate.visitFactor`, 1 outside any break (the product of the factors where
 * breaks overlap). Logs the first day of each break.
 */
export function applyCalendar(w: World): void {
  const { break: first, second } = w.scenario.calendar;
  w.climate.visitFactor = factorOf(w, first) * factorOf(w, second);
}

/** One break's factor on the day about to start (1 outside it); logs the break's first day. */
function factorOf(w: World, b: Break): number {
  if (!inBreak(b, w.day)) return 1;
  if (w.day === firstDay(b)) w.log('schedule', `calendar: a break begins, visits x${b.visits} through day ${Math.ceil(b.start + b.days) - 1}`);
  return b.visits;
}
