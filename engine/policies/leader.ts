/**
 * Leader visibility (lever `policies.leader`). The share of the manager's comments made from a
 * personal profile: members attach to a living person first, then to the brand (seeds: at least
 * half of the leader's comments should be personal). Visibility needs a present manager who
 * actually works; members gain attachment when they visit and when the manager answers them,
 * and attachment raises satisfaction, lowers toxic acts and the hazard of leaving.
 */
import type { World } from '../world.js';
import type { Policy } from './policy.js';

export function leader(): Policy {
  return {
    name: 'leader',
    startOfDay(w: World) {
      const active = w.scenario.manager.hoursPerDay > 0 ? Math.min(1, w.scenario.manager.hoursPerDay / 2) : 0;
      w.climate.leaderVisibility = w.scenario.policies.leader.personalShare * w.manager.present * active;
    },
  };
}
