// `community-sim observe` through the built binary: CollegeMsg's weekly table as its README gives
// it (when the data set is beside the repository), the files it writes and that the graph file
// starts a scenario, and bad rows (exit 2 naming the line, or skipped and reported).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ensureBuilt, ROOT } from './run-cli.js';
import { scratchDir } from './scratch.js';

const scratch = scratchDir('observe');
beforeAll(() => ensureBuilt());

// The data set lives outside the repository (../shared/data from the integration checkout).
const COLLEGE = [resolve(ROOT, '../shared/data/collegemsg/CollegeMsg.txt'), resolve(ROOT, '../../shared/data/collegemsg/CollegeMsg.txt')].find(existsSync);

const parseCsv = (text: string) => {
  const [header, ...rows] = text.trim().split('\n').map((l) => l.split(','));
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] === '' ? NaN : h === 'date' ? r[i] : Number(r[i])])) as Record<string, number> & { date: string });
};

describe('community-sim observe', () => {
  it.skipIf(!COLLEGE)('reproduces the weekly table of the CollegeMsg README (new senders, messages, distinct senders)', () => {
    const r = cli(['observe', COLLEGE!, '--format', 'snap', '--period', 'week']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = parseCsv(r.stdout);
    expect(rows.length).toBe(28);
    const table = [
      [53, 196, 53], [208, 3510, 251], [264, 8568, 449], [192, 8976, 560], [133, 7430, 556],
      [201, 11294, 694], [92, 4244, 610], [68, 3443, 501], [25, 2035, 342], [3, 57, 38],
    ];
    expect(rows.slice(0, 10).map((w) => [w.newContributors, w.posts, w.contributors])).toEqual(table);
    expect(rows.map((w) => w.day)).toEqual(rows.map((_, k) => 7 * k));
    expect(rows[0].date).toBe('2004-04-15');
    for (const w of rows.slice(10)) {
      expect(w.newContributors).toBeGreaterThanOrEqual(2);
      expect(w.newContributors).toBeLessThanOrEqual(13);
      expect(w.posts).toBeGreaterThanOrEqual(121);
      expect(w.posts).toBeLessThanOrEqual(1193);
      expect(w.contributors).toBeGreaterThanOrEqual(49);
      expect(w.contributors).toBeLessThanOrEqual(225);
    }
    expect(rows.reduce((s, w) => s + w.posts, 0)).toBe(59835);
    expect(rows.reduce((s, w) => s + w.newContributors, 0)).toBe(1350);
  });

  it('writes the series and a reply network that a scenario starts from', () => {
    const log = scratch.write('forum.csv', 'timestamp,author,kind,target\n2024-01-01T00:00:00Z,ann,post,\n2024-01-01T01:00:00Z,bo,reply,ann\n2024-01-03T00:00:00Z,cy,post,\n');
    const out = join(scratch.path, 'series.csv');
    const graph = join(scratch.path, 'ties.csv');
    const r = cli(['observe', log, '--out', out, '--graph', graph]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`3 events by 3 members over 3 days -> 3 days in ${out}, 1 ties in ${graph}\n`);
    expect(readFileSync(out, 'utf8')).toBe('date,day,contributors,newContributors,posts,replies,questions\n2024-01-01,0,2,2,1,1,0\n2024-01-02,1,0,0,0,0,0\n2024-01-03,2,1,1,1,0,0\n');
    expect(readFileSync(graph, 'utf8').split('\n').slice(1)).toEqual(['ann bo', 'cy', '']);
    const scenario = scratch.write('from-log.json', { population: { graph: { file: graph } } });
    expect(cli(['validate', scenario])).toMatchObject({ code: 0 });
    const run = cli(['run', scenario, '--days', '1', '--format', 'csv']);
    expect(run.code).toBe(0);
    expect(parseCsv(run.stdout)[0].members).toBe(3);
  });

  it('maps columns and reads TSV by its extension', () => {
    const log = scratch.write('chat.tsv', 'sent\tuser\tto\n0\tu1\tu2\n60\tu2\tu1\n');
    const r = cli(['observe', log, '--columns', 'timestamp=sent,author=user,target=to']);
    expect(r.stderr).toBe('');
    expect(parseCsv(r.stdout)).toEqual([{ date: '1970-01-01', day: 0, contributors: 2, newContributors: 2, posts: 2, replies: 0, questions: 0 }]);
  });

  it('a bad row: exit 2 naming the line, nothing written; --skip-bad counts and reports them', () => {
    const log = scratch.write('bad.csv', 'timestamp,author\n0,a\nnoon,b\n5,c\n,d\n');
    const out = join(scratch.path, 'never.csv');
    const r = cli(['observe', log, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${log}:3: timestamp: expected an ISO 8601 date-time or Unix seconds, got "noon"\n`);
    expect(existsSync(out)).toBe(false);
    const s = cli(['observe', log, '--skip-bad']);
    expect(s.code).toBe(0);
    expect(s.stderr).toBe(`skipped 2 bad row(s); the first:\n  ${log}:3: timestamp: expected an ISO 8601 date-time or Unix seconds, got "noon"\n  ${log}:5: timestamp: expected an ISO 8601 date-time or Unix seconds, got ""\n`);
    expect(parseCsv(s.stdout)[0].contributors).toBe(2);
  });

  it('bad flags and files exit 2 with one line', () => {
    expect(cli(['observe', join(scratch.path, 'none.csv')]).stderr).toBe(`${join(scratch.path, 'none.csv')}: no such log file\n`);
    const log = scratch.write('ok.csv', 'timestamp,author\n0,a\n');
    const bad = cli(['observe', log, '--columns', 'when=time']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('--columns: expected FIELD=COLUMN pairs separated by commas, FIELD one of timestamp, author, kind, target, id, parent; got "when=time"\n');
    expect(cli(['observe', log, '--period', 'month']).code).toBe(2);
    expect(cli(['observe', scratch.write('snap.txt', '1 2 3\n')]).stderr).toMatch(/use --format snap\)\n$/);
  });
});
