// Rows 192-217 of the reliability review's "All attempts" (area 3: killed, interrupted and
// corrupted sweeps). A small finished sweep (2 points x 2 replications, series on) is made once;
// each row copies it, breaks it as the review did, and `sweep --resume` (in this process) must
// give the uninterrupted files byte for byte, or refuse clearly (exit 2, one line, no stack).
// The review's 154 kill points are represented by the seams that matter: a start that dies before
// the manifest exists, a SIGKILL mid-sweep of a real process, and a second process on the folder.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { InlineExecutor } from '../../experiments/executor.js';
import { loadExperiment } from '../../experiments/schema.js';
import { sweep } from '../../experiments/sweep.js';
import { ROOT, ensureBuilt } from '../cli/run-cli.js';
import { cli, expectAccepted, expectRefused, replay, type Row } from './replay.js';

const SPEC = { base: { days: 6, population: { initialMembers: 30, burnInDays: 0 } }, reps: 2, seed: 5, series: true, factors: { 'policies.response.targetHours': [1, 24] } };
const FILES = ['runs.csv', 'series.csv', 'summary.csv'];
const TOTAL = 4;

let home = '';
let spec = '';
let whole = '';
beforeAll(async () => {
  ensureBuilt(); // the worker thread loads dist/experiments/worker.js
  home = mkdtempSync(join(tmpdir(), 'community-sim-hostile-resume-'));
  spec = join(home, 'exp.json');
  writeFileSync(spec, JSON.stringify(SPEC));
  whole = join(home, 'whole');
  expectAccepted(await cli('sweep', spec, '--out', whole, '--workers', '1'));
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** A copy of the finished sweep in `dir/out`. */
const copy = (dir: string) => {
  const out = join(dir, 'out');
  cpSync(whole, out, { recursive: true });
  return out;
};
const read = (out: string, f: string) => readFileSync(join(out, f), 'utf8');
const resume = (out: string) => cli('sweep', spec, '--out', out, '--workers', '1', '--resume');

/**
 * A resume gives the uninterrupted files, a manifest counting every run once, and no leftovers.
 * Through the CLI (a worker thread, ~1 s to start) where the row is about the command; the
 * corruption rows resume in this thread through the library the command calls, to stay cheap.
 */
async function expectResumedSame(out: string, via: 'cli' | 'library' = 'cli'): Promise<void> {
  if (via === 'cli') expectAccepted(await resume(out));
  else await sweep(loadExperiment(spec), { out, executor: new InlineExecutor(), resume: true }).result;
  for (const f of FILES) expect(read(out, f), f).toBe(read(whole, f));
  expect(JSON.parse(read(out, 'manifest.json')).completed).toBe(TOTAL);
  expect(readdirSync(out).sort()).toEqual(['manifest.json', ...FILES].sort());
}

/** A corruption of the finished sweep's files, then --resume: identical files. */
function corruption(n: number, id: string, what: string, breakIt: (out: string) => void): Row {
  return {
    n,
    id,
    what,
    test: async (dir) => {
      const out = copy(dir);
      breakIt(out);
      await expectResumedSame(out, 'library');
    },
  };
}

const editRuns = (edit: (lines: string[]) => string[] | string) => (out: string) => {
  const lines = read(out, 'runs.csv').split('\n');
  const r = edit(lines);
  writeFileSync(join(out, 'runs.csv'), typeof r === 'string' ? r : r.join('\n'));
};
const editManifest = (change: object) => (out: string) => {
  const m = JSON.parse(read(out, 'manifest.json'));
  writeFileSync(join(out, 'manifest.json'), JSON.stringify({ ...m, ...change }));
};
/** Bytes of a fixed pseudo-random sequence, none a newline. */
const noise = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => ((i * 2654435761) >>> 13) % 256).map((b) => (b === 10 ? 11 : b)));

const rows: Row[] = [
  {
    n: 192,
    id: 'kill-random',
    what: 'a sweep SIGKILLed mid-run (represents the 34 kills at random times), then --resume: byte-identical files',
    test: async (dir) => {
      const out = join(dir, 'out');
      const big = join(dir, 'exp.json');
      writeFileSync(big, JSON.stringify(SPEC));
      const child = spawn(process.execPath, [join(ROOT, 'bin/community-sim.js'), 'sweep', big, '--out', out, '--workers', '1'], { stdio: 'ignore' });
      // Kill it once the first run is in runs.csv, before the last (4 runs of ~0.1 s each after a start of ~0.5 s).
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          const rows = existsSync(join(out, 'runs.csv')) ? read(out, 'runs.csv').split('\n').length - 2 : 0;
          if (rows >= 1 || child.exitCode !== null) {
            clearInterval(poll);
            child.kill('SIGKILL');
            resolve();
          }
        }, 5);
      });
      await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
      expectAccepted(await cli('sweep', big, '--out', out, '--workers', '1', '--resume'));
      for (const f of FILES) expect(read(out, f), f).toBe(read(whole, f));
    },
  },
  {
    n: 193,
    id: 'kill-at-fs-call',
    what: 'a start that dies after the output folder exists but before runs.csv/series.csv are made (kill points 3-7): --resume finishes it, no leftovers',
    test: async (dir) => {
      const out = join(dir, 'out');
      mkdirSync(join(out, 'series.csv'), { recursive: true }); // creating series.csv fails: the start dies there
      expectRefused(await cli('sweep', spec, '--out', out, '--workers', '1'), /^--out: expected .*series\.csv to be a file this process can read and write, got a directory \(EISDIR\)/);
      rmSync(join(out, 'series.csv'), { recursive: true });
      expect(existsSync(join(out, 'manifest.json')), 'the manifest is written first').toBe(true);
      await expectResumedSame(out);
    },
  },
  {
    n: 194,
    id: 'two-resumers',
    what: 'two --resume of one local folder at once: the second refuses (the folder is locked); files intact',
    test: async (dir) => {
      const out = copy(dir);
      writeFileSync(join(out, '.lock'), `${process.pid} ${(await import('node:os')).hostname()}\n`); // held by a live process
      const o = await resume(out);
      expectRefused(o, /^--resume: expected no other process working in .*, but process \d+ holds its lock/);
      for (const f of FILES) expect(read(out, f), f).toBe(read(whole, f));
      rmSync(join(out, '.lock'));
      await expectResumedSame(out);
    },
  },
  corruption(195, 'runs-truncated', 'runs.csv truncated mid-way through its last line', (out) => {
    const t = read(out, 'runs.csv');
    writeFileSync(join(out, 'runs.csv'), t.slice(0, t.length - 20));
  }),
  corruption(196, 'runs-torn-mid', 'a line cut in the middle with complete rows after it', editRuns((l) => ((l[2] = l[2].split(',').slice(0, 4).join(',')), l))),
  corruption(197, 'runs-garbage-line', 'append "garbage line\\n" (manifest completed stays 4 of 4)', editRuns((l) => l.join('\n') + 'garbage line\n')),
  corruption(198, 'runs-garbage-nonl', 'append garbage without newline', editRuns((l) => l.join('\n') + 'garbage')),
  corruption(199, 'runs-valid-key-garbage', 'append 0,0,SEED,oops,not,a,number (valid key, garbage values)', editRuns((l) => l.join('\n') + `0,0,${l[1].split(',')[2]},oops,not,a,number\n`)),
  corruption(200, 'runs-point-999', 'append a row for point 999', editRuns((l) => l.join('\n') + `999,0,${l[1].split(',').slice(2).join(',')}\n`)),
  corruption(201, 'runs-noise', 'append 3000 random bytes (no newline)', (out) => writeFileSync(join(out, 'runs.csv'), Buffer.concat([readFileSync(join(out, 'runs.csv')), noise(3000)]))),
  corruption(202, 'runs-noise-nl', 'append random bytes + newline', (out) => writeFileSync(join(out, 'runs.csv'), Buffer.concat([readFileSync(join(out, 'runs.csv')), noise(3000), Buffer.from('\n')]))),
  corruption(203, 'runs-dup', 'duplicate two rows', editRuns((l) => [...l.slice(0, 3), l[1], l[2], ...l.slice(3)])),
  corruption(204, 'runs-delete-row', 'delete one row', editRuns((l) => [l[0], ...l.slice(2)])),
  corruption(205, 'runs-bad-header', 'corrupt the header', editRuns((l) => [`x${l[0]}`, ...l.slice(1)])),
  corruption(206, 'runs-empty', 'empty runs.csv', (out) => writeFileSync(join(out, 'runs.csv'), '')),
  corruption(207, 'runs-deleted', 'delete runs.csv', (out) => rmSync(join(out, 'runs.csv'))),
  corruption(208, 'runs-crlf', 'CRLF line endings (edited on Windows)', editRuns((l) => l.join('\r\n'))),
  {
    n: 209,
    id: 'runs-hand-edit',
    what: 'a finished value edited by hand: kept (undetectable without checksums, as documented), exit 0',
    test: async (dir) => {
      const out = copy(dir);
      const lines = read(out, 'runs.csv').split('\n');
      const cells = lines[1].split(',');
      cells[cells.length - 1] = '12345';
      lines[1] = cells.join(',');
      writeFileSync(join(out, 'runs.csv'), lines.join('\n'));
      expectAccepted(await resume(out));
      expect(read(out, 'runs.csv').split('\n')[1]).toBe(lines[1]);
    },
  },
  {
    n: 210,
    id: 'manifest-not-json',
    what: 'manifest.json not JSON: refused clearly, naming it (it said "no manifest.json there")',
    test: async (dir) => {
      const out = copy(dir);
      writeFileSync(join(out, 'manifest.json'), '{"kind": "sweep", ');
      expectRefused(await resume(out), /^--resume: expected the manifest of a run in .*manifest\.json, but it is not valid JSON/);
    },
  },
  {
    n: 211,
    id: 'manifest-other-hash',
    what: 'manifest.json with another experimentHash: refused, "its hash differs"',
    test: async (dir) => {
      const out = copy(dir);
      editManifest({ experimentHash: 'f'.repeat(64) })(out);
      expectRefused(await resume(out), /its hash differs/);
    },
  },
  corruption(212, 'manifest-resumedAt-string', 'manifest resumedAt is a string', editManifest({ resumedAt: 'yesterday' })),
  corruption(213, 'manifest-resumedAt-object', 'manifest resumedAt is an object (it crashed with a TypeError)', editManifest({ resumedAt: { a: 1 } })),
  corruption(214, 'series-foreign-row', 'series.csv: a foreign row with a valid key appended', (out) => {
    const lines = read(out, 'series.csv').trimEnd().split('\n');
    writeFileSync(join(out, 'series.csv'), `${lines.join('\n')}\n${lines[1]}\n`);
  }),
  corruption(215, 'series-cut', 'series.csv cut in half', (out) => {
    const t = read(out, 'series.csv');
    writeFileSync(join(out, 'series.csv'), t.slice(0, t.lastIndexOf('\n', t.length / 2) + 1));
  }),
  corruption(216, 'series-deleted', 'series.csv deleted', (out) => rmSync(join(out, 'series.csv'))),
  {
    n: 217,
    id: 'runs-is-dir',
    what: 'runs.csv replaced by a directory: refused clearly (it was an EISDIR stack trace)',
    test: async (dir) => {
      const out = copy(dir);
      rmSync(join(out, 'runs.csv'));
      mkdirSync(join(out, 'runs.csv'));
      expectRefused(await resume(out), /^--out: expected .*runs\.csv to be a file this process can read and write, got a directory \(EISDIR\)/);
      expect(readdirSync(out).sort(), 'no temporary file left').toEqual(['manifest.json', ...FILES].sort());
    },
  },
];

describe('reliability review, area 3: interrupted and corrupted sweeps', () => {
  replay(rows);
});
