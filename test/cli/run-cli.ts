/**
 * Runs the built `community-sim` binary as a child process for the CLI tests, building dist/
 * first when any TypeScript source is newer than it (so `npx vitest run test/cli` works alone).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/community-sim.js');
const BUILT = join(ROOT, 'dist/cli/main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Compiles to dist/ unless it is up to date with cli/, engine/, scenarios/ and experiments/. */
export function ensureBuilt(): void {
  const sources = Math.max(...['cli', 'engine', 'scenarios', 'experiments'].map((d) => newestSource(join(ROOT, d))));
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= sources) return;
  // tsc emits even when a file elsewhere is mid-edit and fails to typecheck; the CLI needs only its part.
  spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  if (!existsSync(BUILT)) throw new Error('test/cli: the build did not produce dist/cli/main.js');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `community-sim ...args` in `cwd` (default: the repository root). */
export function cli(args: string[], cwd = ROOT): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
