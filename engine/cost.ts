/**
 * What a run will cost before it is built, and the member limit a run stops at. Rough on purpose
 * (churn and referrals cannot be known in advance) but of the right order, so a scenario that
 * asks for millions of members is refused or confirmed before it takes a minute and gigabytes,
 * and a community that grows without bound (referrals at the schema's top settings multiply it
 * 4.4-fold every 10 days) stops with a message naming the cause instead of an allocation error.
 *
 * The constants are measurements on the project's 2-core machine (bench/RESULTS.md, the
 * visualizer review of issue 12): a 10,000,000-member link took 4.3 GB in the tab, i.e. about
 * 430 bytes a member with 6 ties each, of which the ties structure holds 25-73 bytes a tie; a
 * year of 10,000 members took 8.4 s in the CLI and 50,000 members 23.7 s under load, about
 * 1.3-2.3 microseconds a member-day.
 */
import type { Scenario } from '../scenarios/schema.js';
import { marketOf } from './agents/arrivals.js';
import { boughtPerDay } from './policies/acquisition.js';

/** Bytes a member holds besides its ties (typed-array state, feed share, page copies). */
export const BYTES_PER_MEMBER = 250;
/** Bytes an undirected tie holds in the engine's tie structure, as grown (RESULTS.md: 68.7). */
export const BYTES_PER_TIE = 70;
/** Seconds of engine time a member-day at full speed on a loaded 2-core machine. */
export const SECONDS_PER_MEMBER_DAY = 2e-6;
/**
 * Seconds a newcomer costs besides its member-days: its admission (traits, ties to yesterday's
 * visitors) and its first day, on which every newcomer visits. Measured on the 2-core machine
 * under a load of 14: 935,000 organic newcomers in one day took 18 s (19 microseconds each), a
 * viral wave of 332,000 a day 6 microseconds each; the larger figure, as a wave that size is
 * what this estimate is for.
 */
export const SECONDS_PER_ARRIVAL = 1.5e-5;

/** Where a run's members may come from, for the estimate: a scenario field and how many it may bring. */
export interface Arrivals {
  path: string;
  members: number;
}

export interface Cost {
  /** Members at the start (a graph file's nodes when it gives them). */
  members: number;
  /**
   * Members by the end if nobody left: the start, organic arrivals at population.organicPerDay
   * a day within the audience not yet on the rolls (the engine admits nobody from the market
   * past it), bought newcomers, raiders and viral newcomers. An estimate, not a bound: activity
   * above population.discovery.referenceVisible and referrals bring more, up to the audience.
   */
  maxMembers: number;
  /** What `maxMembers` adds to the start, by the field that brings it (the largest first; none when nothing arrives). */
  arrivals: Arrivals[];
  /** Memory at `maxMembers`. */
  bytes: number;
  /** Engine time: the burn-in and the days at the mean of the start and `maxMembers`, and each newcomer's admission. */
  seconds: number;
}

/** Bytes a member costs in `s`, its ties included (mean degree of the initial graph). */
export function bytesPerMember(s: Scenario): number {
  const degree = 'meanDegree' in s.population.graph ? s.population.graph.meanDegree : 6;
  return BYTES_PER_MEMBER + (BYTES_PER_TIE * degree) / 2;
}

/** The cost of `s`; `graphNodes` when the run starts from a graph file. */
export function runCost(s: Scenario, graphNodes?: number): Cost {
  const pop = s.population;
  const members = graphNodes ?? pop.initialMembers;
  const arrivals: Arrivals[] = [];
  const market = Math.min(pop.organicPerDay * s.days, Math.max(0, marketOf(pop, members) - members));
  if (market >= 1) arrivals.push({ path: 'population.organicPerDay', members: Math.round(market) });
  const ads = s.policies.acquisition.adsPerDay;
  if (ads > 0) arrivals.push({ path: 'policies.acquisition.adsPerDay', members: Math.round(boughtPerDay(ads, s.policies.acquisition.adsSaturation) * s.days) });
  s.shocks.forEach((k, i) => {
    // a shock on a day past the run never happens; a wave's days past the run bring nobody
    if (k.day > s.days) return;
    if (k.type === 'troll-raid') arrivals.push({ path: `shocks[${i}].size`, members: k.size });
    else if (k.type === 'viral-spike') {
      const days = Math.min(k.durationDays, s.days - k.day + 1);
      arrivals.push({ path: `shocks[${i}].newcomers`, members: days >= k.durationDays ? k.newcomers : Math.ceil((k.newcomers * days) / k.durationDays) });
    }
  });
  arrivals.sort((a, b) => b.members - a.members);
  const grown = arrivals.reduce((n, a) => n + a.members, 0);
  const maxMembers = members + grown;
  const bytes = maxMembers * bytesPerMember(s);
  const seconds = (members * pop.burnInDays + ((members + maxMembers) / 2) * s.days) * SECONDS_PER_MEMBER_DAY + grown * SECONDS_PER_ARRIVAL;
  return { members, maxMembers, arrivals: arrivals.filter((a) => a.members > 0), bytes, seconds };
}

/** "20 at the start, 999,980 from population.organicPerDay, 10,000,000 from shocks[0].newcomers": where a cost's members come from. */
export function describeArrivals(c: Cost): string {
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return [`${n(c.members)} at the start`, ...c.arrivals.map((a) => `${n(a.members)} from ${a.path}${a.path === 'population.organicPerDay' ? ' within population.audience' : ''}`)].join(', ');
}

/**
 * A run whose estimated members (runCost's `maxMembers`) exceed what it may hold, refused
 * before it is built (checkRunCost). The CLI names its flags for the limit; the library names
 * the scenario's fields.
 */
export class RunCostError extends Error {
  constructor(
    readonly cost: Cost,
    /** The member limit. */
    readonly limit: number,
    readonly days: number,
  ) {
    super(
      cost.members > limit
        ? `${cost.members.toLocaleString('en-US')} members at the start exceed the limit of ${limit.toLocaleString('en-US')} members`
        : `up to ${Math.round(cost.maxMembers).toLocaleString('en-US')} members by day ${days} (${describeArrivals(cost)}) exceed the limit of ${limit.toLocaleString('en-US')} members; lower the arrivals or the days`,
    );
    this.name = 'RunCostError';
  }
}

/**
 * Refuses, before anything is built, a run of `s` whose estimate exceeds `limit` members
 * (memberLimit gives it from a byte budget): a RunCostError with the estimate and the fields
 * that bring the members. A run that passes is still stopped by the limit while it goes
 * (SimulationOptions.maxMembers) if it grows past the estimate.
 */
export function checkRunCost(s: Scenario, limit: number, graphNodes?: number): Cost {
  const cost = runCost(s, graphNodes);
  if (cost.maxMembers > limit) throw new RunCostError(cost, limit, s.days);
  return cost;
}

/** Members `bytes` of memory hold in `s`: the limit a run given that memory stops at. */
export function membersWithin(bytes: number, s: Scenario): number {
  return Math.max(1, Math.floor(bytes / bytesPerMember(s)));
}

/** What a run may hold: members (every one who ever joins) and bytes; either may be absent. */
export interface RunLimits {
  maxMembers?: number;
  maxBytes?: number;
}

/** The member limit `limits` give a run of `s` (Infinity without limits). */
export function memberLimit(s: Scenario, limits: RunLimits = {}): number {
  return Math.min(limits.maxMembers ?? Infinity, limits.maxBytes === undefined ? Infinity : membersWithin(limits.maxBytes, s));
}

export const formatBytes = (b: number): string => (b >= 1e9 ? `${(b / 1e9).toFixed(1)} GB` : `${Math.max(1, Math.round(b / 1e6))} MB`);
export const formatSeconds = (s: number): string => (s >= 5400 ? `${(s / 3600).toFixed(1)} hours` : s >= 90 ? `${Math.round(s / 60)} minutes` : s >= 1 ? `${Math.round(s)} s` : 'under a second');

/**
 * A run that would hold more members than its limit (`SimulationOptions.maxMembers`). Members
 * keep their records after leaving (ids are never reused), so the limit counts every member who
 * ever joined, the burn-in's newcomers included.
 */
export class GrowthLimitError extends Error {
  constructor(
    /** The limit. */
    readonly limit: number,
    /** The day the limit was reached (negative in the burn-in). */
    readonly day: number,
    /** Members present at the start of that day. */
    readonly present: number,
  ) {
    super(
      `the community grew past the limit of ${limit.toLocaleString('en-US')} members on day ${day} ` +
        `(${present.toLocaleString('en-US')} present; every member who ever joined keeps a record): ` +
        'its arrivals (population.organicPerDay, behaviour.referralRate, policies.acquisition, shocks) outgrow what this run may hold. ' +
        'Lower them or the days, or allow more members if the machine has the memory',
    );
    this.name = 'GrowthLimitError';
  }
}
