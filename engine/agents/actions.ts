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
import { Archetype, Channel, FirstPost, Stage } from './members.js';
import { POST_RATE, REPLY_RATE } from './traits.js';

/** Log-odds weight of advocates pushing back on toxicity (none visiting: no brake). */
const PUSHBACK = 2;
/** Momentum of contributing: the chance of stopping falls roughly as 1/k after k contributions (Wilkinson 2008). */
const MOMENTUM = 0.35;
/** Share of a newcomer's (other member's) thread starters that are questions. */
const ASK_NEWCOMER = 0.45;
const ASK_OTHER = 0.18;
/** Satisfaction from a reply to a later post, and from a reaction. */
const REPLY_LATER = 0.008;
const REACTION = 0.002;
/** Satisfaction lost by a newcomer whose first post got no reply by the end of the day (Joyce & Kraut 2006). */
const FIRST_POST_IGNORED = 0.06;
/** Satisfaction lost by a visitor who found nothing useful or of interest (boredom). */
const BOREDOM = 0.01;
/** Chance that a read ends in a reaction (like). */
const REACT = 0.07;
/** Satisfaction from a member's answer to one's question, before the wait discount. */
export const ANSWER_VALUE = 0.08;
/** Mean hours for another member to answer a question the same day. */
const MEMBER_ANSWER_HOURS = 5;
/** Tie weight added by a reply. */
const REPLY_TIE = 0.12;

/** Log-odds of a toxic act by member i today, before thread contagion. */
export function toxicLogOdds(w: World, i: number): number {
  const m = w.members;
  const b = w.scenario.behaviour;
  const c = w.climate;
  // the levers' parts come through the climate's channels (values, leader; rules, enforcement,
  // contests and shocks in friction)
  return (
    m.toxicity[i] +
    b.contagion * m.exposure[i] +
    b.moodEffect * (0.5 - m.satisfaction[i]) +
    c.toxicPerMisfit * (1 - m.alignment[i]) +
    c.toxicPerLeader * m.leader[i] -
    PUSHBACK * c.pushback +
    c.friction
  );
}

function contributed(w: World, i: number): void {
  const m = w.members;
  m.contribs[i]++;
  m.lastContrib[i] = w.day;
  w.lifetime.lastPostDay = w.day;
  // posted again within 90 days of a first post on an earlier day. Written without branches
  // (each test evaluated, the flag or'ed in either way): the first newcomer to post again comes
  // days into a run, when V8 has optimised post and reply, with this inlined, on code that had
  // never run, and would throw both away to compile them again
  const fp = m.firstPostDay[i];
  const since = w.day - fp;
  const posted = fp >= 0;
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
  const boost = w.climate.postBoost * (1 - w.climate.offline);
  for (let k = 0; k < w.today.visitors; k++) {
    const i = w.visitors[k];
    if (m.mutedUntil[i] >= day) continue;
    const rate = POST_RATE[m.archetype[i]] * m.activity[i] * boost * (1 + MOMENTUM * Math.log1p(m.contribs[i]));
    if (rng.next() >= Math.min(0.9, rate)) continue;
    const newcomer = m.stage[i] === Stage.Newcomer;
    const toxic = rng.next() < 1 / (1 + Math.exp(-toxicLogOdds(w, i)));
    let kind: number = Kind.Discussion;
    if (m.questionDay[i] < 0 && rng.next() < (newcomer ? ASK_NEWCOMER : ASK_OTHER)) kind = Kind.Question;
    else if (m.expert[i]) kind = Kind.Expert;
    const first = m.firstPostDay[i] < 0 && (m.firstPost[i] & FirstPost.Posted) === 0;
    const quality = kind === Kind.Expert ? m.expertise[i] : 0.3 * m.expertise[i];
    f.add(i, kind, topicOf(m.interests[i], rng), toxic, -1, toxic ? 0 : quality, first);
    countItem(w, i, toxic);
    contributed(w, i);
    if (first) {
      m.firstPostDay[i] = day;
      m.firstPost[i] |= FirstPost.Posted;
    }
    if (kind === Kind.Question) {
      m.questionDay[i] = day;
      m.questionHour[i] = 24 * rng.next();
      w.queue.push(i, day);
      w.today.questions++;
      w.lifetime.questions++;
    }
    w.today.posts++;
  }
}

/**
 * Visitors reply to today's threads, picked by attention: toxic threads draw more replies
 * (Beknazar-Yuzbashev et al. 2022). A reply to an open question from a knowledgeable member
 * answers it. Replies create and strengthen ties (MODEL.md step 9).
 */
export function reply(w: World, rng: Stream): void {
  const m = w.members;
  const f = w.feed;
  const b = w.scenario.behaviour;
  const day = w.day;
  const starters = f.count;
  const replyValue = b.replyValue;
  if (f.posts === 0) return;
  const boost = w.climate.postBoost * (1 - w.climate.offline);
  for (let k = 0; k < w.today.visitors; k++) {
    const i = w.visitors[k];
    if (m.mutedUntil[i] >= day) continue;
    const rate = REPLY_RATE[m.archetype[i]] * m.activity[i] * boost * (1 + MOMENTUM * Math.log1p(m.contribs[i]));
    let n = rate >= 1 ? Math.min(5, Math.floor(rate)) : 0;
    if (rng.next() < rate - Math.floor(rate)) n++;
    for (let r = 0; r < n; r++) {
      const target = f.pickPost(rng.next());
      if (target < 0 || target >= starters) break;
      const author = f.author[target];
      if (author === i) continue;
      const threadToxic = f.toxic[target] === 1 ? 0.5 * b.contagion : 0;
      const toxic = rng.next() < 1 / (1 + Math.exp(-(toxicLogOdds(w, i) + threadToxic)));
      f.add(i, Kind.Reply, f.topic[target], toxic, target, 0, false);
      f.replies[target]++;
      countItem(w, i, toxic);
      contributed(w, i);
      w.today.replies++;
      w.ties.strengthen(i, author, REPLY_TIE);
      const newcomer = m.stage[author] === Stage.Newcomer;
      // the rarer effects below are written without branches, as in `contributed`: a newcomer's
      // first post replied to, or a newcomer attacked, first happens days into a run
      // (every value read whichever way a test goes)
      const unreplied = (m.firstPost[author] & FirstPost.Replied) === 0;
      const welcome = f.firstPost[target] !== 0 && unreplied;
      m.firstPost[author] |= (welcome ? 1 : 0) * FirstPost.Replied;
      m.delta[author] += welcome ? replyValue : REPLY_LATER;
      if (toxic) {
        const sensitivity = m.sensitivity[author];
        m.delta[author] -= b.targetedHarm * sensitivity * (newcomer ? 2 : 1);
        // a newcomer attacked early loses the habit of coming as well (Smirnov et al. 2023:
        // the target loses active days, not only good feeling)
        m.habit[author] *= 1 - (newcomer ? sensitivity : 0);
        const first = m.toxicTargeted[author] < 0;
        const early = day - m.joinDay[author] <= 14;
        const joined = m.channel[author] !== Channel.Initial;
        m.toxicTargeted[author] = first && early && joined ? day : m.toxicTargeted[author];
      } else if (f.kind[target] === Kind.Question && m.questionDay[author] >= 0 && rng.next() < m.expertise[i]) {
        answerQuestion(w, author, (day - m.questionDay[author]) * 24 + MEMBER_ANSWER_HOURS * -Math.log(1 - rng.next()));
      }
    }
  }
}

/** Closes member `asker`'s open question, answered `hours` after it was asked. */
export function answerQuestion(w: World, asker: number, hours: number): void {
  const m = w.members;
  if (m.questionDay[asker] < 0) return;
  m.questionDay[asker] = -1;
  m.delta[asker] += ANSWER_VALUE * Math.exp(-hours / w.scenario.behaviour.answerPatienceHours);
  w.today.answered++;
  w.lifetime.answered++;
  w.today.addResponse(hours);
  const hist = w.lifetime.responseHist;
  hist[Math.min(hist.length - 1, Math.floor(hours * 4))]++;
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
  const today = w.today;
  for (let k = 0; k < today.visitors; k++) {
    const i = w.visitors[k];
    let toxicSeen = 0;
    let seen = 0;
    let useful = 0;
    const interests = m.interests[i];
    for (let r = 0; r < reads; r++) {
      let item = f.pick(rng.next());
      if (item < 0) break;
      if ((interests & (1 << f.topic[item])) === 0) {
        const other = f.pick(rng.next());
        if (interests & (1 << f.topic[other])) item = other;
      }
      if (f.author[item] === i) continue;
      seen++;
      f.reads[item]++;
      if (f.toxic[item]) toxicSeen++;
      else {
        useful += f.quality[item];
        if (rng.next() < REACT) {
          m.delta[f.author[item]] += REACTION;
          today.reactions++;
        }
      }
    }
    today.reads += seen;
    today.toxicReads += toxicSeen;
    const tieShare = m.tieToxic[i] / (1 + m.bonds[i]);
    const share = seen > 0 ? toxicSeen / seen : 0;
    const exposure = Math.min(1, share + 0.5 * tieShare);
    m.exposure[i] = 0.6 * m.exposure[i] + 0.4 * exposure;
    today.exposureSum += m.exposure[i];
    m.delta[i] += (useful > 0.1 ? 0.02 * useful : -BOREDOM) - b.toxicHarm * m.sensitivity[i] * toxicSeen;
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
  for (let i = 0; i < f.count; i++) {
    if (f.firstPost[i] && f.replies[i] === 0) m.delta[f.author[i]] -= FIRST_POST_IGNORED;
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
