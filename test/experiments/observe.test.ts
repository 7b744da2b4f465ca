// Observed series from interaction logs: a small forum log whose daily and weekly series are
// counted by hand below, the SNAP form, bad rows, quoting, column maps, and invariants over
// generated logs (fast-check). The CollegeMsg check is in test/cli/observe.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../experiments/io/input-error.js';
import { observeLines, tiesEdgeList, type ObserveOptions } from '../../experiments/observe.js';

// Day 0 starts at the first event, 2024-01-01 10:00 UTC; day d covers [10:00 + d days, 10:00 + d + 1 days).
const FORUM = `timestamp,author,kind,target,id,parent
2024-01-01T10:00:00Z,alice,join,,,
2024-01-01T10:05:00Z,alice,question,,q1,
2024-01-01T12:00:00Z,bob,answer,alice,a1,q1
2024-01-01 13:00:00,alice,reply,bob,r1,a1
2024-01-02T09:00:00Z,carol,join,,,
2024-01-02T11:00:00+00:00,carol,post,,p1,
2024-01-02T14:00:00+02:00,bob,question,,q2,
2024-01-02T12:30:00Z,bob,reply,,r2,q2
2024-01-03T10:30:00Z,alice,reaction,,,p1
2024-01-04T10:00:00Z,bob,leave,,,
1704448800,erin,post,,p2,
2024-01-12T12:00:00Z,dave,answer,,a3,q2
`;
// q1 is answered by bob after 1 h 55 min; q2 (day 1, 12:00 UTC) only by its asker within 7 days,
// and by dave after 10 days (too late). The log ends on day 11, after both questions' windows.

const lines = (text: string) => text.split('\n');
const observe = (text: string, opts: ObserveOptions = {}) => observeLines(lines(text), opts);
const pick = (rows: Record<string, unknown>[], cols: string[]) => rows.map((r) => cols.map((c) => r[c]));
const COUNTS = ['day', 'contributors', 'newContributors', 'posts', 'replies', 'questions', 'joins', 'members'];

describe('observe: a forum log counted by hand', () => {
  it('daily series', async () => {
    const r = await observe(FORUM);
    expect(r.columns).toEqual(['date', 'day', 'contributors', 'newContributors', 'posts', 'replies', 'questions', 'answeredShare', 'medianResponseHours', 'joins', 'members']);
    expect(r.rows.length).toBe(12);
    expect(r.events).toBe(12);
    expect(r.authors).toBe(5);
    expect(r.rows[0].date).toBe('2024-01-01');
    expect(r.rows[11].date).toBe('2024-01-12');
    const zeros = (day: number, members: number) => [day, 0, 0, 0, 0, 0, 0, members];
    expect(pick(r.rows, COUNTS)).toEqual([
      [0, 2, 2, 1, 2, 1, 2, 3], // alice and bob contribute; alice, bob and carol (09:00 next morning) on the rolls
      [1, 2, 1, 2, 1, 1, 0, 3], // carol's post, bob's question and self-reply
      zeros(2, 3), // a reaction is not a contribution
      zeros(3, 2), // bob leaves
      [4, 1, 1, 1, 0, 0, 0, 3], // erin (Unix seconds)
      zeros(5, 3), zeros(6, 3), zeros(7, 3), zeros(8, 3), zeros(9, 3), zeros(10, 3),
      [11, 1, 1, 0, 1, 0, 0, 4], // dave's late answer
    ]);
    expect(r.rows[0].answeredShare).toBe(1);
    expect(r.rows[1].answeredShare).toBe(0);
    expect(r.rows[0].medianResponseHours).toBeCloseTo(115 / 60, 12);
    for (const row of r.rows.slice(2)) expect(row.answeredShare).toBeNaN();
    for (const row of r.rows.slice(1)) expect(row.medianResponseHours).toBeNaN();
  });

  it('weekly series: counts distinct over the week, day = first day of the week', async () => {
    const r = await observe(FORUM, { period: 'week' });
    expect(pick(r.rows, ['date', ...COUNTS, 'answeredShare'])).toEqual([
      ['2024-01-01', 0, 4, 4, 4, 3, 2, 2, 3, 0.5],
      ['2024-01-08', 7, 1, 1, 0, 1, 0, 0, 4, NaN],
    ]);
    expect(r.rows[0].medianResponseHours).toBeCloseTo(115 / 60, 12);
  });

  it('does not depend on the order of the lines', async () => {
    const [header, ...body] = lines(FORUM.trim());
    const reversed = [header, ...body.reverse()].join('\n');
    expect((await observe(reversed)).rows).toEqual((await observe(FORUM)).rows);
  });

  it('the reply network: author to target, or to the author of the item answered', async () => {
    const r = await observe(FORUM, { ties: true });
    // bob-alice (answer), alice-bob again (reply), bob's self-reply dropped, dave-bob through q2;
    // alice's reaction to carol's post is not a reply; erin and carol have no tie.
    expect(tiesEdgeList(r.ties!, 'forum.csv').split('\n').slice(1)).toEqual(['alice bob', 'bob dave', 'carol', 'erin', '']);
  });

  it('a question asked less than 7 days before the log ends is left out of answeredShare', async () => {
    const text = 'timestamp,author,kind,id,parent\n0,a,question,q,\n3600,b,answer,x,q\n86400,c,question,q2,\n172800,d,post,,\n';
    const r = await observe(text);
    // q was answered (share 1 on day 0) yet its window is still open at the end: the share stays undefined.
    expect(r.rows.map((x) => x.answeredShare)).toEqual([NaN, NaN, NaN]);
    expect(r.rows[0].medianResponseHours).toBe(1);
  });

  it('without id and parent there is no answeredShare; without join or leave no joins or members', async () => {
    const r = await observe('author,timestamp\nx,0\ny,100000\n');
    expect(r.columns).toEqual(['date', 'day', 'contributors', 'newContributors', 'posts', 'replies', 'questions']);
    expect(pick(r.rows, ['day', 'contributors', 'posts'])).toEqual([[0, 1, 1], [1, 1, 1]]);
  });
});

describe('observe: forms of logs', () => {
  it('SNAP temporal networks: SRC DST UNIXTS, comments, every line a post to DST', async () => {
    const snap = '# a comment\n% another\n1 2 1000\n2 1 1100\n1 3 90000\n\n3 3 200000\n';
    const r = await observe(snap, { format: 'snap', ties: true });
    expect(pick(r.rows, ['day', 'contributors', 'newContributors', 'posts'])).toEqual([[0, 2, 2, 2], [1, 1, 0, 1], [2, 1, 1, 1]]);
    expect(tiesEdgeList(r.ties!, 's').split('\n').slice(1, -1)).toEqual(['1 2', '1 3']);
    const weekly = await observe(snap, { format: 'snap', period: 'week' });
    expect(pick(weekly.rows, ['day', 'contributors', 'newContributors', 'posts'])).toEqual([[0, 3, 3, 4]]);
  });

  it('TSV, mapped and differently cased column names, quoted fields with commas and line breaks', async () => {
    const tsv = 'Sent_At\tUser\tbody\n2024-01-01T00:00:00Z\tu1\thello\n2024-01-01T01:00:00Z\tu2\t"two\tlines\nand ""quotes"""\n';
    const r = await observe(tsv, { format: 'tsv', columns: { timestamp: 'sent_at', author: 'user' } });
    expect(pick(r.rows, ['contributors', 'posts'])).toEqual([[2, 2]]);
    const csv = 'timestamp,author,text,kind\n0,"Smith, J.","a, b",question\n5,"x\n"\n';
    await expect(observe(csv)).rejects.toThrow('log:3: expected 4 fields as in the header, got 2');
    const ok = await observe('timestamp,author,text,kind\n0,"Smith, J.","a, b",question\n5,x,"multi\nline",reply\n9,y,z,\n');
    expect(pick(ok.rows, ['contributors', 'posts', 'replies', 'questions'])).toEqual([[3, 2, 1, 1]]);
  });

  it('timestamps: offsets, a date alone, fractional seconds; milliseconds are refused', async () => {
    const r = await observe('timestamp,author\n2024-03-01T00:00:00+0100,a\n2024-02-29T23:00:00Z,b\n2024-03-01,c\n1709251200.5,d\n');
    expect(r.start).toBe(Date.UTC(2024, 1, 29, 23) / 1000);
    expect(r.rows[0].contributors).toBe(4);
    await expect(observe('timestamp,author\n1709251200000,a\n')).rejects.toThrow('log:2: timestamp: expected Unix seconds, got "1709251200000" (milliseconds? divide by 1000)');
  });
});

describe('observe: bad input', () => {
  const BAD = 'timestamp,author,kind\n0,a,post\nyesterday,b,post\n10,,post\n20,c,shout\n30,d\n40,e,reply\n';

  it('stops at the first bad row with its line and what was expected', async () => {
    const err = await observe(BAD, { label: 'x.csv' }).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.issues).toEqual([{ path: 'x.csv:3', message: 'timestamp: expected an ISO 8601 date-time or Unix seconds, got "yesterday"' }]);
  });

  it('with skipBad counts and lists them and keeps the rest', async () => {
    const r = await observe(BAD, { skipBad: true });
    expect(r.skipped).toBe(4);
    expect(r.bad).toEqual([
      { line: 3, message: 'timestamp: expected an ISO 8601 date-time or Unix seconds, got "yesterday"' },
      { line: 4, message: 'author: expected a member id, got an empty field' },
      { line: 5, message: 'kind: expected one of post, question, reply, answer, reaction, join, leave (or empty for post), got "shout"' },
      { line: 6, message: 'expected 3 fields as in the header, got 2' },
    ]);
    expect(pick(r.rows, ['contributors', 'posts', 'replies'])).toEqual([[2, 1, 1]]);
  });

  it('names a missing column, an empty log, a log of bad rows only, a SNAP line of the wrong shape', async () => {
    await expect(observe('time,author\n0,a\n')).rejects.toThrow('log:1: header: expected a column "timestamp" (map another with --columns timestamp=NAME), got "time", "author"');
    await expect(observe('time,who\n0,a\n', { columns: { author: 'user' }, label: 'f' })).rejects.toThrow('f:1: header: expected a column "time');
    await expect(observe('ts,who\n0,a\n', { columns: { timestamp: 'ts', author: 'user' } })).rejects.toThrow('header: expected a column "user" (mapped by columns: author=user)');
    await expect(observe('\n\n')).rejects.toThrow('expected a header line and events, got an empty file');
    await expect(observe('timestamp,author\n')).rejects.toThrow('log: expected events, got none');
    await expect(observe('timestamp,author\nx,a\n', { skipBad: true })).rejects.toThrow('no readable events (1 bad rows skipped)');
    await expect(observe('1 2 3 4\n', { format: 'snap' })).rejects.toThrow('log:1: expected "SRC DST UNIXTS", got 4 fields');
    await expect(observe('1 2 2024-01-01\n', { format: 'snap' })).rejects.toThrow('log:1: timestamp: expected Unix seconds, got "2024-01-01"');
    await expect(observe('1 2 3\n', { format: 'snap', columns: { author: 'x' } })).rejects.toThrow('columns: not used with the snap format');
  });
});

describe('observe: invariants over generated logs', () => {
  const event = fc.record({
    t: fc.integer({ min: 0, max: 40 * 86400 }),
    author: fc.integer({ min: 0, max: 12 }),
    kind: fc.constantFrom('post', 'question', 'reply', 'answer', 'reaction', 'join', 'leave'),
  });
  it('weekly sums equal daily sums; weekly contributors lie between the busiest day and the sum of days; new contributors add up to the contributors ever', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 80 }), async (evs) => {
        const text = 'timestamp,author,kind\n' + evs.map((e) => `${e.t},m${e.author},${e.kind}`).join('\n');
        const daily = (await observe(text)).rows;
        const weekly = (await observe(text, { period: 'week' })).rows;
        const contributing = new Set(evs.filter((e) => ['post', 'question', 'reply', 'answer'].includes(e.kind)).map((e) => e.author));
        const sum = (rows: typeof daily, c: string) => rows.reduce((s, r) => s + (r[c] as number), 0);
        for (const c of ['posts', 'replies', 'questions', 'newContributors', 'joins']) {
          if (daily[0][c] !== undefined) expect(sum(weekly, c)).toBe(sum(daily, c));
        }
        expect(sum(daily, 'newContributors')).toBe(contributing.size);
        weekly.forEach((w, k) => {
          const days = daily.slice(7 * k, 7 * k + 7);
          expect(w.contributors).toBeGreaterThanOrEqual(Math.max(...days.map((d) => d.contributors as number)));
          expect(w.contributors).toBeLessThanOrEqual(sum(days, 'contributors'));
          if (w.members !== undefined) expect(w.members).toBe(days[days.length - 1].members);
        });
      }),
      { numRuns: 150, seed: 14 },
    );
  });
});
