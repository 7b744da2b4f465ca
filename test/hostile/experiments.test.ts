// Rows 154-191 of the reliability review's "All attempts" (area 3: experiment files and the
// compare, sweep and sensitivity flags), replayed in this process. The few accepted sweeps run
// two or three 3-day runs of 20 members in one worker thread.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect } from 'vitest';
import { loadExperiment } from '../../experiments/schema.js';
import { designPoints } from '../../experiments/design.js';
import { ensureBuilt } from '../cli/run-cli.js';
import { acceptedRow, cli, deepArrays, expectRefused, listing, put, refusedRow, replay, type Row } from './replay.js';

beforeAll(ensureBuilt); // the worker threads load dist/experiments/worker.js

const BASE = { days: 3, population: { initialMembers: 20, burnInDays: 0 } };
const experiment = (more: object) => ({ base: BASE, reps: 1, seed: 1, ...more });
/** `sweep` of an experiment file holding `spec`, into `dir/out`, one thread. */
const sweepOf = (spec: unknown, ...more: string[]) => (dir: string) => ['sweep', put(dir, 'exp.json', spec), '--workers', '1', '--out', join(dir, 'out'), ...more];
const tiny = (dir: string) => put(dir, 'tiny.json', BASE);
const compareOf = (...flags: string[]) => (dir: string) => ['compare', tiny(dir), tiny(dir), '--reps', '2', '--workers', '1', ...flags];

/** Validation alone: the design is what the file asks for (a huge one is legitimate; running it is not a test). */
function designRow(n: number, id: string, what: string, spec: object, points: number, reps: number): Row {
  return {
    n,
    id,
    what,
    test: (dir) => {
      const exp = loadExperiment(put(dir, 'exp.json', spec));
      expect(exp.spec.reps).toBe(reps);
      const factors = exp.spec.factors;
      const sizes = Object.values(factors).map((f) => (Array.isArray(f) ? f.length : (f as { n: number }).n));
      expect(sizes.reduce((a, b) => a * b, 1)).toBe(points);
      if (points <= 1000) expect(designPoints(factors, exp.spec.seed).points).toHaveLength(points);
    },
  };
}

const rows: Row[] = [
  refusedRow(154, 'e-bad1', 'reps 0, empty range, unknown factor path: all three reported', sweepOf(experiment({ reps: 0, factors: { 'policies.rubrics.perWeek': { min: 3, max: 3, n: 2 }, 'policies.nope': [1] } })), 'reps: expected an integer in [1, 1000000], got 0', 3),
  refusedRow(155, 'e-bad2', 'unknown base preset', sweepOf(experiment({ base: 'nope-preset', factors: { 'policies.moderation.strictness': [0, 1] } })), 'base: unknown preset "nope-preset"'),
  refusedRow(156, 'e-bad3', 'factor on seed', sweepOf(experiment({ factors: { seed: [1, 2] } })), 'factors.seed: expected a scenario field other than seed'),
  {
    n: 157,
    id: 'e-bad4',
    what: 'range min -1e308 max 1e308: exit 2 naming the factor, not "got null"',
    test: async (dir) => {
      const o = await cli(...sweepOf(experiment({ factors: { 'policies.moderation.strictness': { min: -1e308, max: 1e308, n: 3 } } }))(dir));
      expectRefused(o, 'factors.policies.moderation.strictness');
      expect(o.stderr).not.toContain('got null');
    },
  },
  refusedRow(158, 'e-bad-inline', 'inline base with typo', sweepOf(experiment({ base: { polices: {} }, factors: { 'policies.moderation.strictness': [0, 1] } })), 'base: polices: unknown field'),
  refusedRow(159, 'e-bad-metric', 'unknown metric', sweepOf(experiment({ metrics: ['bogus'], factors: { 'policies.moderation.strictness': [0, 1] } })), 'metrics[0]: expected one of'),
  refusedRow(160, 'e-base-passwd', 'base "/etc/passwd"', sweepOf(experiment({ base: '/etc/passwd', factors: { 'policies.moderation.strictness': [0, 1] } })), /^base: \/etc\/passwd: not valid JSON at line 1 column 1: expected a value \(an object, list, string, number, true, false or null\)$/),
  refusedRow(161, 'e-empty-list', 'empty list factor', sweepOf(experiment({ factors: { 'policies.moderation.strictness': [] } })), 'factors.policies.moderation.strictness: expected a list of at least one value'),
  refusedRow(162, 'e-n-mismatch', 'random and lhs factors with different n', sweepOf(experiment({ factors: { 'policies.moderation.strictness': { min: 0, max: 1, n: 5, sample: 'random' }, 'policies.rubrics.perWeek': { min: 0, max: 6, n: 6, sample: 'lhs' } } })), 'factors.policies.rubrics.perWeek.n: expected the same n'),
  refusedRow(163, 'e-int-norand', 'random range on initialMembers without "integer": true: refused up front, nothing written', sweepOf(experiment({ factors: { 'population.initialMembers': { min: 10, max: 100, n: 5, sample: 'random' } } })), /^factors\.population\.initialMembers: expected an integer.*"integer": true/),
  refusedRow(164, 'e-deep-factor', 'factor value nested 6,000 deep', (dir) => ['sweep', put(dir, 'exp.json', `{"base": ${JSON.stringify(BASE)}, "factors": {"policies.moderation.strictness": [${deepArrays(6000)}]}}`), '--workers', '1', '--out', join(dir, 'out')], /exp\.json: .*factors/),
  refusedRow(165, 'e-proto-factor', 'factor path toString.x', sweepOf(experiment({ factors: { 'toString.x': [1] } })), 'factors.toString: unknown field'),
  refusedRow(166, 'e-proto-factor3', 'factor path policies.hasOwnProperty.x', sweepOf(experiment({ factors: { 'policies.hasOwnProperty.x': [1] } })), 'factors.policies.hasOwnProperty: unknown field'),
  refusedRow(167, 'e-sched-proto-factor', 'factor value: a schedule with path policies.toString.x', sweepOf(experiment({ factors: { schedule: [[{ day: 1, set: { 'policies.toString.x': 1 } }]] } })), /^factors\.schedule\[0\]\.set\.policies\.toString\.x: unknown field/),
  refusedRow(168, 'e-proto-factor2', 'factor path __proto__ (it was silently dropped)', (dir) => ['sweep', put(dir, 'exp.json', `{"base": ${JSON.stringify(BASE)}, "reps": 1, "factors": {"__proto__": [1, 2]}}`), '--workers', '1', '--out', join(dir, 'out')], 'factors.__proto__: expected a dotted field path'),
  {
    n: 169,
    id: 'e-graph-factor',
    what: 'factor population.graph: [{"file": "/etc/passwd"}]: exit 2 before anything is written, no line of the file echoed',
    test: async (dir) => {
      const before = listing(dir);
      const o = await cli(...sweepOf(experiment({ factors: { 'population.graph': [{ file: '/etc/passwd' }] } }))(dir));
      expectRefused(o, '/etc/passwd');
      expect(o.stderr).not.toMatch(/root|nologin/);
      expect(listing(dir).filter((l) => !l.includes('exp.json'))).toEqual(before);
    },
  },
  acceptedRow(170, 'e-dup-values', 'duplicate factor values [0, 0]: accepted, 2 points', sweepOf(experiment({ factors: { 'policies.moderation.strictness': [0, 0] } })), (o, dir) => {
    expect(o.stderr).toMatch(/^2 runs in /);
    expect(readFileSync(join(dir, 'out', 'runs.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
  }),
  acceptedRow(171, 'e-days-factor', 'factor on days (random, integer): accepted', sweepOf(experiment({ factors: { days: { min: 2, max: 4, n: 3, sample: 'random', integer: true } } })), (o) => expect(o.stderr).toMatch(/^3 runs in /)),
  designRow(172, 'e-huge-grid', 'grid n = 1,000,000: accepted (validated; the sweep would start, legitimately huge)', experiment({ factors: { 'policies.moderation.strictness': { min: 0, max: 1, n: 1_000_000 } } }), 1_000_000, 1),
  designRow(173, 'e-huge-cross', '1000 x 1000 crossed grid: accepted', experiment({ factors: { 'policies.moderation.strictness': { min: 0, max: 1, n: 1000 }, 'policies.response.targetHours': { min: 1, max: 48, n: 1000 } } }), 1_000_000, 1),
  designRow(174, 'e-huge-reps', 'reps 1,000,000: accepted', experiment({ reps: 1_000_000, factors: { 'policies.moderation.strictness': [0] } }), 1, 1_000_000),
  refusedRow(175, 'c-reps-huge', '`compare --reps 1000000000`', (dir) => ['compare', tiny(dir), tiny(dir), '--reps', '1000000000'], '--reps: expected an integer in [1, 1000000], got "1000000000"'),
  refusedRow(176, 'c-workers-huge', '`compare --workers 400 --reps 200`', (dir) => ['compare', tiny(dir), tiny(dir), '--reps', '200', '--workers', '400'], /^--workers: expected an integer in \[1, \d+\]/),
  refusedRow(177, 'c-reps-0', '`compare --reps 0`', (dir) => ['compare', tiny(dir), tiny(dir), '--reps', '0'], '--reps: expected an integer in [1, 1000000], got "0"'),
  refusedRow(178, 'c-one-arm', '`compare` with one arm', (dir) => ['compare', tiny(dir), '--reps', '2'], 'arms: expected at least two scenarios to compare'),
  refusedRow(179, 'c-bad-arm', '`compare` with an unknown preset', (dir) => ['compare', tiny(dir), 'nope', '--reps', '2'], 'unknown preset "nope"'),
  refusedRow(180, 'c-bad-metric', '`--metrics finalMembers,bogus`', compareOf('--metrics', 'finalMembers,bogus'), '--metrics: expected summary metric names'),
  refusedRow(181, 'c-seed-neg', '`compare --seed -1`', compareOf('--seed', '-1'), '--seed: expected an integer in [0, 4294967295], got "-1"'),
  refusedRow(182, 'c-seed-huge', '`compare --seed 99999999999` (it wrapped mod 2^32)', compareOf('--seed', '99999999999'), '--seed: expected an integer in [0, 4294967295], got "99999999999"'),
  refusedRow(183, 'c-setb-typo', '`--set-b` with a typo', compareOf('--set-b', 'policies.response.targetHour=1'), 'policies.response.targetHour: unknown field (known: '),
  refusedRow(184, 'c-out-file', '`compare --out FILE` (a regular file, as /etc/passwd)', (dir) => compareOf('--out', put(dir, 'passwd', 'root:x:0:0\n'))(dir), /^--out: expected a directory this process can write, got ".*passwd" \(ENOTDIR\)/),
  refusedRow(185, 's-sens-list', '`sensitivity` with list factors', (dir) => ['sensitivity', put(dir, 'exp.json', experiment({ factors: { 'policies.moderation.strictness': [0, 1] } })), '--workers', '1'], 'factors.policies.moderation.strictness: expected a range { min, max } for a sensitivity analysis, got a list'),
  refusedRow(186, 's-sens-resume-noout', '`sensitivity --resume` without --out', (dir) => ['sensitivity', put(dir, 'exp.json', experiment({ factors: { 'policies.moderation.strictness': { min: 0, max: 1 } } })), '--resume'], '--resume: expected --out DIR naming the interrupted analysis'),
  refusedRow(187, 's-sweep-missing', '`sweep /nonexistent.json`', (dir) => ['sweep', join(dir, 'nonexistent.json')], 'nonexistent.json: no such experiment file'),
  refusedRow(188, 's-sweep-workers0', '`sweep --workers 0`', sweepOf(experiment({ factors: { 'policies.moderation.strictness': [0, 1] } }), '--workers', '0'), /^--workers: expected an integer in \[1, \d+\].*got "0"/),
  refusedRow(189, 's-sweep-out-file', '`sweep --out FILE` (a regular file, as /etc/passwd)', (dir) => ['sweep', put(dir, 'exp.json', experiment({ factors: { 'policies.moderation.strictness': [0, 1] } })), '--workers', '1', '--out', put(dir, 'passwd', 'root:x:0:0\n')], /^--out: expected a directory this process can write, got ".*passwd" \(ENOTDIR\)/),
  refusedRow(190, 's-sweep-out-proc', '`sweep --out /proc/self/x`', (dir) => ['sweep', put(dir, 'exp.json', experiment({ factors: { 'policies.moderation.strictness': [0, 1] } })), '--workers', '1', '--out', '/proc/self/x'], /^--out: expected a directory this process can write, got "\/proc\/self\/x"/),
  refusedRow(191, 's-stdin-dash', '`validate -`', () => ['validate', '-'], '-: no such scenario file'),
];

describe('reliability review, area 3: experiment files and experiment flags', () => {
  replay(rows);
});
void existsSync;
