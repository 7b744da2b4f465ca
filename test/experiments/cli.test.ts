// The experiment commands through the built binary: compare's JSON, a sweep killed halfway and
// resumed equals an uninterrupted one file for file, and bad experiment files exit 2 naming
// the field without writing anything.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt, ROOT } from '../cli/run-cli.js';
import { scratchDir } from '../cli/scratch.js';

const scratch = scratchDir('experiments');
beforeAll(() => ensureBuilt());

const small = { population: { initialMembers: 100 } };

describe('community-sim compare', () => {
  it('prints the JSON contract with paired seeds and one row per metric', () => {
    // 300 members: a community of 100 may post nothing in 40 days, leaving meanToxicShare
    // undefined and out of n (right, but not the contract this case checks)
    const a = scratch.write('a.json', { population: { initialMembers: 300 }, days: 40 });
    const r = cli(['compare', a, a, '--set-b', 'policies.moderation.strictness=1', '--reps', '4', '--format', 'json', '--metrics', 'finalMembers,meanToxicShare', '--workers', '2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['arms', 'reps', 'seeds', 'rows']);
    expect(out.arms).toEqual([a, `${a} policies.moderation.strictness=1`]);
    expect(out.seeds.length).toBe(4);
    expect(out.rows.map((x: { metric: string }) => x.metric)).toEqual(['finalMembers', 'meanToxicShare']);
    for (const row of out.rows) {
      expect(Object.keys(row)).toEqual(['metric', 'a', 'b', 'diff', 'ciLow', 'ciHigh', 'relChange', 'significant', 'n']);
      expect(row.n).toBe(4);
      expect(row.diff).toBeCloseTo(row.b - row.a, 10);
      expect(row.ciLow).toBeLessThanOrEqual(row.diff);
      expect(row.significant).toBe(row.ciLow > 0 || row.ciHigh < 0);
    }
  });

  it('named arms: a shared --set, NAME:PATH=VALUE for one arm, a file that extends another, the names in every output', () => {
    const a = scratch.write('arms/a.json', { ...small, days: 30 });
    const strict = scratch.write('arms/strict.json', { extends: 'a.json', policies: { moderation: { strictness: 1 } } });
    const args = ['compare', '--arm', 'x=' + a, '--arm', 'same=' + a, '--arm', 'cut=' + a, '--arm', 'strict=' + strict,
      '--set', 'population.initialMembers=600', '--set', 'population.burnInDays=30', '--set', 'cut:policies.moderation.strictness=1', '--reps', '3', '--metrics', 'finalMembers,meanToxicShare', '--workers', '1'];
    const r = cli([...args, '--format', 'json']);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.arms).toEqual(['x', 'same', 'cut', 'strict']);
    const row = (arm: string, metric: string) => out.rows.find((x: { arm: string; metric: string }) => x.arm === arm && x.metric === metric);
    // the shared --set reached every arm (600 members, not 100), and the per-arm one only "cut"
    expect(row('same', 'finalMembers').a).toBeGreaterThan(300);
    expect(row('strict', 'finalMembers').b).toBeGreaterThan(300);
    for (const m of ['finalMembers', 'meanToxicShare']) expect(row('same', m).diff).toBe(0);
    expect(row('cut', 'meanToxicShare').diff).not.toBe(0);
    // extending a.json with strictness 1 is the same scenario as --set cut:...=1
    for (const m of ['finalMembers', 'meanToxicShare']) expect(row('strict', m).b).toBe(row('cut', m).b);
    const csv = cli([...args, '--format', 'csv']).stdout.split('\n');
    expect(csv[0]).toBe('baseline,arm,metric,a,b,diff,ciLow,ciHigh,relChange,significant,n');
    expect(csv.slice(1, -1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['x,same', 'x,cut', 'x,strict', 'x,same', 'x,cut', 'x,strict']);
    const table = cli([...args.slice(0, 3), '--arm', 'y=' + a, '--reps', '2', '--metrics', 'finalMembers']).stdout;
    expect(table).toMatch(/^A: x\nB: y\n/);
  });

  it('rejects bad arms and arm overrides with exit 2, naming the flag', () => {
    const a = scratch.write('arms/b.json', small);
    const fail = (args: string[]) => {
      const r = cli(['compare', ...args]);
      expect(r.code).toBe(2);
      return r.stderr;
    };
    expect(fail(['--arm', 'x=' + a, '--arm', 'x=' + a])).toMatch(/^--arm x=.*: expected a distinct arm name, got "x" twice$/m);
    expect(fail(['--arm', 'x' + a, '--arm', 'y=' + a])).toMatch(/^--arm x.*: expected NAME=PRESET or NAME=FILE/m);
    expect(fail(['--arm', 'x=' + a, '--arm', 'y=' + a, '--set', 'z:days=3'])).toMatch(/^--set z:days=3: expected NAME:PATH=VALUE with NAME one of the --arm names \(x, y\), got "z"$/m);
    expect(fail(['--arm', 'x=' + a, '--arm', 'y=' + a, '--set', 'y:policies.moderation.strictnes=1'])).toMatch(/policies\.moderation\.strictnes: unknown field/);
    expect(fail(['--arm', 'x=' + a])).toMatch(/^arms: expected at least two scenarios to compare \(positional or --arm\), got 1$/m);
  });

  it('leaves undefined values out of n: null in JSON, NA in the table, pairs only where both arms have a value', () => {
    // 20 days cannot measure D30 retention; a 3-member group has days, and runs, with nothing posted
    const a = scratch.write('tiny.json', { days: 20, population: { initialMembers: 3, organicPerDay: 0.2 } });
    const out = join(scratch.path, 'tiny-compare');
    const metrics = 'retentionD30,meanToxicShare,finalMembers';
    const r = cli(['compare', a, a, '--set-b', 'policies.moderation.strictness=1', '--reps', '6', '--format', 'json', '--metrics', metrics, '--out', out, '--workers', '2']);
    expect(r.code).toBe(0);
    const rows = Object.fromEntries(JSON.parse(r.stdout).rows.map((x: { metric: string }) => [x.metric, x]));
    expect(rows.retentionD30).toMatchObject({ n: 0, a: null, b: null, diff: null, ciLow: null, significant: false });
    expect(rows.finalMembers.n).toBe(6);
    // n of meanToxicShare = replications where both arms have a value in runs.csv
    const runs = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const col = runs[0].indexOf('meanToxicShare');
    const defined = (arm: number, rep: number) => runs.find((c) => c[0] === String(arm) && c[1] === String(rep))![col] !== '';
    const both = [0, 1, 2, 3, 4, 5].filter((rep) => defined(0, rep) && defined(1, rep)).length;
    expect(both).toBeLessThan(6); // the scenario must leave some runs undefined, or this checks nothing
    expect(rows.meanToxicShare.n).toBe(both);
    const table = cli(['compare', a, a, '--reps', '2', '--metrics', 'retentionD30', '--workers', '1']).stdout;
    expect(table).toMatch(/^retentionD30 +share +NA +NA +NA +\[NA, NA\] +NA +0$/m);
  });

  it('rejects bad flags with exit 2', () => {
    const r = cli(['compare', 'no-such-preset-x', 'no-such-preset-y', '--reps', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^--reps: expected an integer in \[1, 1000000\], got "0"\n$/);
    // Bounded like an experiment file (reps, seed) or by the machine (threads), before anything runs.
    const quick = ['compare', scratch.write('q1.json', small), scratch.write('q2.json', small), '--reps', '1', '--days', '5'];
    const bad = (args: string[], line: RegExp) => {
      const r = cli([...quick, ...args]);
      expect(r.stderr).toMatch(line);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
    };
    bad(['--seed', '4294967296'], /^--seed: expected an integer in \[0, 4294967295\], got "4294967296"\n$/);
    bad(['--reps', '1000000000'], /^--reps: expected an integer in \[1, 1000000\], got "1000000000"\n$/);
    bad(['--workers', '100000'], /^--workers: expected an integer in \[1, \d+\] \(4 x this machine's \d+ cores; each thread holds about 30 MB\), got "100000"\n$/);
    expect(cli(['compare', scratch.write('one.json', small)]).stderr).toMatch(/arms: expected at least two/);
    expect(cli(['compare', scratch.write('m.json', small), scratch.write('m2.json', small), '--metrics', 'finalMembers,bogus']).stderr).toMatch(/^--metrics: expected summary metric names/);
  });
});

describe('community-sim sweep', () => {
  const experiment = {
    base: small,
    days: 40,
    reps: 4,
    seed: 7,
    series: true,
    factors: { 'policies.moderation.strictness': [0, 1], 'policies.rubrics.perWeek': { min: 0, max: 6, n: 2, sample: 'grid' } },
    metrics: ['finalMembers', 'meanToxicShare'],
  };
  const files = ['runs.csv', 'summary.csv', 'series.csv'];
  const lines = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8').split('\n').length - 2 : 0);
  const manifest = (dir: string) => {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    for (const k of ['startedAt', 'endedAt', 'resumedAt', 'command']) delete m[k];
    return m;
  };

  it('a sweep killed halfway and resumed writes the same files as an uninterrupted one', async () => {
    const file = scratch.write('sweep.json', experiment);
    const whole = join(scratch.path, 'whole');
    const r = cli(['sweep', file, '--out', whole, '--workers', '2']);
    expect(r.code).toBe(0);
    expect(lines(join(whole, 'runs.csv'))).toBe(16);

    // Kill the second sweep (SIGKILL: no cleanup at all) once a few runs are in.
    const cut = join(scratch.path, 'cut');
    const child = spawn(process.execPath, [join(ROOT, 'bin/community-sim.js'), 'sweep', file, '--out', cut, '--workers', '1'], { stdio: 'ignore' });
    const exited = new Promise((res) => child.on('exit', res));
    await new Promise<void>((res, rej) => {
      const t = setInterval(() => {
        if (lines(join(cut, 'runs.csv')) >= 5) {
          clearInterval(t);
          child.kill('SIGKILL');
          res();
        }
      }, 5);
      child.on('exit', () => {
        clearInterval(t);
        rej(new Error('the sweep finished before it could be killed'));
      });
    });
    await exited;
    const kept = lines(join(cut, 'runs.csv'));
    expect(kept).toBeGreaterThanOrEqual(5);
    expect(kept).toBeLessThan(16);
    expect(existsSync(join(cut, 'summary.csv'))).toBe(false);

    const resumed = cli(['sweep', file, '--out', cut, '--workers', '2', '--resume']);
    expect(resumed.stderr).toMatch(/^16 runs in/);
    expect(resumed.code).toBe(0);
    for (const f of files) expect(readFileSync(join(cut, f), 'utf8'), f).toBe(readFileSync(join(whole, f), 'utf8'));
    expect(manifest(cut)).toEqual(manifest(whole));
    expect(JSON.parse(readFileSync(join(cut, 'manifest.json'), 'utf8')).resumedAt.length).toBe(1);

    // Tidy: one column per varied parameter; summary per point and metric.
    const runs = readFileSync(join(whole, 'runs.csv'), 'utf8').split('\n');
    expect(runs[0]).toMatch(/^point,rep,seed,policies\.moderation\.strictness,policies\.rubrics\.perWeek,finalMembers,/);
    expect(runs[1]).toMatch(/^0,0,\d+,0,0,/);
    const summary = readFileSync(join(whole, 'summary.csv'), 'utf8').split('\n');
    expect(summary[0]).toBe('point,policies.moderation.strictness,policies.rubrics.perWeek,metric,n,mean,sd,ciLow,ciHigh');
    expect(summary.length - 2).toBe(4 * 2);
    // wide (the default of "series": true): the factor columns after the day, then every daily metric
    expect(readFileSync(join(whole, 'series.csv'), 'utf8').split('\n')[0]).toMatch(/^point,rep,seed,day,policies\.moderation\.strictness,policies\.rubrics\.perWeek,members,active,/);
  });

  it('summary.csv leaves undefined values out of n and keeps intervals in range; a null factor value is the token never', () => {
    const file = scratch.write('undefined.json', {
      base: { population: { organicPerDay: 0 } },
      days: 20,
      reps: 3,
      factors: { 'population.initialMembers': [0, 30], 'policies.moderation.sanctions.banAfter': [null, 3] },
      metrics: ['finalMembers', 'meanToxicShare', 'retentionD30', 'answeredShare'],
    });
    const out = join(scratch.path, 'undefined-results');
    expect(cli(['sweep', file, '--out', out, '--workers', '2']).code).toBe(0);
    const runs = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    expect(new Set(runs.slice(1).map((c) => c[4]))).toEqual(new Set(['never', '3']));
    const summary = readFileSync(join(out, 'summary.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    // point, initialMembers, banAfter, metric, n, mean, sd, ciLow, ciHigh
    for (const [, members, , metric, n, mean, , low, high] of summary) {
      if (metric === 'finalMembers') expect(n).toBe('3');
      if (metric === 'retentionD30' || (members === '0' && metric === 'meanToxicShare')) expect([n, mean, low, high]).toEqual(['0', '', '', '']);
      if (metric === 'meanToxicShare' || metric === 'answeredShare') {
        if (low !== '') expect(Number(low)).toBeGreaterThanOrEqual(0);
        if (high !== '') expect(Number(high)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('a base scenario file naming a graph file relative to itself runs in the workers', () => {
    const edges = Array.from({ length: 60 }, (_, i) => `${i % 30} ${(i * 7 + 3) % 30}`).join('\n');
    scratch.write('club/ties.txt', edges);
    scratch.write('club/forum.json', { days: 15, population: { graph: { file: 'ties.txt' } } });
    const file = scratch.write('club/exp.json', { base: 'forum.json', reps: 2, factors: { 'policies.moderation.strictness': [0, 1] } });
    const out = join(scratch.path, 'club-out');
    const r = cli(['sweep', file, '--out', out, '--workers', '2']); // run from the repository root
    expect(r.code, r.stderr).toBe(0);
    expect(lines(join(out, 'runs.csv'))).toBe(4);
  });

  it('a graph file that does not parse is exit 2 before anything is written, in sweep, compare and sensitivity', () => {
    const bad = scratch.write('badgraph/ties.txt', 'a b 1\nb c heavy\n');
    const forum = scratch.write('badgraph/forum.json', { days: 10, population: { graph: { file: 'ties.txt' } } });
    const expected = new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line 2: expected a positive weight`);
    const out = join(scratch.path, 'badgraph-out');
    const sweepFile = scratch.write('badgraph/exp.json', { base: 'forum.json', reps: 1, factors: { 'policies.moderation.strictness': [0, 1] } });
    const sensFile = scratch.write('badgraph/sens.json', { base: 'forum.json', factors: { 'policies.moderation.strictness': { min: 0, max: 1, n: 1 } }, sensitivity: { trajectories: 2 } });
    for (const args of [['sweep', sweepFile, '--out', out], ['compare', forum, forum, '--reps', '1', '--out', out], ['sensitivity', sensFile, '--out', out]]) {
      const r = cli(args);
      expect(r.stderr, args[0]).toMatch(expected);
      expect(r.code, args[0]).toBe(2);
      expect(existsSync(out), args[0]).toBe(false);
    }
    // A graph factor's values are checked too.
    const viaFactor = scratch.write('badgraph/factor.json', { base: { days: 10 }, reps: 1, factors: { 'population.graph': [{ file: bad }] } });
    expect(cli(['sweep', viaFactor, '--out', out]).stderr).toMatch(expected);
    expect(existsSync(out)).toBe(false);
  });

  it('an --out it cannot create or write fails with exit 2 naming --out, without hanging', () => {
    const file = scratch.write('sweep-out.json', experiment);
    const plain = scratch.write('a-file.txt', 'not a directory');
    for (const out of [plain, '/proc/community-sim-nope/deeper']) {
      const r = cli(['sweep', file, '--out', out]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^--out: expected a directory this process can write, got /);
    }
  });

  it('refuses to overwrite a previous sweep, and to resume a different experiment', () => {
    const file = scratch.write('sweep.json', experiment);
    const whole = join(scratch.path, 'whole');
    expect(cli(['sweep', file, '--out', whole]).stderr).toMatch(/^--out: expected a new or empty directory/);
    const other = scratch.write('other.json', { ...experiment, reps: 5 });
    const r = cli(['sweep', other, '--out', whole, '--resume']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^--resume: expected the same experiment/);
  });

  it('bad experiment files: the field path and what was expected, exit 2, nothing written', () => {
    const cases: [unknown, RegExp][] = [
      ['{ "base": ', /bad\.json: not valid JSON/],
      [{ base: small, factors: { 'policies.moderation.strictnes': [0, 1] } }, /^factors\.policies\.moderation\.strictnes: unknown field/],
      [{ base: small, factors: { 'policies.rubrics.perWeek': { min: 3, max: 3, n: 2 } } }, /^factors\.policies\.rubrics\.perWeek\.max: expected max > min \(an empty range\)/],
      [{ base: small, reps: 0 }, /^reps: expected an integer in \[1, 1000000\], got 0$/m],
      [{ base: small, factors: { 'policies.moderation.strictness': [0, 2] } }, /^factors\.policies\.moderation\.strictness\[1\]: expected a number in \[0, 1\], got 2$/m],
      [{ base: small, factors: { 'population.initialMembers': { min: 50, max: 150, n: 4, sample: 'lhs' } } }, /^factors\.population\.initialMembers: expected an integer .*\(set "integer": true on the range\)$/m],
      [{ base: 'no-such-preset' }, /^base: unknown preset "no-such-preset"/],
      [{ factors: {} }, /^base: /],
    ];
    for (const [content, message] of cases) {
      const file = scratch.write('bad.json', content);
      const out = join(scratch.path, 'never');
      const r = cli(['sweep', file, '--out', out]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(existsSync(out)).toBe(false);
    }
    expect(cli(['sweep', join(scratch.path, 'missing.json')]).stderr).toMatch(/missing\.json: no such experiment file/);
  });
});

describe('community-sim sensitivity', () => {
  it('prints Morris indices per factor and writes sensitivity.csv', () => {
    const file = scratch.write('sens.json', {
      base: small, days: 30, reps: 1, seed: 3,
      factors: { 'policies.moderation.strictness': { min: 0, max: 1, n: 2 }, 'population.organicPerDay': { min: 0, max: 5, n: 2 } },
      sensitivity: { trajectories: 3 },
    });
    const out = join(scratch.path, 'sens');
    const r = cli(['sensitivity', file, '--method', 'morris', '--metric', 'finalMembers', '--out', out, '--workers', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Morris elementary effects of finalMembers \(9 design points\)/);
    expect(r.stdout).toMatch(/population\.organicPerDay/);
    const csv = readFileSync(join(out, 'sensitivity.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('method,metric,factor,muStar,muStarLow,muStarHigh,mu,sigma,n');
    expect(csv[1].endsWith(',3')).toBe(true); // every trajectory has finalMembers
    expect(csv.length - 2).toBe(2);
    const list = cli(['sensitivity', scratch.write('list.json', { base: small, factors: { 'policies.moderation.strictness': [0, 1] } })]);
    expect(list.code).toBe(2);
    expect(list.stderr).toMatch(/^factors\.policies\.moderation\.strictness: expected a range/);
  });
});

describe('community-sim optimise', () => {
  const spec = {
    base: { population: { initialMembers: 40 } },
    days: 10,
    reps: 1,
    finalReps: 2,
    levers: { 'policies.moderation.strictness': { min: 0, max: 1 } },
    budget: { hoursPerDay: 5 },
    objectives: [{ metric: 'finalMembers' }, { metric: 'meanToxicShare' }],
    runs: 14,
    populationSize: 4,
  };

  it('writes the front, the runs and the manifest, and prints the front with the base last', () => {
    const file = scratch.write('opt/spec.json', spec);
    const out = join(scratch.path, 'opt/out');
    const r = cli(['optimise', file, '--out', out, '--workers', '1']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/strategies on the front after \d+ generations, \d+ runs in/);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^base\s/);
    for (const f of ['front.csv', 'candidates.csv', 'manifest.json']) expect(existsSync(join(out, f))).toBe(true);
    expect(cli(['optimise', file, '--out', out]).stderr).toMatch(/^--out: expected a new or empty directory.*pass --resume/);
  });

  it('rejects a bad spec with exit 2, naming the field', () => {
    const file = scratch.write('opt/bad.json', { ...spec, objectives: [{ metric: 'bogus' }] });
    const r = cli(['optimise', file, '--out', join(scratch.path, 'opt/bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^objectives\[0\]\.metric: /);
    expect(existsSync(join(scratch.path, 'opt/bad'))).toBe(false);
  });
});

describe('runs bounded by --max-members and --max-memory (each worker thread, and up front)', () => {
  it('a run that outgrows the limit in a worker thread fails with the cause named, the others finish; a start too big is exit 2 before anything is written', () => {
    const explosive = { days: 200, population: { initialMembers: 76, burnInDays: 20, audience: 1_000_000 }, behaviour: { referralRate: 0.56 }, policies: { acquisition: { referralIncentive: 7.7 } } };
    const file = scratch.write('grow/exp.json', { base: explosive, reps: 1, factors: { 'behaviour.referralRate': [0.56, 0.001] } });
    const out = join(scratch.path, 'grow-out');
    const r = cli(['sweep', file, '--out', out, '--workers', '2', '--max-members', '2000']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/the community grew past the limit of 2,000 members on day \d+/);
    expect(r.stderr).not.toMatch(/\n\s+at |RangeError/);
    expect(readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n')).toHaveLength(2); // the header and the run that fit

    const big = join(scratch.path, 'big-out');
    const refused = cli(['compare', scratch.write('grow/a.json', { population: { initialMembers: 5000 } }), scratch.write('grow/b.json', small), '--out', big, '--max-members', '1000']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/a\.json: population: 5,000 members at the start .*--max-members 1,000/);
    expect(existsSync(big)).toBe(false);
  }, 60_000);
});
