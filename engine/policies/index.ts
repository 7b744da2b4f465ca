/**
 * The manager's levers, in the order their hooks run within a phase. The order of `startOfDay`
 * is the manager's order of work: planned work (rubrics, contests, events, expert outreach) takes
 * its hours first, then the routine (campaigns, the values stance, the personal profile), and
 * moderation and answering use what is left. Experts answer before the manager. Policies read
 * leader visibility only after `startOfDay`, so the leader's place in the list does not matter.
 */
import { acquisition } from './acquisition.js';
import { contests } from './contests.js';
import { events } from './events.js';
import { experts } from './experts.js';
import { leader } from './leader.js';
import { moderation } from './moderation.js';
import type { Policy } from './policy.js';
import { response } from './response.js';
import { rubrics } from './rubrics.js';
import { values } from './values.js';

/** A fresh set of the policies of a run. */
export function createPolicies(): Policy[] {
  return [rubrics(), contests(), events(), experts(), acquisition(), values(), leader(), moderation(), response()];
}
