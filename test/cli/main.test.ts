// The community-sim CLI as a user meets it: the built binary in a child process, its exit codes,
// its one-line errors and its outputs.
import { existsSync, lstatSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cli, ensureBuilt } from './run-cli.js';
import { scratchDir } from './scratch.js';

beforeAll(ensureBuilt);
const scratch = scratchDir('cli');
const write = scratch.write;

/** Bad input: exit 2, the expected lines on stderr and nothing else, no stack trace, no stdout. */
function expectBadInput(r: ReturnType<typeof cli>, ...lines: (string | RegExp)[]) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toMatch(/\n\s+at /);
  const got = r.stderr.trimEnd().split('\n');
  expect(got).toHaveLength(lines.length);
  lines.forEach((l, i) => (typeof l === 'string' ? expect(got[i]).toBe(l) : expect(got[i]).toMatch(l)));
}

describe('help', () => {
  it('documents every command and the scenario-path contract', () => {
    const r = cli(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['run', 'validate', 'schema', 'presets']) expect(r.stdout).toContain(cmd);
    expect(r.stdout).toContain('policies.moderation.strictness');
    expect(r.stdout).toContain('Exit codes');
  });

  it.each(['run', 'validate', 'schema', 'presets'])('%s --help exits 0', (cmd) => {
    const r = cli([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`community-sim ${cmd}`);
  });

  it('run --help names every flag and the path contract', () => {
    const { stdout } = cli(['run', '--help']);
    for (const flag of ['--preset', '--days', '--seed', '--set', '--out', '--format']) expect(stdout).toContain(flag);
    expect(stdout).toContain('Scenario paths');
  });
});

describe('bad input exits 2 with the field named', () => {
  it('an out-of-range --set value', () => {
    expectBadInput(cli(['run', '--set', 'policies.moderation.strictness=7']), 'policies.moderation.strictness: expected a number in [0, 1], got 7');
  });

  it('an unknown --set path, naming the unknown key and the known ones', () => {
    expectBadInput(cli(['run', '--set', 'policies.moderation.strictnes=0.5']), /^policies\.moderation\.strictnes: unknown field \(known: strictness, /);
  });

  it('every problem of one invocation, one line each, in command-line order', () => {
    expectBadInput(
      cli(['run', '--set', 'nonsense', '--set', 'policies.response.targetHours=soon', '--days', '0', '--seed', '-1']),
      '--set nonsense: expected path=value, e.g. policies.moderation.strictness=0.8',
      /^policies\.response\.targetHours: expected a number .*, got "soon"$/,
      'days: expected an integer in [1, 36500], got 0',
      'seed: expected an integer in [0, 4294967295], got -1',
    );
  });

  it('a value that breaks two rules of its field is one line', () => {
    expectBadInput(cli(['run', '--seed', '1e20']), 'seed: expected an integer in [0, 4294967295], got 100000000000000000000');
  });

  it('at most 20 lines, the last counting the rest', () => {
    const keys = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`x${i}`, 1]));
    const f = write('many-unknown.json', { population: keys });
    const r = cli(['validate', f]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(20);
    expect(lines[0]).toBe(`${f}: population.x0: unknown field`);
    expect(lines[19]).toBe('... and 981 more problems');
  });

  it('a value nested thousands deep, in a file or a --set, is one line, not a stack overflow', () => {
    const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    const f = write('deep.json', `{"days": 1, "population": {"initialMembers": ${deep}}}`);
    expectBadInput(cli(['validate', f]), new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: expected JSON nested at most 64 levels deep, got deeper at population\\.initialMembers\\[0\\]`));
    expectBadInput(cli(['run', '--set', `population.initialMembers=${deep}`]), /^--set population\.initialMembers: expected JSON nested at most 64 levels deep, got deeper at \[0\]/);
  });

  it('a malformed JSON file, with where it broke', () => {
    const f = write('broken.json', '{\n  "days": 30,\n}\n');
    expectBadInput(cli(['run', f]), new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON at line 3 column 1: expected a property name in double quotes$`));
  });

  it('a missing scenario file', () => {
    const f = join(scratch.path, 'nowhere.json');
    expectBadInput(cli(['run', f]), `${f}: no such scenario file`);
  });

  it('an unknown preset', () => {
    expectBadInput(cli(['run', '--preset', 'no-such-preset']), /^unknown preset "no-such-preset" \(/);
  });

  it('a file and a preset at once', () => {
    expectBadInput(cli(['run', write('a.json', '{}'), '--preset', 'x']), 'give a scenario FILE or --preset NAME, not both');
  });

  it('an unknown flag or format (commander usage errors)', () => {
    expect(cli(['run', '--bogus']).code).toBe(2);
    expect(cli(['run', '--format', 'xml']).code).toBe(2);
    expect(cli(['frobnicate']).code).toBe(2);
  });

  it('writes nothing to --out', () => {
    const out = join(scratch.path, 'never.json');
    expectBadInput(cli(['run', '--set', 'days=-3', '--out', out]), 'days: expected an integer in [1, 36500], got -3');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(scratch.path).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('runs bounded by --max-members and --max-memory', () => {
  it('a start the limits cannot hold is refused before it runs, with the estimate (exit 2)', () => {
    const big = cli(['run', '--days', '2', '--set', 'population.initialMembers=10000000', '--set', 'population.graph={"generator":"small-world","meanDegree":200}', '--max-memory', '4GB']);
    expectBadInput(big, /^population: 10,000,000 members at the start need about 72\.5 GB \(7250 bytes a member, mean degree 200\) and about 61 minutes at full speed; this machine allows 4\.0 GB a run \(--max-memory 4\.0 GB\), about 551,724 members: start smaller, or raise --max-memory if it has the memory$/);
    expectBadInput(cli(['run', '--set', 'population.initialMembers=2000', '--max-members', '1000']), /^population: 2,000 members at the start .* this machine allows --max-members 1,000: start smaller, or raise --max-members/);
    expectBadInput(cli(['run', '--days', '10', '--set', 'population.initialMembers=20', '--set', 'population.organicPerDay=100000', '--set', 'population.audience=1000000', '--max-members', '50000']), /^population: up to 1,000,000 members by day 10 \(20 at the start, 999,980 from population\.organicPerDay within population\.audience\)/);
    expectBadInput(cli(['run', '--max-memory', '12']), '--max-memory: expected a size of at least 1MB such as 8GB, 512MB or 2GiB, got "12"');
  });

  it('a community that outgrows the limit mid-run stops with the day and the cause, no stack trace, nothing written (exit 2)', () => {
    const f = write('explosive.json', { days: 365, population: { initialMembers: 76, burnInDays: 30, audience: 1_000_000 }, behaviour: { referralRate: 0.56 }, policies: { acquisition: { referralIncentive: 7.7 } } });
    const out = join(scratch.path, 'explosive-out.json');
    const r = cli(['run', f, '--max-members', '3000', '--out', out]);
    expectBadInput(r, /^the community grew past the limit of 3,000 members on day \d+ .*\(--max-members, --max-memory\)$/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('validate', () => {
  it('prints ok and the scenario name', () => {
    const r = cli(['validate', write('good.json', JSON.stringify({ name: 'tiny forum', days: 10, policies: { moderation: { strictness: 0.9 } } }))]);
    expect(r).toMatchObject({ code: 0, stdout: 'ok: tiny forum\n', stderr: '' });
  });

  it('prints every bad field, prefixed by the file', () => {
    const f = write('bad.json', JSON.stringify({ days: 10, population: { initialMembers: -1 }, policies: { moderation: { strictness: 1.7, loud: true } } }));
    const r = cli(['validate', f]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n').sort()).toEqual([
      `${f}: policies.moderation.loud: unknown field`,
      `${f}: policies.moderation.strictness: expected a number in [0, 1], got 1.7`,
      `${f}: population.initialMembers: expected an integer in [0, 10000000], got -1`,
    ]);
  });

  it('reads the graph file the scenario names, relative to the scenario', () => {
    write('ties.txt', 'a b\nb c 2\n');
    expect(cli(['validate', write('with-graph.json', JSON.stringify({ name: 'g', population: { graph: { file: 'ties.txt' } } }))], ROOT).code).toBe(0);
  });

  it('rejects a graph file that does not parse, naming the file', () => {
    write('bad.gexf', '<gexf><graph><nodes><node id="a"></nodes></graph></gexf>');
    const r = cli(['validate', write('bad-graph.json', JSON.stringify({ population: { graph: { file: 'bad.gexf' } } }))], scratch.path);
    expectBadInput(r, /^bad\.gexf: not well-formed XML \(line 1, column \d+: /);
  });

  it('rejects a missing graph file at population.graph.file', () => {
    const r = cli(['validate', write('no-graph.json', JSON.stringify({ population: { graph: { file: 'absent.txt' } } }))]);
    expectBadInput(r, /^population\.graph\.file: no such graph file "absent\.txt"/);
  });
});

describe('schema and presets', () => {
  it('schema prints a JSON Schema with the scenario blocks', () => {
    const r = cli(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['days', 'seed', 'population', 'policies', 'schedule', 'shocks']));
    expect(schema.properties.policies.properties.moderation.properties.strictness).toMatchObject({ minimum: 0, maximum: 1 });
  });

  it('presets lists every scenarios/*.json with its description', () => {
    const r = cli(['presets']);
    expect(r.code).toBe(0);
    const files = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.json')).sort();
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(files.map((f) => f.replace(/\.json$/, '')));
    for (const [i, f] of files.entries()) {
      const { description } = JSON.parse(readFileSync(join(ROOT, 'scenarios', f), 'utf8'));
      if (description) expect(lines[i]).toContain(description);
    }
  });
});

describe('run', () => {
  const small = ['--days', '30', '--seed', '1', '--set', 'population.initialMembers=40'];
  /** stdout of a run that must succeed (stderr shown on failure). */
  const ok = (args: string[]) => {
    const r = cli(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return r.stdout;
  };

  it('prints the RunResult JSON: scenario, seed, version, daily series, summary, cohorts', () => {
    const r = cli(['run', ...small]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['scenario', 'seed', 'version', 'series', 'summary', 'cohorts', 'graph', 'events']));
    expect(out.seed).toBe(1);
    expect(out.scenario).toMatchObject({ days: 30, population: { initialMembers: 40 } });
    expect(out.series.map((row: { day: number }) => row.day)).toEqual(Array.from({ length: out.series.length }, (_, i) => out.series[0].day + i));
    expect(out.series.at(-1).day).toBe(30);
    expect(out.series[0]).toMatchObject({ day: 0, members: 40 });
    expect(out.summary).toHaveProperty('finalMembers', out.series.at(-1).members);
    expect(out.cohorts).toHaveProperty('sizes');
  });

  it('gives byte-identical output for the same seed, and different output for another', () => {
    const a = ok(['run', ...small]);
    expect(ok(['run', ...small])).toBe(a);
    expect(ok(['run', ...small, '--seed', '2'])).not.toBe(a);
  });

  it('--format csv is the tidy daily series: a header, one row per day, one column per metric', () => {
    const json = JSON.parse(ok(['run', ...small]));
    const r = cli(['run', ...small, '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0].split(',')).toEqual(Object.keys(json.series[0]));
    expect(lines).toHaveLength(json.series.length + 1);
    // an undefined value: null in JSON, an empty cell in CSV
    expect(lines[1].split(',').map((c) => (c === '' ? null : Number(c)))).toEqual(Object.values(json.series[0]));
  });

  it('--out writes the same bytes to the file and nothing to stdout', () => {
    const out = join(scratch.path, 'run.csv');
    const r = cli(['run', ...small, '--format', 'csv', '--out', out]);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(readFileSync(out, 'utf8')).toBe(ok(['run', ...small, '--format', 'csv']));
    expect(readdirSync(scratch.path).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--out into a missing directory is bad input', () => {
    expectBadInput(cli(['run', ...small, '--out', join(scratch.path, 'no/such/dir/run.json')]), /: its directory does not exist$/);
  });

  it('--out refuses a device or a link to one, and leaves it in place', () => {
    const link = join(scratch.path, 'devnull-link');
    symlinkSync('/dev/null', link);
    expectBadInput(cli(['run', ...small, '--out', link]), `${link}: expected a regular file or a new path, got a symbolic link to a character device (refusing to replace it)`);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('--preset runs a shipped scenario, with overrides on top', () => {
    const r = cli(['run', '--preset', 'moderated-forum', ...small]);
    expect(r.code).toBe(0);
    const preset = JSON.parse(readFileSync(join(ROOT, 'scenarios/moderated-forum.json'), 'utf8'));
    const out = JSON.parse(r.stdout);
    expect(out.scenario.policies.moderation.strictness).toBe(preset.policies?.moderation?.strictness ?? 0.5);
    expect(out.scenario.population.initialMembers).toBe(40);
  });

  it('starts from a graph file named by the scenario', () => {
    write('club.txt', '# five members in a ring and a spoke\na b\nb c\nc d\nd a\ne a\n');
    const f = write('club.json', JSON.stringify({ days: 5, population: { graph: { file: 'club.txt' }, burnInDays: 0 } }));
    const out = JSON.parse(ok(['run', f]));
    expect(out.series[0]).toMatchObject({ day: 0, members: 5, ties: 5 });
  });
});

describe('metrics', () => {
  it('prints every metric with unit, better direction and range, from the engine registry', async () => {
    const { DAILY_METRIC_NAMES, SUMMARY_METRIC_NAMES } = await import('../../engine/metrics.js');
    const r = cli(['metrics']);
    expect(r.code).toBe(0);
    for (const n of [...DAILY_METRIC_NAMES, ...SUMMARY_METRIC_NAMES]) expect(r.stdout).toMatch(new RegExp(`^${n} `, 'm'));
    expect(r.stdout).toMatch(/^retentionD30 +share +higher +\[0, 1\] +Share of newcomers .* up to day 30 after joining; undefined when no newcomer joined early enough\.$/m);
    expect(r.stdout).toMatch(/^medianResponseHours +hours +lower +\[0, ∞\) /m);
  });

  it('--format json gives the definitions, an unbounded end as null', () => {
    const r = cli(['metrics', '--format', 'json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.summary.growthRate).toMatchObject({ unit: 'per 30 days', better: 'higher', kind: 'rate', range: [-1, null] });
    expect(j.daily.toxicShare).toMatchObject({ unit: 'share', better: 'lower', range: [0, 1] });
  });

  it('a bad --format exits 2', () => {
    const r = cli(['metrics', '--format', 'csv']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('prints only the metrics named; an unknown name exits 2 naming it', () => {
    const r = cli(['metrics', 'retentionD30', 'toxicShare']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /^\w+ +\S+ +(higher|lower|none) /.test(l)).map((l) => l.split(' ')[0])).toEqual(['toxicShare', 'retentionD30']);
    const j = JSON.parse(cli(['metrics', 'answeredShare', '--format', 'json']).stdout);
    expect(Object.keys(j.daily)).toEqual(['answeredShare']);
    expect(Object.keys(j.summary)).toEqual(['answeredShare']);
    expectBadInput(cli(['metrics', 'retention']), /^retention: unknown metric \(daily: day, members, /);
  });
});

describe('undefined metrics', () => {
  it('are null in JSON and empty cells in CSV, never 0', () => {
    // 20 days without inflow cannot measure D30 retention
    const json = JSON.parse(cli(['run', '--set', 'population.organicPerDay=0', '--days', '20']).stdout);
    expect(json.summary.retentionD30).toBeNull();
    expect(json.summary.retentionD90).toBeNull();
    // nobody at all: no shares, no medians, no growth from 0
    const empty = cli(['run', '--set', 'population.initialMembers=0', '--set', 'population.organicPerDay=0', '--days', '3']);
    const run = JSON.parse(empty.stdout);
    for (const k of ['growthRate', 'meanToxicShare', 'answeredShare', 'medianResponseHours', 'lurkerShare', 'postsGini']) expect(run.summary[k], k).toBeNull();
    expect(run.summary.finalMembers).toBe(0);
    expect(run.series[1].toxicShare).toBeNull();
    expect(run.series[1].meanSatisfaction).toBeNull();
    const csv = cli(['run', '--set', 'population.initialMembers=0', '--set', 'population.organicPerDay=0', '--days', '3', '--format', 'csv']).stdout.trim().split('\n');
    const header = csv[0].split(',');
    const day1 = csv[2].split(',');
    expect(day1[header.indexOf('toxicShare')]).toBe('');
    expect(day1[header.indexOf('members')]).toBe('0');
  });
});

describe('--set into population.graph', () => {
  it('sets a field of the generated graph, and refuses one of the file form', () => {
    // without the burn-in, day 0 holds the drawn graph itself
    const tiesAt0 = (degree: number) => JSON.parse(cli(['run', '--days', '1', '--set', 'population.burnInDays=0', '--set', `population.graph.meanDegree=${degree}`]).stdout).series[0].ties;
    expect(tiesAt0(20)).toBeGreaterThan(4 * tiesAt0(2));
    expectBadInput(cli(['run', '--set', 'population.graph.file=club.gexf']), /^population\.graph\.file: not a field of population\.graph in its current form \{ generator, meanDegree, rewire \}/);
    expectBadInput(cli(['run', '--set', 'population.graph.generator=lattice']), /^population\.graph\.generator: expected one of/);
  });
});
