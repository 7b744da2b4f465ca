// Rows 218-242 of the reliability review's "All attempts" (area 4: distributed sweeps through
// Redis). The attempts that fail before any run (URLs, credentials, worker flags) are replayed
// here in this process against a real redis-server with a password; the ones that need worker
// processes, kills and minutes of queue traffic are replayed by test/experiments/queue/
// distributed.test.ts (named per row) and skipped here, so CI runs them once.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { Redis } from 'ioredis';
import { InputError } from '../../experiments/io/input-error.js';
import { parseQueueUrl, whenReady } from '../../experiments/queue/connection.js';
import { ROOT } from '../cli/run-cli.js';
import { redisForFile } from '../experiments/queue/redis-server.js';
import { cli, expectNoStack, expectRefused, listing, pointer, put, replay, type Row } from './replay.js';

const PASSWORD = 'hostile-s3cret';
// replayed in this process: no build, no worker processes
const redis = redisForFile({ extra: ['--requirepass', PASSWORD], build: false });

const SPEC = { base: { days: 3, population: { initialMembers: 20, burnInDays: 0 } }, reps: 1, factors: { 'policies.moderation.strictness': [0, 1] } };
const hostPort = () => `127.0.0.1:${redis.server.port}`;
/** `sweep --queue URL` of a small experiment into `dir/out`: refused before anything is written. */
function queueRefused(n: number, id: string, what: string, url: () => string, message: string | RegExp, command: 'sweep' | 'worker' = 'sweep', extra: string[] = []): Row {
  return {
    n,
    id,
    what,
    test: async (dir) => {
      const exp = put(dir, 'exp.json', SPEC);
      const before = listing(dir);
      const args = command === 'sweep' ? ['sweep', exp, '--out', join(dir, 'out'), '--queue', url(), ...extra] : ['worker', '--queue', url(), ...extra];
      const o = await cli(...args);
      // A URL without a password is warned about first (row 241); the refusal is the last line.
      const lines = o.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('warning: --queue'));
      expectRefused({ ...o, stderr: `${lines.join('\n')}\n` }, message);
      expect(o.stderr).not.toContain(PASSWORD);
      expect(listing(dir)).toEqual(before);
    },
  };
}
const elsewhere = (test: string) => `replayed by test/experiments/queue/distributed.test.ts: '${test}'`;

const rows: Row[] = [
  // First: the warning is printed once a process, and the other rows use URLs without passwords too.
  {
    n: 241,
    id: 'q-open-redis',
    what: 'Redis without a password: the tool warns (once), the README warns',
    test: async () => {
      const o = await cli('worker', '--queue', `redis://${hostPort()}`, '--concurrency', '0');
      expectNoStack(o);
      expect(o.code).toBe(2);
      expect(o.stderr).toMatch(/^warning: --queue redis:\/\/127\.0\.0\.1:\d+ has no password: anyone who can reach that Redis can change the sweep's jobs and results/);
      expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toMatch(/Anyone who can write to the Redis can change the jobs and the/);
    },
  },
  queueRefused(218, 'q-nopass', '`sweep --queue` to a Redis that requires a password, none given', () => `redis://${hostPort()}`, /^--queue: Redis refused the credentials: NOAUTH/),
  queueRefused(219, 'q-wrongpass', 'wrong password: refused, the password shown as ***', () => `redis://:wrong-${PASSWORD}@${hostPort()}`, /^--queue: Redis refused the credentials: WRONGPASS.*:\*\*\*@/),
  {
    n: 220,
    id: 'q-unreach',
    what: 'unreachable port: refused naming the URL with the password hidden (the wait the CLI gives Redis, 10 s, shortened to 0.3 s here; rows 218-219 replay the CLI\'s mapping to --queue, exit 2, nothing written)',
    test: async () => {
      const raw = `redis://:${PASSWORD}@127.0.0.1:1`;
      const client = new Redis({ ...parseQueueUrl(raw), retryStrategy: () => 50 });
      client.on('error', () => {});
      try {
        const t0 = Date.now();
        const refusal = await whenReady(client, raw, 300).then(() => undefined, (e: unknown) => e);
        expect(refusal).toBeInstanceOf(InputError);
        expect((refusal as InputError).message).toMatch(/^url: cannot reach Redis within 0\.3 s: connect ECONNREFUSED 127\.0\.0\.1:1 \(redis:\/\/:\*\*\*@127\.0\.0\.1:1\)$/);
        expect((refusal as InputError).message).not.toContain(PASSWORD);
        expect(Date.now() - t0).toBeLessThan(3_000);
      } finally {
        client.disconnect();
      }
    },
  },
  pointer(221, 'q-tls-plain', 'rediss:// to a plain-text Redis: exit 2 without ioredis stacks', elsewhere('rediss:// with a user and password: a sweep over TLS equals the local sweep; an untrusted certificate fails at once')),
  queueRefused(222, 'q-baddb', 'database 99', () => `redis://:${PASSWORD}@${hostPort()}/99`, /^--queue: Redis has no database 99/),
  queueRefused(223, 'q-badscheme', 'http:// URL', () => `http://${hostPort()}`, /^--queue: expected redis:\/\/.*got "http:\/\/127\.0\.0\.1:\d+" \(unknown scheme http\)/),
  queueRefused(224, 'q-query', 'URL with a query string', () => `redis://${hostPort()}?password=x`, /^--queue: expected redis:\/\/.*query strings/),
  queueRefused(225, 'q-worker-nopass', '`worker` without the password', () => `redis://${hostPort()}`, /^--queue: Redis refused the credentials: NOAUTH/, 'worker', ['--concurrency', '1']),
  pointer(226, 'q-worker-unreach', '`worker --queue` to a dead port: says what it waits for', elsewhere('pointed at an unreachable Redis, says what it waits for and stops on the first signal')),
  queueRefused(227, 'q-worker-badconc', '`worker --concurrency 0`', () => `redis://:${PASSWORD}@${hostPort()}`, /^--concurrency: expected an integer in \[1, \d+\].*got "0"/, 'worker', ['--concurrency', '0']),
  queueRefused(228, 'q-worker-graphdir', '`worker --graph-dir /nonexistent`', () => `redis://:${PASSWORD}@${hostPort()}`, '--graph-dir: expected a directory, got "/nonexistent"', 'worker', ['--concurrency', '1', '--graph-dir', '/nonexistent']),
  queueRefused(229, 'q-worker-lock', '`worker --lock-duration 5`', () => `redis://:${PASSWORD}@${hostPort()}`, '--lock-duration: expected an integer >= 100, got "5"', 'worker', ['--concurrency', '1', '--lock-duration', '5']),
  queueRefused(230, 'q-pass-in-errors', 'password in a refused URL is redacted', () => `redis://:${PASSWORD}@${hostPort()}?x=1`, /^--queue: expected redis:\/\//),
  pointer(231, 'q-worker-kill', 'SIGKILL a worker mid-sweep, start a third: run retried, files equal the local sweep', elsewhere('a worker killed with SIGKILL mid-sweep: its run is taken over, results complete and duplicate-free')),
  pointer(232, 'q-redis-restart', 'restart Redis (no persistence) mid-sweep: resubmitted, identical', elsewhere('Redis stopped and restarted (empty) mid-sweep: the sweep continues and completes')),
  pointer(233, 'q-garbage-jobs', '11 garbage jobs pushed into the wait list: each fails with a reason, workers survive', elsewhere('fails a malformed or hostile job with its reason, without running or retrying it')),
  pointer(234, 'q-submitter-kill', 'SIGKILL the submitter, --resume: waits for the lease, re-attaches, identical', elsewhere('the submitter killed mid-sweep: --resume re-attaches to the queue and finishes collecting')),
  pointer(235, 'q-two-resumes', 'two --resume after a submitter SIGKILL: one collects, the other stops', elsewhere('a submitter stalled past its lease, now held by another, stops before collecting anything more')),
  pointer(236, 'q-second-submitter', 'second submitter while the first is alive: exit 2', elsewhere('one submitter per sweep: a second one waits out the lease of a live holder, then stops naming it')),
  pointer(237, 'q-changed-seed', "a waiting job's seed changed in Redis: result refused or flagged", elsewhere('results are checked: another engine version, another seed and a malformed entry fail their runs (naming the worker), and --resume finishes')),
  pointer(238, 'q-malformed-processed', 'a malformed entry in the processed hash: skipped or redone', elsewhere('results are checked: another engine version, another seed and a malformed entry fail their runs (naming the worker), and --resume finishes')),
  pointer(239, 'q-other-build', 'a worker of another build: refused, or flagged', elsewhere('results are checked: another engine version, another seed and a malformed entry fail their runs (naming the worker), and --resume finishes')),
  pointer(240, 'q-long-schedule', "a point's stored scenario replaced by a 2,500-entry schedule: bounded run time", 'schedules apply in linear time (h-harden, cb1ab4b): row 28 here runs 20,000 entries in this suite; the worker runs the same engine'),
  pointer(242, 'q-leftovers', 'workers stopped right after a sweep: no leftovers in Redis', elsewhere('through two worker processes equals the local sweep, file for file, and leaves Redis clean')),
];

describe('reliability review, area 4: distributed sweeps', () => {
  replay(rows);
});
