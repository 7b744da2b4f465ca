// The replay covers the review's table: every row 1-266 of "All attempts" is one case, once,
// in one of test/hostile/*.test.ts (rows are declared as `n: N,` on its own line or `{ n: N, id: ...`, or as the first argument of a
// row helper such as refusedRow(N, 'id', ...)).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROWS = 266;
const here = dirname(fileURLToPath(import.meta.url));

describe('test/hostile covers the reliability review', () => {
  it(`declares each of the ${ROWS} rows exactly once`, () => {
    const seen: number[] = [];
    for (const f of readdirSync(here).filter((f) => f.endsWith('.test.ts') && f !== 'coverage.test.ts')) {
      const text = readFileSync(join(here, f), 'utf8');
      const row = /^\s*n: (\d+),$|\{ n: (\d+), id: |\b(?:refusedRow|acceptedRow|badGraph|goodGraph|systemGraph|corruption|designRow|queueRefused|pointer)\((\d+), '/gm;
      for (const m of text.matchAll(row)) seen.push(Number(m[1] ?? m[2] ?? m[3]));
    }
    const counts = new Map<number, number>();
    for (const n of seen) counts.set(n, (counts.get(n) ?? 0) + 1);
    expect([...counts].filter(([, c]) => c > 1).map(([n]) => n), 'rows declared twice').toEqual([]);
    expect(Array.from({ length: ROWS }, (_, i) => i + 1).filter((n) => !counts.has(n)), 'rows missing').toEqual([]);
    expect(seen.filter((n) => n < 1 || n > ROWS)).toEqual([]);
  });
});
