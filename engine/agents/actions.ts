/**
 * Actions of today's visitors (MODEL.md step 3): posting and asking, replying (and answering
 * questions), reading, reacting, and toxic acts.
 *
 * A toxic act's log-odds add the member's own propensity, contagion from the toxic share of
 * what they read recently and from a toxic thread they reply to, a bad mood, and value
 * conflict; clear rules, visible enforcement, an attached leader and advocates who push back
 * lower them (Cheng et al. 2017: 35% baseline, ~50% with a bad mood or troll posts in the
 * thread, 68% with both). Effects land on individual members: who was answered, who was
 * targeted, who saw the flame war.
 */
import { Kind } from '../content/feed.js';
import type { Stream } from '../rng.js';
import type { World } from '../world.js';
import { ask, memberAnswers } from './answers.js';
import { Archetype, Channel, FirstPost, NO_DAY, Stage } from './members.js';
import { exp, log1p } from '../numeric.js';

/** Per-archetype rates of the scenario, read once per day into an array indexed by archetype. */
export function byArchetype(r: { lurker: number; contributor: number; expert: number; troll: number }, out: Float64Array): Float64Array {
  out[Archetype.Lurker] = r.lurker;
  out[Archetype.Contributor] = r.contributor;
  out[Archetype.Expert] = r.expert;
  out[Archetype.Troll] = r.troll;
  return out;
}
/** log1p of a member's contribution count, for the counts most members have (the same numbers, without a logarithm per visit). */
const LOG1P_COUNTS = Float64Array.from({ length: 4096 }, (_, k) => log1p(k));
const momentumOf = (contribs: number) => (contribs < 4096 ? LOG1P_COUNTS[contribs] : log1p(contribs));
const postRates = new Float64Array(4);
const replyRates = new Float64Array(4);
/** Items one visitor has read this visit (readsPerVisit is at most 100): one item is read once. */
const readToday = new Int32Array(100);
/** Draws a reader makes for one read before giving up on finding an item not read yet. */
const FRESH_TRIES = 4;

/**
 * Log-odds of a toxic act by member i today, before thread contagion: own propensity, contagion
 * from recent exposure, a bad mood (satisfaction below 0.5; a good mood adds nothing), and the
 * levers' parts that come through the climate's channels (values, leader; rules, enforcement,
 * contests and shocks in friction; advocates' pushback).
 */
export function toxicLogOdds(w: World, i: number, contagion: number, mood: number, pushback: number): number {
  const m = w.members;
  const c = w.climate;
  const bad = 0.5 - m.satisfaction[i];
  return (
    m.toxicity[i] +
    contagion * m.exposure[i] +
    mood * (bad > 0 ? bad : 0) +
    c.toxicPerMisfit * (1 - m.alignment[i]) +
    c.toxicPerLeader * m.leader[i] -
    pushback * c.pushback +
    c.friction
  );
}

function contributed(w: World, i: number): void {
  const m = w.members;
  const day = w.day;
  // a member's first item of the day makes them one of today's contributors; their first ever, a
  // new contributor (what a platform's export shows: who posted, not who read)
  w.today.contributors += m.lastContrib[i] === day ? 0 : 1;
  const first = m.firstContrib[i] === NO_DAY;
  w.today.newContributors += first ? 1 : 0;
  m.firstContrib[i] = first ? day : m.firstContrib[i];
  m.contribs[i]++;
  m.lastContrib[i] = day;
  w.lifetime.lastPostDay = day;
  // posted again within 90 days of a first post on an earlier day. Written without branches
  // (each test evaluated, the flag or'ed in either way): the first newcomer to post again comes
  // days into a run, when V8 has optimised post and reply, with this inlined, on code that had
  // never run, and would throw both away to compile them again
  const fp = m.firstPostDay[i];
  const since = day - fp;
  const posted = fp !== NO_DAY;
  const earlier = since > 0;
  const recent = since <= 90;
  m.firstPost[i] |= (posted && earlier && recent ? 1 : 0) * FirstPost.PostedAgain;
}

function countItem(w: World, i: number, toxic: boolean): void {
  const lt = w.lifetime;
  lt.items++;
  if (toxic) {
    lt.toxicItems++;
    w.today.toxic++;
    w.members.toxicToday[i] = 1;
  }
  if (w.members.archetype[i] !== Archetype.Troll) {
    lt.nonTrollItems++;
    if (toxic) lt.nonTrollToxic++;
  }
}

/** A random topic among the member's interests. */
function topicOf(mask: number, rng: Stream): number {
  let k = rng.int(32);
  for (let t = 0; t < 32; t++) {
    const b = (k + t) & 31;
    if (mask & (1 << b)) return b;
  }
  return 0;
}

/** Visitors start threads: questions and discussions (experts post expert content). */
export function post(w: World, rng: Stream): void {
  const m = w.members;
  const f = w.feed;
  const day = w.day;
  const b = w.scenario.behaviour;
  const pp = b.posting;
  const rates = byArchetype(pp.postRate, postRates);
  const { momentum, maxPostChance, askNewcomer, askOther, discussionQuality } = pp;
  const { contagion, moodEffect } = b;
  const pushback = b.toxicity.pushback;
  const boost = w.climate.postBoost * (1 - w.climate.offline);
  const newcomerPosting = w.climate.newcomerPosting;
  const asked = w.today.questions;
  for (let k = 0; k < w.today.visitors; k++) {
    const i = w.visitors[k];
    if (m.mutedUntil[i] >= day) continue;
    const newcomer = m.stage[i] === Stage.Newcomer;
    const rate = rates[m.archetype[i]] * m.activity[i] * boost * (newcomer ? newcomerPosting : 1) * (1 + momentum * momentumOf(m.contribs[i]));
    if (rng.next() >= Math.min(maxPostChance, rate)) continue;
    const toxic = rng.next() < 1 / (1 + exp(-toxicLogOdds(w, i, contagion, moodEffect, pushback)));
    let kind: number = Kind.Discussion;
    if (m.questionDay[i] === NO_DAY && rng.next() < (newcomer ? askNewcomer : askOther)) kind = Kind.Question;
    else if (m.expert[i]) kind = Kind.Expert;
    const first = m.firstPostDay[i] === NO_DAY && (m.firstPost[i] & FirstPost.Posted) === 0;
    const quality = kind === Kind.Expert ? m.expertise[i] : discussionQuality * m.expertise[i];
    f.add(i, kind, topicOf(m.interests[i], rng), toxic, -1, toxic ? 0 : quality, first);
    countItem(w, i, toxic);
    contributed(w, i);
    if (first) {
      m.firstPostDay[i] = day;
      m.firstPost[i] |= FirstPost.Posted;
    }
    if (kind === Kind.Question) ask(w, i, 24 * rng.next());
    w.today.posts++;
  }
  // the queue stays in the order questions were asked
  w.queue.sortNewest(w.today.questions - asked);
}

/**
 * Visitors reply to today's threads, picked by attention: toxic threads draw more replies
 * (Beknazar-Yuzbashev et al. 2022). A reply to an open question from a knowledgeable member
 * answers it, some time after it was asked (engine/agents/answers.ts). Replies create and
 * strengthen ties (MODEL.md step 9).
 */
export function reply(w: World, rng: Stream): void {
  const m = w.members;
  const f = w.feed;
  const b = w.scenario.behaviour;
  const day = w.day;
  const starters = f.count;
  if (f.posts === 0) return;
  const replyValue = b.replyValue;
  const pp = b.posting;
  const rates = byArchetype(pp.replyRate, replyRates);
  const { momentum, maxRepliesPerVisit } = pp;
  const { contagion, moodEffect, targetedHarm } = b;
  const { pushback, threadContagion, newcomerHarm, newcomerHabitLoss } = b.toxicity;
  const replyLater = b.satisfaction.replyLater;
  const replyTie = b.ties.reply;
  const boost = w.climate.postBoost * (1 - w.climate.offline);
  const newcomerPosting = w.climate.newcomerPosting;
  for (let k = 0; k < w.today.visitors; k++) {
    const i = w.visitors[k];
    if (m.mutedUntil[i] >= day) continue;
    const rate = rates[m.archetype[i]] * m.activity[i] * boost * (m.stage[i] === Stage.Newcomer ? newcomerPosting : 1) * (1 + momentum * momentumOf(m.contribs[i]));
    let n = rate >= 1 ? Math.min(maxRepliesPerVisit, Math.floor(rate)) : 0;
    if (rng.next() < rate - Math.floor(rate)) n++;
    for (let r = 0; r < n; r++) {
      const target = f.pickPost(rng.next());
      if (target < 0 || target >= starters) break;
      const author = f.author[target];
      if (author === i) continue;
      const threadToxic = f.toxic[target] === 1 ? threadContagion * contagion : 0;
      const toxic = rng.next() < 1 / (1 + exp(-(toxicLogOdds(w, i, contagion, moodEffect, pushback) + threadToxic)));
      f.add(i, Kind.Reply, f.topic[target], toxic, target, 0, false);
      f.replies[target]++;
      countItem(w, i, toxic);
      contributed(w, i);
      w.today.replies++;
      if (author < 0) continue; // the manager's own post: no member to tie to or to please
      w.ties.strengthen(i, author, replyTie);
      const newcomer = m.stage[author] === Stage.Newcomer;
      // the rarer effects below are written without branches, as in `contributed`: a newcomer's
      // first post replied to, or a newcomer attacked, first happens days into a run
      // (every value read whichever way a test goes)
      const unreplied = (m.firstPost[author] & FirstPost.Replied) === 0;
      const welcome = f.firstPost[target] !== 0 && unreplied;
      m.firstPost[author] |= (welcome ? 1 : 0) * FirstPost.Replied;
      m.delta[author] += welcome ? replyValue : replyLater;
      if (toxic) {
        hurtByToxicReply(w, author, newcomer, targetedHarm, newcomerHarm, newcomerHabitLoss);
        const first = m.toxicTargeted[author] === NO_DAY;
        const early = day - m.joinDay[author] <= 14;
        const joined = m.channel[author] !== Channel.Initial;
        m.toxicTargeted[author] = first && early && joined ? day : m.toxicTargeted[author];
      } else if (f.kind[target] === Kind.Question && m.questionDay[author] === day && rng.next() < m.expertise[i]) {
        memberAnswers(w, author, rng.next());
      }
    }
  }
}

/**
 * What a toxic reply does to its target (Smirnov, Oprea & Strohmaier 2023): satisfaction lost in
 * proportion to sensitivity, more for a newcomer, and a newcomer attacked early also loses part
 * of the habit of coming (the target loses active days, not only good feeling). Exported so that
 * bench/targeted-harm.ts measures this very effect in a counterfactual copy of a run.
 */
export function hurtByToxicReply(w: World, target: number, newcomer: boolean, targetedHarm: number, newcomerHarm: number, newcomerHabitLoss: number): void {
  const m = w.members;
  const sensitivity = m.sensitivity[target];
  m.delta[target] -= targetedHarm * sensitivity * (newcomer ? newcomerHarm : 1);
  m.habit[target] *= 1 - (newcomer ? newcomerHabitLoss * sensitivity : 0);
}

/**
 * Visitors read today's items by attention, preferring their interests (two candidates, the one
 * on a topic they follow). Toxic items seen hurt in proportion to sensitivity and feed the
 * exposure that makes members toxic themselves; useful items (rubrics, expert posts) please.
 */
export function read(w: World, rng: Stream): void {
  const m = w.members;
  const f = w.feed;
  const b = w.scenario.behaviour;
  const reads = Math.round(b.readsPerVisit * (1 - w.climate.offline));
  const { reactRate } = b.posting;
  const { reaction, useful: usefulValue, usefulAtLeast, boredom } = b.satisfaction;
  const { exposureMemory, tieExposure } = b.toxicity;
  const toxicHarm = b.toxicHarm;
  const mentionRate = b.mentions.rate;
  const today = w.today;
  for (let k = 0; k < today.visitors; k++) {
    const i = w.visitors[k];
    let toxicSeen = 0;
    let seen = 0;
    let useful = 0;
    const interests = m.interests[i];
    for (let r = 0; r < reads; r++) {
      // an item is read once: a visitor to a quiet day reads what there is, not the same post six
      // times (with few items, reading with replacement counted one toxic post as several, and
      // the harm and the exposure of an emptying forum with it). Draws by attention until an
      // item not read yet turns up; past FRESH_TRIES the reader has read what draws them
      let item = -1;
      for (let t = 0; t < FRESH_TRIES && item < 0; t++) {
        let cand = f.pick(rng.next());
        if (cand < 0) break;
        if ((interests & (1 << f.topic[cand])) === 0) {
          const other = f.pick(rng.next());
          if (interests & (1 << f.topic[other])) cand = other;
        }
        let fresh = f.author[cand] !== i;
        for (let q = 0; q < seen && fresh; q++) fresh = readToday[q] !== cand;
        item = fresh ? cand : -1;
      }
      if (item < 0) continue;
      const author = f.author[item];
      readToday[seen] = item;
      seen++;
      f.reads[item]++;
      if (f.toxic[item]) toxicSeen++;
      else {
        useful += f.quality[item];
        if (rng.next() < reactRate) {
          if (author >= 0) m.delta[author] += reaction;
          today.reactions++;
        }
      }
    }
    today.reads += seen;
    today.toxicReads += toxicSeen;
    const tieShare = m.tieToxic[i] / (1 + m.bonds[i]);
    const share = seen > 0 ? toxicSeen / seen : 0;
    const exposure = Math.min(1, share + tieExposure * tieShare);
    m.exposure[i] = exposureMemory * m.exposure[i] + (1 - exposureMemory) * exposure;
    today.exposureSum += m.exposure[i];
    const found = useful > usefulAtLeast;
    m.delta[i] += (found ? usefulValue * useful : -boredom) - toxicHarm * m.sensitivity[i] * toxicSeen;
    // something worth showing others: a mention or a share outside the community (seeds:
    // citations outside), more likely from a satisfied member; outsiders find the community by it
    if (found && rng.next() < mentionRate * Math.min(1, useful) * m.satisfaction[i]) today.mentions++;
    if (m.archetype[i] === Archetype.Troll) today.trollsActive++;
  }
}

/**
 * End of the day's conversation: a newcomer whose first post got no reply feels ignored, and
 * reads and replies of toxic and calm items are tallied for the attention finding.
 */
export function closeThreads(w: World): void {
  const f = w.feed;
  const lt = w.lifetime;
  const m = w.members;
  const ignored = w.scenario.behaviour.satisfaction.firstPostIgnored;
  for (let i = 0; i < f.count; i++) {
    if (f.firstPost[i] && f.replies[i] === 0) m.delta[f.author[i]] -= ignored;
    if (f.toxic[i]) lt.toxicReads += f.reads[i];
    else lt.calmReads += f.reads[i];
    if (f.kind[i] !== Kind.Reply) {
      if (f.toxic[i]) {
        lt.toxicPosts++;
        lt.toxicPostReplies += f.replies[i];
      } else {
        lt.calmPosts++;
        lt.calmPostReplies += f.replies[i];
      }
    }
  }
}
