/**
 * What a scenario will cost the browser before it is built: members and ties at the start and
 * at most by the end, memory and time at full speed. Rough on purpose (it cannot know churn or
 * referrals in advance) but of the right order, so a link or a population edit that asks for
 * millions of members is confirmed before the tab spends a minute and gigabytes on it.
 *
 * The constants are measurements on the project's 2-core machine (bench/RESULTS.md, the
 * visualizer review of issue 12): a 10,000,000-member link took 4.3 GB in the tab, i.e. about
 * 430 bytes a member with 6 ties each, of which the ties structure holds 25-73 bytes a tie; a
 * year of 10,000 members took 8.4 s in the CLI and 50,000 members 23.7 s under load, about
 * 1.3-2.3 microseconds a member-day.
 */
import type { Scenario } from '../scenarios/schema.js';

/** Bytes a member holds besides its ties (typed-array state, feed share, page copies). */
const BYTES_PER_MEMBER = 250;
/** Bytes an undirected tie holds in the engine's tie structure, as grown (RESULTS.md: 68.7). */
const BYTES_PER_TIE = 70;
/** Seconds of engine time a member-day at full speed on a loaded 2-core machine. */
const SECONDS_PER_MEMBER_DAY = 2e-6;
/** Past this many bytes a run is confirmed before it is built. */
export const CONFIRM_BYTES = 1e9;

export interface Cost {
  members: number;
  /** Members by the end if nobody left (arrivals at the organic rate). */
  maxMembers: number;
  bytes: number;
  seconds: number;
}

export function runCost(s: Scenario): Cost {
  const members = s.population.initialMembers;
  const maxMembers = members + s.population.organicPerDay * s.days;
  const degree = 'meanDegree' in s.population.graph ? s.population.graph.meanDegree : 6;
  const bytes = maxMembers * (BYTES_PER_MEMBER + (BYTES_PER_TIE * degree) / 2);
  const seconds = ((members + maxMembers) / 2) * s.days * SECONDS_PER_MEMBER_DAY;
  return { members, maxMembers, bytes, seconds };
}

const size = (b: number) => (b >= 1e9 ? `${(b / 1e9).toFixed(1)} GB` : `${Math.max(1, Math.round(b / 1e6))} MB`);
const time = (s: number) => (s >= 90 ? `${Math.round(s / 60)} minutes` : s >= 1 ? `${Math.round(s)} s` : 'under a second');

/** "10,000 members (up to 10,550 by day 365): about 45 MB, about 8 s at full speed". */
export function describeCost(c: Cost, days: number): string {
  const grow = c.maxMembers > c.members ? ` (up to ${Math.round(c.maxMembers).toLocaleString('en-US')} by day ${days})` : '';
  return `${c.members.toLocaleString('en-US')} members${grow}: about ${size(c.bytes)} of memory, about ${time(c.seconds)} at full speed`;
}

/** Whether a run is big enough to ask before building it. */
export function needsConfirmation(c: Cost): boolean {
  return c.bytes > CONFIRM_BYTES;
}
