/**
 * Answering (MODEL.md step 5; lever `policies.response`). Open questions wait in a queue, oldest
 * first. The manager answers those at least `targetHours` old (the pace they aim for) while
 * today's hours last, after the day's other work; each answer costs `manager.minutesPerAnswer`.
 * So real latency emerges from the queue against capacity: it grows when volume outruns the
 * hours (seeds: after one festival, more than 3,500 direct messages). A festival's flood of
 * messages takes the hours first, oldest first, and its waits count among response times; a
 * tenth of what is left gives up each day. `welcomeNewcomers` replies to every newcomer's first
 * post that got no reply from members (Joyce & Kraut 2006). An answer after a long wait is worth
 * little more than none (MODEL.md finding 7: exp(-hours / behaviour.answerPatienceHours)).
 */
import { answerQuestion } from '../agents/actions.js';
import { FirstPost, Stage } from '../agents/members.js';
import { Kind } from '../content/feed.js';
import type { Stream } from '../rng.js';
import { Activity, type World } from '../world.js';
import type { Policy } from './policy.js';

/** Leader attachment an answered member gains, per unit of leader visibility. */
const ATTACH = 0.08;
/** Share of the unanswered flood whose senders give up each day (they stop waiting). */
const FLOOD_GIVE_UP = 0.1;

/** Direct messages of a flood that came on `day` and still wait. */
interface Bucket {
  day: number;
  count: number;
}

export function response(): Policy {
  // the flood of direct messages by the day they came, oldest first (its total is manager.flood)
  let inbox: Bucket[] = [];
  return {
    name: 'response',
    answer(w: World, rng: Stream) {
      const p = w.scenario.policies.response;
      const mgr = w.manager;
      const m = w.members;
      const perAnswer = w.scenario.manager.minutesPerAnswer / 60;
      if (mgr.present === 0) return;
      // a flood of direct messages (festival) takes the manager's time first
      if (mgr.flood > 0) inbox = answerFlood(w, inbox, perAnswer);
      if (p.welcomeNewcomers) {
        const f = w.feed;
        for (let i = 0; i < f.count; i++) {
          if (!f.firstPost[i] || f.replies[i] > 0 || f.kind[i] === Kind.Reply) continue;
          const a = f.author[i];
          if (m.stage[a] !== Stage.Newcomer || (m.firstPost[a] & FirstPost.Replied)) continue;
          if (mgr.spend(perAnswer, Activity.Welcoming) < perAnswer) break;
          f.replies[i]++;
          m.firstPost[a] |= FirstPost.Replied;
          m.delta[a] += w.scenario.behaviour.replyValue;
          m.leader[a] = Math.min(1, m.leader[a] + ATTACH * w.climate.leaderVisibility);
          w.today.replies++;
        }
      }
      const q = w.queue;
      const target = p.targetHours;
      const lagDays = target === null ? Infinity : Math.floor(target / 24);
      while (q.size > 0) {
        const id = q.idAt(0);
        const asked = q.dayAt(0);
        if (m.questionDay[id] !== asked) {
          q.shift(); // answered by a member, expired, or the asker left
          continue;
        }
        if (target === null || w.day - asked < lagDays) break;
        if (mgr.spend(perAnswer, Activity.Answering) < perAnswer) break;
        q.shift();
        const waited = (w.day - asked) * 24 + 24 * rng.next() - m.questionHour[id];
        answerQuestion(w, id, Math.max(target, waited));
        m.leader[id] = Math.min(1, m.leader[id] + ATTACH * w.climate.leaderVisibility);
      }
    },
    save: () => inbox.map((b) => ({ ...b })),
    restore(state) {
      inbox = (state as Bucket[]).map((b) => ({ ...b }));
    },
  };
}

/**
 * Answers the flood oldest first with the hours of the day; each answer's wait counts among the
 * day's response times (a direct message is a question to the manager). A tenth of what is left
 * gives up. Returns the inbox left, whose total becomes `manager.flood`.
 */
function answerFlood(w: World, inbox: Bucket[], perAnswer: number): Bucket[] {
  const mgr = w.manager;
  let held = 0;
  for (const b of inbox) held += b.count;
  if (mgr.flood > held) inbox.push({ day: w.day, count: mgr.flood - held });
  let capacity = Math.floor(mgr.hoursLeft / perAnswer);
  const hist = w.lifetime.responseHist;
  for (const b of inbox) {
    const n = Math.min(capacity, Math.round(b.count));
    if (n <= 0) continue;
    mgr.spend(n * perAnswer, Activity.Answering);
    capacity -= n;
    b.count -= n;
    const hours = (w.day - b.day) * 24 + 12; // on average, mid-day to mid-day
    for (let k = 0; k < n; k++) w.today.addResponse(hours);
    hist[Math.min(hist.length - 1, Math.floor(hours * 4))] += n;
  }
  const left = inbox.filter((b) => (b.count *= 1 - FLOOD_GIVE_UP) >= 0.5);
  mgr.flood = left.reduce((a, b) => a + b.count, 0);
  return left;
}
