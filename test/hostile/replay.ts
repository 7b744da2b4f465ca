/**
 * The replay harness of the reliability review's attempts (test/hostile/): the CLI's main() called
 * in this process with stdout and stderr captured (a child process per attempt would cost ~0.5 s
 * each, 266 of them), a fresh directory per attempt, and the review's "expected" column as
 * assertions: exit 2 with one line naming the field, no stack trace and nothing written; or an
 * acceptance (exit 0).
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { main } from '../../cli/main.js';

export interface Outcome {
  /** The exit code the process would end with: process.exitCode, or 1 for an error thrown to the top. */
  code: number;
  stdout: string;
  stderr: string;
  /** An error main() let through: the binary would print its stack trace and exit 1. */
  crash?: unknown;
}

/**
 * Runs `community-sim ...args` in this process. main() reports through process.exitCode and the
 * two streams, so those are swapped for the call; an error that escapes main() is what the
 * binary would print as a stack trace.
 */
export async function cli(...args: string[]): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  const { stdout, stderr } = process;
  const writes = [stdout.write, stderr.write];
  const listeners = stdout.listeners('error');
  const capture = (into: string[]) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof process.stdout.write;
  stdout.write = capture(out);
  stderr.write = capture(err);
  process.exitCode = undefined;
  const argv = process.argv;
  process.argv = [argv[0], 'community-sim', ...args];
  let crash: unknown;
  try {
    await main(args);
  } catch (e) {
    crash = e;
  } finally {
    [stdout.write, stderr.write] = writes;
    process.argv = argv;
    // main() adds an EPIPE listener per call; drop ours so a few hundred calls do not warn.
    for (const l of stdout.listeners('error')) if (!listeners.includes(l)) stdout.off('error', l as () => void);
  }
  const code = crash !== undefined ? 1 : Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  const stack = crash instanceof Error ? `${crash.stack}\n` : crash !== undefined ? `${String(crash)}\n` : '';
  return { code, stdout: out.join(''), stderr: err.join('') + stack, crash };
}

/** Every file under `dir` (recursively) with its kind, size and modification time. */
export function listing(dir: string): string[] {
  const rows: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const s = lstatSync(p);
      rows.push(`${p} ${s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other'} ${s.isDirectory() ? '' : s.size} ${s.mtimeMs}`);
      if (s.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return rows;
}

/** Writes `name` under `dir` (text as is, bytes as is, anything else as JSON) and returns its path. */
export function put(dir: string, name: string, content: unknown): string {
  const p = join(dir, name);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, typeof content === 'string' || content instanceof Uint8Array ? content : JSON.stringify(content));
  return p;
}

const STACK = /\n\s+at |^\s+at |node:internal|^(Type|Range|Syntax|Reference)?Error: /m;

/** No stack trace, no raw JavaScript error on stderr. */
export function expectNoStack(o: Outcome): void {
  expect(o.crash, `a crash: ${o.stderr}`).toBeUndefined();
  expect(o.stderr).not.toMatch(STACK);
}

/**
 * The review's "exit 2, one line naming the field, no stack, nothing written": `field` must
 * appear in the line (a string is matched literally), and `lines` lines are expected (1 unless
 * the attempt has several problems).
 */
export function expectRefused(o: Outcome, field: string | RegExp, lines = 1): void {
  expectNoStack(o);
  expect(o.code, o.stderr).toBe(2);
  expect(o.stdout).toBe('');
  const got = o.stderr.trimEnd().split('\n');
  expect(got, o.stderr).toHaveLength(lines);
  if (typeof field === 'string') expect(got[0]).toContain(field);
  else expect(got[0]).toMatch(field);
}

/** Accepted: exit 0 and no stack trace. */
export function expectAccepted(o: Outcome): void {
  expectNoStack(o);
  expect(o.code, o.stderr).toBe(0);
}

/** One attempt of the review's "All attempts" table. */
export interface Row {
  /** The table's row number. */
  n: number;
  /** The review's id (the log's key), or a short name where the row has none. */
  id: string;
  /** What was tried, in the table's words. */
  what: string;
  /** Runs the attempt in `dir` (a fresh directory) and asserts what the table promises. */
  test: (dir: string) => Promise<void> | void;
  /** Replayed elsewhere, or waiting for a fix: the reason (the case is skipped). */
  skip?: string;
}

/** A refusal row: `args(dir)` is the command line; nothing may appear in `dir`. */
export function refusedRow(n: number, id: string, what: string, args: (dir: string) => string[], field: string | RegExp, lines = 1): Row {
  return {
    n,
    id,
    what,
    test: async (dir) => {
      const argv = args(dir);
      const before = listing(dir);
      const o = await cli(...argv);
      expectRefused(o, field, lines);
      expect(listing(dir), 'nothing written').toEqual(before);
    },
  };
}

/** An acceptance row: exit 0, then `check` on the outcome. */
export function acceptedRow(n: number, id: string, what: string, args: (dir: string) => string[], check?: (o: Outcome, dir: string) => void): Row {
  return {
    n,
    id,
    what,
    test: async (dir) => {
      const o = await cli(...args(dir));
      expectAccepted(o);
      check?.(o, dir);
    },
  };
}

/** A row replayed elsewhere (`where`: the test that replays it, or why it is no case here): skipped here, so CI runs it once. */
export const pointer = (n: number, id: string, what: string, where: string): Row => ({ n, id, what, skip: where, test: () => {} });

/** JSON text of the number 1 inside `depth` nested arrays (the review's deep-nesting attempts). */
export const deepArrays = (depth: number): string => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

/**
 * Registers one test per row, named `#N id: what`, each in its own fresh directory under a
 * scratch directory removed afterwards.
 */
export function replay(rows: Row[]): void {
  let root = '';
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'community-sim-hostile-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  for (const row of rows) {
    const name = `#${row.n} ${row.id}: ${row.what}`;
    (row.skip ? it.skip : it)(row.skip ? `${name} [${row.skip}]` : name, async () => {
      const dir = join(root, String(row.n));
      mkdirSync(dir, { recursive: true });
      await row.test(dir);
    });
  }
}
