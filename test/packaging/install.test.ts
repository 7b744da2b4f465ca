/**
 * The package as a user gets it: `npm pack` (whose `prepack` compiles), the tarball installed
 * globally into a scratch prefix and into an empty project, then `community-sim run` and `sweep`
 * from a folder outside the clone and the README's library snippets run against the installed
 * copy. npm takes what it can from its cache (--prefer-offline) and asks the registry for the rest.
 *
 * The pack runs in a copy of the sources (with the clone's node_modules linked in), because
 * `prepack` empties dist/, which the CLI tests running alongside use.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run-cli.js';

const SOURCES = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'bin', 'engine', 'experiments', 'cli', 'scenarios'];
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

// A child npm must not inherit the settings of an `npm test` that started vitest (npm_config_*).
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

const scratch = mkdtempSync(join(tmpdir(), 'packaging-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The first fenced block of `lang` after the heading `heading` of the README. */
function readmeBlock(heading: string, lang: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf(`\n${heading}\n`);
  expect(at, `README heading ${heading}`).toBeGreaterThan(0);
  const m = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(readme.slice(at));
  expect(m, `a ${lang} block under ${heading}`).not.toBeNull();
  return m![1];
}

/** Shrinks a snippet's sizes so the test stays short; each replacement must find its text. */
function shrink(code: string, replacements: [string, string][]): string {
  for (const [from, to] of replacements) {
    expect(code, `the README snippet still contains ${from}`).toContain(from);
    code = code.split(from).join(to);
  }
  return code;
}

/** What `npm pack --json` says about the tarball it wrote. */
interface Packed {
  filename: string;
  files: { path: string }[];
}

let tarball = '';
let packed: Packed;

beforeAll(() => {
  const src = join(scratch, 'src');
  mkdirSync(src);
  for (const s of SOURCES) cpSync(join(ROOT, s), join(src, s), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'), 'dir');
  packed = (JSON.parse(npm(['pack', '--json', '--pack-destination', scratch, '--loglevel=error'], src)) as Packed[])[0];
  tarball = join(scratch, packed.filename);
}, 180_000);

describe('npm pack', () => {
  it('ships compiled files, the presets and the README, and nothing that compiles at install', () => {
    const files = packed.files.map((f) => f.path);
    for (const f of ['bin/community-sim.js', 'dist/cli/main.js', 'dist/engine/index.js', 'dist/engine/index.d.ts', 'dist/experiments/index.js', 'dist/experiments/worker.js', 'dist/experiments/queue/index.js', 'scenarios/moderated-forum.json', 'README.md', 'package.json']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.endsWith('.map') || f.startsWith('test/') || f.startsWith('dist/bench/'))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts[hook], hook).toBeUndefined();
  });
});

describe('the installed package', () => {
  it('npm install -g puts community-sim on the PATH: run and sweep work from any folder', () => {
    const prefix = join(scratch, 'global');
    npm(['install', '-g', '--prefix', prefix, ...NPM_FLAGS, tarball], scratch);
    const bin = join(prefix, 'bin', 'community-sim');
    const work = join(scratch, 'elsewhere');
    mkdirSync(work);

    const r = run(bin, ['run', '--days', '30', '--seed', '1', '--set', 'population.initialMembers=50', '--out', 'run.json'], work);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = JSON.parse(readFileSync(join(work, 'run.json'), 'utf8')) as { series: unknown[]; summary: { finalMembers: number } };
    expect(result.series).toHaveLength(31);
    expect(result.summary.finalMembers).toBeGreaterThan(0);

    expect(run(bin, ['presets'], work).stdout).toMatch(/^moderated-forum /m);

    writeFileSync(join(work, 'moderation.json'), JSON.stringify({ base: 'moderated-forum', days: 20, reps: 2, seed: 7, factors: { 'policies.moderation.strictness': [0, 1] }, metrics: ['finalMembers'] }));
    const s = run(bin, ['sweep', 'moderation.json', '--workers', '2'], work);
    expect(s.code, s.stderr).toBe(0);
    expect(readFileSync(join(work, 'moderation-results', 'runs.csv'), 'utf8').trim().split('\n')).toHaveLength(5);
    expect(existsSync(join(work, 'moderation-results', 'summary.csv'))).toBe(true);
  }, 180_000);

  it('a project that installs the tarball runs the README\'s library snippets', () => {
    const project = join(scratch, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'study', private: true, type: 'module' }));
    npm(['install', ...NPM_FLAGS, tarball], project);

    const engine = shrink(readmeBlock('## Library API', 'ts'), [['days: 180', 'days: 40']]);
    writeFileSync(join(project, 'engine.mjs'), `${engine}
if (JSON.stringify(again) !== JSON.stringify(result)) throw new Error('the resumed run differs from the original');
if (!result.events.some((e) => /targetHours/.test(JSON.stringify(e)))) throw new Error('no event for the live change');
console.log(JSON.stringify({ days: result.series.length, quick: quick.summary.finalMembers }));
`);
    const e = run(process.execPath, ['engine.mjs'], project);
    expect(e.stderr).toBe('');
    expect(JSON.parse(e.stdout)).toMatchObject({ days: 41 });

    writeFileSync(join(project, 'moderation.json'), JSON.stringify({ base: 'moderated-forum', days: 20, reps: 2, factors: { 'policies.moderation.strictness': [0, 1] }, metrics: ['finalMembers'] }));
    const study = shrink(readmeBlock('### From a script', 'js'), [['days: 180', 'days: 30'], ['initialMembers: 300', 'initialMembers: 60'], ['reps: 20', 'reps: 3'], ['workers: 4', 'workers: 2']]);
    writeFileSync(join(project, 'study.mjs'), `${study}
console.log(JSON.stringify({ summary: summary.length, failures: failures.length }));
`);
    const s = run(process.execPath, ['study.mjs'], project);
    expect(s.code, s.stderr).toBe(0);
    const lines = s.stdout.trim().split('\n');
    expect(lines.filter((l) => /^retentionD30 /.test(l))).toHaveLength(1);
    expect(JSON.parse(lines[lines.length - 1])).toEqual({ summary: 2, failures: 0 });
    expect(existsSync(join(project, 'moderation-results', 'summary.csv'))).toBe(true);
  }, 180_000);
});
