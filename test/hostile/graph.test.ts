// Rows 102-153 of the reliability review's "All attempts" (area 2: graph files), replayed in this
// process: each names a graph file in a small scenario and runs `validate` (which reads it), or
// `compare`/`sweep` where the row says so.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { cli, expectAccepted, expectNoStack, expectRefused, listing, put, replay, type Row } from './replay.js';

const gexf = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.3" version="1.3">\n<graph defaultedgetype="undirected">\n${body}\n</graph>\n</gexf>\n`;
const graphml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n<graph edgedefault="undirected">\n${body}\n</graph>\n</graphml>\n`;
const OK_GEXF = gexf('<nodes><node id="a"/><node id="b"/><node id="c"/></nodes><edges><edge source="a" target="b"/><edge source="b" target="c"/></edges>');
const OK_GRAPHML = graphml('<node id="a"/><node id="b"/><node id="c"/><edge source="a" target="b"/><edge source="b" target="c"/>');
const laughs = (wrap: (b: string) => string, use: string) =>
  `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('\n')}\n]>\n` + wrap(use).replace(/^<\?xml[^>]*>\n/, '');

/** A scenario naming `graph` (a path relative to it, or absolute), small and without burn-in. */
const scenario = (dir: string, graph: string, format?: string, more: object = {}) =>
  put(dir, 'sc.json', { days: 3, population: { initialMembers: 20, burnInDays: 0, graph: { file: graph, ...(format ? { format } : {}) }, ...more } });

/** `validate` a scenario naming the graph file `name` holding `content`: refused, naming the file. */
function badGraph(n: number, id: string, what: string, name: string, content: string | Uint8Array, problem: string | RegExp, format?: string): Row {
  return {
    n,
    id,
    what,
    test: async (dir) => {
      const g = put(dir, join('g', name), content);
      const sc = scenario(dir, `g/${name}`, format);
      const before = listing(dir);
      const o = await cli('validate', sc);
      expectRefused(o, g);
      if (typeof problem === 'string') expect(o.stderr).toContain(problem);
      else expect(o.stderr).toMatch(problem);
      expect(listing(dir)).toEqual(before);
    },
  };
}

/** `validate` accepts the scenario naming `name`. */
function goodGraph(n: number, id: string, what: string, name: string, content: string | Uint8Array, format?: string, more?: object): Row {
  return {
    n,
    id,
    what,
    test: async (dir) => {
      put(dir, join('g', name), content);
      const o = await cli('validate', scenario(dir, `g/${name}`, format, more));
      expectAccepted(o);
      expect(o.stdout).toMatch(/^ok: /);
    },
  };
}

/** A scenario naming a path outside the scenario's folder (a system file): refused naming it, or accepted, never a stack. */
function systemGraph(n: number, id: string, what: string, path: string, expectation: 'refused' | 'accepted' | 'either', skip?: string): Row {
  return {
    n,
    id,
    what,
    skip,
    test: async (dir) => {
      const o = await cli('validate', scenario(dir, path));
      expectNoStack(o);
      if (expectation === 'refused' || (expectation === 'either' && o.code !== 0)) {
        expectRefused(o, path);
        expect(o.stderr, 'no line of the file echoed').not.toMatch(/root|nologin|PATH=/);
      } else expect(o.code, o.stderr).toBe(0);
    },
  };
}

/** Makes a FIFO at `dir/g/fifo.txt` (reading one blocked forever before the fix). */
const fifo = (dir: string) => {
  mkdirSync(join(dir, 'g'));
  execFileSync('mkfifo', [join(dir, 'g', 'fifo.txt')]);
};

/** `sweep` whose base (sc.json) names the graph file `graph`: refused naming `problem`, nothing written. */
async function sweepRefused(dir: string, graph: string, problem: string): Promise<void> {
  const exp = put(dir, 'exp.json', { base: 'sc.json', reps: 1, factors: { 'policies.moderation.strictness': [0, 1] } });
  scenario(dir, graph);
  const before = listing(dir);
  expectRefused(await cli('sweep', exp, '--workers', '1', '--out', join(dir, 'out')), problem);
  expect(listing(dir)).toEqual(before);
  expect(existsSync(join(dir, 'out'))).toBe(false);
}

const edges = (n: number, nodes: number) => Array.from({ length: n }, (_, i) => `n${i % nodes} n${(i * 7919 + 1) % nodes}`).join('\n') + '\n';

const rows: Row[] = [
  badGraph(102, 'g-bad-dangling.gexf', 'GEXF edge to a missing node', 'bad-dangling.gexf', gexf('<nodes><node id="a"/></nodes><edges><edge source="a" target="ghost"/></edges>'), 'invalid GEXF'),
  badGraph(103, 'g-bad-dangling.graphml', 'GraphML edge to a missing node', 'bad-dangling.graphml', graphml('<node id="a"/><edge source="a" target="ghost"/>'), 'invalid GraphML'),
  badGraph(104, 'g-bad1.gexf', 'malformed GEXF (tag mismatch)', 'bad1.gexf', gexf('<nodes><node id="a"></nodes>'), /not well-formed XML \(line \d+, column \d+/),
  badGraph(105, 'g-dupnode.graphml', 'GraphML duplicate node id', 'dupnode.graphml', graphml('<node id="a"/><node id="a"/>'), 'invalid GraphML'),
  badGraph(106, 'g-empty.gexf', 'empty .gexf', 'empty.gexf', '', 'not well-formed XML'),
  badGraph(107, 'g-nonodes.gexf', 'GEXF without nodes', 'nonodes.gexf', gexf('<nodes></nodes>'), 'no nodes'),
  badGraph(108, 'g-wrongroot.gexf', 'root <notgexf>', 'wrongroot.gexf', '<?xml version="1.0"?><notgexf/>', 'expected a <gexf> document, got <notgexf>'),
  badGraph(109, 'g-wrongfmt', 'GEXF file declared "format": "graphml"', 'ok.gexf', OK_GEXF, 'expected a <graphml> document, got <gexf>', 'graphml'),
  badGraph(110, 'g-xml-as-edgelist', 'GraphML declared as edgelist', 'ok.graphml', OK_GRAPHML, /line 1: expected/, 'edgelist'),
  badGraph(111, 'g-utf16.gexf', 'UTF-16 GEXF (refused without mojibake)', 'utf16.gexf', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(OK_GEXF, 'utf16le')]), /UTF-8|not well-formed/),
  badGraph(112, 'g-laughs.gexf', '"billion laughs" entity expansion (GEXF): not expanded', 'laughs.gexf', laughs(gexf, '<nodes><node id="&lol9;"/></nodes>'), /entity/),
  badGraph(113, 'g-laughs.graphml', '"billion laughs" (GraphML): not expanded', 'laughs.graphml', laughs(graphml, '<node id="&lol9;"/>'), /entity/),
  badGraph(114, 'g-quad.graphml', 'quadratic blowup: 100 kB entity referenced 20,000 times: not expanded', 'quad.graphml', `<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY a "${'x'.repeat(100_000)}">]>\n` + graphml(`<node id="${'&a;'.repeat(20_000)}"/>`).replace(/^<\?xml[^>]*>\n/, ''), /entity/),
  badGraph(115, 'g-xxe.gexf', 'XXE <!ENTITY x SYSTEM "file:///etc/passwd"> (GEXF): not resolved', 'xxe.gexf', `<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n` + gexf('<nodes><node id="&x;"/></nodes>').replace(/^<\?xml[^>]*>\n/, ''), /entity/),
  badGraph(116, 'g-xxe.graphml', 'XXE (GraphML): not resolved', 'xxe.graphml', `<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n` + graphml('<node id="&x;"/>').replace(/^<\?xml[^>]*>\n/, ''), /entity/),
  goodGraph(117, 'g-xxe-param.graphml', 'XXE via parameter entity %p;: accepted, DTD ignored, nothing read', 'xxe-param.graphml', `<?xml version="1.0"?>\n<!DOCTYPE g [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>\n` + OK_GRAPHML.replace(/^<\?xml[^>]*>\n/, '')),
  badGraph(118, 'g-comments.txt', 'edge list with only comments', 'comments.txt', '# a b\n# c d\n', 'no nodes'),
  badGraph(119, 'g-fourfield.txt', 'edge list line with 4 fields', 'fourfield.txt', 'a b 1 2\n', 'line 1: expected "a b [weight]", got 4 fields'),
  badGraph(120, 'g-nonnum.txt', 'non-numeric weight', 'nonnum.txt', 'a b x\n', 'line 1: expected a positive weight'),
  badGraph(121, 'g-negw.txt', 'negative weight', 'negw.txt', 'a b -1\n', 'line 1: expected a positive weight'),
  badGraph(122, 'g-zerow.txt', 'zero weight', 'zerow.txt', 'a b 0\n', 'line 1: expected a positive weight'),
  badGraph(123, 'g-nanw.txt', 'weight NaN', 'nanw.txt', 'a b NaN\n', 'line 1: expected a positive weight'),
  badGraph(124, 'g-infw.txt', 'weight Infinity', 'infw.txt', 'a b Infinity\n', 'line 1: expected a positive weight'),
  badGraph(125, 'g-nul.txt', 'NUL byte after the weight', 'nul.txt', 'a b 1\0\n', 'line 1: expected a positive weight'),
  badGraph(126, 'g-hexw.txt', 'weight 0x10 (refused, as --set refuses 0x1)', 'hexw.txt', 'a b 0x10\n', 'line 1: expected a positive weight'),
  goodGraph(127, 'g-hugew.txt', 'weight 1e300 (Infinity in the Float32 store): accepted, capped', 'hugew.txt', 'a b 1e300\nb c 1\n'),
  goodGraph(128, 'g-tinyw.txt', 'weight 1e-50 (0 in Float32): accepted', 'tinyw.txt', 'a b 1e-50\nb c 1\n'),
  goodGraph(129, 'g-selfloops.txt', 'self-loops a a: dropped (documented)', 'selfloops.txt', 'a a\na b\n'),
  goodGraph(130, 'g-onlyself.txt', 'only a self-loop: 1 node, 0 ties', 'onlyself.txt', 'a a\n'),
  goodGraph(131, 'g-protolabels.txt', 'node labels __proto__, constructor', 'protolabels.txt', '__proto__ constructor\nconstructor toString\n'),
  goodGraph(132, 'g-crlf.txt', 'CRLF, tab separators: accepted', 'crlf.txt', 'a\tb\r\nb\tc\r\n'),
  goodGraph(133, 'g-csv.txt', 'comma separators: accepted', 'csv.txt', 'a,b\nb,c,2\n'),
  goodGraph(134, 'g-ok.gexf', 'valid GEXF: accepted', 'ok.gexf', OK_GEXF),
  goodGraph(135, 'g-ok.graphml', 'valid GraphML: accepted', 'ok.graphml', OK_GRAPHML),
  {
    n: 136,
    id: 'g-link.gexf',
    what: 'symlink to a valid GEXF: accepted, followed',
    test: async (dir) => {
      const target = put(dir, 'real/ok.gexf', OK_GEXF);
      mkdirSync(join(dir, 'g'));
      symlinkSync(target, join(dir, 'g', 'link.gexf'));
      expectAccepted(await cli('validate', scenario(dir, 'g/link.gexf')));
    },
  },
  {
    n: 137,
    id: 'g-dangling.txt',
    what: 'dangling symlink',
    test: async (dir) => {
      mkdirSync(join(dir, 'g'));
      symlinkSync(join(dir, 'nowhere.txt'), join(dir, 'g', 'dangling.txt'));
      expectRefused(await cli('validate', scenario(dir, 'g/dangling.txt')), /population\.graph\.file: no such graph file "g\/dangling\.txt"/);
    },
  },
  {
    n: 138,
    id: 'g-passwd-link.txt',
    what: 'symlink to /etc/passwd: exit 2 naming the file, no line of it echoed',
    test: async (dir) => {
      mkdirSync(join(dir, 'g'));
      symlinkSync('/etc/passwd', join(dir, 'g', 'passwd-link.txt'));
      const o = await cli('validate', scenario(dir, 'g/passwd-link.txt'));
      expectRefused(o, 'passwd-link.txt');
      expect(o.stderr).not.toMatch(/root|nologin/);
    },
  },
  systemGraph(139, 'g-etcpasswd', 'graph.file: "/etc/passwd": exit 2 naming the file, no line of it echoed', '/etc/passwd', 'refused'),
  // Info rows: the user's own files, read as graphs of isolated nodes (the queue worker refuses such paths).
  systemGraph(140, 'g-shadow', 'graph.file: "/etc/shadow" as edgelist (as root): the user\'s own file, no stack', '/etc/shadow', 'either'),
  systemGraph(141, 'g-environ', '/proc/self/environ: no stack, nothing of it echoed', '/proc/self/environ', 'either'),
  systemGraph(142, 'g-devstdin', '/dev/stdin: exit 2 naming the file', '/dev/stdin', 'refused'),
  systemGraph(143, 'g-devzero', '/dev/zero: exit 2 naming the file (no bad_alloc abort)', '/dev/zero', 'refused'),
  {
    n: 144,
    id: 'g-dir.gexf',
    what: 'a directory named *.gexf',
    test: async (dir) => {
      mkdirSync(join(dir, 'g', 'dir.gexf'), { recursive: true });
      expectRefused(await cli('validate', scenario(dir, 'g/dir.gexf')), /g\/dir\.gexf: .*directory|EISDIR/);
    },
  },
  {
    n: 145,
    id: 'g-fifo.txt',
    what: 'a FIFO: exit 2 at once (it blocked forever)',
    test: async (dir) => {
      fifo(dir);
      expectRefused(await cli('validate', scenario(dir, 'g/fifo.txt')), 'fifo.txt');
    },
  },
  goodGraph(146, 'g-both', 'initialMembers 999 and a graph file: accepted, the file wins (documented)', 'ok.gexf', OK_GEXF, undefined, { initialMembers: 999 }),
  goodGraph(147, 'g-million.txt', '1,000,000-line edge list (replayed with 100,000 lines, 20,000 nodes)', 'million.txt', edges(100_000, 20_000)),
  goodGraph(148, 'g-manynodes.txt', '2,000,000 isolated nodes (replayed with 200,000)', 'manynodes.txt', Array.from({ length: 200_000 }, (_, i) => `n${i}`).join('\n')),
  goodGraph(149, 'g-longline.txt', 'one 50 MB label (replayed with 5 MB)', 'longline.txt', `${'x'.repeat(5_000_000)} y\n`),
  {
    n: 150,
    id: 'g-run-million',
    what: '`run` 3 days on the 1 M-line graph (replayed with 50,000 lines, 10,000 nodes)',
    test: async (dir) => {
      put(dir, 'g/million.txt', edges(50_000, 10_000));
      const o = await cli('run', scenario(dir, 'g/million.txt'));
      expectAccepted(o);
      expect((JSON.parse(o.stdout) as { series: { members: number }[] }).series[0].members).toBe(10_000);
    },
  },
  {
    n: 151,
    id: 'g-compare-bad',
    what: '`compare` arms naming a graph file with a bad weight: exit 2 before anything is written',
    test: async (dir) => {
      const g = put(dir, 'g/nonnum.txt', 'a b x\n');
      const bad = scenario(dir, 'g/nonnum.txt');
      const before = listing(dir);
      expectRefused(await cli('compare', bad, bad, '--reps', '2', '--workers', '1', '--out', join(dir, 'cmp')), `${g}: line 1: expected a positive weight`);
      expect(listing(dir)).toEqual(before);
    },
  },
  {
    n: 152,
    id: 'g-sweep-bad',
    what: '`sweep` whose base names a bad graph file: exit 2, nothing written',
    test: async (dir) => {
      const g = put(dir, 'g/nonnum.txt', 'a b x\n');
      await sweepRefused(dir, 'g/nonnum.txt', `${g}: line 1: expected a positive weight`);
    },
  },
  {
    n: 153,
    id: 'g-sweep-fifo',
    what: '`sweep` whose base names a FIFO: exit 2 at once, nothing written',
    test: async (dir) => {
      fifo(dir);
      await sweepRefused(dir, 'g/fifo.txt', 'fifo.txt');
    },
  },
];

describe('reliability review, area 2: graph files', () => {
  replay(rows);
});
