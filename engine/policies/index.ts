/**
 * The manager's levers, in the order their hooks run within a phase. Leader visibility comes
 * first (others read it), moderation before answering (the manager moderates, then answers
 * with the hours left).
 */
import { leader } from './leader.js';
import { moderation } from './moderation.js';
import type { Policy } from './policy.js';
import { response } from './response.js';

/** A fresh set of the policies of a run. */
export function createPolicies(): Policy[] {
  return [leader(), moderation(), response()];
}
