// Sweeps through BullMQ on a real redis-server with `community-sim worker` processes: the files
// equal a local sweep's, also when a worker is killed mid-run, when Redis restarts empty
// mid-sweep and when the submitter is killed and resumed; a malformed or hostile job is failed
// by the worker with its reason instead of being run.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt, ROOT } from '../../cli/run-cli.js';
import { scratchDir } from '../../cli/scratch.js';
import { jobIdOf, PARENT_ID, PREFIX, REGISTRY, sweepNames } from '../../../experiments/queue/names.js';
import { runDigest, scenarioHash } from '../../../experiments/queue/payload.js';
import { VERSION } from '../../../engine/index.js';
import { QueueExecutor } from '../../../experiments/queue/executor.js';
import { QueueWorker } from '../../../experiments/queue/worker.js';
import { SubmitterLease } from '../../../experiments/queue/lock.js';
import { loadExperiment } from '../../../experiments/schema.js';
import { parseScenario } from '../../../engine/index.js';
import { sweep } from '../../../experiments/sweep.js';
import type { Probes } from '../../../experiments/reporters.js';
import { freePort, RedisServer, selfSignedCertificate, WorkerProcess } from './redis-server.js';

const scratch = scratchDir('queue');
let redis: RedisServer;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  redis = await RedisServer.start();
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill('SIGKILL')));
  const c = redis.client();
  await c.flushall();
  c.disconnect();
});
afterAll(async () => {
  await redis?.down();
});

const startWorkers = async (n: number) => {
  const started = Array.from({ length: n }, () => new WorkerProcess(redis.url));
  workers.push(...started);
  return started;
};

/** Runs the CLI in the background; resolves with its exit code and stderr. */
function submit(args: string[], env?: NodeJS.ProcessEnv) {
  const proc = spawn(process.execPath, [join(ROOT, 'bin/community-sim.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: env ? { ...process.env, ...env } : undefined });
  let stderr = '';
  let stdout = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const done = new Promise<{ code: number | null; stderr: string; stdout: string }>((r) => proc.once('exit', (code) => r({ code, stderr, stdout })));
  return { proc, done };
}

const rowsIn = (dir: string) => (existsSync(join(dir, 'runs.csv')) ? readFileSync(join(dir, 'runs.csv'), 'utf8').split('\n').length - 2 : 0);

async function until(what: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const manifest = (dir: string) => {
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  for (const k of ['startedAt', 'endedAt', 'resumedAt', 'command']) delete m[k];
  return m;
};

/** The output directory equals the local reference file for file (manifest times and command aside). */
function expectSameFiles(dir: string, reference: string, files: string[]) {
  for (const f of files) expect(readFileSync(join(dir, f), 'utf8'), f).toBe(readFileSync(join(reference, f), 'utf8'));
  expect(manifest(dir)).toEqual(manifest(reference));
}

function expectNoDuplicates(dir: string, runs: number) {
  const keys = readFileSync(join(dir, 'runs.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 2).join(':'));
  expect(keys.length).toBe(runs);
  expect(new Set(keys).size).toBe(runs);
}

const tiny = {
  base: { population: { initialMembers: 40 } },
  days: 30,
  reps: 4,
  seed: 11,
  series: true,
  factors: { 'policies.moderation.strictness': [0, 0.5, 1] },
  metrics: ['finalMembers', 'meanToxicShare'],
  // computed by the workers: the files equal the local sweep's only if the probes travel with the jobs
  reporters: { members20: { metric: 'members', at: 20 }, late: { metric: 'activeWeek', mean: [20, 30] }, arch: { metric: 'members', by: 'archetype', at: 'end' } },
  stop: { metric: 'contributorsWeek', below: 1, for: 7 },
};
// Runs long enough (a few hundred ms) that a kill or a restart lands in the middle of them.
const { reporters: _reporters, stop: _stop, ...plain } = tiny; // no stop condition to cut runs short
const longer = { ...plain, base: { population: { initialMembers: 200 } }, days: 60, reps: 4, series: false };

function local(name: string, experiment: object): { file: string; out: string } {
  const file = scratch.write(`${name}.json`, experiment);
  const out = join(scratch.path, `${name}-local`);
  const r = cli(['sweep', file, '--out', out, '--workers', '2']);
  expect(r.code, r.stderr).toBe(0);
  return { file, out };
}

describe('sweep --queue', () => {
  it('through two worker processes equals the local sweep, file for file, and leaves Redis clean', async () => {
    const ref = local('tiny', tiny);
    const started = await startWorkers(2);
    const out = join(scratch.path, 'tiny-queue');
    const r = await submit(['sweep', ref.file, '--out', out, '--queue', redis.url]).done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/queue s[0-9a-f]{16}: 0 failed \| 0 retried \| 2 workers/);
    expectSameFiles(out, ref.out, ['runs.csv', 'summary.csv', 'series.csv']);
    const runs = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    expect(runs[0].slice(-8)).toEqual(['members20', 'late', 'arch.lurker', 'arch.contributor', 'arch.expert', 'arch.troll', 'stopped', 'stopDay']);
    expect(runs.slice(1).every((r) => r.at(-1) !== '' && r.at(-6) !== '')).toBe(true);
    for (const w of started) expect(w.log).toMatch(/joined sweep s[0-9a-f]{16}/);
    const c = redis.client();
    // Jobs, scenarios, series and the registry entry are gone; live workers may keep BullMQ's
    // bookkeeping of the queue (meta, events, stalled-check) until they notice the sweep ended.
    const left = (await c.keys(`${PREFIX}:*`)).filter((k) => !/:(meta|events|stalled-check)$/.test(k));
    expect(left).toEqual([]);
    c.disconnect();
  });

  it('from a script, with the runs added in chunks, gives the same files', async () => {
    const ref = local('chunked', tiny);
    await startWorkers(2);
    const out = join(scratch.path, 'chunked-queue');
    const executor = new QueueExecutor({ url: redis.url, chunk: 5 }); // 12 runs: a flow and two more chunks
    const result = await sweep(loadExperiment(ref.file), { out, executor }).result;
    await executor.close();
    expect(result.completed).toBe(12);
    expect(executor.progress).toMatchObject({ done: 12, failed: 0, reattached: false, resubmitted: 0 });
    expectSameFiles(out, ref.out, ['runs.csv', 'summary.csv', 'series.csv']);
  });

  it('compare and sensitivity with --queue print what they print locally', async () => {
    await startWorkers(2);
    const compareArgs = ['compare', 'moderated-forum', 'unmoderated-forum', '--reps', '3', '--days', '20', '--format', 'csv'];
    const viaQueue = await submit([...compareArgs, '--queue', redis.url]).done;
    expect(viaQueue.code, viaQueue.stderr).toBe(0);
    expect(viaQueue.stdout).toMatch(/^baseline,arm,metric,.*\n[^,]*,[^,]*,finalMembers,/);
    expect(viaQueue.stdout).toBe(cli(compareArgs).stdout);
    const file = scratch.write('sens.json', {
      base: { population: { initialMembers: 40 } },
      days: 20,
      reps: 1,
      factors: { 'policies.moderation.strictness': { min: 0, max: 1, n: 1 }, 'policies.rubrics.perWeek': { min: 0, max: 5, n: 1 } },
      sensitivity: { method: 'morris', metric: 'finalMembers', trajectories: 3 },
    });
    const sens = await submit(['sensitivity', file, '--format', 'csv', '--queue', redis.url]).done;
    expect(sens.code, sens.stderr).toBe(0);
    expect(sens.stdout).toMatch(/policies\.moderation\.strictness/);
    expect(sens.stdout).toBe(cli(['sensitivity', file, '--format', 'csv']).stdout);
  });

  it('a worker joins an announced sweep at once, not at its next look at the registry', async () => {
    const ref = local('announced', tiny);
    // Ten minutes between looks: only the submitter's announcement can bring this worker in.
    const worker = new QueueWorker({ url: redis.url, pollMs: 600_000, log: () => {} });
    await worker.start();
    try {
      const out = join(scratch.path, 'announced-queue');
      const executor = new QueueExecutor({ url: redis.url });
      const result = await sweep(loadExperiment(ref.file), { out, executor }).result;
      await executor.close();
      expect(result.completed).toBe(12);
      expect(worker.completed).toBe(12);
      expectSameFiles(out, ref.out, ['runs.csv', 'summary.csv', 'series.csv']);
    } finally {
      await worker.close();
    }
  });

  /**
   * A 12-run sweep through two workers with `fault` striking once 3 runs are in; then the
   * output must equal the local sweep's, without duplicates. Returns the submitter's result.
   */
  async function sweepThrough(name: string, seed: number, fault: (submitter: ReturnType<typeof submit>, workers: WorkerProcess[]) => Promise<void>) {
    const ref = local(name, { ...longer, seed });
    const started = await startWorkers(2);
    const out = join(scratch.path, `${name}-queue`);
    const sub = submit(['sweep', ref.file, '--out', out, '--queue', redis.url]);
    await until(() => rowsIn(out) >= 3);
    await fault(sub, started);
    const r = await sub.done;
    return {
      r,
      check: () => {
        expectNoDuplicates(out, 12);
        expectSameFiles(out, ref.out, ['runs.csv', 'summary.csv']);
      },
      resume: () => submit(['sweep', ref.file, '--out', out, '--queue', redis.url, '--resume']).done,
    };
  }

  it('a worker killed with SIGKILL mid-sweep: its run is taken over, results complete and duplicate-free', async () => {
    const { r, check } = await sweepThrough('kill', 11, (_, [a]) => a.kill('SIGKILL'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/[1-9]\d* retried/); // the killed worker's run started again elsewhere
    check();
  });

  it('Redis stopped and restarted (empty) mid-sweep: the sweep continues and completes', async () => {
    const { r, check } = await sweepThrough('restart', 12, async () => {
      await redis.down();
      await new Promise((res) => setTimeout(res, 1000));
      await redis.up();
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/resubmitted 1x/);
    check();
  });

  it('the submitter killed mid-sweep: --resume re-attaches to the queue and finishes collecting', async () => {
    const { check, resume } = await sweepThrough('resume', 13, async (sub) => {
      sub.proc.kill('SIGKILL');
    });
    const c = redis.client();
    expect(await c.smembers(REGISTRY)).toHaveLength(1); // the sweep stays in Redis; workers go on
    c.disconnect();
    const r = await resume();
    expect(r.code, r.stderr).toBe(0);
    // the killed submitter could not release its lease: the new one waited for it to lapse
    expect(r.stderr).toMatch(/another submitter \(.+, pid \d+\) holds this sweep; waiting up to \d+ s/);
    expect(r.stderr).toMatch(/queue s[0-9a-f]{16}: 0 failed \| \d+ retried \| \d+ workers \| re-attached\n/);
    check();
  });

  it('results are checked: another engine version, another seed and a malformed entry fail their runs (naming the worker), and --resume finishes', async () => {
    const ref = local('checked', tiny);
    const out = join(scratch.path, 'checked-queue');
    const sub = submit(['sweep', ref.file, '--out', out, '--queue', redis.url]); // no workers yet
    const c = redis.client();
    let ns = '';
    for (const deadline = Date.now() + 30_000; !ns && Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      const [found] = await c.smembers(REGISTRY);
      if (found && (await c.exists(`${PREFIX}:${sweepNames(found).parent}:${PARENT_ID}`))) ns = found;
    }
    const names = sweepNames(ns);
    const processed = `${PREFIX}:${names.parent}:${PARENT_ID}:processed`;
    const field = (key: string) => `${PREFIX}:${names.runs}:${jobIdOf(key)}`;
    const result = (over: object) => JSON.stringify(JSON.stringify({ key: '0:0', seed: 1, summary: {}, ms: 1, attempts: 1, series: false, version: VERSION, digest: '0123456789abcdef', worker: 'rogue:77', ...over }));
    await c.hset(processed, field('0:0'), result({ key: '0:0', version: '0.1.1' }));
    await c.hset(processed, field('0:1'), result({ key: '0:1', seed: 424242 }));
    await c.hset(processed, field('0:2'), 'garbage{');
    await startWorkers(2);
    const r = await sub.done;
    c.disconnect();
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/run 0:0: result refused: from worker rogue:77: computed by engine 0\.1\.1, this sweep uses /);
    expect(r.stderr).toMatch(/run 0:1: result refused: from worker rogue:77: it ran seed 424242/);
    expect(r.stderr).toMatch(/run 0:2: result refused: malformed result: not JSON/);
    expect(r.stderr.match(/has no password/g)).toHaveLength(1); // the open-Redis warning, once
    const resumed = await submit(['sweep', ref.file, '--out', out, '--queue', redis.url, '--resume']).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    expectSameFiles(out, ref.out, ['runs.csv', 'summary.csv', 'series.csv']);
  });

  it('a submitter stalled past its lease, now held by another, stops before collecting anything more', async () => {
    const c = redis.client();
    const lease = new SubmitterLease(c, `${PREFIX}:data-stalled:submitter`, 1000);
    await lease.acquire();
    await expect(lease.check()).resolves.toBeUndefined();
    await c.set(`${PREFIX}:data-stalled:submitter`, 'elsewhere:42:beef', 'PX', 1000); // taken over meanwhile
    const until = Date.now() + 600;
    while (Date.now() < until); // stalled: the renewal timer cannot run
    await expect(lease.check()).rejects.toThrow(/another submitter \(elsewhere:42:beef\) took over this sweep/);
    await lease.release();
    expect(await c.get(`${PREFIX}:data-stalled:submitter`)).toBe('elsewhere:42:beef'); // not ours to release
    c.disconnect();
  });

  it('one submitter per sweep: a second one waits out the lease of a live holder, then stops naming it', async () => {
    const scenario = parseScenario({ days: 5, population: { initialMembers: 10 } });
    const jobs = [{ key: '0:0', point: 0, rep: 0, seed: 1, scenario }];
    const design = { hash: 'lease', out: join(scratch.path, 'lease') };
    const first = new QueueExecutor({ url: redis.url, leaseMs: 1000 });
    first.bind(design);
    const collecting = first.run(jobs)[Symbol.asyncIterator]();
    const firstResult = collecting.next(); // no worker yet: it waits, renewing its lease
    const c = redis.client();
    const lease = `${PREFIX}:data-${first.namespace}:submitter`;
    for (let i = 0; !(await c.get(lease)) && i < 200; i++) await new Promise((r) => setTimeout(r, 25));
    const t0 = Date.now();
    let waitedFor = '';
    const other = new QueueExecutor({ url: redis.url, leaseMs: 1000, onWait: (holder) => (waitedFor = holder) });
    other.bind(design);
    await expect(other.run(jobs)[Symbol.asyncIterator]().next()).rejects.toThrow(/^url: this sweep is being collected by another submitter \(.+, pid \d+\)/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000); // a live holder's lease never lapsed
    expect(waitedFor).toBe(await c.get(lease));
    // the holder was not disturbed: it collects its run once a worker comes
    await startWorkers(1);
    const got = await firstResult;
    expect(got.done).toBe(false);
    expect(got.value).toMatchObject({ ok: true, job: { key: '0:0' } });
    expect(await collecting.next()).toMatchObject({ done: true });
    expect(await c.get(lease)).toBeNull(); // released at the end
    c.disconnect();
    await Promise.all([first.close(), other.close()]);
  });
});

describe('--queue with credentials', () => {
  it('a database the server does not have fails at once with exit 2, instead of running in database 0', async () => {
    const ref = local('no-db', tiny);
    const out = join(scratch.path, 'no-db-queue');
    const r = await submit(['sweep', ref.file, '--out', out, '--queue', `${redis.url}/99`]).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^--queue: Redis has no database 99: ERR DB index is out of range/m); // after the open-Redis warning
    expect(existsSync(join(out, 'runs.csv'))).toBe(false);
  });

  it('a refused password fails at once with exit 2, naming --queue without echoing it, and writes nothing', async () => {
    const guarded = await RedisServer.start(['--requirepass', 's3cret']);
    try {
      const file = scratch.write('guarded.json', tiny);
      const out = join(scratch.path, 'guarded');
      const url = `redis://:hunter2@127.0.0.1:${guarded.port}`;
      for (const args of [['sweep', file, '--out', out, '--queue', url], ['worker', '--queue', url]]) {
        const r = await submit(args).done;
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^--queue: Redis refused the credentials: WRONGPASS .*\(redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\)\n$/);
        expect(r.stderr).not.toContain('hunter2');
      }
      expect(existsSync(out)).toBe(false);
    } finally {
      await guarded.down();
    }
  });

  it('rediss:// with a user and password: a sweep over TLS equals the local sweep; an untrusted certificate fails at once', async () => {
    const tls = selfSignedCertificate(scratch.path);
    const secure = await RedisServer.start(['--requirepass', 's3cret'], tls);
    const url = secure.url.replace('rediss://', 'rediss://default:s3cret@');
    const trust = { NODE_EXTRA_CA_CERTS: tls.cert }; // the test certificate is its own authority
    const worker = new WorkerProcess(url, [], trust);
    try {
      const ref = local('tls', tiny);
      const out = join(scratch.path, 'tls-queue');
      const r = await submit(['sweep', ref.file, '--out', out, '--queue', url], trust).done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/queue s[0-9a-f]{16}: 0 failed \| 0 retried \| 1 workers/);
      expectSameFiles(out, ref.out, ['runs.csv', 'summary.csv', 'series.csv']);
      // without the authority the certificate is refused: exit 2 at once, nothing written
      const t0 = Date.now();
      const refused = await submit(['sweep', ref.file, '--out', join(scratch.path, 'tls-untrusted'), '--queue', url]).done;
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^--queue: TLS connection to Redis failed: self[- ]signed certificate.*NODE_EXTRA_CA_CERTS.*\(rediss:\/\/default:\*\*\*@127\.0\.0\.1:\d+\)\n$/);
      expect(Date.now() - t0).toBeLessThan(8000); // not the 10 s an unreachable Redis is given
      expect(existsSync(join(scratch.path, 'tls-untrusted'))).toBe(false);
    } finally {
      await worker.kill('SIGKILL');
      await secure.down();
    }
  });
});

describe('community-sim worker', () => {
  it('fails a malformed or hostile job with its reason, without running or retrying it', async () => {
    const ns = 's00000000000000ab';
    const names = sweepNames(ns);
    const c = redis.client();
    await c.hset(names.scenarios, '0', JSON.stringify({ population: { initialMembers: 'require("child_process").exec("touch /tmp/pwned")' } }));
    await c.sadd(REGISTRY, ns);
    const [w] = await startWorkers(1);
    const connection = { host: '127.0.0.1', port: redis.port };
    const queue = new Queue(names.runs, { connection, prefix: PREFIX });
    const events = new QueueEvents(names.runs, { connection, prefix: PREFIX });
    await events.waitUntilReady();
    const failed = new Map<string, string>();
    events.on('failed', ({ jobId, failedReason }) => failed.set(jobId, failedReason));
    const stored = await c.hget(names.scenarios, '0');
    const digest = (text: string, probes?: Probes) => runDigest(scenarioHash(text), { seed: 1, series: false, probes });
    const good = { ns, key: '0:0', point: 0, rep: 0, seed: 1, series: false, version: VERSION, digest: digest(stored!) };
    await queue.add('run', { ...good, code: 'process.exit(1)' }, { jobId: 'a', attempts: 3 });
    await queue.add('run', { ...good, key: '0:1' }, { jobId: 'b', attempts: 3 });
    await queue.add('run', { ...good, ns: 's00000000000000cd' }, { jobId: 'c', attempts: 3 });
    await queue.add('run', good, { jobId: 'd', attempts: 3 });
    // a job of another build, and one whose seed was changed in Redis after it was submitted
    await queue.add('run', { ...good, version: '0.0.9' }, { jobId: 'e', attempts: 3 });
    const valid = JSON.stringify(parseScenario({ days: 5, population: { initialMembers: 30 } }));
    await c.hset(names.scenarios, '1', valid);
    await queue.add('run', { ...good, key: '1:0', point: 1, seed: 424242, digest: digest(valid) }, { jobId: 'f', attempts: 3 });
    // ... and ones whose stop condition or series flag was changed (each decides the results as
    // the seed does), beside a sound job with probes, digested with its keys in another order
    const probes = { reporters: [{ name: 'm3', metric: 'members' as const, at: 3 }], stop: { metric: 'members' as const, below: 1e9, for: 2 } };
    await queue.add('run', { ...good, key: '1:1', point: 1, rep: 1, digest: digest(valid), probes: { reporters: [], stop: probes.stop } }, { jobId: 'g', attempts: 3 });
    await queue.add('run', { ...good, key: '1:2', point: 1, rep: 2, series: true, digest: digest(valid) }, { jobId: 'h', attempts: 3 });
    const reordered = { stop: { for: 2, below: 1e9, metric: 'members' as const }, reporters: [{ at: 3, metric: 'members' as const, name: 'm3' }] };
    await queue.add('run', { ...good, key: '1:3', point: 1, rep: 3, digest: digest(valid, reordered), probes }, { jobId: 'i', attempts: 3 });
    const completed = new Set<string>();
    events.on('completed', ({ jobId }) => completed.add(jobId));
    await until(() => failed.size + completed.size === 9, 30_000);
    expect([...completed]).toEqual(['i']);
    expect(failed.get('a')).toMatch(/^malformed job: .*code/);
    expect(failed.get('b')).toBe('malformed job: key: expected key to be POINT:REP of the job');
    expect(failed.get('c')).toMatch(/^malformed job: ns: expected the namespace of queue runs-s00000000000000ab/);
    expect(failed.get('d')).toMatch(/^invalid scenario of design point 0: population\.initialMembers: expected an integer/);
    expect(failed.get('e')).toMatch(new RegExp(`^worker .+:\\d+ runs engine ${VERSION.replace(/\./g, '\\.')}, but the sweep was submitted with 0\\.0\\.9`));
    for (const id of ['f', 'g', 'h']) expect(failed.get(id), id).toMatch(/^the job's seed, series flag, reporters or stop condition, or its design point's scenario, changed in Redis since it was submitted/);
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) expect((await queue.getJob(id))!.attemptsMade).toBe(1); // not retried
    expect(existsSync('/tmp/pwned')).toBe(false);
    expect(w.log).toMatch(/run a of s00000000000000ab failed: malformed job/);
    await Promise.all([queue.close(), events.close()]);
    c.disconnect();
  });

  it('reads graph files only from the worker\'s --graph-dir: a sweep naming one there equals the local sweep; any other path fails', async () => {
    const edges = Array.from({ length: 60 }, (_, i) => `${i % 30} ${(i * 7 + 3) % 30}`).join('\n');
    scratch.write('graphs/ties.txt', edges);
    scratch.write('graphs/forum.json', { days: 15, population: { graph: { file: 'ties.txt' } } });
    const file = scratch.write('graphs/exp.json', { base: 'forum.json', reps: 2, seed: 3, factors: { 'policies.moderation.strictness': [0, 1] } });
    const ref = join(scratch.path, 'graphs-local');
    expect(cli(['sweep', file, '--out', ref, '--workers', '2']).code).toBe(0);
    const [w] = [new WorkerProcess(redis.url, ['--graph-dir', join(scratch.path, 'graphs')])];
    workers.push(w);
    const out = join(scratch.path, 'graphs-queue');
    const r = await submit(['sweep', file, '--out', out, '--queue', redis.url]).done;
    expect(r.code, r.stderr).toBe(0);
    expectSameFiles(out, ref, ['runs.csv', 'summary.csv']);
    await w.kill('SIGTERM');

    // A worker without --graph-dir, and one whose --graph-dir does not hold the file, fail such runs.
    for (const [i, target] of [join(scratch.path, 'graphs/ties.txt'), '/etc/passwd'].entries()) {
      const stranger = new WorkerProcess(redis.url, i === 0 ? [] : ['--graph-dir', join(scratch.path, 'graphs')]);
      workers.push(stranger);
      const ns = `s00000000000001${i}f`;
      const c = redis.client();
      const scenario = parseScenario({ days: 5, population: { graph: { file: target, format: 'edgelist' } } });
      await c.hset(sweepNames(ns).scenarios, '0', JSON.stringify(scenario));
      await c.sadd(REGISTRY, ns);
      const connection = { host: '127.0.0.1', port: redis.port };
      const queue = new Queue(sweepNames(ns).runs, { connection, prefix: PREFIX });
      const events = new QueueEvents(sweepNames(ns).runs, { connection, prefix: PREFIX });
      await events.waitUntilReady();
      let reason = '';
      events.on('failed', ({ failedReason }) => (reason = failedReason));
      await queue.add('run', { ns, key: '0:0', point: 0, rep: 0, seed: 1, series: false, version: VERSION, digest: runDigest(scenarioHash(JSON.stringify(scenario)), { seed: 1, series: false }) }, { jobId: 'g', attempts: 2 });
      await until(() => reason !== '', 30_000);
      expect(reason).toMatch(/^population\.graph\.file: /);
      expect(reason).toMatch(i === 0 ? /reads no graph files from queued jobs .*--graph-dir/ : /\/etc\/passwd is not a file under the worker's --graph-dir/);
      expect(reason).not.toMatch(/root:/); // nothing of the file is echoed
      expect((await queue.getJob('g'))!.attemptsMade).toBe(1); // not retried
      await c.srem(REGISTRY, ns);
      await Promise.all([queue.close(), events.close(), stranger.kill('SIGTERM')]);
      c.disconnect();
    }
  });

  it('a second signal ends a worker at once, also while Redis is away', async () => {
    const ref = local('second-signal', { ...longer, seed: 21 });
    const [w] = await startWorkers(1);
    const sub = submit(['sweep', ref.file, '--out', join(scratch.path, 'second-signal-queue'), '--queue', redis.url]);
    let down = false;
    try {
      expect(await w.joined()).toBe(true);
      // Joining a sweep is not yet running one: wait until a run is in progress (BullMQ's active
      // list), or the first signal finds nothing to finish and the case tested never arises.
      const c = redis.client();
      try {
        let active = 0;
        for (const deadline = Date.now() + 30_000; active === 0 && Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
          const [ns] = await c.smembers(REGISTRY);
          active = ns ? await c.llen(`${PREFIX}:${sweepNames(ns).runs}:active`) : 0;
        }
        expect(active, 'a run in progress').toBeGreaterThan(0);
      } finally {
        c.disconnect();
      }
      await redis.down();
      down = true;
      w.proc.kill('SIGTERM'); // a graceful close would wait for Redis
      await until(() => w.log.includes('finishing the runs in progress'), 10_000);
      const t0 = Date.now();
      await w.kill('SIGTERM');
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(w.proc.exitCode).toBe(143);
      expect(w.log).toMatch(/SIGTERM again: abandoning the runs in progress/);
    } finally {
      // whatever happened above, the next tests find Redis up and no submitter left behind
      sub.proc.kill('SIGKILL');
      if (down) await redis.up();
    }
  });

  it('shares --concurrency between the sweeps being worked on', async () => {
    const c = redis.client();
    await c.sadd(REGISTRY, 's0000000000000a01', 's0000000000000a02', 's0000000000000a03');
    const worker = new QueueWorker({ url: redis.url, concurrency: 4, log: () => {} });
    await worker.start();
    try {
      // The BullMQ worker of each sweep, by namespace (private: what the worker hands each sweep).
      const shares = () => [...(worker as unknown as { workers: Map<string, { worker: { concurrency: number } }> }).workers.values()].map((w) => w.worker.concurrency);
      expect(shares()).toEqual([2, 1, 1]);
      await c.srem(REGISTRY, 's0000000000000a02', 's0000000000000a03');
      await until(() => shares().length === 1, 10_000);
      expect(shares()).toEqual([4]);
    } finally {
      await worker.close();
      c.disconnect();
    }
  });

  it('stops gracefully on SIGTERM', async () => {
    const [w] = await startWorkers(1);
    await until(() => w.log.includes('waiting for sweeps'), 20_000);
    await w.kill('SIGTERM');
    expect(w.proc.exitCode).toBe(0);
    expect(w.log).toMatch(/SIGTERM: no run in progress, stopping[\s\S]*stopped after 0 runs/);
  });

  it('pointed at an unreachable Redis, says what it waits for and stops on the first signal', async () => {
    const port = await freePort(); // nothing listens there
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const w = new WorkerProcess(`redis://127.0.0.1:${port}`);
      workers.push(w);
      await until(() => w.log.includes('waiting for Redis'), 20_000);
      expect(w.log).toMatch(new RegExp(`waiting for Redis at redis://127\\.0\\.0\\.1:${port} to answer \\(.*ECONNREFUSED.*\\); it keeps trying`));
      expect(w.log.match(/waiting for Redis/g)).toHaveLength(1); // once, not once per retry
      const t0 = Date.now();
      await w.kill(signal);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(w.proc.exitCode, w.log).toBe(0);
      expect(w.log).toMatch(new RegExp(`${signal}: no run in progress, stopping`));
    }
  });
});
