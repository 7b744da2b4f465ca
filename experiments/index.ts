/**
 * The batch-experiment library: comparisons with paired confidence intervals, parameter sweeps
 * and sensitivity analyses, run in worker threads (or any Executor) and streamed to tidy CSV.
 * Each of `compare`, `sweep` and `sensitivity` returns a Batch: iterate it for runs as they
 * finish, await `.result` for the final table. See the README's experiments section.
 */
export { compare } from './compare.js';
export type { Arm, CompareOptions, CompareRow, CompareResult } from './compare.js';
export { sweep, sweepPlan, experimentPlan, pointScenario } from './sweep.js';
export type { ExperimentArg } from './sweep.js';
export { sensitivity, sensitivityCsv, morrisIndices, sobolIndices, sobolCheck } from './sensitivity.js';
export type { SensitivityOptions, SensitivityResult, MorrisIndex, SobolIndex, SobolCheck, BootstrapOptions } from './sensitivity.js';
export { Batch, runDesign, eachRunsRow, NULL_TOKEN, SERIES_FORMS } from './runner.js';
export type { DesignPlan, RunnerOptions, RunRecord, RunFailure, SummaryRow, DesignResult, RunsRow, SeriesForm } from './runner.js';
export { measureRun, probeColumns, ReporterSchema, StopSchema } from './reporters.js';
export type { Probes, Reporter, StopCondition, Measured } from './reporters.js';
export { ExperimentSchema, DEFAULT_METRICS, resolveExperiment, loadExperiment, experimentJsonSchema, experimentProbes } from './schema.js';
export type { Experiment, ExperimentInput, ResolvedExperiment } from './schema.js';
export { designPoints, morrisDesign, saltelliDesign, latinColumn, scaleUnit } from './design.js';
export type { Factor, RangeFactor, Design, MorrisDesign } from './design.js';
export { nsga2, objectiveIntervals } from './nsga2.js';
export type { Nsga2Options, Nsga2Variable, Nsga2Request, Nsga2Sample, Nsga2Candidate, Nsga2Result, Nsga2Progress } from './nsga2.js';
export { optimise, resolveOptimisation, loadOptimisation, OptimiseSchema, frontCsv, HOURS_METRICS } from './optimise.js';
export type { OptimiseSpec, ResolvedOptimisation, OptimiseOptions, OptimiseResult, Strategy } from './optimise.js';
export { WorkerPool } from './pool.js';
export type { PoolOptions } from './pool.js';
export { InlineExecutor, executeJob } from './executor.js';
export type { Executor, RunJob, RunOutput, RunOutcome } from './executor.js';
export { mean, sd, tQuantile, tCdf, meanInterval, pairedDifference, relativeChange } from './stats.js';
export type { Interval, PairedDifference } from './stats.js';
export { observeFile } from './observe-file.js';
export { observeLines, tiesEdgeList, parseTimestamp, LOG_FIELDS, EVENT_KINDS } from './observe.js';
export type { ObserveOptions, ObservedLog, ObservedRow, ObservedTies, BadRow, LogField, LogFormat, ObservePeriod, EventKind } from './observe.js';
export { abcSmc, marginal, weightedQuantile, effectiveSampleSize, proposalSeed, AbcOptionError } from './abc-smc.js';
export type { AbcOptions, AbcPrior, AbcProposal, AbcOutcome, AbcGeneration, AbcResult } from './abc-smc.js';
export { fitObserved, resolveFit, parseObservedCsv, simulatedPeriods, fitDistance, fitLowerBound, firstDays, posteriorCsv, fitCsv, fitManifest, predictiveBands, forecastBands, forecastCsv, readFitDir, FitSpecSchema, FIT_COLUMNS, DEFAULT_FIT_PARAMS } from './fit.js';
export type { ObservedSeries, FitTarget, FitSpec, ResolvedFit, FitOptions, FitBand, FitResult, PredictiveInput } from './fit.js';
export { generationsJson, readGenerations } from './fit-resume.js';
export { fitReportHtml, correlation, coverage } from './fit-report.js';
