// Graph files into EdgeLists: GEXF, GraphML and plain edge lists, written by the test itself,
// and the one-line errors naming the file when they do not parse.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guessGraphFormat, readGraphFile } from '../../../experiments/io/graph-files.js';
import { InputError } from '../../../experiments/io/input-error.js';
import { scratchDir } from '../../cli/scratch.js';

const scratch = scratchDir('graphs');
const write = scratch.write;

const plain = (g: ReturnType<typeof readGraphFile>) => ({
  nodes: g.nodes,
  src: [...g.src],
  dst: [...g.dst],
  ...(g.weight ? { weight: [...g.weight] } : {}),
});

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('edge lists', () => {
  it('maps any labels to 0..n-1 in first-seen order, with comments, isolated nodes and weights', () => {
    const f = write('ties.txt', '# a small club\nalice bob 2\nbob\tcarol\ncarol alice   # late comment\ndave\n\nbob alice 5\nerin erin\n');
    // alice=0 bob=1 carol=2 dave=3 erin=4; bob-alice repeats (max weight), erin-erin is a self-loop.
    expect(plain(readGraphFile(f))).toEqual({ nodes: 5, src: [0, 0, 1], dst: [1, 2, 2], weight: [5, 1, 1] });
  });

  it('leaves weights out when the file gives none, and accepts CRLF and commas', () => {
    expect(plain(readGraphFile(write('plain.csv', '10,20\r\n20,30\r\n')))).toEqual({ nodes: 3, src: [0, 1], dst: [1, 2] });
  });

  it('names the file and the line of a bad weight or a bad line', () => {
    const f = write('bad-weight.txt', 'a b 1\nb c heavy\n');
    expect(errorOf(() => readGraphFile(f))).toBe(`${f}: line 2: expected a positive weight as the third field, got text that is not a number`);
    expect(errorOf(() => readGraphFile(write('zero.txt', 'a b 0\n')))).toMatch(/: line 1: expected a positive weight as the third field, got zero$/);
    expect(errorOf(() => readGraphFile(write('neg.txt', 'a b -2\n')))).toMatch(/got a negative number$/);
    expect(errorOf(() => readGraphFile(write('inf.txt', 'a b 1e400\n')))).toMatch(/got a number that is not finite$/);
    const g = write('bad-line.txt', 'a b 1 extra\n');
    expect(errorOf(() => readGraphFile(g))).toBe(`${g}: line 1: expected "a b [weight]", got 4 fields`);
  });

  it('never echoes the text of the file it was given (any path may be named: /etc/passwd, a key)', () => {
    const secret = 'root:x:0:0:s3cret-token:/root:/bin/bash';
    const f = write('secret.txt', `a b 1\nalice bob ${secret}\n`);
    expect(errorOf(() => readGraphFile(f))).not.toContain('s3cret');
    const x = write('secret.gexf', `${secret}\n<gexf/>`);
    expect(errorOf(() => readGraphFile(x))).toMatch(/not well-formed XML/);
    expect(errorOf(() => readGraphFile(x))).not.toContain('s3cret');
    const w = write('weights.gexf', `<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph defaultedgetype="undirected"><nodes><node id="a"/><node id="b"/></nodes><edges><edge id="e-${secret}" source="a" target="b" weight="${secret}"/></edges></graph></gexf>`);
    expect(errorOf(() => readGraphFile(w))).toBe(`${w}: edge 1 (in file order): expected a positive weight, got text that is not a number`);
  });

  it('rejects a file with no nodes and a missing file', () => {
    const f = write('empty.txt', '# nothing here\n\n');
    expect(errorOf(() => readGraphFile(f))).toMatch(new RegExp(`^${f}: no nodes`));
    expect(errorOf(() => readGraphFile(join(scratch.path, 'absent.txt')))).toBe(`${join(scratch.path, 'absent.txt')}: no such graph file`);
  });
});

describe('GEXF', () => {
  const gexf = (body: string, type = 'undirected') =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<gexf xmlns="http://gexf.net/1.3" version="1.3">\n<graph defaultedgetype="${type}">\n${body}\n</graph>\n</gexf>\n`;

  it('reads nodes in document order and edge weights', () => {
    const f = write('club.gexf', gexf('<nodes><node id="n9"/><node id="n2"/><node id="n5"/><node id="lonely"/></nodes><edges><edge source="n5" target="n9" weight="3"/><edge source="n2" target="n5"/></edges>'));
    expect(plain(readGraphFile(f))).toEqual({ nodes: 4, src: [0, 1], dst: [2, 2], weight: [3, 1] });
  });

  it('treats directed edges as undirected ties, merging both directions', () => {
    const f = write('directed.gexf', gexf('<nodes><node id="a"/><node id="b"/></nodes><edges><edge source="a" target="b" weight="1"/><edge source="b" target="a" weight="4"/></edges>', 'directed'));
    expect(plain(readGraphFile(f))).toEqual({ nodes: 2, src: [0], dst: [1], weight: [4] });
  });

  it('reports malformed XML with its line, and an edge to a missing node', () => {
    const f = write('broken.gexf', gexf('<nodes><node id="a"></nodes>'));
    expect(errorOf(() => readGraphFile(f))).toMatch(new RegExp(`^${f}: not well-formed XML \\(line 4, column \\d+: `));
    const g = write('dangling.gexf', gexf('<nodes><node id="a"/></nodes><edges><edge source="a" target="ghost"/></edges>'));
    expect(errorOf(() => readGraphFile(g))).toBe(`${g}: invalid GEXF (one of your gexf file edges points to an inexisting node)`);
  });

  it('rejects another XML document', () => {
    const f = write('other.gexf', '<?xml version="1.0"?><svg/>');
    expect(errorOf(() => readGraphFile(f))).toBe(`${f}: expected a <gexf> document, got <svg>`);
  });
});

describe('GraphML', () => {
  it('reads nodes, edges and a weight key', () => {
    const f = write('club.graphml', `<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="w" for="edge" attr.name="weight" attr.type="double"/>
  <graph edgedefault="undirected">
    <node id="x"/><node id="y"/><node id="z"/>
    <edge source="x" target="y"><data key="w">2.5</data></edge>
    <edge source="y" target="z"/>
  </graph>
</graphml>`);
    expect(plain(readGraphFile(f))).toEqual({ nodes: 3, src: [0, 1], dst: [1, 2], weight: [2.5, 1] });
  });

  it('reports a document without a graph and one that is not XML', () => {
    const f = write('nograph.graphml', '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"></graphml>');
    expect(errorOf(() => readGraphFile(f))).toBe(`${f}: no <graph> element in the GraphML document`);
    const g = write('text.graphml', 'a b\n');
    expect(errorOf(() => readGraphFile(g))).toMatch(new RegExp(`^${g}: not well-formed XML`));
  });

  it('is chosen by extension, or by the format field', () => {
    expect([guessGraphFormat('a.gexf'), guessGraphFormat('b.GraphML'), guessGraphFormat('c.xml'), guessGraphFormat('d.edges')]).toEqual(['gexf', 'graphml', 'graphml', 'edgelist']);
    const f = write('ties.dat', '<graphml><graph edgedefault="undirected"><node id="p"/><node id="q"/><edge source="p" target="q"/></graph></graphml>');
    expect(plain(readGraphFile(f, 'graphml'))).toEqual({ nodes: 2, src: [0], dst: [1] });
  });
});
