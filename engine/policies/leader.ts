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
import { idleReason, Told, type Policy } from './policy.js';

type Params = World['scenario']['policies']['leader'];

export function leader(): Policy {
  // the block of the scenario, read once a day (schedules and live changes apply from the next)
  let p: Params;
  const told = new Told();
  return {
    name: 'leader',
    startOfDay(w: World) {
      p = w.scenario.policies.leader;
      const share = p.personalShare;
      const hours = w.scenario.manager.hoursPerDay;
      const active = hours > 0 ? Math.min(1, hours / p.fullPresenceHours) : 0;
      const need = p.profileHours * share;
      const kept = need > 0 ? w.manager.spend(need, Activity.Leader) / need : 1;
      if (kept <= 0) told.tell(w, `the personal profile goes quiet: ${idleReason(w)}`);
      const c = w.climate;
      const vis = share * w.manager.present * active * kept;
      c.leaderVisibility = vis;
      c.toxicPerLeader = -p.toxicBrake * vis;
      c.leaderGain = p.gain * vis;
      c.leaderDecay = p.decay * (w.manager.present ? 1 : p.decayAbsent);
    },
    endOfDay(w: World) {
      const vis = w.climate.leaderVisibility;
      if (vis <= 0) return;
      const { firstAttach, carry } = p;
      const m = w.members;
      for (let k = 0; k < w.today.visitors; k++) {
        const i = w.visitors[k];
        if (!m.present[i]) continue;
        if (m.stage[i] === Stage.Newcomer) m.leader[i] += firstAttach * vis * (1 - m.leader[i]);
        m.identity[i] = Math.min(1, m.identity[i] + carry * vis * m.leader[i]);
      }
    },
    save: () => ({ told: told.reasons.slice() }),
    restore(state) {
      told.reasons = (state as { told: string[] }).told.slice();
    },
  };
}
