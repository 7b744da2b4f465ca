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

/** Bytes a member holds besides its ties (typed-array state, feed share, page copies). */
export const BYTES_PER_MEMBER = 250;
/** Bytes an undirected tie holds in the engine's tie structure, as grown (RESULTS.md: 68.7). */
export const BYTES_PER_TIE = 70;
/** Seconds of engine time a member-day at full speed on a loaded 2-core machine. */
export const SECONDS_PER_MEMBER_DAY = 2e-6;

export interface Cost {
  /** Members at the start (a graph file's nodes when it gives them). */
  members: number;
  /** Members by the end if nobody left: arrivals at the organic rate (within the audience), raiders and viral newcomers. */
  maxMembers: number;
  /** Memory at `maxMembers`. */
  bytes: number;
  seconds: number;
}

/** Bytes a member costs in `s`, its ties included (mean degree of the initial graph). */
export function bytesPerMember(s: Scenario): number {
  const degree = 'meanDegree' in s.population.graph ? s.population.graph.meanDegree : 6;
  return BYTES_PER_MEMBER + (BYTES_PER_TIE * degree) / 2;
}

/** The cost of `s`; `graphNodes` when the run starts from a graph file. */
export function runCost(s: Scenario, graphNodes?: number): Cost {
  const members = graphNodes ?? s.population.initialMembers;
  let shocks = 0;
  for (const k of s.shocks) if (k.day <= s.days) shocks += k.type === 'troll-raid' ? k.size : k.type === 'viral-spike' ? k.newcomers : 0;
  const maxMembers = Math.max(members, Math.min(members + s.population.organicPerDay * s.days, s.population.audience)) + shocks;
  const bytes = maxMembers * bytesPerMember(s);
  const seconds = ((members + maxMembers) / 2) * s.days * SECONDS_PER_MEMBER_DAY;
  return { members, maxMembers, bytes, seconds };
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
