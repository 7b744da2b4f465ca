/**
 * Moderation (MODEL.md step 4; lever `policies.moderation`). Every toxic item is reported; the
 * moderators go after a share `strictness` of them within the hours they have (each review costs
 * `minutesPerReview`), removing them early: a strict setting removes an item before most readers
 * see it. Strictness also reviews some legitimate posts and removes a few by mistake (false
 * positives rise with the square of strictness). A wrongful removal hurts its author, more so a
 * newcomer, less with clear rules and an explanation. Repeat offenders climb the sanction ladder
 * (warning, 7-day mute, ban). Removals that members can see lower toxic acts (visible enforcement),
 * and so do clear rules; both reach members as toxicity log-odds in `climate.friction`.
 *
 * Clear rules also draw newcomers in: knowing what is welcome, more of them post and reply
 * (`climate.newcomerPosting`).
 *
 * Evidence: seeds (an unregulated community drifts into flame wars; quiet loyal members leave,
 * trolls settle in); Smirnov et al. 2023 for the harm toxicity does to newcomers; Matias 2019
 * (PNAS: announcing the rules raised newcomers' participation by 70%) for the rules' draw.
 */
import { Stage } from '../agents/members.js';
import { leave } from '../agents/churn.js';
import type { Stream } from '../rng.js';
import { Activity, type World } from '../world.js';
import { idleReason, Told, type Policy } from './policy.js';
import { exp } from '../numeric.js';

export function moderation(): Policy {
  let toxicSeenTotal = 0;
  let toxicRemovedTotal = 0;
  // the block of the scenario, read once a day (schedules and live changes apply from the next)
  let p: ModerationParams;
  const told = new Told();
  return {
    name: 'moderation',
    startOfDay(w) {
      p = w.scenario.policies.moderation;
      // visible enforcement: a moving average of the share of toxic items removed
      const share = toxicSeenTotal > 0 ? toxicRemovedTotal / toxicSeenTotal : 0;
      const c = w.climate;
      c.enforcement = (1 - p.enforcementUpdate) * c.enforcement + p.enforcementUpdate * (toxicSeenTotal > 0 ? share : 0);
      c.friction += -p.rulesWeight * (2 * p.rulesClarity - 1) - p.enforcementWeight * c.enforcement;
      // rules a newcomer can see tell them what is welcome, and they take part more (Matias 2019)
      c.newcomerPosting *= exp(p.rulesParticipation * (2 * p.rulesClarity - 1));
      toxicSeenTotal = 0;
      toxicRemovedTotal = 0;
    },
    moderate(w: World, rng: Stream, from: number, to: number) {
      const f = w.feed;
      const m = w.members;
      let toxic = 0;
      for (let i = from; i < to; i++) toxic += f.toxic[i];
      toxicSeenTotal += toxic;
      const s = p.strictness;
      if (s <= 0 || to <= from) return;
      const reviews = s * toxic + p.proactive * s * (to - from - toxic);
      const extra = p.explainRemovals ? p.explainMinutes : 0;
      const needed = (reviews * (p.minutesPerReview + extra * s)) / 60;
      const granted = needed > 0 ? w.manager.spend(needed, Activity.Moderation) : 0;
      const coverage = needed > 0 ? granted / needed : 1;
      if (coverage <= 0) told.tell(w, `reported items go unreviewed: ${idleReason(w)}`);
      const pRemove = s * coverage;
      const early = p.earlyBase + p.earlyPerStrictness * s;
      const pFalse = p.falsePositive * s * s * coverage;
      const explained = p.explainRemovals ? p.explainSoften : 1;
      const soften = (1 - p.rulesSoften * p.rulesClarity) * explained;
      const ownHurt = p.removedOwnHurt * explained;
      const { mistakeSeen, wrongfulHurt, newcomerHurt } = p;
      for (let i = from; i < to; i++) {
        const a = f.author[i];
        if (f.toxic[i]) {
          if (rng.next() >= pRemove) continue;
          f.removed[i] = 1;
          f.visibility[i] = 1 - early;
          w.today.removed++;
          toxicRemovedTotal++;
          m.delta[a] -= ownHurt;
          sanction(w, a, p);
        } else if (rng.next() < pFalse) {
          f.removed[i] = 2;
          f.visibility[i] = mistakeSeen;
          w.today.removed++;
          w.today.falsePositives++;
          m.delta[a] -= wrongfulHurt * (m.stage[a] === Stage.Newcomer ? newcomerHurt : 1) * soften;
        }
      }
    },
    save: () => ({ toxicSeenTotal, toxicRemovedTotal, told: told.reasons.slice() }),
    restore(state) {
      const st = state as { toxicSeenTotal: number; toxicRemovedTotal: number; told: string[] };
      toxicSeenTotal = st.toxicSeenTotal;
      toxicRemovedTotal = st.toxicRemovedTotal;
      told.reasons = st.told.slice();
    },
  };
}

type ModerationParams = World['scenario']['policies']['moderation'];

/** One more strike for member a, and the step of the sanction ladder it reaches. */
function sanction(w: World, a: number, p: ModerationParams): void {
  const m = w.members;
  if (!m.present[a]) return;
  const strikes = Math.min(255, m.strikes[a] + 1);
  m.strikes[a] = strikes;
  const { warnAfter, muteAfter, banAfter } = p.sanctions;
  if (banAfter !== null && strikes >= banAfter) {
    leave(w, a, Stage.Banned);
  } else if (muteAfter !== null && strikes >= muteAfter) {
    m.mutedUntil[a] = w.day + p.muteDays;
  } else if (warnAfter !== null && strikes === warnAfter) {
    m.toxicity[a] -= p.warning * (0.5 + p.rulesClarity) * (p.explainRemovals ? p.explainWarning : 1);
  }
}
