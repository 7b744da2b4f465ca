/**
 * Rubrics (lever `policies.rubrics`): recurring themed posts on a fixed weekly cadence ("photo
 * Friday", "question of the week"). Seeds: fresh, regular content gives members a reason to come
 * back, and members who host a rubric take initiative and propose topics.
 *
 * A rubric day adds fresh content (more visits), a prompt that draws posts from members, and
 * something useful to read for visitors who follow the rubric's topic. A manager-hosted rubric
 * costs the manager about an hour (less hours, lower quality; none, no rubric). A member-hosted
 * one costs a quarter hour of coordination (and runs without the manager): it appears in the
 * feed under its host, who gains recognition, identity and habit, and replies to it bring the
 * host ties.
 *
 * A manager-hosted rubric is not a member's post: it is not in the feed nor counted among posts
 * and items (metrics count what members write, and the feed's replies, reactions and ties are
 * between members). It acts through what it gives members: fresh content, the prompt that draws
 * their posts, and the read value for those who follow its topic.
 */
import { Stage } from '../agents/members.js';
import { Kind } from '../content/feed.js';
import type { Stream } from '../rng.js';
import { Activity, type World } from '../world.js';
import { addFresh, idleReason, postAs, Told, type Policy } from './policy.js';

type Params = World['scenario']['policies']['rubrics'];

export function rubrics(): Policy {
  // fractional rubrics due, and the fractional share of slots owed to member hosts
  let due = 0;
  let hostedDue = 0;
  // manager rubrics of today: their topics and quality (read in the answer phase)
  let todayTopics = 0;
  let todayQuality = 0;
  // the block of the scenario, read once a day (schedules and live changes apply from the next)
  let p: Params;
  const told = new Told();
  return {
    name: 'rubrics',
    startOfDay(w: World, rng: Stream) {
      p = w.scenario.policies.rubrics;
      todayTopics = 0;
      todayQuality = 0;
      due += p.perWeek / 7;
      while (due >= 1) {
        due -= 1;
        hostedDue += p.memberHostedShare;
        let quality = p.quality;
        const host = hostedDue >= 1 ? findHost(w, rng, p.hostDraws) : -1;
        if (host >= 0) {
          hostedDue -= 1;
          w.manager.spend(p.coordinationHours, Activity.Rubrics);
          quality *= p.hostQualityBase + p.hostQualityPerExpertise * w.members.expertise[host];
          hostRubric(w, host, Math.min(1, quality), rng.int(w.scenario.population.topics), p);
        } else {
          const granted = w.manager.spend(p.managerHours, Activity.Rubrics);
          if (granted <= 0) {
            told.tell(w, `a rubric is skipped: ${idleReason(w)}`);
            continue;
          }
          quality *= granted / p.managerHours;
          todayTopics |= 1 << rng.int(w.scenario.population.topics);
          todayQuality = Math.max(todayQuality, quality);
        }
        addFresh(w, p.fresh, Math.min(1, quality));
        w.climate.postBoost *= 1 + p.prompt * quality;
      }
    },
    answer(w: World) {
      if (todayTopics === 0) return;
      // visitors who follow a manager rubric's topic read it
      const m = w.members;
      const value = p.readValue * todayQuality;
      for (let k = 0; k < w.today.visitors; k++) {
        const i = w.visitors[k];
        if (m.interests[i] & todayTopics) m.delta[i] += value;
      }
    },
    save: () => ({ due, hostedDue, told: told.reasons.slice() }),
    restore(state) {
      const s = state as { due: number; hostedDue: number; told: string[] };
      due = s.due;
      hostedDue = s.hostedDue;
      told.reasons = s.told.slice();
      todayTopics = 0;
      todayQuality = 0;
    },
  };
}

/** A present member past the newcomer stage, the most prolific of a few drawn; -1 when none. */
function findHost(w: World, rng: Stream, draws: number): number {
  const m = w.members;
  if (m.count === 0) return -1;
  let best = -1;
  for (let k = 0; k < draws; k++) {
    const i = rng.int(m.count);
    if (!m.present[i] || m.stage[i] < Stage.Regular || m.mutedUntil[i] >= w.day) continue;
    if (best < 0 || m.contribs[i] > m.contribs[best]) best = i;
  }
  return best;
}

function hostRubric(w: World, host: number, quality: number, topic: number, p: Params): void {
  const m = w.members;
  postAs(w, host, Kind.Rubric, topic, quality);
  m.delta[host] += p.hostSatisfaction;
  m.identity[host] = Math.min(1, m.identity[host] + p.hostIdentity);
  m.habit[host] = Math.min(1, m.habit[host] + p.hostHabit);
}
