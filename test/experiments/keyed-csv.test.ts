// The append-only keyed CSV behind runs.csv and series.csv: blocks appended in any order come out
// in canonical order, and a file torn by a kill recovers to its finished blocks only.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyedCsv, parseCsvLine } from '../../experiments/keyed-csv.js';

const dir = mkdtempSync(join(tmpdir(), 'keyed-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keyOf = (line: string) => line.split(',').slice(0, 2).join(':');

describe('experiments/keyed-csv', () => {
  it('finalize writes the blocks in the given order, the latest block of a key winning', () => {
    const p = join(dir, 'a.csv');
    const f = KeyedCsv.create(p, 'point,rep,v');
    f.append('1:0', '1,0,a\n1,0,b\n');
    f.append('0:0', '0,0,c\n');
    f.append('1:0', '1,0,A\n1,0,B\n');
    expect(f.count).toBe(2);
    f.finalize(['0:0', '0:1', '1:0']);
    expect(readFileSync(p, 'utf8')).toBe('point,rep,v\n0,0,c\n1,0,A\n1,0,B\n');
  });

  it('recover drops a torn last line and the blocks of unfinished keys', () => {
    const p = join(dir, 'b.csv');
    writeFileSync(p, 'point,rep,v\n2,0,x\n2,0,y\n0,1,z\n1,0,half-block\n');
    appendFileSync(p, '1,0,torn-li');
    const f = KeyedCsv.recover(p, 'point,rep,v', keyOf, (k) => k !== '1:0')!;
    expect(readFileSync(p, 'utf8')).toBe('point,rep,v\n2,0,x\n2,0,y\n0,1,z\n');
    expect([...f.keys()].sort()).toEqual(['0:1', '2:0']);
    f.append('1:0', '1,0,whole\n');
    f.finalize(['0:1', '1:0', '2:0']);
    expect(readFileSync(p, 'utf8')).toBe('point,rep,v\n0,1,z\n1,0,whole\n2,0,x\n2,0,y\n');
  });

  it('recover refuses a file of another shape', () => {
    const p = join(dir, 'c.csv');
    writeFileSync(p, 'something,else\n1,2\n');
    expect(KeyedCsv.recover(p, 'point,rep,v', keyOf, () => true)).toBeNull();
    expect(readFileSync(p, 'utf8')).toBe('something,else\n1,2\n');
  });

  it('parses the quoting cli/csv.ts writes', () => {
    expect(parseCsvLine('1,"a,b","say ""hi""",,x')).toEqual(['1', 'a,b', 'say "hi"', '', 'x']);
    expect(parseCsvLine('1,')).toEqual(['1', '']);
    expect(parseCsvLine('')).toEqual(['']);
  });
});
