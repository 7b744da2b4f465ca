/**
 * Expert invites (lever `policies.experts`): the manager invites members to act as experts
 * (host, post, answer questions, an AMA). Seeds: belonging and recognition for the invited,
 * quality content for the readers, and relief for the manager.
 *
 * Each invite costs the manager half an hour, accepted or not. Whom to invite follows
 * `selection`: `most-expert` (the manager's judgement of expertise, with some error),
 * `most-active` (the most prolific posters) or `random` (any known member). A member accepts with
 * a chance that rises with satisfaction, and opens with an AMA thread. An expert's posts are
 * expert posts whose quality is their expertise (engine/agents/actions.ts), so a poor choice
 * gives poor content; experts who visit answer open questions before the manager, succeeding in
 * proportion to their expertise, and present experts are fresh content that draws visits. The
 * invited gain recognition: satisfaction, identity and attachment to the manager who asked them.
 */
import { Stage } from '../agents/members.js';
import { Kind } from '../content/feed.js';
import type { Stream } from '../rng.js';
import { Activity, type World } from '../world.js';
import { addFresh, idleReason, Plan, postAs, Told, type Policy } from './policy.js';


export function experts(): Policy {
  const plan = new Plan();
  const told = new Told();
  // experts ever appointed: no need to look for present ones before the first
  let appointed = 0;
  return {
    name: 'experts',
    init(w: World) {
      plan.start(w.scenario.policies.experts.inviteHours);
    },
    startOfDay(w: World, rng: Stream) {
      const p = w.scenario.policies.experts;
      if (!plan.prepare(w, p.invitesPerMonth / 30, p.inviteHours, Activity.Experts)) told.tell(w, `expert invites wait: ${idleReason(w)}`);
      while (plan.take(p.inviteHours)) {
        const i = pick(w, rng, p.selection, p.judgementError);
        if (i < 0) {
          told.tell(w, 'an expert invite found nobody to ask: no member past the newcomer stage who is not an expert yet');
          continue;
        }
        const m = w.members;
        if (rng.next() >= p.acceptBase + p.acceptSatisfaction * m.satisfaction[i]) continue;
        m.expert[i] = 1;
        appointed++;
        // the new expert opens with an AMA thread on one of their topics
        postAs(w, i, Kind.Expert, topicOf(m.interests[i], rng), m.expertise[i]);
        addFresh(w, p.amaFresh, m.expertise[i]);
        m.delta[i] += p.recognition;
        m.identity[i] = Math.min(1, m.identity[i] + p.identity);
        m.leader[i] = Math.min(1, m.leader[i] + p.leader * w.manager.present);
      }
      // present experts give members something to come for
      if (appointed === 0) return;
      const m = w.members;
      let n = 0;
      let expertise = 0;
      for (let r = 0; r < m.rosterSize; r++) {
        const i = m.roster[r];
        if (m.expert[i] && m.present[i]) {
          n++;
          expertise += m.expertise[i];
        }
      }
      if (n > 0) addFresh(w, Math.min(p.freshMax, p.freshPerExpert * n), expertise / n);
    },
    answer(w: World, rng: Stream) {
      // experts who visit today answer at their visit (engine/agents/answers.ts plays it in time
      // order with the manager's checks and the members' answers)
      if (appointed === 0 || w.queue.size === 0) return;
      const m = w.members;
      const p = w.scenario.policies.experts;
      const desk = w.desk;
      desk.expertTries = p.answersPerVisit;
      desk.expertWriteHours = p.answerHours;
      desk.expertThanks = p.answerThanks;
      desk.expertTie = p.answerTie;
      for (let v = 0; v < w.today.visitors; v++) {
        const e = w.visitors[v];
        if (!m.expert[e] || !m.present[e] || m.mutedUntil[e] >= w.day) continue;
        desk.addExpert(e, w.day * 24 + 24 * rng.next());
      }
    },
    save: () => ({ plan: plan.save(), told: told.reasons.slice(), appointed }),
    restore(state) {
      const s = state as { plan: { due: number; saved: number }; told: string[]; appointed: number };
      plan.restore(s.plan);
      told.reasons = s.told.slice();
      appointed = s.appointed;
    },
  };
}

/** One of the topics in an interest bit mask (0 when none). */
function topicOf(interests: number, rng: Stream): number {
  const topics: number[] = [];
  for (let t = 0; t < 32; t++) if (interests & (1 << t)) topics.push(t);
  return topics.length ? topics[rng.int(topics.length)] : 0;
}

type Selection = World['scenario']['policies']['experts']['selection'];

/** The member to invite, or -1 when nobody is left to invite. */
function pick(w: World, rng: Stream, selection: Selection, judgementError: number): number {
  const m = w.members;
  let best = -1;
  let bestScore = -Infinity;
  let seen = 0;
  for (let r = 0; r < m.rosterSize; r++) {
    const i = m.roster[r];
    // the manager invites members they know: present, past the newcomer stage, not yet experts
    if (!m.present[i] || m.expert[i] || m.stage[i] < Stage.Regular) continue;
    let score: number;
    if (selection === 'most-expert') score = m.expertise[i] + judgementError * rng.normal();
    else if (selection === 'most-active') score = m.contribs[i] + rng.next();
    else {
      // reservoir sampling: every candidate equally likely
      seen++;
      score = rng.next() < 1 / seen ? Infinity : -Infinity;
      if (score === Infinity) best = i;
      continue;
    }
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best;
}
