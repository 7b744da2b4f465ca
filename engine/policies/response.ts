/**
 * Answering (MODEL.md step 5 and "Answering and latency"; lever `policies.response`). The
 * manager works their hours spread over a working window (`manager.startHour`,
 * `manager.windowHours`) and looks at the queue of open questions every `targetHours` (the
 * service level they aim for: to answer within 4 hours one must look at least every 4 hours),
 * taking what waits oldest first. The hours planned work and moderation left over are today's
 * answering time; spread over the window they set how many answers fit between two checks, so
 * with enough hours answers arrive within the target and with too few the backlog and the waits
 * grow, whatever the target (seeds: after one festival a manager counted more than 3,500 direct
 * messages). The answers themselves are played in time order with the members' and experts' in
 * engine/agents/answers.ts.
 *
 * A festival's flood of direct messages takes each check's time first, oldest first, and its
 * waits count among response times; a share of what is left gives up each day.
 * `welcomeNewcomers` replies to every newcomer's first post that got no reply from members
 * (Joyce & Kraut 2006), booked as welcoming.
 */
import { FirstPost, Stage } from '../agents/members.js';
import { Kind } from '../content/feed.js';
import type { Stream } from '../rng.js';
import { Activity, type World } from '../world.js';
import type { Policy } from './policy.js';

/** Direct messages of a flood that came on `day`: how many came, were answered, still wait. */
interface Bucket {
  day: number;
  total: number;
  answered: number;
  left: number;
}

export function response(): Policy {
  // the flood of direct messages by the day they came, oldest first
  let inbox: Bucket[] = [];
  // when the manager next looks at the queue (hours since the start of day 0)
  let nextCheck = -Infinity;
  return {
    name: 'response',
    answer(w: World, _rng: Stream) {
      const p = w.scenario.policies.response;
      const mgr = w.manager;
      const perAnswer = w.scenario.manager.minutesPerAnswer / 60;
      if (mgr.flood > 0) {
        // messages arrive whether or not anyone is there to read them
        inbox.push({ day: w.day, total: mgr.flood, answered: 0, left: mgr.flood });
        mgr.flood = 0;
      }
      if (mgr.present === 0 || w.present === 0) {
        inbox = giveUp(inbox, p.floodGiveUp);
        return;
      }
      const attach = p.leaderAttach * w.climate.leaderVisibility;
      if (p.welcomeNewcomers) welcome(w, perAnswer, attach);
      const desk = w.desk;
      const { startHour, windowHours, hoursPerDay } = w.scenario.manager;
      // the manager spreads today's answering time over the window (a longer day if the hours exceed it)
      const span = Math.min(24, Math.max(windowHours, hoursPerDay));
      const share = Math.min(1, mgr.hoursLeft / span);
      if (p.targetHours !== null && share > 0) {
        desk.wallPerAnswer = perAnswer / share;
        desk.hoursPerAnswer = perAnswer;
        desk.managerAttach = attach;
        const every = Math.max(p.checkFloorHours, p.targetHours);
        const opens = w.day * 24 + startHour;
        const closes = opens + span;
        let t = Math.max(nextCheck, opens);
        while (t < closes) {
          const end = Math.min(closes, t + every);
          // the flood of direct messages takes each check's time first
          const from = inbox.length > 0 ? answerFlood(w, inbox, t, end, desk.wallPerAnswer, perAnswer) : t;
          if (from < end) desk.addCheck(from, end);
          t += every;
        }
        nextCheck = t;
      }
      inbox = giveUp(inbox, p.floodGiveUp);
    },
    save: () => ({ inbox: inbox.map((b) => ({ ...b })), nextCheck }),
    restore(state) {
      const s = state as { inbox: Bucket[]; nextCheck: number };
      inbox = s.inbox.map((b) => ({ ...b }));
      nextCheck = s.nextCheck;
    },
  };
}

/** Replies to every newcomer's first post of today that no member replied to, while the hours last. */
function welcome(w: World, perAnswer: number, attach: number): void {
  const f = w.feed;
  const m = w.members;
  const replyValue = w.scenario.behaviour.replyValue;
  for (let i = 0; i < f.count; i++) {
    if (!f.firstPost[i] || f.replies[i] > 0 || f.kind[i] === Kind.Reply) continue;
    const a = f.author[i];
    if (a < 0 || m.stage[a] !== Stage.Newcomer || m.firstPost[a] & FirstPost.Replied) continue;
    if (w.manager.hoursLeft < perAnswer) break;
    w.manager.spend(perAnswer, Activity.Welcoming);
    f.replies[i]++;
    m.firstPost[a] |= FirstPost.Replied;
    m.delta[a] += replyValue;
    m.leader[a] += attach * (1 - m.leader[a]);
    w.today.replies++;
  }
}

/**
 * Answers the flood's messages that have arrived by each moment, oldest first, from `at` until
 * `end` or the hours run out; returns when the manager is done with them. A day's messages arrive
 * evenly over that day; each answer's wait counts among today's response times.
 */
function answerFlood(w: World, inbox: Bucket[], at: number, end: number, wall: number, perAnswer: number): number {
  const mgr = w.manager;
  const hist = w.lifetime.responseHist;
  let cursor = at;
  for (const b of inbox) {
    for (;;) {
      if (b.left < 1 || cursor >= end || mgr.hoursLeft < perAnswer) return cursor;
      // the next message in arrival order, if it has come by now
      const arrived = b.day * 24 + (24 * (b.answered + 0.5)) / b.total;
      if (arrived > cursor) break;
      mgr.spend(perAnswer, Activity.Answering);
      cursor += wall;
      const hours = cursor - arrived;
      w.today.addResponse(hours);
      hist[Math.min(hist.length - 1, Math.floor(hours * 4))]++;
      b.answered++;
      b.left--;
    }
  }
  return cursor;
}

/** At the end of the day a share of the waiting senders give up; empty days leave the inbox. */
function giveUp(inbox: Bucket[], share: number): Bucket[] {
  for (const b of inbox) b.left *= 1 - share;
  return inbox.filter((b) => b.left >= 0.5);
}
