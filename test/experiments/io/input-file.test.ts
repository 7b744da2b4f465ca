// Input files are read only when they are regular files: a FIFO named as a scenario or a graph
// file hung the command forever, and /dev/zero made Node abort with bad_alloc (review: stack
// traces from small crafted inputs). Run through the CLI with a time limit, so a regression fails
// instead of hanging the test run. Text must be UTF-8 (a byte order mark is dropped).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readInputFile } from '../../../experiments/io/input-file.js';
import { readJsonFile } from '../../../experiments/io/json-file.js';
import { InputError } from '../../../experiments/io/input-error.js';
import { ROOT, ensureBuilt } from '../../cli/run-cli.js';
import { scratchDir } from '../../cli/scratch.js';

beforeAll(ensureBuilt);
const scratch = scratchDir('input-file');

/** `community-sim validate FILE`, ended after 20 s. */
function validate(file: string) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/community-sim.js'), 'validate', file], { encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

function fifo(name: string): string {
  const path = join(scratch.path, name);
  expect(spawnSync('mkfifo', [path]).status).toBe(0);
  return path;
}

describe('input files', () => {
  it('a FIFO or a device named as the scenario is refused at once, exit 2', () => {
    const pipe = fifo('scenario.json');
    expect(validate(pipe)).toEqual({ code: 2, stdout: '', stderr: `${pipe}: expected a scenario file, got a FIFO\n` });
    expect(validate('/dev/zero')).toEqual({ code: 2, stdout: '', stderr: '/dev/zero: expected a scenario file, got a character device\n' });
  });

  it('a FIFO or a device named as the graph file is refused at once, exit 2', () => {
    const pipe = fifo('ties.txt');
    const viaFifo = scratch.write('with-fifo.json', { population: { graph: { file: pipe } } });
    expect(validate(viaFifo)).toMatchObject({ code: 2, stdout: '', stderr: `${pipe}: expected a graph file, got a FIFO\n` });
    const viaZero = scratch.write('with-zero.json', { population: { graph: { file: '/dev/zero' } } });
    expect(validate(viaZero)).toMatchObject({ code: 2, stdout: '', stderr: '/dev/zero: expected a graph file, got a character device\n' });
  });

  it('names a missing file and a directory', () => {
    const issue = (path: string) => {
      try {
        readInputFile(path, 'scenario');
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as InputError).issues;
      }
      throw new Error('expected an InputError');
    };
    expect(issue(join(scratch.path, 'absent.json'))).toEqual([{ path: join(scratch.path, 'absent.json'), message: 'no such scenario file' }]);
    expect(issue(scratch.path)).toEqual([{ path: scratch.path, message: 'expected a scenario file, got a directory' }]);
  });

  it('drops a UTF-8 byte order mark, and refuses bytes that are not UTF-8, naming the line', () => {
    const bom = scratch.write('bom.json', '\uFEFF{"days": 10}');
    expect(readJsonFile(bom, 'scenario')).toEqual({ days: 10 });
    const latin1 = join(scratch.path, 'latin1.json');
    writeFileSync(latin1, Buffer.concat([Buffer.from('{\n  "name": "caf'), Buffer.from([0xe9]), Buffer.from('"\n}\n')]));
    expect(() => readJsonFile(latin1, 'scenario')).toThrow(`${latin1}: expected UTF-8 text, got an invalid byte at line 2 (byte 16); save the file as UTF-8`);
    expect(readInputFile(scratch.write('plain.txt', 'a b\n'), 'graph')).toBe('a b\n');
  });
});
