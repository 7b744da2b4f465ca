/**
 * The collector (MODEL.md step 10; STYLE.md example 5): writes the day's named metrics into
 * preallocated columns, follows newcomers for retention (D7/D30/D90 and weekly cohorts), and
 * computes the run's summary at the end.
 */
import { countCustomers, nps } from './agents/business.js';
import { Archetype, Channel, FirstPost, Stage, type Members } from './agents/members.js';
import { DAILY_METRIC_NAMES, type CohortCells, type CohortTable, type DailyMetric, type DailyRow, type RunSummary } from './metrics.js';
import type { World } from './world.js';
import { pow } from './numeric.js';

const RETENTION_DAYS = [7, 30, 90] as const;
/** The columns of the manager's hours by activity, in the order of `Activity` (engine/world.ts). */
const HOURS_COLUMNS = [
  'hoursAnswering',
  'hoursWelcoming',
  'hoursModeration',
  'hoursRubrics',
  'hoursExperts',
  'hoursContests',
  'hoursEvents',
  'hoursLeader',
  'hoursAcquisition',
  'hoursValues',
] as const satisfies readonly DailyMetric[];

export class Collector {
  readonly columns: Record<DailyMetric, Float64Array>;
  /** Eligible and retained newcomers at D7, D30, D90. */
  readonly retention = new Float64Array(6);
  /** Newcomers targeted by a toxic reply early, and not: [targeted, continued, untargeted, continued]. */
  readonly continuation = new Float64Array(4);
  /** Weekly cohorts: sizes[c] and active[c][age]. */
  cohortSizes: number[] = [];
  cohortActive: number[][] = [];
  lastDay = -1;
  /** Scratch of `tallyMembers`: members, weekly and monthly actives, satisfaction sum, a count per present stage, weekly contributors and new contributors, daily actives. */
  private readonly tally = new Float64Array(11);
  /** Scratch of `countCustomers`: customers, and those active in the last 30 days. */
  private readonly customers = new Float64Array(2);

  constructor(days: number) {
    const cols = {} as Record<DailyMetric, Float64Array>;
    for (const name of DAILY_METRIC_NAMES) cols[name] = new Float64Array(days + 1);
    this.columns = cols;
  }

  /** Records day `w.day`. */
  collect(w: World): void {
    const m = w.members;
    const t = w.today;
    const day = w.day;
    const c = this.columns;
    // speed: the loops over members live in small functions of their own, so V8 optimises them
    // early and alone; this once-a-day bookkeeping need not be optimised (nor re-optimised each
    // time a weekly or monthly branch first runs)
    for (let k = 0; k < RETENTION_DAYS.length; k++) followNewcomers(w, k, day - RETENTION_DAYS[k], this.retention, this.continuation);
    const s = this.tally;
    tallyMembers(m, day, s);
    const members = s[0], week = s[1], month = s[2], satisfaction = s[3];
    if (day > 0 && day % 7 === 0) {
      this.ensureCohort(day / 7 - 1);
      countCohorts(m, day, this.cohortActive);
      this.closeWeek(w);
    }
    const items = t.posts + t.replies;
    c.day[day] = day;
    c.members[day] = members;
    // members at the day's end who visited today: the same members as activeWeek and activeMonth
    // count, so active <= activeWeek <= activeMonth <= members (today's visitors who then left
    // are in churned and banned)
    c.active[day] = s[10];
    c.activeWeek[day] = week;
    c.activeMonth[day] = month;
    c.joins[day] = t.joins;
    c.referrals[day] = t.referrals;
    c.churned[day] = t.churned;
    c.banned[day] = t.banned;
    c.posts[day] = t.posts;
    c.replies[day] = t.replies;
    c.reactions[day] = t.reactions;
    c.contributors[day] = t.contributors;
    c.newContributors[day] = t.newContributors;
    c.contributorsWeek[day] = s[8];
    c.newContributorsWeek[day] = s[9];
    c.mentionsOutside[day] = t.mentions;
    countCustomers(w, this.customers);
    c.customers[day] = this.customers[0];
    // spend in units of a customer outside the community: active member-customers spend more
    c.customerSpend[day] = this.customers[0] + w.scenario.business.memberSpendUplift * this.customers[1];
    c.conversions[day] = t.conversions;
    c.recommendations[day] = t.recommendations;
    c.surveyResponses[day] = t.surveyResponses;
    c.nps[day] = nps(t.promoters, t.detractors, t.surveyResponses);
    c.toxicPosts[day] = t.toxic;
    c.removedPosts[day] = t.removed;
    c.falsePositives[day] = t.falsePositives;
    c.toxicShare[day] = ratio(t.toxic, items);
    c.toxicSeenShare[day] = ratio(t.toxicReads, t.reads);
    c.exposure[day] = ratio(t.exposureSum, t.visitors);
    c.trollsActive[day] = t.trollsActive;
    c.questions[day] = t.questions;
    c.answered[day] = t.answered;
    c.answeredShare[day] = ratio(t.answered, t.answered + t.expired);
    c.medianResponseHours[day] = median(t.responseHours, t.responses);
    c.backlog[day] = openQuestions(w);
    c.meanSatisfaction[day] = ratio(satisfaction, members);
    c.newcomers[day] = s[4 + Stage.Newcomer];
    c.regulars[day] = s[4 + Stage.Regular];
    c.coreSize[day] = s[4 + Stage.Core] + s[4 + Stage.Advocate];
    c.advocates[day] = s[4 + Stage.Advocate];
    c.ties[day] = w.ties.edges;
    c.managerHours[day] = w.scenario.manager.hoursPerDay * w.manager.present;
    c.managerHoursUsed[day] = w.manager.hoursUsed;
    for (let k = 0; k < HOURS_COLUMNS.length; k++) c[HOURS_COLUMNS[k]][day] = w.manager.hoursBy[k];
    this.lastDay = day;
  }

  /** Sizes the cohort of the week that just closed. */
  private closeWeek(w: World): void {
    const day = w.day;
    const closing = day / 7 - 1;
    // newcomers who joined on days 7 closing + 1 to 7 closing + 7
    this.cohortSizes[closing] = firstJoinedAfter(w, 7 * closing + 7) - firstJoinedAfter(w, 7 * closing);
  }

  ensureCohort(c: number): void {
    while (this.cohortActive.length <= c) this.cohortActive.push([]);
    for (let k = 0; k <= c; k++) {
      const row = this.cohortActive[k];
      while (row.length < c - k + 1) row.push(0);
    }
  }

  row(day: number): DailyRow {
    const out = {} as DailyRow;
    for (const name of DAILY_METRIC_NAMES) out[name] = this.columns[name][day];
    return out;
  }

  series(from = 0): DailyRow[] {
    const rows: DailyRow[] = [];
    for (let d = Math.max(0, from); d <= this.lastDay; d++) rows.push(this.row(d));
    return rows;
  }

  cohorts(): CohortTable {
    const weeks = this.cohortSizes.length;
    const share: number[][] = [];
    for (let c = 0; c < weeks; c++) {
      const size = this.cohortSizes[c];
      share.push(this.cohortActive[c].slice(0, weeks - c).map((a) => ratio(a, size)));
    }
    return { sizes: this.cohortSizes.slice(), share };
  }

  cohortsSince(week: number): CohortCells {
    const weeks = this.cohortSizes.length;
    const from: number[] = [];
    const cells: number[][] = [];
    for (let c = 0; c < weeks; c++) {
      const size = this.cohortSizes[c];
      const a0 = Math.max(0, week - c);
      from.push(a0);
      cells.push(this.cohortActive[c].slice(a0, weeks - c).map((a) => ratio(a, size)));
    }
    return { sizes: this.cohortSizes.slice(), from, cells };
  }

  summary(w: World): RunSummary {
    const c = this.columns;
    const last = Math.max(0, this.lastDay);
    const m = w.members;
    const lt = w.lifetime;
    let peak = 0, activeSum = 0, hours = 0, joins = 0, churned = 0, banned = 0, contributors = 0, mentions = 0, mauShare = 0, mauDays = 0;
    let conversions = 0, recommendations = 0, spend = 0, customers = 0;
    for (let d = 0; d <= last; d++) {
      peak = Math.max(peak, c.members[d]);
      if (d > 0) {
        activeSum += c.active[d];
        hours += c.managerHoursUsed[d];
        joins += c.joins[d];
        churned += c.churned[d];
        banned += c.banned[d];
        contributors += c.contributors[d];
        mentions += c.mentionsOutside[d];
        conversions += c.conversions[d];
        recommendations += c.recommendations[d];
        spend += c.customerSpend[d];
        customers += c.customers[d];
        if (c.members[d] > 0) {
          mauShare += c.activeMonth[d] / c.members[d];
          mauDays++;
        }
      }
    }
    const contributions = new Float64Array(m.count);
    let replied = 0, repliedAgain = 0, unreplied = 0, unrepliedAgain = 0, firstPosts = 0, lurkers = 0;
    for (let i = 0; i < m.count; i++) {
      contributions[i] = m.contribs[i];
      if (m.contribs[i] === 0) lurkers++;
      const fp = m.firstPostDay[i];
      if (m.channel[i] === Channel.Initial || fp < 0) continue;
      firstPosts++;
      if (last - fp < 30) continue; // too recent to know whether they came back
      const again = (m.firstPost[i] & FirstPost.PostedAgain) !== 0 ? 1 : 0;
      if (m.firstPost[i] & FirstPost.Replied) {
        replied++;
        repliedAgain += again;
      } else {
        unreplied++;
        unrepliedAgain += again;
      }
    }
    let repliedFirst = 0;
    for (let i = 0; i < m.count; i++) if (m.channel[i] !== Channel.Initial && m.firstPostDay[i] >= 0 && m.firstPost[i] & FirstPost.Replied) repliedFirst++;
    const ineq = inequality(contributions);
    const initial = c.members[0];
    const final = c.members[last];
    const calmItems = lt.items - lt.toxicItems;
    // mean hours a day by activity, over days 1..last like managerHoursUsed
    const hoursBy = {} as Record<(typeof HOURS_COLUMNS)[number], number>;
    for (const name of HOURS_COLUMNS) {
      let sum = 0;
      for (let d = 1; d <= last; d++) sum += c[name][d];
      hoursBy[name] = ratio(sum, last);
    }
    return {
      finalMembers: final,
      peakMembers: peak,
      growthRate: initial > 0 && last > 0 ? pow(final / initial, 30 / last) - 1 : NaN,
      meanToxicShare: ratio(lt.toxicItems, lt.items),
      meanActive: ratio(activeSum, last),
      retentionD7: ratio(this.retention[1], this.retention[0]),
      retentionD30: ratio(this.retention[3], this.retention[2]),
      retentionD90: ratio(this.retention[5], this.retention[4]),
      postsGini: ineq.gini,
      top1PctShare: ineq.top1,
      top10PctShare: ineq.top10,
      lurkerShare: ratio(lurkers, m.count),
      answeredShare: ratio(lt.answered, lt.questions),
      medianResponseHours: histMedian(lt.responseHist) / 4,
      totalJoins: joins,
      totalChurned: churned,
      meanContributors: last > 0 ? contributors / last : NaN,
      meanMonthlyActiveShare: mauDays > 0 ? mauShare / mauDays : NaN,
      totalMentionsOutside: mentions,
      finalCustomers: c.customers[last],
      totalConversions: conversions,
      totalRecommendations: recommendations,
      memberSpendIndex: ratio(spend, customers),
      nps: nps(lt.promoters, lt.detractors, lt.surveyResponses),
      surveyResponses: lt.surveyResponses,
      totalBanned: banned,
      newcomerRepliedShare: ratio(repliedFirst, firstPosts),
      returnAfterReply: ratio(repliedAgain, replied),
      returnWithoutReply: ratio(unrepliedAgain, unreplied),
      continueAfterToxic: ratio(this.continuation[1], this.continuation[0]),
      continueWithoutToxic: ratio(this.continuation[3], this.continuation[2]),
      readsPerToxicPost: ratio(lt.toxicReads, lt.toxicItems),
      readsPerCalmPost: ratio(lt.calmReads, calmItems),
      repliesPerToxicPost: ratio(lt.toxicPostReplies, lt.toxicPosts),
      repliesPerCalmPost: ratio(lt.calmPostReplies, lt.calmPosts),
      toxicShareNonTrolls: ratio(lt.nonTrollToxic, lt.nonTrollItems),
      managerHoursUsed: ratio(hours, last),
      ...hoursBy,
      lastPostDay: lt.lastPostDay,
      dead: last - lt.lastPostDay >= 14 ? 1 : 0,
    };
  }

  save() {
    return {
      columns: Object.fromEntries(Object.entries(this.columns).map(([k, v]) => [k, v.slice()])),
      retention: this.retention.slice(),
      continuation: this.continuation.slice(),
      cohortSizes: this.cohortSizes.slice(),
      cohortActive: this.cohortActive.map((r) => r.slice()),
      lastDay: this.lastDay,
    };
  }

  static restore(days: number, s: ReturnType<Collector['save']>): Collector {
    const c = new Collector(days);
    for (const [k, v] of Object.entries(s.columns)) c.columns[k as DailyMetric].set(v);
    c.retention.set(s.retention);
    c.continuation.set(s.continuation);
    c.cohortSizes = s.cohortSizes.slice();
    c.cohortActive = s.cohortActive.map((r) => r.slice());
    c.lastDay = s.lastDay;
    return c;
  }
}

/**
 * Present members of day `day` into `out`: count, active in the last 7 and 30 days, the sum of
 * satisfaction (in id order), at 4 + stage the count of each stage, at 10 those who visited today.
 */
function tallyMembers(m: Members, day: number, out: Float64Array): void {
  const { present, stage, lastVisit, lastContrib, firstContrib, satisfaction, roster } = m;
  // sums straight into `out`, indexed, without branches and with nothing after the loop: V8
  // reuses the loop's on-stack-replaced code every day, and code after the loop (or a branch
  // such as the first advocate, months into a run) that had not run when it was compiled would
  // deoptimise it every day
  out.fill(0);
  for (let r = 0; r < m.rosterSize; r++) {
    const i = roster[r];
    if (!present[i]) continue;
    const since = day - lastVisit[i];
    out[0]++;
    out[1] += since < 7 ? 1 : 0;
    out[2] += since < 30 ? 1 : 0;
    out[3] += satisfaction[i];
    out[4 + stage[i]]++;
    out[8] += day - lastContrib[i] < 7 ? 1 : 0;
    out[9] += day - firstContrib[i] < 7 ? 1 : 0;
    out[10] += since === 0 ? 1 : 0;
  }
}

/** Members by archetype on one day, each a count per archetype in `ARCHETYPE_NAMES` order. */
export interface ArchetypeCounts {
  /** On the rolls (the daily `members`). */
  members: number[];
  /** Visited in the last 7 and 30 days (the daily `activeWeek`, `activeMonth`). */
  activeWeek: number[];
  activeMonth: number[];
  /** Posted or replied in the last 7 days (the daily `contributorsWeek`). */
  contributorsWeek: number[];
}

/**
 * The daily counts of `tallyMembers` split by archetype, on demand (experiment reporters ask for
 * it on a day or two of a run, so it is not a daily column): the same definitions, so the four
 * archetypes add up to the day's column.
 */
export function countByArchetype(m: Members, day: number): ArchetypeCounts {
  const out: ArchetypeCounts = { members: [0, 0, 0, 0], activeWeek: [0, 0, 0, 0], activeMonth: [0, 0, 0, 0], contributorsWeek: [0, 0, 0, 0] };
  const { present, archetype, lastVisit, lastContrib, roster } = m;
  for (let r = 0; r < m.rosterSize; r++) {
    const i = roster[r];
    if (!present[i]) continue;
    const a = archetype[i];
    out.members[a]++;
    if (day - lastVisit[i] < 7) out.activeWeek[a]++;
    if (day - lastVisit[i] < 30) out.activeMonth[a]++;
    if (day - lastContrib[i] < 7) out.contributorsWeek[a]++;
  }
  return out;
}

/** At the end of week `day / 7`: each weekly cohort's present members who visited that week. */
function countCohorts(m: Members, day: number, active: number[][]): void {
  const { present, lastVisit, joinDay, channel, roster } = m;
  for (let r = 0; r < m.rosterSize; r++) {
    const i = roster[r];
    const joined = joinDay[i];
    if (!present[i] || channel[i] === Channel.Initial || joined < 1 || lastVisit[i] <= day - 7) continue;
    const cohort = Math.floor((joined - 1) / 7);
    active[cohort][day / 7 - 1 - cohort]++;
  }
}

/**
 * Newcomers who joined on day `joined` (retention step k: 7, 30 or 90 days ago), departed ones
 * included: eligible and still active, and at 30 days the continuation of those targeted early.
 */
function followNewcomers(w: World, k: number, joined: number, retention: Float64Array, continuation: Float64Array): void {
  const m = w.members;
  const day = w.day;
  const to = firstJoinedAfter(w, joined);
  for (let i = firstJoinedAfter(w, joined - 1); i < to; i++) {
    const active = m.present[i] && day - m.lastVisit[i] < 7 ? 1 : 0;
    retention[2 * k]++;
    retention[2 * k + 1] += active;
    if (k === 1 && m.archetype[i] !== Archetype.Troll && m.firstPostDay[i] >= 0 && m.firstPostDay[i] - joined <= 14) {
      const targeted = m.toxicTargeted[i] >= 0 ? 0 : 2;
      continuation[targeted]++;
      continuation[targeted + 1] += active;
    }
  }
}

/**
 * The first id of a newcomer (not an initial member) who joined after `day`, `members.count`
 * when none. Newcomers' rows follow the initial members' and their ids grow with the day they
 * joined (engine/agents/traits.ts `addMember`), so a binary search finds it and the newcomers
 * of one day are the ids between two searches.
 */
function firstJoinedAfter(w: World, day: number): number {
  const joinDay = w.members.joinDay;
  let lo = w.initialMembers;
  let hi = w.members.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (joinDay[mid] <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function openQuestions(w: World): number {
  let n = 0;
  const q = w.queue;
  const m = w.members;
  for (let k = 0; k < q.size; k++) if (m.questionDay[q.idAt(k)] === q.dayAt(k)) n++;
  return n;
}

/**
 * a / b, or NaN when b is 0: a share of nothing or a mean over nothing is undefined, never 0 (0
 * would read as a measurement, and bias every mean over runs).
 */
function ratio(a: number, b: number): number {
  return b > 0 ? a / b : NaN;
}

/** Median of the first n values (sorts them in place); NaN when n is 0. */
function median(values: Float64Array, n: number): number {
  if (n === 0) return NaN;
  const v = values.subarray(0, n).sort();
  return n % 2 ? v[(n - 1) >> 1] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/** Median bin of a histogram (NaN when empty). */
function histMedian(hist: Float64Array): number {
  let total = 0;
  for (let i = 0; i < hist.length; i++) total += hist[i];
  if (total === 0) return NaN;
  let acc = 0;
  for (let i = 0; i < hist.length; i++) {
    acc += hist[i];
    if (acc >= total / 2) return i + 0.5;
  }
  return hist.length - 1;
}

/** Gini coefficient and the shares of the top 1% and 10% (sorts in place); NaN when nobody contributed. */
export function inequality(x: Float64Array): { gini: number; top1: number; top10: number } {
  const n = x.length;
  if (n === 0) return { gini: NaN, top1: NaN, top10: NaN };
  x.sort();
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += x[i];
    weighted += (i + 1) * x[i];
  }
  if (total === 0) return { gini: NaN, top1: NaN, top10: NaN };
  const gini = (2 * weighted) / (n * total) - (n + 1) / n;
  const top = (share: number) => {
    const k = Math.max(1, Math.round(n * share));
    let s = 0;
    for (let i = n - k; i < n; i++) s += x[i];
    return s / total;
  };
  return { gini, top1: top(0.01), top10: top(0.1) };
}
