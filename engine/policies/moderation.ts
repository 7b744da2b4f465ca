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
 * Evidence: seeds (an unregulated community drifts into flame wars; quiet loyal members leave,
 * trolls settle in); Smirnov et al. 2023 for the harm toxicity does to newcomers.
 */
import { Stage } from '../agents/members.js';
import { leave } from '../agents/churn.js';
import type { Stream } from '../rng.js';
import { Activity, type World } from '../world.js';
import type { Policy } from './policy.js';

/** Toxicity log-odds of clear rules (rules clarity 0.5 is neutral, 1 lowers, 0 raises) and of full visible enforcement. */
const RULES = 0.6;
const ENFORCEMENT = 0.8;

/** False-positive rate on legitimate items at full strictness. */
const FALSE_POSITIVE = 0.04;
/** Share of legitimate items strict moderators review proactively, at full strictness. */
const PROACTIVE = 0.2;
/** Satisfaction lost by the author of a wrongly removed item (before modifiers). */
const WRONGFUL = 0.15;
/** Satisfaction lost by the author of a removed toxic item (they feel censored; half with an explanation). */
const REMOVED_OWN = 0.03;
/** Lasting drop in toxicity log-odds after a warning (more with clear rules and explanations). */
const WARNING = 0.3;
const MUTE_DAYS = 7;

export function moderation(): Policy {
  let toxicSeenTotal = 0;
  let toxicRemovedTotal = 0;
  return {
    name: 'moderation',
    startOfDay(w) {
      // visible enforcement: a moving average of the share of toxic items removed
      const share = toxicSeenTotal > 0 ? toxicRemovedTotal / toxicSeenTotal : 0;
      const c = w.climate;
      c.enforcement = 0.7 * c.enforcement + 0.3 * (toxicSeenTotal > 0 ? share : 0);
      c.friction += -RULES * (2 * w.scenario.policies.moderation.rulesClarity - 1) - ENFORCEMENT * c.enforcement;
      toxicSeenTotal = 0;
      toxicRemovedTotal = 0;
    },
    moderate(w: World, rng: Stream, from: number, to: number) {
      const p = w.scenario.policies.moderation;
      const f = w.feed;
      const m = w.members;
      let toxic = 0;
      for (let i = from; i < to; i++) toxic += f.toxic[i];
      toxicSeenTotal += toxic;
      const s = p.strictness;
      if (s <= 0 || to <= from) return;
      const reviews = s * toxic + PROACTIVE * s * (to - from - toxic);
      const extra = p.explainRemovals ? 1 : 0;
      const needed = (reviews * (p.minutesPerReview + extra * s)) / 60;
      const granted = needed > 0 ? w.manager.spend(needed, Activity.Moderation) : 0;
      const coverage = needed > 0 ? granted / needed : 1;
      const pRemove = s * coverage;
      const early = 0.25 + 0.65 * s;
      const pFalse = FALSE_POSITIVE * s * s * coverage;
      const soften = (1 - 0.5 * p.rulesClarity) * (p.explainRemovals ? 0.5 : 1);
      for (let i = from; i < to; i++) {
        const a = f.author[i];
        if (f.toxic[i]) {
          if (rng.next() >= pRemove) continue;
          f.removed[i] = 1;
          f.visibility[i] = 1 - early;
          w.today.removed++;
          toxicRemovedTotal++;
          m.delta[a] -= REMOVED_OWN * (p.explainRemovals ? 0.5 : 1);
          sanction(w, a, p);
        } else if (rng.next() < pFalse) {
          f.removed[i] = 2;
          f.visibility[i] = 0.4;
          w.today.removed++;
          w.today.falsePositives++;
          m.delta[a] -= WRONGFUL * (m.stage[a] === Stage.Newcomer ? 1.6 : 1) * soften;
        }
      }
    },
    save: () => ({ toxicSeenTotal, toxicRemovedTotal }),
    restore(state) {
      const st = state as { toxicSeenTotal: number; toxicRemovedTotal: number };
      toxicSeenTotal = st.toxicSeenTotal;
      toxicRemovedTotal = st.toxicRemovedTotal;
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
    m.mutedUntil[a] = w.day + MUTE_DAYS;
  } else if (warnAfter !== null && strikes === warnAfter) {
    m.toxicity[a] -= WARNING * (0.5 + p.rulesClarity) * (p.explainRemovals ? 1.5 : 1);
  }
}
