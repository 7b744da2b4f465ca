/**
 * Names and meanings of what a run measures (MODEL.md "What is measured"). The collector writes
 * the daily metrics into preallocated columns named here; the summary is computed once at the end.
 * These names are a contract: the CLI's JSON and CSV, the experiments' tables and the browser read them.
 */

/** Daily metrics, one column each, in output order, with what each one means. */
export const DAILY_METRICS = {
  day: 'Day of the run (0 is the starting state).',
  members: 'Members at the end of the day (not churned, not banned).',
  active: 'Members who visited today (daily active).',
  activeWeek: 'Members who visited in the last 7 days (weekly active).',
  activeMonth: 'Members who visited in the last 30 days (monthly active).',
  joins: 'Newcomers who joined today (all channels).',
  referrals: 'Newcomers who joined today through a member\'s referral.',
  churned: 'Members who left today (including silent leaving after long absence).',
  banned: 'Members banned today.',
  posts: 'Thread-starting posts today (questions, discussions, rubric, expert and contest posts).',
  replies: 'Replies today.',
  reactions: 'Reactions (likes) today.',
  toxicPosts: 'Toxic posts and replies created today.',
  removedPosts: 'Items removed by moderation today (toxic and wrongly removed).',
  falsePositives: 'Legitimate items removed by mistake today.',
  toxicShare: 'Share of today\'s posts and replies that are toxic, in [0, 1].',
  toxicSeenShare: 'Share of the items read today that were toxic, in [0, 1].',
  exposure: 'Mean recent toxicity exposure of today\'s visitors, in [0, 1].',
  trollsActive: 'Troll-prone members among today\'s visitors.',
  questions: 'Questions asked today.',
  answered: 'Questions answered today (by anyone).',
  answeredShare: 'Share of questions closed today that got an answer (the rest expired unanswered), in [0, 1].',
  medianResponseHours: 'Median hours from a question to its first answer, over questions answered today (NaN-free: 0 when none).',
  backlog: 'Open questions waiting at the end of the day.',
  meanSatisfaction: 'Mean satisfaction of members, in [0, 1].',
  newcomers: 'Members at the newcomer stage.',
  regulars: 'Members at the regular stage.',
  coreSize: 'Members at the core or advocate stage.',
  advocates: 'Members at the advocate stage.',
  ties: 'Ties between current members (undirected).',
  managerHours: 'The manager\'s capacity today, in hours.',
  managerHoursUsed: 'Hours the manager spent today (answers, moderation, rubrics, events, outreach).',
  // where the hours went: the ten hours* columns add up to managerHoursUsed
  hoursAnswering: 'Manager hours spent today answering questions, direct messages and correcting misinformation.',
  hoursWelcoming: 'Manager hours spent today replying to newcomers\' first posts.',
  hoursModeration: 'Manager hours spent today reviewing reported and proactively checked items.',
  hoursRubrics: 'Manager hours spent today preparing rubric posts and coordinating member hosts.',
  hoursExperts: 'Manager hours spent today inviting experts.',
  hoursContests: 'Manager hours spent today starting and judging contests.',
  hoursEvents: 'Manager hours spent today preparing and holding events.',
  hoursLeader: 'Manager hours spent today keeping a personal profile alive.',
  hoursAcquisition: 'Manager hours spent today running ad campaigns and handing out referral rewards.',
  hoursValues: 'Manager hours spent today holding the values stance in disputes.',
} as const;

export type DailyMetric = keyof typeof DAILY_METRICS;
export const DAILY_METRIC_NAMES = Object.keys(DAILY_METRICS) as DailyMetric[];

/** One day of the series, as printed by `community-sim run`. */
export type DailyRow = Record<DailyMetric, number>;

/** Summary metrics of a run, with what each one means. */
export const SUMMARY_METRICS = {
  finalMembers: 'Members on the last day.',
  peakMembers: 'Most members on any day.',
  growthRate: 'Compound growth per 30 days: (final / initial)^(30 / days) - 1 (initial counted as at least 1).',
  meanToxicShare: 'Toxic posts and replies over all posts and replies of the run, in [0, 1].',
  meanActive: 'Mean daily active members.',
  retentionD7: 'Share of newcomers (joined during the run, at least 7 days before its end) who visited in the 7 days up to day 7 after joining.',
  retentionD30: 'Same at day 30.',
  retentionD90: 'Same at day 90.',
  postsGini: 'Gini coefficient of posts and replies per member over everyone who was ever a member.',
  top1PctShare: 'Share of all posts and replies made by the most active 1% of members.',
  top10PctShare: 'Share made by the most active 10%.',
  lurkerShare: 'Share of everyone who was ever a member who never posted nor replied.',
  answeredShare: 'Share of all questions that got an answer.',
  medianResponseHours: 'Median hours to the first answer over all answered questions.',
  totalJoins: 'Newcomers over the run.',
  totalChurned: 'Members who left over the run.',
  totalBanned: 'Members banned over the run.',
  newcomerRepliedShare: 'Share of newcomers\' first posts that got a reply (Burke et al. 2007: ~60%).',
  returnAfterReply: 'Share of newcomers whose first post got a reply who posted again within 90 days (Joyce & Kraut 2006: 56%).',
  returnWithoutReply: 'Same for newcomers whose first post got no reply (Joyce & Kraut 2006: 44%).',
  continueAfterToxic: 'Share of newcomers (not troll-prone, who posted in their first 14 days) targeted by a toxic reply in those days who were still visiting at day 30.',
  continueWithoutToxic: 'Same for newcomers not targeted (Smirnov et al. 2023: ~1.8x more likely to continue).',
  readsPerToxicPost: 'Mean reads of a toxic item (Beknazar-Yuzbashev et al. 2022: toxic content draws attention).',
  readsPerCalmPost: 'Mean reads of a non-toxic item.',
  repliesPerToxicPost: 'Mean replies to a toxic thread-starting post.',
  repliesPerCalmPost: 'Mean replies to a non-toxic thread-starting post.',
  toxicShareNonTrolls: 'Toxic share of items by members who are not troll-prone (contagion shows here).',
  managerHoursUsed: 'Mean manager hours used per day.',
  hoursAnswering: 'Mean manager hours a day spent answering (the daily column of the same name).',
  hoursWelcoming: 'Mean manager hours a day spent welcoming newcomers.',
  hoursModeration: 'Mean manager hours a day spent moderating.',
  hoursRubrics: 'Mean manager hours a day spent on rubrics.',
  hoursExperts: 'Mean manager hours a day spent inviting experts.',
  hoursContests: 'Mean manager hours a day spent on contests.',
  hoursEvents: 'Mean manager hours a day spent on events.',
  hoursLeader: 'Mean manager hours a day spent on the personal profile.',
  hoursAcquisition: 'Mean manager hours a day spent on acquisition.',
  hoursValues: 'Mean manager hours a day spent holding the values stance.',
  lastPostDay: 'Last day anyone posted or replied.',
  dead: 'A community is dead (1) when nobody posted or replied in its last 14 days (Kraut & Fiore 2014), else 0.',
} as const;

export type SummaryMetric = keyof typeof SUMMARY_METRICS;
export const SUMMARY_METRIC_NAMES = Object.keys(SUMMARY_METRICS) as SummaryMetric[];
export type RunSummary = Record<SummaryMetric, number>;

/** Weekly cohort retention: `share[c][a]` is the share of cohort c (joined in week c) active in week c + a. */
export interface CohortTable {
  /** Newcomers per join week (weeks counted from day 1). */
  sizes: number[];
  /** Share of each cohort that visited in each week since joining, in [0, 1]; rows are ragged (only observed weeks). */
  share: number[][];
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
  kind: 'schedule' | 'shock' | 'flame-war' | 'exodus' | 'ban-wave' | 'milestone';
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
