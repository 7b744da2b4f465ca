// The design runner and compare through real worker threads: arms share replication seeds
// (common random numbers), a run that fails twice is reported with its seed and parameters while
// the rest of the batch finishes, and the library's Batch yields runs then the final tables.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAILY_METRIC_NAMES, deriveSeed, parseScenario } from '../../engine/index.js';
import { compare } from '../../experiments/compare.js';
import { InlineExecutor } from '../../experiments/executor.js';
import { InputError } from '../../experiments/io/input-error.js';
import { WorkerPool } from '../../experiments/pool.js';
import { runDesign } from '../../experiments/runner.js';
import { sweep } from '../../experiments/sweep.js';
import { ensureBuilt } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'runner-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => ensureBuilt()); // the pool loads dist/experiments/worker.js

const small = parseScenario({ days: 30, population: { initialMembers: 80 } });

describe('experiments/compare', () => {
  it('arms share the replication seeds, so identical arms give zero differences', async () => {
    const run = compare([{ name: 'A', scenario: small }, { name: 'B', scenario: small }, { name: 'C', scenario: parseScenario({ ...small, policies: { moderation: { strictness: 1 } } }) }], { reps: 3, seed: 5, workers: 2, out: join(dir, 'cmp') });
    const seen: { point: number; rep: number; seed: number; members: number }[] = [];
    for await (const r of run) seen.push({ point: r.point, rep: r.rep, seed: r.seed, members: r.summary.finalMembers });
    const res = await run.result;
    expect(seen.length).toBe(9);
    expect(res.seeds).toEqual([0, 1, 2].map((r) => deriveSeed(5, r)));
    for (const s of seen) expect(s.seed).toBe(deriveSeed(5, s.rep));
    // Same scenario, same seed: the same run, so A and B match replication by replication.
    for (let r = 0; r < 3; r++) {
      const a = seen.find((s) => s.point === 0 && s.rep === r)!, b = seen.find((s) => s.point === 1 && s.rep === r)!;
      expect(b.members).toBe(a.members);
    }
    const bRows = res.rows.filter((x) => x.arm === 'B');
    expect(bRows.length).toBe(7);
    expect(bRows.find((x) => x.metric === 'finalMembers')!.n).toBe(3);
    for (const row of bRows) {
      // 30-day runs cannot measure D30 or D90 retention (newcomers join from day 1): no pair has a value
      if (row.metric === 'retentionD30' || row.metric === 'retentionD90') expect(row).toMatchObject({ n: 0, diff: NaN });
      // any other metric: 0 wherever it is defined (a metric undefined in every run has n 0)
      else if (row.n > 0) expect(row.diff).toBe(0);
      else expect(row.diff).toBeNaN();
      expect(row.significant).toBe(false);
    }
    expect(res.rows.filter((x) => x.arm === 'C').length).toBe(7);
    const runs = readFileSync(join(dir, 'cmp', 'runs.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    expect(runs.map((c) => c[3])).toEqual(['A', 'A', 'A', 'B', 'B', 'B', 'C', 'C', 'C']);
  });
});

describe('experiments/runner', () => {
  it('a run that fails twice is reported with its seed and parameters, and the batch goes on', async () => {
    const pool = new WorkerPool({ size: 2, workerUrl: new URL('./fixtures/faulty-worker.mjs', import.meta.url) });
    const out = join(dir, 'faulty');
    const run = runDesign(
      {
        kind: 'sweep', hash: 'h', baseSeed: 9, reps: 2, points: 3, paramNames: ['how'],
        paramsOf: (p) => [['ok', 'throw', 'ok'][p]],
        scenarioOf: (p) => ({ name: ['ok', 'throw', 'ok'][p] }) as never,
        series: false, metrics: ['finalMembers'], manifest: {},
      },
      { executor: pool, out },
    );
    const res = await run.result; // awaiting the result alone drives the batch
    await pool.close();
    expect(res.completed).toBe(4);
    expect(res.failures.map((f) => [f.key, f.seed, f.params])).toEqual([
      ['1:0', deriveSeed(9, 0), { how: 'throw' }],
      ['1:1', deriveSeed(9, 1), { how: 'throw' }],
    ]);
    expect(res.failures[0].error).toMatch(/bad run 1:/);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.failures.length).toBe(2);
    expect(manifest.completed).toBe(4);
    expect(readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').slice(0, 2).join(':'))).toEqual(['point:rep', '0:0', '0:1', '2:0', '2:1']);
  });

  it('names its own options, not the command line\'s flags, in input errors', async () => {
    const out = join(dir, 'twice');
    await compare([{ name: 'A', scenario: small }, { name: 'B', scenario: small }], { reps: 1, executor: new InlineExecutor(), out }).result;
    const again = () => compare([{ name: 'A', scenario: small }, { name: 'B', scenario: small }], { reps: 1, executor: new InlineExecutor(), out });
    expect(again).toThrow(InputError);
    expect(again).toThrow(/^out: expected a new or empty directory, but .* holds a previous run \(finish it with `resume`, or choose another `out`\)$/);
    expect(() => compare([{ name: 'A', scenario: small }, { name: 'B', scenario: small }], { reps: 1, out: join(dir, 'none'), resume: true })).toThrow(/^resume: expected an interrupted run in /);
  });

  it('sweep() without an output directory works in a temporary one and returns the summary', async () => {
    const run = sweep({ base: { population: { initialMembers: 60 } }, days: 20, reps: 2, factors: { 'policies.moderation.strictness': [0, 1] }, metrics: ['finalMembers'] }, { workers: 2 });
    const res = await run.result;
    expect(res.out).toBeUndefined();
    expect(res.summary.map((s) => [s.point, s.params['policies.moderation.strictness'], s.metric, s.n])).toEqual([[0, 0, 'finalMembers', 2], [1, 1, 'finalMembers', 2]]);
  });

  it('worker threads and the calling thread give byte-identical runs.csv', async () => {
    const exp = { base: { population: { initialMembers: 60 } }, days: 20, reps: 2, seed: 4, factors: { 'policies.response.targetHours': [1, 24] } };
    await sweep(exp, { out: join(dir, 'pooled'), workers: 2 }).result;
    await sweep(exp, { out: join(dir, 'inline'), executor: new InlineExecutor() }).result;
    for (const f of ['runs.csv', 'summary.csv']) expect(readFileSync(join(dir, 'inline', f), 'utf8')).toBe(readFileSync(join(dir, 'pooled', f), 'utf8'));
  });
});

// Resume checks what it finds: the corruptions the reliability review left silently wrong
// (a torn row mid-file, a row with a valid key and garbage values, made-up keys, series.csv cut
// short or deleted) are dropped and rerun, giving the uninterrupted files.
// Both forms of series.csv: wide (the default for a new sweep, `series: true`) and long.
describe.each([['wide', true], ['long', 'long']] as const)('experiments/runner resume (%s series)', (form, series) => {
  const exp = { base: { population: { initialMembers: 40 } }, days: 8, reps: 2, seed: 5, series, factors: { 'policies.response.targetHours': [1, 24] } };
  const files = ['runs.csv', 'series.csv', 'summary.csv'];
  let whole = '';
  beforeAll(async () => {
    whole = join(dir, `whole-${form}`);
    await sweep(exp, { out: whole, executor: new InlineExecutor() }).result;
  });
  const copy = (name: string) => {
    const to = join(dir, `${name}-${form}`);
    cpSync(whole, to, { recursive: true });
    return to;
  };
  const expectSame = async (out: string) => {
    const res = await sweep(exp, { out, executor: new InlineExecutor(), resume: true }).result;
    expect(res.completed).toBe(4);
    for (const f of files) expect(readFileSync(join(out, f), 'utf8'), f).toBe(readFileSync(join(whole, f), 'utf8'));
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).completed).toBe(4);
    expect(readdirSync(out).sort()).toEqual(['manifest.json', ...files].sort()); // no lock, no temporary file
  };

  it('drops a torn row, a row of garbage under a valid key, a wrong seed and made-up keys', async () => {
    const out = copy('rows');
    const lines = readFileSync(join(out, 'runs.csv'), 'utf8').split('\n');
    lines[2] = lines[2].split(',').slice(0, 4).join(','); // 0:1 torn in the middle of the file
    const seed0 = lines[1].split(',')[2];
    const badSeed = lines[3].split(',');
    badSeed[2] = '12345'; // 1:0 under a seed that is not its replication's
    lines[3] = badSeed.join(',');
    writeFileSync(join(out, 'runs.csv'), lines.join('\n') + `0,0,${seed0},oops,not,a,number\ngarbage line\n7,0,1,2\n`);
    await expectSame(out);
  });

  it('reruns the runs whose series block was cut short or deleted', async () => {
    const cut = copy('series-cut');
    const text = readFileSync(join(cut, 'series.csv'), 'utf8');
    writeFileSync(join(cut, 'series.csv'), text.slice(0, text.lastIndexOf('\n', text.length * 0.6) + 1));
    await expectSame(cut);
    const gone = copy('series-gone');
    rmSync(join(gone, 'series.csv'));
    await expectSame(gone);
  });

  it('writes the manifest before any other file, so a start that failed half-way can be resumed', async () => {
    const out = join(dir, `half-start-${form}`);
    mkdirSync(join(out, 'series.csv'), { recursive: true }); // creating series.csv fails
    expect(() => sweep(exp, { out, executor: new InlineExecutor() })).toThrow();
    rmSync(join(out, 'series.csv'), { recursive: true });
    await expectSame(out);
  });

  it('names a corrupt manifest instead of saying there is none', () => {
    const out = copy('bad-manifest');
    writeFileSync(join(out, 'manifest.json'), '{"kind": "sweep", ');
    expect(() => sweep(exp, { out, executor: new InlineExecutor(), resume: true })).toThrow(/^resume: expected the manifest of a run in .*manifest\.json, but it is not valid JSON/);
  });

  it('locks the directory against a second process, and takes over a stale lock', async () => {
    const out = copy('locked');
    writeFileSync(join(out, '.lock'), `${process.pid} ${hostname()}\n`); // held by a live process
    expect(() => sweep(exp, { out, executor: new InlineExecutor(), resume: true })).toThrow(new RegExp(`^resume: expected no other process working in .*, but process ${process.pid} holds its lock`));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // a process that has exited
    writeFileSync(join(out, '.lock'), `${dead} ${hostname()}\n`);
    await expectSame(out);
  });

  it('a second batch on the same directory is refused while the first holds it', async () => {
    const out = join(dir, `two-${form}`);
    const first = sweep(exp, { out, executor: new InlineExecutor() });
    expect(() => sweep(exp, { out, executor: new InlineExecutor(), resume: true })).toThrow(/holds its lock/);
    await first.result;
    await expectSame(out);
  });
});

// The wide series.csv: one row per run and day with the point's factor values, so a reader needs
// no join with runs.csv; the manifest records the form, and a resume keeps it.
describe('experiments/runner wide series.csv', () => {
  const exp = { base: { population: { initialMembers: 30 } }, days: 5, reps: 2, seed: 3, series: true, factors: { 'policies.response.targetHours': [2, null] } };
  let out = '';
  beforeAll(async () => {
    out = join(dir, 'wide');
    await sweep(exp, { out, executor: new InlineExecutor() }).result;
  });

  it('has the keys, the factor columns and every daily metric, one row per run and day', () => {
    const lines = readFileSync(join(out, 'series.csv'), 'utf8').trim().split('\n');
    const header = lines[0].split(',');
    const metrics = DAILY_METRIC_NAMES.filter((m) => m !== 'day');
    expect(header).toEqual(['point', 'rep', 'seed', 'day', 'policies.response.targetHours', ...metrics]);
    expect(lines.length - 1).toBe(2 * 2 * 6); // points x reps x days 0..5
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.every((r) => r.length === header.length)).toBe(true);
    // the factor value of the row's point, with null as its own token (not an empty cell, nor a word pandas reads as missing)
    expect(new Set(rows.filter((r) => r[0] === '0').map((r) => r[4]))).toEqual(new Set(['2']));
    expect(new Set(rows.filter((r) => r[0] === '1').map((r) => r[4]))).toEqual(new Set(['never']));
    expect(rows.slice(0, 6).map((r) => r[3])).toEqual(['0', '1', '2', '3', '4', '5']);
    // the same numbers as runs.csv's summary: the last day's members is finalMembers
    const runs = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const fm = runs[0].indexOf('finalMembers');
    const last = rows.filter((r) => r[0] === '1' && r[1] === '1').at(-1)!;
    expect(last[header.indexOf('members')]).toBe(runs.find((r) => r[0] === '1' && r[1] === '1')![fm]);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).seriesForm).toBe('wide');
  });

  it('a resume keeps the form of the manifest and refuses another', async () => {
    const copyOf = join(dir, 'wide-resume');
    cpSync(out, copyOf, { recursive: true });
    expect(() => sweep(exp, { out: copyOf, executor: new InlineExecutor(), resume: true, series: 'long' })).toThrow(/^series: expected the series form of the interrupted run in .* \(wide\) or none, got "long"/);
    await sweep(exp, { out: copyOf, executor: new InlineExecutor(), resume: true, series: 'wide' }).result;
    expect(readFileSync(join(copyOf, 'series.csv'), 'utf8')).toBe(readFileSync(join(out, 'series.csv'), 'utf8'));
  });

  it('a sweep written before the wide form (no seriesForm in its manifest) resumes long', async () => {
    // then `"series": true` meant long: the same experiment (and hash) is wide for a new sweep
    const old = join(dir, 'old-long');
    await sweep(exp, { out: old, executor: new InlineExecutor(), series: 'long' }).result;
    const whole = readFileSync(join(old, 'series.csv'), 'utf8');
    const manifest = JSON.parse(readFileSync(join(old, 'manifest.json'), 'utf8'));
    delete manifest.seriesForm;
    delete manifest.nullToken; // and wrote a factor's null as `null`
    writeFileSync(join(old, 'manifest.json'), JSON.stringify(manifest));
    const oldRuns = readFileSync(join(old, 'runs.csv'), 'utf8').replaceAll(',never,', ',null,');
    writeFileSync(join(old, 'runs.csv'), oldRuns);
    writeFileSync(join(old, 'series.csv'), whole.slice(0, whole.lastIndexOf('\n', whole.length / 2) + 1));
    const res = await sweep(exp, { out: old, executor: new InlineExecutor(), resume: true }).result;
    expect(res.completed).toBe(4);
    expect(readFileSync(join(old, 'series.csv'), 'utf8')).toBe(whole);
    expect(whole.split('\n')[0]).toBe('point,rep,seed,day,metric,value');
    expect(readFileSync(join(old, 'runs.csv'), 'utf8')).toBe(oldRuns); // the old rows kept, none rerun with another token
    expect(readFileSync(join(old, 'summary.csv'), 'utf8')).toMatch(/^1,null,finalMembers,/m);
  });

  it('--series turns the series on in a form for an experiment without one', async () => {
    const o = join(dir, 'flag-long');
    await sweep({ ...exp, series: false }, { out: o, executor: new InlineExecutor(), series: 'long' }).result;
    expect(readFileSync(join(o, 'series.csv'), 'utf8').split('\n')[0]).toBe('point,rep,seed,day,metric,value');
    expect(JSON.parse(readFileSync(join(o, 'manifest.json'), 'utf8'))).toMatchObject({ seriesForm: 'long', files: ['runs.csv', 'summary.csv', 'series.csv', 'manifest.json'] });
  });
});
