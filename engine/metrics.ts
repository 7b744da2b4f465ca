/**
 * What a run measures (MODEL.md "What is measured"): every daily and summary metric, defined once
 * here with its meaning, unit, better direction and range. The collector writes the daily metrics
 * into preallocated columns named here; the summary is computed once at the end. The CLI
 * (`community-sim metrics`, compare and sweep tables), the experiments (interval clipping) and the
 * browser read these definitions. The names are a contract: the CLI's JSON and CSV, the
 * experiments' tables and the browser read them.
 *
 * A value that is undefined for a run or a day (a share of nothing, a median of no answers,
 * retention in a run too short to measure it) is NaN: `null` in JSON, an empty cell in CSV, and
 * left out of means over runs. Never 0, which would read as a measurement.
 */

/** Which way a metric is better for the community, for tables and charts; 'none' when neither. */
export type Better = 'higher' | 'lower' | 'none';

/**
 * How a difference of the metric reads: `amount` (a count, hours or reads: a relative change
 * means something), `share` (a proportion in [0, 1]: differences in percentage points), `rate`
 * (a growth rate: differences in percentage points) or `level` (an index, a score or a day:
 * differences in its own unit only).
 */
export type MetricKind = 'amount' | 'share' | 'rate' | 'level';

/** One metric's definition. */
export interface MetricDef {
  /** One or two sentences: what is counted, over what, and when it is undefined. */
  readonly description: string;
  /** The unit of a value ('members', 'hours', 'share', ...). */
  readonly unit: string;
  readonly better: Better;
  readonly kind: MetricKind;
  /** The values the metric can take, [low, high] (either may be infinite); intervals are clipped to it. */
  readonly range: readonly [number, number];
}

const amount = (unit: string, better: Better, description: string): MetricDef => ({ description, unit, better, kind: 'amount', range: [0, Infinity] });
const share = (better: Better, description: string): MetricDef => ({ description, unit: 'share', better, kind: 'share', range: [0, 1] });
const level = (unit: string, better: Better, range: readonly [number, number], description: string): MetricDef => ({ description, unit, better, kind: 'level', range });

/** Daily metrics, one column each, in output order. */
export const DAILY_METRICS = {
  day: level('day', 'none', [0, Infinity], 'Day of the run (0 is the starting state).'),
  members: amount('members', 'higher', 'Members on the rolls at the end of the day: accounts that joined and have not unsubscribed, been banned, or stayed away behaviour.dormantDays (most are inactive in a given month).'),
  active: amount('members', 'higher', 'Members who visited today and are still members at its end (daily active; visitors who left the same day are in churned and banned).'),
  activeWeek: amount('members', 'higher', 'Members who visited in the last 7 days (weekly active).'),
  activeMonth: amount('members', 'higher', 'Members who visited in the last 30 days (monthly active).'),
  joins: amount('members', 'higher', 'Newcomers who joined today (all channels).'),
  referrals: amount('members', 'higher', 'Newcomers who joined today through a member\'s referral.'),
  churned: amount('members', 'lower', 'Members who left the rolls today: unsubscribed, or counted out after behaviour.dormantDays without a visit.'),
  banned: amount('members', 'none', 'Members banned today.'),
  posts: amount('posts', 'higher', 'Thread-starting posts today (questions, discussions, rubric, expert and contest posts).'),
  replies: amount('replies', 'higher', 'Replies today.'),
  reactions: amount('reactions', 'higher', 'Reactions (likes) today.'),
  contributors: amount('members', 'higher', 'Distinct members who posted or replied today (what a platform\'s export shows: it cannot see who reads).'),
  newContributors: amount('members', 'higher', 'Members who posted or replied today for the first time ever.'),
  contributorsWeek: amount('members', 'higher', 'Distinct members who posted or replied in the last 7 days, today included.'),
  newContributorsWeek: amount('members', 'higher', 'Members whose first post or reply ever was in the last 7 days, today included.'),
  mentionsOutside: amount('mentions', 'higher', 'Mentions and shares of the community\'s content outside it today (seeds: citations outside the community); outsiders find the community through them.'),
  customers: amount('members', 'higher', 'Members on the rolls who are the brand\'s customers (customers at join, business.customerShare, plus conversions).'),
  conversions: amount('members', 'higher', 'Satisfied members who became customers today (business.conversion).'),
  customerSpend: amount('customer-spend units', 'higher', 'Spend of the member-customers today in units of a customer outside the community: customers + business.memberSpendUplift x customers who visited in the last 30 days.'),
  recommendations: amount('recommendations', 'higher', 'Recommendations of the brand by satisfied customers today (business.recommendShare); they do not bring newcomers (referrals do).'),
  surveyResponses: amount('members', 'none', 'Members who answered today\'s survey (its sample size); 0 on a day without one.'),
  nps: level('NPS points', 'higher', [-100, 100], 'Net promoter score of today\'s survey respondents: % scoring 9-10 minus % scoring 0-6; undefined on a day without a survey or with no respondent.'),
  toxicPosts: amount('items', 'lower', 'Toxic posts and replies created today.'),
  removedPosts: amount('items', 'none', 'Items removed by moderation today (toxic and wrongly removed).'),
  falsePositives: amount('items', 'lower', 'Legitimate items removed by mistake today.'),
  toxicShare: share('lower', 'Share of today\'s posts and replies that are toxic; undefined on a day with none.'),
  toxicSeenShare: share('lower', 'Share of the items read today that were toxic; undefined on a day with no reads.'),
  exposure: level('index 0-1', 'lower', [0, 1], 'Mean recent toxicity exposure of today\'s visitors; undefined on a day with no visitor.'),
  trollsActive: amount('members', 'lower', 'Troll-prone members among today\'s visitors.'),
  questions: amount('questions', 'none', 'Questions asked today.'),
  answered: amount('questions', 'higher', 'Questions answered today (by anyone).'),
  answeredShare: share('higher', 'Share of questions closed today that got an answer (the rest expired unanswered); undefined on a day none closed.'),
  medianResponseHours: amount('hours', 'lower', 'Median hours from a question to its first answer, over questions answered today; undefined on a day with no answer.'),
  backlog: amount('questions', 'lower', 'Open questions waiting at the end of the day.'),
  meanSatisfaction: level('score 0-1', 'higher', [0, 1], 'Mean satisfaction of members; undefined with no members.'),
  newcomers: amount('members', 'none', 'Members at the newcomer stage.'),
  regulars: amount('members', 'higher', 'Members at the regular stage.'),
  coreSize: amount('members', 'higher', 'Members at the core or advocate stage.'),
  advocates: amount('members', 'higher', 'Members at the advocate stage.'),
  ties: amount('ties', 'higher', 'Ties between current members (undirected).'),
  managerHours: amount('hours', 'none', 'The manager\'s capacity today.'),
  managerHoursUsed: amount('hours', 'none', 'Hours the manager spent today (answers, moderation, rubrics, events, outreach).'),
  // where the hours went: the ten hours* columns add up to managerHoursUsed
  hoursAnswering: amount('hours', 'none', 'Manager hours spent today answering questions, direct messages and correcting misinformation.'),
  hoursWelcoming: amount('hours', 'none', 'Manager hours spent today replying to newcomers\' first posts.'),
  hoursModeration: amount('hours', 'none', 'Manager hours spent today reviewing reported and proactively checked items.'),
  hoursRubrics: amount('hours', 'none', 'Manager hours spent today preparing rubric posts and coordinating member hosts.'),
  hoursExperts: amount('hours', 'none', 'Manager hours spent today inviting experts.'),
  hoursContests: amount('hours', 'none', 'Manager hours spent today starting and judging contests.'),
  hoursEvents: amount('hours', 'none', 'Manager hours spent today preparing and holding events.'),
  hoursLeader: amount('hours', 'none', 'Manager hours spent today keeping a personal profile alive.'),
  hoursAcquisition: amount('hours', 'none', 'Manager hours spent today running ad campaigns and handing out referral rewards.'),
  hoursValues: amount('hours', 'none', 'Manager hours spent today holding the values stance in disputes.'),
} as const satisfies Record<string, MetricDef>;

export type DailyMetric = keyof typeof DAILY_METRICS;
export const DAILY_METRIC_NAMES = Object.keys(DAILY_METRICS) as DailyMetric[];

/** One day of the series, as printed by `community-sim run` (NaN where undefined). */
export type DailyRow = Record<DailyMetric, number>;

/** Summary metrics of a run. */
export const SUMMARY_METRICS = {
  finalMembers: amount('members', 'higher', 'Members on the last day.'),
  peakMembers: amount('members', 'higher', 'Most members on any day.'),
  growthRate: { description: 'Compound growth per 30 days: (final / initial)^(30 / days) - 1; undefined with no initial members or a run of 0 days.', unit: 'per 30 days', better: 'higher', kind: 'rate', range: [-1, Infinity] },
  meanToxicShare: share('lower', 'Toxic posts and replies over all posts and replies of the run; undefined with none.'),
  meanActive: amount('members', 'higher', 'Mean daily active members (days 1 to the last).'),
  retentionD7: share('higher', 'Share of newcomers (joined during the run, at least 7 days before its end) who visited in the 7 days up to day 7 after joining; undefined when no newcomer joined early enough.'),
  retentionD30: share('higher', 'Share of newcomers (joined during the run, at least 30 days before its end) who visited in the 7 days up to day 30 after joining; undefined when no newcomer joined early enough.'),
  retentionD90: share('higher', 'Share of newcomers (joined during the run, at least 90 days before its end) who visited in the 7 days up to day 90 after joining; undefined when no newcomer joined early enough.'),
  postsGini: level('index 0-1', 'none', [0, 1], 'Gini coefficient of posts and replies per member over everyone who was ever a member; undefined when nobody posted.'),
  top1PctShare: share('none', 'Share of all posts and replies made by the most active 1% of members; undefined when nobody posted.'),
  top10PctShare: share('none', 'Share of all posts and replies made by the most active 10% of members; undefined when nobody posted.'),
  lurkerShare: share('none', 'Share of everyone who was ever a member who never posted nor replied; undefined with nobody.'),
  answeredShare: share('higher', 'Share of all questions that got an answer; undefined with no question.'),
  medianResponseHours: amount('hours', 'lower', 'Median hours to the first answer over all answered questions; undefined with no answer.'),
  totalJoins: amount('members', 'higher', 'Newcomers over the run.'),
  totalChurned: amount('members', 'lower', 'Members who left the rolls over the run (unsubscribed or counted out after long dormancy).'),
  meanContributors: amount('members', 'higher', 'Mean daily contributors (distinct members who posted or replied), days 1 to the last.'),
  meanMonthlyActiveShare: share('higher', 'Mean over days 1 to the last of monthly active members over members (MAU / members); undefined with no members.'),
  totalMentionsOutside: amount('mentions', 'higher', 'Mentions and shares outside the community over the run.'),
  totalBanned: amount('members', 'none', 'Members banned over the run.'),
  finalCustomers: amount('members', 'higher', 'Members who are the brand\'s customers on the last day.'),
  totalConversions: amount('members', 'higher', 'Members who became customers over the run.'),
  totalRecommendations: amount('recommendations', 'higher', 'Recommendations of the brand by satisfied customers over the run.'),
  memberSpendIndex: level('x a non-member customer\'s spend', 'higher', [0, Infinity], 'Mean spend of a member-customer over days 1 to the last, relative to a customer outside the community (1 = the same; active members spend business.memberSpendUplift more, lapsed accounts as others); undefined with no customers.'),
  nps: level('NPS points', 'higher', [-100, 100], 'Net promoter score over all survey responses of the run: % promoters (9-10) minus % detractors (0-6); undefined with no survey or no respondent. Respondents, not all members: the unhappy and the lapsed answer less.'),
  surveyResponses: amount('members', 'none', 'Survey responses over the run (a member answers each survey at most once).'),
  newcomerRepliedShare: share('higher', 'Share of newcomers\' first posts that got a reply (Burke et al. 2007: ~60%); undefined with no first post.'),
  returnAfterReply: share('higher', 'Share of newcomers whose first post got a reply who posted again within 90 days (Joyce & Kraut 2006: 56%); undefined with none such.'),
  returnWithoutReply: share('higher', 'Share of newcomers whose first post got no reply who posted again within 90 days (Joyce & Kraut 2006: 44%); undefined with none such.'),
  continueAfterToxic: share('higher', 'Share of newcomers (not troll-prone, who posted in their first 14 days) targeted by a toxic reply in those days who were still visiting at day 30; undefined when nobody was targeted.'),
  continueWithoutToxic: share('higher', 'Share of newcomers (not troll-prone, who posted in their first 14 days) not targeted by a toxic reply in those days who were still visiting at day 30 (Smirnov et al. 2023: ~1.8x more likely to continue than the targeted); undefined with none such.'),
  readsPerToxicPost: amount('reads per item', 'none', 'Mean reads of a toxic item (Beknazar-Yuzbashev et al. 2022: toxic content draws attention); undefined with no toxic item.'),
  readsPerCalmPost: amount('reads per item', 'none', 'Mean reads of a non-toxic item; undefined with none.'),
  repliesPerToxicPost: amount('replies per post', 'none', 'Mean replies to a toxic thread-starting post; undefined with none.'),
  repliesPerCalmPost: amount('replies per post', 'none', 'Mean replies to a non-toxic thread-starting post; undefined with none.'),
  toxicShareNonTrolls: share('lower', 'Toxic share of items by members who are not troll-prone (contagion shows here); undefined with no such item.'),
  managerHoursUsed: amount('hours/day', 'none', 'Mean manager hours used per day.'),
  hoursAnswering: amount('hours/day', 'none', 'Mean manager hours a day spent answering (the daily column of the same name).'),
  hoursWelcoming: amount('hours/day', 'none', 'Mean manager hours a day spent welcoming newcomers.'),
  hoursModeration: amount('hours/day', 'none', 'Mean manager hours a day spent moderating.'),
  hoursRubrics: amount('hours/day', 'none', 'Mean manager hours a day spent on rubrics.'),
  hoursExperts: amount('hours/day', 'none', 'Mean manager hours a day spent inviting experts.'),
  hoursContests: amount('hours/day', 'none', 'Mean manager hours a day spent on contests.'),
  hoursEvents: amount('hours/day', 'none', 'Mean manager hours a day spent on events.'),
  hoursLeader: amount('hours/day', 'none', 'Mean manager hours a day spent on the personal profile.'),
  hoursAcquisition: amount('hours/day', 'none', 'Mean manager hours a day spent on acquisition.'),
  hoursValues: amount('hours/day', 'none', 'Mean manager hours a day spent holding the values stance.'),
  lastPostDay: level('day', 'higher', [0, Infinity], 'Last day anyone posted or replied.'),
  dead: share('lower', 'A community is dead (1) when nobody posted or replied in its last 14 days (Kraut & Fiore 2014), else 0; its mean over runs is the share of dead communities.'),
} as const satisfies Record<string, MetricDef>;

export type SummaryMetric = keyof typeof SUMMARY_METRICS;
export const SUMMARY_METRIC_NAMES = Object.keys(SUMMARY_METRICS) as SummaryMetric[];
/** The summary's hours by activity (`hoursAnswering`, ...), which add up to `managerHoursUsed`. */
export const HOURS_METRICS = SUMMARY_METRIC_NAMES.filter((m) => /^hours[A-Z]/.test(m));
/** A run's summary (NaN where undefined). */
export type RunSummary = Record<SummaryMetric, number>;

/** The definition of a daily metric, undefined for an unknown name. */
export function dailyMetric(name: string): MetricDef | undefined {
  return Object.hasOwn(DAILY_METRICS, name) ? DAILY_METRICS[name as DailyMetric] : undefined;
}

/** The definition of a summary metric, undefined for an unknown name. */
export function summaryMetric(name: string): MetricDef | undefined {
  return Object.hasOwn(SUMMARY_METRICS, name) ? SUMMARY_METRICS[name as SummaryMetric] : undefined;
}

/**
 * An interval [low, high] of a metric's mean clipped to the values the metric can take (a share
 * stays in [0, 1], a count at or above 0). A t interval is symmetric by construction and spills
 * out of the range when few runs sit near a bound; the clipped bound is the honest one. For a
 * difference of two means pass `difference: true`: its range is [low - high, high - low].
 */
export function clipInterval(def: MetricDef | undefined, low: number, high: number, difference = false): [number, number] {
  if (!def) return [low, high];
  const [lo, hi] = def.range;
  const min = difference ? lo - hi : lo;
  const max = difference ? hi - lo : hi;
  const clip = (v: number) => (Number.isNaN(v) ? v : Math.min(max, Math.max(min, v)));
  return [clip(low), clip(high)];
}

/** Weekly cohort retention: `share[c][a]` is the share of cohort c (joined in week c) active in week c + a. */
export interface CohortTable {
  /** Newcomers per join week (weeks counted from day 1). */
  sizes: number[];
  /** Share of each cohort that visited in each week since joining, in [0, 1]; rows are ragged (only observed weeks). */
  share: number[][];
}

/**
 * The cells of a cohort table from one calendar week on (cell `[c][a]` is in week c + a): what a
 * reader holding the table up to that week needs to catch up. Row c's cells start at `from[c]`.
 */
export interface CohortCells {
  sizes: number[];
  from: number[];
  cells: number[][];
}

/** Graph metrics computed on a cadence (`metrics.graphEvery`), on a sample when the graph is large. */
export interface GraphSample {
  day: number;
  nodes: number;
  edges: number;
  sampled: boolean;
  density: number;
  clustering: number;
  modularity: number;
  kCoreMax: number;
  kCoreSize: number;
  components: number;
}

/** An event worth telling: a schedule change, a shock, a flame war, a wave of departures. */
export interface SimEvent {
  day: number;
  kind: 'schedule' | 'shock' | 'flame-war' | 'exodus' | 'ban-wave' | 'milestone' | 'lever';
  text: string;
}

/** The whole result of a run, as `community-sim run` prints it. */
export interface RunResult {
  scenario: unknown;
  seed: number;
  version: string;
  series: DailyRow[];
  summary: RunSummary;
  cohorts: CohortTable;
  graph: GraphSample[];
  events: SimEvent[];
}
