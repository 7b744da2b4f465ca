/**
 * One day of the simulation (MODEL.md "A day"). This file only orders the phases; the
 * behaviours live in engine/agents/, the manager's levers in engine/policies/, the metrics in
 * engine/collector.ts. Each phase draws from its own named random stream.
 */
import { closeThreads, post, read, reply } from './agents/actions.js';
import { answerQuestions } from './agents/answers.js';
import { survey, trade } from './agents/business.js';
import { admit, noteVisible, organicToday, room } from './agents/arrivals.js';
import { churn } from './agents/churn.js';
import { Channel, Stage } from './agents/members.js';
import { updateSatisfaction } from './agents/satisfaction.js';
import { socialPass } from './agents/social.js';
import { updateStages } from './agents/stages.js';
import { decideVisits } from './agents/visits.js';
import type { Collector } from './collector.js';
import { noteworthy } from './events.js';
import type { Policy } from './policies/policy.js';
import { applyShocks, shockArrivals } from './shocks.js';
import { applyCalendar } from './calendar.js';
import type { Streams, Stream } from './rng.js';
import type { World } from './world.js';

/** Days between tie prunes (weak ties and ties to departed members are dropped then): upkeep, not behaviour. */
const PRUNE_EVERY = 30;

/** The run's phases with their streams, resolved once so the tick does no lookups by name. */
export interface Phases {
  visits: Stream;
  arrivals: Stream;
  actions: Stream;
  reading: Stream;
  answers: Stream;
  churn: Stream;
  business: Stream;
  survey: Stream;
  policies: { policy: Policy; rng: Stream }[];
  referrers: { ids: Int32Array; n: number };
  cdf: Float64Array;
  edgeVisits: number;
  /** Last day each kind of noteworthy moment was told (engine/events.ts). */
  told: Map<string, number>;
}

export function phases(streams: Streams, policies: Policy[], cdf: Float64Array): Phases {
  return {
    visits: streams.get('visits'),
    arrivals: streams.get('arrivals'),
    actions: streams.get('actions'),
    reading: streams.get('reading'),
    answers: streams.get('answers'),
    churn: streams.get('churn'),
    business: streams.get('business'),
    survey: streams.get('survey'),
    policies: policies.map((policy) => ({ policy, rng: streams.get(`policy:${policy.name}`) })),
    referrers: { ids: new Int32Array(64), n: 0 },
    cdf,
    edgeVisits: 0,
    told: new Map(),
  };
}

/**
 * Advances the world by one day and records it. `schedule` makes the day's scheduled (and live)
 * changes, before anything else, so a change is in force all day; the day's shocks follow. Days up
 * to 0 are the burn-in (engine/agents/burn-in.ts): the community lives unrecorded, with no
 * schedule, shocks or growth, and each member who leaves is replaced by a newcomer.
 */
export function tick(w: World, ph: Phases, collector: Collector, schedule: (w: World) => void): void {
  const burnIn = w.day < 0; // the day about to start is w.day + 1 <= 0
  w.day++;
  w.today.reset();
  w.feed.clear();
  // A change scheduled for today is in force all day, like the same change made live after
  // yesterday (the visualizer records live changes as schedule entries and replays them): the
  // day's hours follow a new hoursPerDay, the ties decay at the new rate.
  if (!burnIn) schedule(w);
  // no hours are spent on a community with no members: there is nobody to work for
  w.manager.hoursLeft = w.members.rosterSize > 0 ? w.scenario.manager.hoursPerDay * w.manager.present : 0;
  w.manager.hoursUsed = 0;
  w.manager.hoursBy.fill(0);
  w.climate.fresh = 0;
  w.climate.freshQuality = 0;
  w.climate.visitBoost = 0;
  w.climate.visitFactor = 1;
  w.climate.postBoost = 1;
  w.climate.newcomerPosting = 1;
  w.climate.friction = 0;
  w.climate.offline = 0;
  if (!burnIn) {
    applyShocks(w);
    applyCalendar(w);
  }
  w.ties.decay(w.scenario.behaviour.tieDecay);
  for (const p of ph.policies) p.policy.startOfDay?.(w, p.rng);

  // 1-2. visits and referrals, then arrivals (newcomers visit on their first day)
  decideVisits(w, ph.visits, ph.referrers);
  if (burnIn) {
    admit(w, ph.arrivals, w.replacements, Channel.Organic, -1, -1, ph.cdf);
  } else {
    admit(w, ph.arrivals, ph.arrivals.poisson(organicToday(w)), Channel.Organic, -1, -1, ph.cdf);
    // a friend who is already a member, or not to be had, does not join (the audience fills)
    const open = room(w);
    for (let k = 0; k < ph.referrers.n; k++) if (ph.arrivals.next() < open) admit(w, ph.arrivals, 1, Channel.Referral, ph.referrers.ids[k], -1, ph.cdf);
    // newcomers the levers (ads, contests) and the shocks (raids, viral waves) bring
    for (const p of ph.policies) p.policy.arrive?.(w, p.rng, ph.cdf);
    shockArrivals(w, ph.cdf);
  }

  // 3-4. posting, moderation of posts, replies, moderation of replies, reading
  post(w, ph.actions);
  moderate(w, ph, 0, w.feed.count);
  w.feed.index(w.scenario.behaviour.toxicAttention);
  const posts = w.feed.count;
  reply(w, ph.actions);
  moderate(w, ph, posts, w.feed.count);
  w.feed.index(w.scenario.behaviour.toxicAttention);
  read(w, ph.reading);

  // 5. answers: the policies say who answers when (the manager's checks, visiting experts), then
  // every answer, the members' included, arrives in time order
  for (const p of ph.policies) p.policy.answer?.(w, p.rng);
  answerQuestions(w, ph.answers);
  closeThreads(w);

  // 6-9. ties and social signals, satisfaction, stages, leaving
  ph.edgeVisits += socialPass(w);
  updateSatisfaction(w);
  updateStages(w);
  for (const p of ph.policies) p.policy.endOfDay?.(w, p.rng);
  trade(w, ph.business);
  churn(w, ph.churn);
  w.members.compact(); // today's leavers off the roster the daily passes walk
  w.present = w.members.rosterSize;
  if (w.day % PRUNE_EVERY === 0) w.ties.prune(w.scenario.behaviour.ties.pruneBelow, w.members.present, w.members.count);

  // advocates among today's visitors push back on toxicity tomorrow
  const visitors = w.today.visitors;
  w.climate.pushback = visitors > 0 ? advocatesVisiting(w) / visitors : 0;
  w.climate.lastItems = w.today.posts + w.today.replies;
  noteVisible(w);
  rememberVisitors(w);

  // 10. collect
  if (burnIn) return;
  survey(w, ph.survey);
  collector.collect(w);
  noteworthy(w, collector, ph.told);
}

/**
 * Advocates among today's visitors. A loop in a function of its own, like every loop over members,
 * so that the tick has no hot loop for V8 to optimise; it only counts (V8 reuses a loop's
 * on-stack-replaced code, and a division after the loop that first yields a fraction months into
 * the run would deoptimise it every day from then on).
 */
function advocatesVisiting(w: World): number {
  const n = w.today.visitors;
  const { visitors } = w;
  const stage = w.members.stage;
  let advocates = 0;
  for (let k = 0; k < n; k++) advocates += stage[visitors[k]] === Stage.Advocate ? 1 : 0;
  return advocates;
}

function moderate(w: World, ph: Phases, from: number, to: number): void {
  for (const p of ph.policies) p.policy.moderate?.(w, p.rng, from, to);
}

function rememberVisitors(w: World): void {
  const n = w.today.visitors;
  if (w.lastVisitors.length < n) w.lastVisitors = new Int32Array(w.visitors.length);
  w.lastVisitors.set(w.visitors.subarray(0, n));
  w.lastVisitorCount = n;
}
