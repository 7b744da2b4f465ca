/**
 * A scratch directory for one test file: created before its tests, removed after, with a
 * helper that writes a file into it (text as is, anything else as JSON) and returns its path.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export function scratchDir(prefix: string) {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `community-sim-${prefix}-`));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    /** The directory's path (available once the tests run). */
    get path() {
      return dir;
    },
    /** Writes `name` (subdirectories made as needed) and returns its path. */
    write(name: string, content: unknown): string {
      const p = join(dir, name);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
      return p;
    },
  };
}
