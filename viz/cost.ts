/**
 * What a scenario will cost the browser before it is built (engine/cost.ts, shared with the
 * CLI's limits): a link or a population edit that asks for millions of members is confirmed
 * before the tab spends a minute and gigabytes on it.
 */
import { formatBytes, formatSeconds, runCost, type Cost } from '../engine/cost.js';

export { runCost, type Cost };

/** Past this many bytes a run is confirmed before it is built. */
export const CONFIRM_BYTES = 1e9;

/** "10,000 members (up to 10,550 by day 365): about 45 MB, about 8 s at full speed". */
export function describeCost(c: Cost, days: number): string {
  const grow = c.maxMembers > c.members ? ` (up to ${Math.round(c.maxMembers).toLocaleString('en-US')} by day ${days})` : '';
  return `${c.members.toLocaleString('en-US')} members${grow}: about ${formatBytes(c.bytes)} of memory, about ${formatSeconds(c.seconds)} at full speed`;
}

/** Whether a run is big enough to ask before building it. */
export function needsConfirmation(c: Cost): boolean {
  return c.bytes > CONFIRM_BYTES;
}
