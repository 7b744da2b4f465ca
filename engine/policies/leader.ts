/**
 * Leader visibility (lever `policies.leader`). The share of the manager's comments made from a
 * personal profile: members attach to a living person first, then to the brand (seeds: at least
 * half of the leader's comments should be personal). Visibility needs a present manager who
 * actually works; members gain attachment when they visit and when the manager answers them
 * (engine/agents/satisfaction.ts reads `climate.leaderGain` and `leaderDecay`, set here;
 * engine/policies/response.ts), and attachment raises satisfaction, lowers toxic acts
 * (`climate.toxicPerLeader`) and the hazard of leaving. Here the attachment also carries to
 * the community: a visitor attached to the leader gains identity with the community. Keeping a
 * personal profile alive (personal posts, direct replies) costs up to half an hour a day.
 */
import { Stage } from '../agents/members.js';
import { Activity, type World } from '../world.js';
import type { Policy } from './policy.js';

/** Manager hours a day a fully personal presence takes. */
const PROFILE_HOURS = 0.5;
/** Identity a visitor gains per unit of leader attachment and visibility (the person to the community). */
const CARRY = 0.01;
/** Extra attachment a visiting newcomer forms per unit of visibility: a person is what they attach to first. */
const FIRST_ATTACH = 0.05;
/** Leader attachment gained per visit at full visibility, and its daily decay (4x while nobody leads). */
const GAIN = 0.02;
const DECAY = 0.006;
const DECAY_ABSENT = 4;
/** Toxicity log-odds a fully attached member loses at full visibility. */
const TOXIC_BRAKE = 0.8;

export function leader(): Policy {
  return {
    name: 'leader',
    startOfDay(w: World) {
      const share = w.scenario.policies.leader.personalShare;
      const hours = w.scenario.manager.hoursPerDay;
      const active = hours > 0 ? Math.min(1, hours / 2) : 0;
      const need = PROFILE_HOURS * share;
      const kept = need > 0 ? w.manager.spend(need, Activity.Leader) / need : 1;
      const c = w.climate;
      const vis = share * w.manager.present * active * kept;
      c.leaderVisibility = vis;
      c.toxicPerLeader = -TOXIC_BRAKE * vis;
      c.leaderGain = GAIN * vis;
      c.leaderDecay = DECAY * (w.manager.present ? 1 : DECAY_ABSENT);
    },
    endOfDay(w: World) {
      const vis = w.climate.leaderVisibility;
      if (vis <= 0) return;
      const m = w.members;
      for (let k = 0; k < w.today.visitors; k++) {
        const i = w.visitors[k];
        if (!m.present[i]) continue;
        if (m.stage[i] === Stage.Newcomer) m.leader[i] += FIRST_ATTACH * vis * (1 - m.leader[i]);
        m.identity[i] = Math.min(1, m.identity[i] + CARRY * vis * m.leader[i]);
      }
    },
  };
}
