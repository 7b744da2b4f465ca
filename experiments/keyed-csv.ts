/**
 * An append-only CSV file whose rows come in blocks, one block per run key: what runs.csv (one
 * row per run) and series.csv (one block of rows per run) are while a sweep runs.
 *
 * - Blocks are appended with a synchronous write as runs finish, so a kill keeps every finished
 *   run, and memory holds only an index (key -> byte offset and length), never the rows.
 * - `recover` reopens a file left by a killed sweep: a torn last line is dropped and the blocks
 *   the caller does not accept (unfinished, torn in the middle, garbage, someone else's seed) are
 *   removed (compacting the file once), so a half-written block never merges with its rerun.
 * - What is renamed into place is fsynced first (and its directory after), so a power loss
 *   leaves the old file or the new one, never an empty one.
 * - `finalize` rewrites the file with the blocks in a canonical key order (through a temporary
 *   file and a rename): runs finish in whatever order the workers make, but the final file is
 *   the same whether the sweep ran at once or was killed and resumed.
 */
import { closeSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncDir, tempName } from './io/atomic-write.js';
import { sweepIo } from './io/disk-full.js';

interface Block {
  offset: number;
  length: number;
}

const NL = 10;

export class KeyedCsv {
  private fd: number;
  private size: number;
  private readonly index = new Map<string, Block>();

  private constructor(readonly path: string, private readonly headerLine: string, fd: number, size: number) {
    this.fd = fd;
    this.size = size;
  }

  /** A new file with just the header (an existing one is replaced). */
  static create(path: string, header: string): KeyedCsv {
    const fd = openSync(path, 'w+'); // read back by finalize
    const text = Buffer.from(`${header}\n`);
    sweepIo.writeSync(fd, text);
    return new KeyedCsv(path, header, fd, text.length);
  }

  /**
   * Reopens a file written by an interrupted run, keeping only the blocks (runs of consecutive
   * lines with one key) that `keep` accepts, given the key and the block's lines (`keyOf` reads
   * a line's key). Returns null when the file is missing or its header differs (not this
   * experiment's file).
   */
  static recover(path: string, header: string, keyOf: (line: string) => string, keep: (key: string, lines: string[]) => boolean): KeyedCsv | null {
    if (!existsSync(path)) return null;
    // a name of this process's own: a second process recovering the same file must not share it
    const tmp = tempName(path, 'recover');
    const out = KeyedCsv.create(tmp, header);
    let firstLine = true;
    let ok = true;
    let blockKey = '';
    let block: Buffer[] = [];
    let blockText: string[] = [];
    const flush = () => {
      if (block.length && keep(blockKey, blockText)) out.append(blockKey, Buffer.concat(block));
      block = [];
      blockText = [];
    };
    const read = (fn: () => void) => {
      try {
        fn();
      } catch (e) {
        // runs.csv that is a directory or cannot be read: no temporary copy left behind
        out.close();
        rmSync(tmp, { force: true });
        const err = e as NodeJS.ErrnoException;
        if (err && typeof err === 'object' && err.code && !err.path) err.path = path; // readSync does not say which file
        throw e;
      }
    };
    read(() => eachLine(path, (line) => {
      const text = line.toString('utf8');
      if (firstLine) {
        firstLine = false;
        ok = text === header;
        return ok;
      }
      const key = keyOf(text);
      if (key !== blockKey) {
        flush();
        blockKey = key;
      }
      block.push(Buffer.concat([line, Buffer.from('\n')]));
      blockText.push(text);
      return true;
    }));
    try {
      flush();
      if (!ok) {
        out.close();
        rmSync(tmp, { force: true });
        return null;
      }
      // Swap the compacted copy in; the open descriptor keeps pointing at the same data.
      fsyncSync(out.fd);
      renameSync(tmp, path);
      fsyncDir(dirname(path));
    } catch (e) {
      out.close();
      rmSync(tmp, { force: true });
      throw e;
    }
    return Object.assign(out, { path });
  }

  /** Forgets a key's block (finalize leaves it out; a later append of the key replaces it). */
  drop(key: string): void {
    this.index.delete(key);
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  get count(): number {
    return this.index.size;
  }

  keys(): IterableIterator<string> {
    return this.index.keys();
  }

  /** Appends one block (complete lines, each ending with a newline); a later block of the same key replaces it. */
  append(key: string, lines: string | Buffer): void {
    const buf = typeof lines === 'string' ? Buffer.from(lines) : lines;
    let done = 0;
    while (done < buf.length) done += sweepIo.writeSync(this.fd, buf, done, buf.length - done, this.size + done);
    this.index.set(key, { offset: this.size, length: buf.length });
    this.size += buf.length;
  }

  /**
   * Rewrites the file with the blocks of `order` in that order (keys without a block are
   * skipped, blocks of keys not in `order` dropped), atomically, and closes it.
   */
  finalize(order: Iterable<string>): void {
    const tmp = tempName(this.path, 'final');
    const out = openSync(tmp, 'w');
    try {
      sweepIo.writeSync(out, `${this.headerLine}\n`);
      let buf = Buffer.alloc(1 << 16);
      for (const key of order) {
        const b = this.index.get(key);
        if (!b) continue;
        if (b.length > buf.length) buf = Buffer.alloc(b.length);
        readSync(this.fd, buf, 0, b.length, b.offset);
        sweepIo.writeSync(out, buf, 0, b.length);
      }
      fsyncSync(out);
    } catch (e) {
      closeSync(out);
      rmSync(tmp, { force: true }); // never leave a partial copy behind (a full disk, say)
      throw e;
    }
    closeSync(out);
    this.close();
    renameSync(tmp, this.path);
    fsyncDir(dirname(this.path));
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/**
 * Calls `fn` with every complete line of a file (without its newline), reading in chunks so a
 * large file costs no memory; a last line without a newline (torn by a kill) is ignored.
 * Stops early when `fn` returns false.
 */
export function eachLine(path: string, fn: (line: Buffer) => boolean | void): void {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    let pos = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, pos);
      if (n === 0) return;
      pos += n;
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(NL, start); nl >= 0; nl = data.indexOf(NL, start)) {
        if (fn(data.subarray(start, nl)) === false) return;
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(start));
    }
  } finally {
    closeSync(fd);
  }
}

/** Splits one CSV line into cells (quotes as written by cli/csv.ts `cell`). */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let s = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) { s += line.slice(i); i = line.length; break; }
        s += line.slice(i, q);
        if (line[q + 1] === '"') { s += '"'; i = q + 2; }
        else { i = q + 1; break; }
      }
      out.push(s);
    } else {
      const c = line.indexOf(',', i);
      out.push(c < 0 ? line.slice(i) : line.slice(i, c));
      if (c < 0) return out;
      i = c;
    }
    if (i >= line.length) return out;
    i++; // the comma
    if (i === line.length) { out.push(''); return out; }
  }
}
