/**
 * The state of one run: members, ties, today's content, the manager, the random streams and
 * the day's tallies. Behaviours (engine/agents/) and policies (engine/policies/) act on it; the
 * tick (engine/tick.ts) only orders them; the collector (engine/collector.ts) reads it.
 */
import type { Scenario } from '../scenarios/schema.js';
import { AnswerDesk, QuestionQueue } from './agents/answers.js';
import { Members } from './agents/members.js';
import { grow } from './grow.js';
import { Feed } from './content/feed.js';
import { Ties } from './graph/ties.js';
import type { SimEvent } from './metrics.js';
import { Streams } from './rng.js';

/** Counts of the current day, reset each morning. */
export class Today {
  joins = 0;
  referrals = 0;
  churned = 0;
  banned = 0;
  visitors = 0;
  posts = 0;
  replies = 0;
  reactions = 0;
  toxic = 0;
  removed = 0;
  falsePositives = 0;
  reads = 0;
  toxicReads = 0;
  questions = 0;
  answered = 0;
  expired = 0;
  trollsActive = 0;
  exposureSum = 0;
  managerHoursUsed = 0;
  /** Distinct members who posted or replied today, and those of them contributing for the first time. */
  contributors = 0;
  newContributors = 0;
  /** Members who decided today to stop coming (they stay on the rolls until their dormancy ends). */
  lapsed = 0;
  /** Mentions and shares of the community outside it today (seeds: citations outside). */
  mentions = 0;
  /** Event attendees today (seen and talked about outside: discovery). */
  attendees = 0;
  /** Members who became customers today, and recommendations of the brand by satisfied customers (engine/agents/business.ts). */
  conversions = 0;
  recommendations = 0;
  /** Today's survey: respondents, promoters (9-10) and detractors (0-6); 0 on a day without one. */
  surveyResponses = 0;
  promoters = 0;
  detractors = 0;
  /** Response times (hours) of questions answered today; `responses` are in use. */
  responseHours = new Float64Array(256);
  responses = 0;

  reset(): void {
    this.joins = this.referrals = this.churned = this.banned = this.visitors = 0;
    this.posts = this.replies = this.reactions = this.toxic = this.removed = this.falsePositives = 0;
    this.reads = this.toxicReads = this.questions = this.answered = this.expired = 0;
    this.trollsActive = this.exposureSum = this.managerHoursUsed = 0;
    this.contributors = this.newContributors = this.lapsed = this.mentions = this.attendees = 0;
    this.responses = 0;
    this.conversions = this.recommendations = this.surveyResponses = this.promoters = this.detractors = 0;
  }

  addResponse(hours: number): void {
    if (this.responses === this.responseHours.length) this.responseHours = grow(this.responseHours);
    this.responseHours[this.responses++] = hours;
  }
}

/** Tallies over the whole run that the summary needs and the daily series does not hold. */
export class Lifetime {
  items = 0;
  toxicItems = 0;
  nonTrollItems = 0;
  nonTrollToxic = 0;
  toxicReads = 0;
  calmReads = 0;
  toxicPosts = 0;
  calmPosts = 0;
  toxicPostReplies = 0;
  calmPostReplies = 0;
  questions = 0;
  answered = 0;
  lastPostDay = 0;
  /** Survey respondents, promoters and detractors over the run (the run's NPS). */
  surveyResponses = 0;
  promoters = 0;
  detractors = 0;
  /** Response hours histogram in quarter hours up to 30 days, for the run's median. */
  responseHist = new Float64Array(4 * 24 * 30 + 1);

  /** Forgets every tally (the burn-in's record is not the run's). */
  reset(): void {
    Object.assign(this, new Lifetime());
  }
}

/**
 * What the manager's hours go to (`ManagerState.spend`). Each activity has a daily column and a
 * summary key `hours` + its name capitalised (`hoursAnswering`, ...), in this order.
 */
export const Activity = {
  Answering: 0,
  Welcoming: 1,
  Moderation: 2,
  Rubrics: 3,
  Experts: 4,
  Contests: 5,
  Events: 6,
  Leader: 7,
  Acquisition: 8,
  Values: 9,
} as const;
export type Activity = (typeof Activity)[keyof typeof Activity];
export const ACTIVITY_NAMES = ['answering', 'welcoming', 'moderation', 'rubrics', 'experts', 'contests', 'events', 'leader', 'acquisition', 'values'] as const;

/** The manager: hours, presence, trust incidents. */
export class ManagerState {
  /** Hours left today. */
  hoursLeft = 0;
  /** Hours spent today. */
  hoursUsed = 0;
  /** Hours spent today by activity (indexed by `Activity`); they add up to `hoursUsed`. */
  readonly hoursBy = new Float64Array(ACTIVITY_NAMES.length);
  /** 0 while the leader is away (leader-leaves shock), 1 otherwise. */
  present = 1;
  /** Extra messages flooding the manager (festival), drained before questions. */
  flood = 0;

  /** Takes up to `hours` from today's capacity for `activity` and returns what was granted. */
  spend(hours: number, activity: Activity): number {
    const granted = Math.max(0, Math.min(hours, this.hoursLeft));
    this.hoursLeft -= granted;
    this.hoursUsed += granted;
    this.hoursBy[activity] += granted;
    return granted;
  }
}

/** Community-wide signals that members respond to, recomputed daily. */
export class Climate {
  /** Fresh content today in [0, 1] (rubrics, expert posts, contests): a reason to visit. */
  fresh = 0;
  /** Quality of today's fresh content in [0, 1]. */
  freshQuality = 0;
  /** Visible enforcement: moving average of the share of toxic items removed, in [0, 1]. */
  enforcement = 0;
  /** Share of advocates among yesterday's visitors: members who push back on toxicity. */
  pushback = 0;
  /** Extra log-odds of visiting today (events, contests, shocks). */
  visitBoost = 0;
  /** Factor on every member's chance of a visit today and on today's organic and referred newcomers (the outside calendar: engine/calendar.ts). */
  visitFactor = 1;
  /** Extra posting multiplier today (contests). */
  postBoost = 1;
  /** Multiplier of newcomers' posting and replying today (visible rules: moderation policy). */
  newcomerPosting = 1;
  /**
   * Toxicity log-odds added to every member's toxic act today: rules clarity and visible
   * enforcement (moderation), contests' competitive friction, raids and outbursts (shocks).
   */
  friction = 0;
  /** Toxicity log-odds per unit of a member's misfit, 1 - alignment (values: conflict x (1 - clarity)). */
  toxicPerMisfit = 0;
  /** Toxicity log-odds per unit of a member's attachment to the leader (leader policy; <= 0). */
  toxicPerLeader = 0;
  /** Satisfaction lost a day by a member aligned below `misfitBelow`, per unit of (misfitBelow - alignment) / misfitBelow (values). */
  misfitCost = 0;
  misfitBelow = 0.4;
  /** Multiplier of the referral rate of satisfied members (acquisition: 1 + referral incentive). */
  referralMultiplier = 1;
  /** Leader attachment gained per visit (times 1 - attachment) and lost per day (times attachment); leader policy. */
  leaderGain = 0;
  leaderDecay = 0;
  /** Share of the manager's comments made from a personal profile, times presence. */
  leaderVisibility = 0;
  /** Share of today's visits that moved offline (events). */
  offline = 0;
  /** What outsiders can find of the community: visible activity averaged over `population.discovery.memoryDays` (engine/agents/arrivals.ts). */
  visible = 0;
  /** Posts and replies yesterday: a quiet community gives little reason (and no notification) to come. */
  lastItems = 0;

  constructor() {
    fractional(this);
  }
}

/**
 * Makes every number field of `o` a double from the start, values unchanged. V8 stores a field
 * that has only held small integers as an integer; the day it first holds a fraction the object
 * changes shape, and every optimised function that read it is thrown away and compiled again (at
 * 10,000 members the first advocate's pushback, on day 124, cost seven recompiles of the tick's
 * hottest functions).
 */
function fractional(o: object): void {
  const fields = o as Record<string, unknown>;
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v !== 'number') continue;
    fields[k] = 0.5;
    fields[k] = v;
  }
}

export class World {
  members: Members;
  ties: Ties;
  readonly feed = new Feed();
  readonly today = new Today();
  readonly lifetime = new Lifetime();
  readonly queue = new QuestionQueue();
  /** Who answers when today (the manager's checks, visiting experts), filled by policies. */
  readonly desk = new AnswerDesk();
  readonly manager = new ManagerState();
  readonly climate = new Climate();
  readonly events: SimEvent[] = [];
  /** Ids of today's visitors (first `today.visitors` entries), reused daily. */
  visitors = new Int32Array(1024);
  /** Ids of yesterday's visitors: newcomers attach to some of them. */
  lastVisitors = new Int32Array(1024);
  lastVisitorCount = 0;
  /** Newcomers the burn-in admits today in place of members who lapsed or left (engine/agents/burn-in.ts). */
  replacements = 0;
  /** Present members at the end of the last day. */
  present = 0;
  initialMembers = 0;
  day = 0;

  constructor(
    public scenario: Scenario,
    readonly seed: number,
    readonly streams: Streams,
    members: Members,
    ties: Ties,
  ) {
    this.members = members;
    this.ties = ties;
  }

  log(kind: SimEvent['kind'], text: string): void {
    this.events.push({ day: this.day, kind, text });
  }

  /** Records today's visitor `id`. */
  addVisitor(id: number): void {
    const n = this.today.visitors;
    if (n === this.visitors.length) this.visitors = grow(this.visitors);
    this.visitors[n] = id;
    this.today.visitors = n + 1;
  }
}
