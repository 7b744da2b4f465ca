/**
 * The distributed executor's public API (`community-sim/experiments/queue`): submit a design to
 * Redis with a QueueExecutor passed as the `executor` option of compare/sweep/sensitivity, and
 * run the jobs with QueueWorker (what `community-sim worker` runs). Kept apart from
 * `community-sim/experiments` so that BullMQ loads only when a queue is used.
 */
export { QueueExecutor } from './executor.js';
export type { QueueExecutorOptions, QueueProgress } from './executor.js';
export { QueueWorker, serveUntilSignal } from './worker.js';
export type { QueueWorkerOptions } from './worker.js';
export { parseQueueUrl, redactUrl } from './connection.js';
