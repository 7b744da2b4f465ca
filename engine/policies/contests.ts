/**
 * Contests and challenges (lever `policies.contests`). Seeds: bursts of participation, a chance
 * to show one's skills, cohesion among participants. While a contest runs, members visit and post
 * more, the contest draws newcomers from outside, and today's contributors (the entrants) form
 * ties with one another; competition adds some friction (toxicity log-odds). On the last day the
 * manager judges, and a few winners gain recognition. Starting a contest costs the manager two
 * hours, prepared over the days before it (policy.ts `Plan`), and judging it one.
 */
import { admit } from '../agents/arrivals.js';
import { Channel } from '../agents/members.js';
import type { Stream } from '../rng.js';
import { Activity, type World } from '../world.js';
import { addFresh, idleReason, Plan, Told, type Policy } from './policy.js';

type Params = World['scenario']['policies']['contests'];

export function contests(): Policy {
  const plan = new Plan();
  const told = new Told();
  // last days of the running contests
  let ends: number[] = [];
  let running = 0;
  // the block of the scenario, read once a day (schedules and live changes apply from the next)
  let p: Params;
  return {
    name: 'contests',
    init(w: World) {
      plan.start(w.scenario.policies.contests.startHours);
    },
    startOfDay(w: World) {
      p = w.scenario.policies.contests;
      if (!plan.prepare(w, p.perMonth / 30, p.startHours, Activity.Contests)) told.tell(w, `contests wait: ${idleReason(w)}`);
      while (plan.take(p.startHours)) {
        ends.push(w.day + p.durationDays - 1);
        w.log('milestone', `a contest starts, running ${p.durationDays} days`);
      }
      running = Math.min(p.maxRunning, ends.length);
      if (running === 0) return;
      const c = w.climate;
      c.postBoost *= 1 + p.postBoost * running;
      c.visitBoost += p.visitBoost * running;
      c.friction += p.friction * running;
      addFresh(w, p.fresh * running, p.freshQuality);
    },
    arrive(w: World, rng: Stream, cdf: Float64Array) {
      if (running === 0) return;
      const n = rng.poisson(running * (p.newcomersBase + p.newcomersPerVisitor * w.lastVisitorCount));
      admit(w, rng, n, Channel.Contest, -1, -1, cdf);
    },
    endOfDay(w: World, rng: Stream) {
      if (ends.length === 0) return;
      const entrants = todaysContributors(w);
      const m = w.members;
      const tie = p.entrantTie;
      for (let k = 0; k < entrants.length && entrants.length > 1; k++) {
        const other = entrants[rng.int(entrants.length)];
        w.ties.strengthen(entrants[k], other, tie);
      }
      const judged = ends.filter((d) => d <= w.day).length;
      ends = ends.filter((d) => d > w.day);
      for (let j = 0; j < judged; j++) {
        w.manager.spend(p.judgeHours, Activity.Contests);
        for (let k = 0; k < p.winners && entrants.length > 0; k++) {
          let best = entrants[rng.int(entrants.length)];
          for (let t = 1; t < p.winnerDraws; t++) {
            const c = entrants[rng.int(entrants.length)];
            if (m.expertise[c] * m.activity[c] > m.expertise[best] * m.activity[best]) best = c;
          }
          m.delta[best] += p.winSatisfaction;
          m.identity[best] = Math.min(1, m.identity[best] + p.winIdentity);
        }
      }
    },
    save: () => ({ plan: plan.save(), ends: ends.slice(), told: told.reasons.slice() }),
    restore(state) {
      const s = state as { plan: { due: number; saved: number }; ends: number[]; told: string[] };
      plan.restore(s.plan);
      told.reasons = s.told.slice();
      ends = s.ends.slice();
      running = 0;
    },
  };
}

/** Members present who posted or replied today. */
function todaysContributors(w: World): Int32Array {
  const m = w.members;
  let n = 0;
  const out = new Int32Array(w.today.visitors);
  for (let k = 0; k < w.today.visitors; k++) {
    const i = w.visitors[k];
    if (m.present[i] && m.lastContrib[i] === w.day) out[n++] = i;
  }
  return out.subarray(0, n);
}
