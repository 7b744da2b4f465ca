/**
 * Redis names of a distributed sweep. Each sweep has its own namespace (a hash of the
 * experiment's hash and its output directory), so sweeps never share jobs and a resumed
 * submitter finds its queue again; workers learn the live namespaces from one registry set.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';

/** Prefix of every key community-sim writes (BullMQ's `prefix` option included). */
export const PREFIX = 'community-sim';
/** The set of live sweep namespaces that workers watch. */
export const REGISTRY = `${PREFIX}:sweeps`;
/**
 * Channel on which a submitter announces a sweep it has just registered, so that idle workers
 * join at once instead of at their next look at the registry (the look stays, as the fallback
 * when a message is missed or Pub/Sub is not allowed).
 */
export const ANNOUNCE = `${PREFIX}:sweeps:announce`;
/** The flow's parent job id in the sweep's parent queue. */
export const PARENT_ID = 'sweep';

/** A namespace: `s` and 16 hex digits (validated on the worker side). */
export const NAMESPACE = /^s[0-9a-f]{16}$/;

/** The namespace of a design run into an output directory. */
export function namespaceOf(hash: string, out: string): string {
  return `s${createHash('sha256').update(`${hash}\0${resolve(out)}`).digest('hex').slice(0, 16)}`;
}

/** The names of one sweep's queues and data keys. */
export function sweepNames(ns: string) {
  return {
    /** Queue of the runs (the flow's children). */
    runs: `runs-${ns}`,
    /** Queue of the flow's parent, processed by the submitter once every run has finished. */
    parent: `done-${ns}`,
    /** Queue of the placeholder child that holds the parent open while the runs are added. */
    hold: `hold-${ns}`,
    /** Hash: design point -> validated scenario JSON (jobs refer to it by point). */
    scenarios: `${PREFIX}:data-${ns}:scenarios`,
    /** Hash: run key -> daily series JSON (results refer to it by key). */
    series: `${PREFIX}:data-${ns}:series`,
    /** String: the lease of the submitter collecting the sweep (lock.ts). */
    lease: `${PREFIX}:data-${ns}:submitter`,
  };
}

/** The BullMQ job id of a run key (`12:3` -> `run-12-3`: BullMQ ids cannot contain `:`). */
export const jobIdOf = (key: string) => `run-${key.replace(':', '-')}`;

/** The run key of a BullMQ job id or job key (`...:run-12-3` -> `12:3`), or null. */
export function keyOfJobId(id: string): string | null {
  const m = /(?:^|:)run-(\d+)-(\d+)$/.exec(id);
  return m ? `${m[1]}:${m[2]}` : null;
}
