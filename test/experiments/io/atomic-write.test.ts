// Atomic output files: a regular file is replaced whole, a symbolic link is written through, and
// anything else that already exists (a device, a FIFO, /dev/stdout's kind of link) is refused and
// left as it was, where a rename would have put a regular file in its place (review D4).
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../experiments/io/atomic-write.js';
import { InputError } from '../../../experiments/io/input-error.js';
import { scratchDir } from '../../cli/scratch.js';

const scratch = scratchDir('atomic');

function refusal(path: string): string {
  try {
    writeFileAtomic(path, 'data\n');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).issues).toHaveLength(1);
    expect((e as InputError).issues[0].path).toBe(path);
    return (e as InputError).issues[0].message;
  }
  throw new Error(`expected ${path} to be refused`);
}

const noTemporaries = () => expect(readdirSync(scratch.path).filter((f) => f.endsWith('.tmp'))).toEqual([]);

describe('writeFileAtomic', () => {
  it('writes a new file and replaces a regular one', () => {
    const f = join(scratch.path, 'out.json');
    writeFileAtomic(f, 'one\n');
    writeFileAtomic(f, 'two\n');
    expect(readFileSync(f, 'utf8')).toBe('two\n');
    noTemporaries();
  });

  it('refuses a character device, through a symbolic link, and leaves the link', () => {
    const link = join(scratch.path, 'null-link');
    symlinkSync('/dev/null', link);
    expect(refusal(link)).toBe('expected a regular file or a new path, got a symbolic link to a character device (refusing to replace it)');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('/dev/null');
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
    noTemporaries();
  });

  it('refuses a FIFO and leaves it a FIFO', () => {
    const fifo = join(scratch.path, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(refusal(fifo)).toBe('expected a regular file or a new path, got a FIFO (refusing to replace it)');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    noTemporaries();
  });

  it.skipIf(!existsSync('/proc/self/fd/1'))('refuses a link to /proc/self/fd/1 (what /dev/stdout is)', () => {
    const link = join(scratch.path, 'stdout-link');
    symlinkSync('/proc/self/fd/1', link);
    expect(refusal(link)).toMatch(/^expected a regular file or a new path, got a symbolic link to a (character device|FIFO|socket) \(refusing to replace it\)$/);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('refuses a directory and a link to a missing file', () => {
    const dir = join(scratch.path, 'a-dir');
    mkdirSync(dir);
    expect(refusal(dir)).toBe('it is a directory');
    expect(lstatSync(dir).isDirectory()).toBe(true);
    const dangling = join(scratch.path, 'dangling');
    symlinkSync(join(scratch.path, 'nowhere.json'), dangling);
    expect(refusal(dangling)).toBe('expected a regular file or a new path, got a symbolic link to a missing file');
    expect(existsSync(join(scratch.path, 'nowhere.json'))).toBe(false);
  });

  it('writes through a symbolic link to a regular file: the target changes, the link stays', () => {
    mkdirSync(join(scratch.path, 'real'));
    const target = join(scratch.path, 'real', 'results.json');
    writeFileSync(target, 'old\n');
    const link = join(scratch.path, 'results-link.json');
    symlinkSync(target, link);
    writeFileAtomic(link, 'new\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    expect(readdirSync(join(scratch.path, 'real'))).toEqual(['results.json']);
  });
});
