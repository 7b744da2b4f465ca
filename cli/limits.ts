/**
 * `--max-members` and `--max-memory`: what a command's runs may hold on this machine. Checked
 * before anything runs or is written (a run whose starting members need more is refused, exit 2,
 * with the estimate: engine/cost.ts) and enforced while runs go on (a community that outgrows the
 * limit stops with a GrowthLimitError naming the day, never an allocation failure). The default
 * memory is half of this machine's, shared by the runs going on at once (one per worker thread).
 */
import { totalmem } from 'node:os';
import { Option, type Command } from 'commander';
import { RunCostError, bytesPerMember, checkRunCost, describeArrivals, formatBytes, memberLimit, formatSeconds, type Cost, type RunLimits } from '../engine/index.js';
import { InputError } from '../experiments/io/input-error.js';
import type { Scenario } from '../scenarios/schema.js';

export interface LimitFlags {
  maxMembers?: string;
  maxMemory?: string;
}

/** The share of this machine's memory a command's runs may hold without --max-memory. */
const DEFAULT_SHARE = 0.5;

/** Adds --max-members and --max-memory to a command. */
export function limitOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--max-members <n>', 'members one run may hold (every member who ever joins); a run that would hold more is refused or stopped (default: what --max-memory holds)'))
    .addOption(new Option('--max-memory <size>', `memory the runs going on at once may hold, e.g. 8GB or 512MB (default: half of this machine's ${formatBytes(totalmem())})`));
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** "8GB", "512 MB", "1.5g", "2GiB" or a number of bytes. */
export function parseSize(flag: string, raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  const bytes = m && unit ? Number(m[1]) * unit : NaN;
  if (!(bytes >= 1e6 && Number.isFinite(bytes))) throw new InputError([{ path: flag, message: `expected a size of at least 1MB such as 8GB, 512MB or 2GiB, got ${JSON.stringify(raw)}` }]);
  return bytes;
}

/** The limits of one run when `parallel` runs go on at once. */
export function runLimits(flags: LimitFlags, parallel: number): RunLimits & { explicit: boolean; total: number; maxMemory?: string } {
  let maxMembers: number | undefined;
  if (flags.maxMembers !== undefined) {
    maxMembers = Number(flags.maxMembers);
    if (!Number.isInteger(maxMembers) || maxMembers < 1) throw new InputError([{ path: '--max-members', message: `expected an integer >= 1, got ${JSON.stringify(flags.maxMembers)}` }]);
  }
  const total = flags.maxMemory === undefined ? totalmem() * DEFAULT_SHARE : parseSize('--max-memory', flags.maxMemory);
  return { maxMembers, maxBytes: total / Math.max(1, parallel), explicit: flags.maxMembers !== undefined || flags.maxMemory !== undefined, total, maxMemory: flags.maxMemory };
}

/**
 * Refuses a run whose estimated members (engine/cost.ts runCost: the start and what its arrivals,
 * ads and shocks may bring) exceed what its limits hold, exit 2 with the estimate, the fields that
 * bring the members and the flag that allows more; else its cost. `where` names the scenario (an
 * arm, a design point); `graphNodes` when it starts from a file.
 */
export function checkCost(scenario: Scenario, limits: ReturnType<typeof runLimits>, parallel: number, where = '', graphNodes?: number): Cost {
  const limit = memberLimit(scenario, limits);
  let cost: Cost;
  try {
    // the library's refusal; this adds the flags that set the limit
    cost = checkRunCost(scenario, limit, graphNodes);
  } catch (e) {
    if (!(e instanceof RunCostError)) throw e;
    cost = e.cost;
  }
  if (cost.maxMembers <= limit) return cost;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const degree = 'meanDegree' in scenario.population.graph ? `, mean degree ${scenario.population.graph.meanDegree}` : '';
  const byMembers = limits.maxMembers !== undefined && limits.maxMembers === limit;
  const memory = limits.explicit && limits.maxMemory !== undefined ? `--max-memory ${formatBytes(limits.total)}` : `half of this machine's ${formatBytes(limits.total * 2)}; --max-memory`;
  const allowed = byMembers
    ? `--max-members ${n(limits.maxMembers!)}`
    : `${formatBytes(limits.maxBytes!)} a run (${memory}${parallel > 1 ? `, shared by ${parallel} runs at once` : ''}), about ${n(limit)} members`;
  const atStart = cost.members > limit;
  // an estimate past the start counts arrivals as if nobody left: said as "up to"
  const what = atStart
    ? `${n(cost.members)} members at the start need about ${formatBytes(cost.members * bytesPerMember(scenario))}`
    : `up to ${n(cost.maxMembers)} members by day ${scenario.days} (${describeArrivals(cost)}) need about ${formatBytes(cost.bytes)}`;
  const path = where ? `${where}: population` : 'population';
  throw new InputError([{
    path,
    message:
      `${what} (${Math.round(bytesPerMember(scenario))} bytes a member${degree}) and ${cost.seconds < 1 ? 'under a second' : `about ${formatSeconds(cost.seconds)}`} at full speed; ` +
      `this machine allows ${allowed}: ${atStart ? 'start smaller' : 'lower the arrivals or the days'}, or raise ${byMembers ? '--max-members' : `--max-memory${parallel > 1 ? ' (or use fewer --workers)' : ''}`} if it has the memory`,
  }]);
}
