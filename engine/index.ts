/**
 * community-sim's public library API. Everything a script, the CLI, the experiment runner or the
 * browser worker needs is exported here; anything else is internal and may change.
 *
 * ```ts
 * import { createSimulation, parseScenario } from 'community-sim';
 * const sim = createSimulation(parseScenario({ days: 180 }), { seed: 7 });
 * sim.step(30);                       // thirty days
 * const snap = sim.snapshot();        // resume later, bit-identically
 * const result = sim.run();           // to the end: series, summary, cohorts
 * ```
 */
export {
  ScenarioSchema,
  ScenarioError,
  parseScenario,
  checkScenario,
  withPath,
  getPath,
  objectShape,
  unionOptions,
  formatPath,
  scenarioJsonSchema,
} from '../scenarios/schema.js';
export type { Scenario, ScenarioInput, Shock, FieldIssue, ArchetypeName } from '../scenarios/schema.js';

export { createSimulation, resumeSimulation, runScenario, VERSION } from './simulation.js';
export type { Simulation, SimulationOptions, Snapshot, MemberView, GraphView, TieGraph } from './simulation.js';

export { DAILY_METRICS, DAILY_METRIC_NAMES, SUMMARY_METRICS, SUMMARY_METRIC_NAMES, HOURS_METRICS, dailyMetric, summaryMetric, clipInterval } from './metrics.js';
export type { DailyMetric, DailyRow, SummaryMetric, RunSummary, CohortTable, CohortCells, GraphSample, SimEvent, RunResult, MetricDef, MetricKind, Better } from './metrics.js';

export { GrowthLimitError, RunCostError, checkRunCost, describeArrivals, runCost, membersWithin, memberLimit, bytesPerMember, formatBytes, formatSeconds } from './cost.js';
export type { Arrivals, Cost, RunLimits } from './cost.js';

export { deriveSeed } from './rng.js';
export type { EdgeList } from './graph/ties.js';
export { Stage, Archetype, ARCHETYPE_NAMES, STAGE_NAMES } from './agents/members.js';
export type { ArchetypeCounts } from './collector.js';
