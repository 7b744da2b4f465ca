/**
 * Reads an initial social graph from a file into the engine's `EdgeList` (the engine does no
 * I/O): GEXF and GraphML through graphology's parsers, and plain edge lists, one tie a line
 * `a b [weight]` with `#` comments. Node labels of any kind become ids 0..n-1 in first-seen
 * order. Ties are undirected: a self-loop is dropped and repeated pairs (`a b`, `b a`) merge
 * into one tie of the largest weight. A file that does not parse is an InputError naming the
 * file and what was wrong.
 */
import { extname } from 'node:path';
import { DOMParser, Document } from '@xmldom/xmldom';
import Graph from 'graphology';
import type { AbstractGraph } from 'graphology-types';
import createGexfParser from 'graphology-gexf/common/parser.js';
import createGraphmlParser from 'graphology-graphml/common/parser.js';
import type { EdgeList } from '../../engine/index.js';
import { grow } from '../../engine/grow.js';
import { InputError } from './input-error.js';
import { readInputFile } from './input-file.js';

export type GraphFormat = 'gexf' | 'graphml' | 'edgelist';

/** The format a file name suggests: .gexf, .graphml or .xml (GraphML), anything else an edge list. */
export function guessGraphFormat(path: string): GraphFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.gexf') return 'gexf';
  if (ext === '.graphml' || ext === '.xml') return 'graphml';
  return 'edgelist';
}

/** Reads and parses a graph file; `format` defaults to the guess from the extension. */
export function readGraphFile(path: string, format: GraphFormat = guessGraphFormat(path)): EdgeList {
  const text = readInputFile(path, 'graph');
  return parseGraphText(text, format, path);
}

/** Parses graph text in a given format; `label` names the source in error messages. */
export function parseGraphText(text: string, format: GraphFormat, label = 'graph'): EdgeList {
  try {
    if (format === 'edgelist') return parseEdgeList(text);
    return edgeListFromGraph(parseXmlGraph(text, format));
  } catch (e) {
    if (e instanceof GraphFileError) throw new InputError([{ path: label, message: e.message }]);
    throw e;
  }
}

/** What was wrong with a graph file, before the file name is attached. */
class GraphFileError extends Error {}

// ---------------------------------------------------------------------------------------------
// Edge lists

/** A weight as a decimal number (`2`, `0.5`, `1e-3`): Number() also took `0x10` as 16, which --set refuses. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function parseEdgeList(text: string): EdgeList {
  const ids = new Map<string, number>();
  const id = (label: string): number => {
    let i = ids.get(label);
    if (i === undefined) ids.set(label, (i = ids.size));
    return i;
  };
  const ties = new TieCollector();
  const lines = text.split('\n');
  for (let ln = 0; ln < lines.length; ln++) {
    // A comment starts at a `#` that begins the line or follows a blank; labels may contain `#`.
    const line = lines[ln].replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const tokens = line.split(/[\s,]+/);
    if (tokens.length > 3) throw new GraphFileError(`line ${ln + 1}: expected "a b [weight]", got ${tokens.length} fields`);
    const a = id(tokens[0]);
    if (tokens.length === 1) continue; // an isolated node
    const b = id(tokens[1]);
    let w: number | undefined;
    if (tokens.length === 3) {
      w = DECIMAL.test(tokens[2]) ? Number(tokens[2]) : NaN;
      if (!(w > 0 && Number.isFinite(w))) throw new GraphFileError(`line ${ln + 1}: expected a positive weight as the third field, got ${kindOf(tokens[2])}`);
    }
    ties.add(a, b, w);
  }
  if (ids.size === 0) throw new GraphFileError('no nodes (expected lines "a b [weight]")');
  return ties.finish(ids.size);
}

/**
 * What a bad weight is, without its text: a graph path may name any file (/etc/passwd, a key), and
 * an error message must not carry a line of it to the terminal, a log or a queue result.
 */
function kindOf(token: string): string {
  const w = Number(token);
  if (token.trim() === '' || Number.isNaN(w)) return 'text that is not a number';
  if (!Number.isFinite(w)) return 'a number that is not finite';
  return w === 0 ? 'zero' : 'a negative number';
}

/** An XML parser's message with quoted text (what it found in the file) left out. */
function withoutContent(message: string): string {
  return message.replace(/'[^']*'|"[^"]*"/g, '(...)');
}

// ---------------------------------------------------------------------------------------------
// GEXF and GraphML

/** xmldom 0.9 that stops at the first XML error and remembers where it was. */
function strictDomParser(report: { message?: string }) {
  return class StrictDOMParser extends DOMParser {
    constructor() {
      super({
        onError(level, message, handler) {
          if (level === 'warning') return;
          const at = (handler as { locator?: { lineNumber?: number; columnNumber?: number } }).locator;
          const where = at?.lineNumber ? `line ${at.lineNumber}, column ${at.columnNumber}: ` : '';
          report.message ??= `not well-formed XML (${where}${withoutContent(message.trim())})`;
          throw new Error(message);
        },
      });
    }
  };
}

function parseXmlGraph(text: string, format: 'gexf' | 'graphml'): AbstractGraph {
  const report: { message?: string } = {};
  const Parser = strictDomParser(report);
  let doc: Document;
  try {
    doc = new Parser().parseFromString(text, 'application/xml');
  } catch (e) {
    throw new GraphFileError(report.message ?? `not well-formed XML (${withoutContent((e as Error).message)})`);
  }
  const name = format === 'gexf' ? 'GEXF' : 'GraphML';
  const root = doc.documentElement?.tagName.toLowerCase();
  if (root !== format) throw new GraphFileError(`expected a <${format}> document, got <${root ?? 'nothing'}>`);
  if (doc.getElementsByTagName('graph').length === 0) throw new GraphFileError(`no <graph> element in the ${name} document`);
  const parse = (format === 'gexf' ? createGexfParser : createGraphmlParser)(Parser, Document);
  try {
    return parse(Graph, doc);
  } catch (e) {
    // graphology's messages carry a module prefix and advice about its own options: keep the gist.
    const message = (e as Error).message.replace(/^graphology-\w+\/parser: /, '').replace(/\. Set the parser.*$/, '');
    throw new GraphFileError(`invalid ${name} (${message})`);
  }
}

/** Converts a graphology graph to an EdgeList: nodes in insertion order, the `weight` attribute kept. */
export function edgeListFromGraph(graph: AbstractGraph): EdgeList {
  const ids = new Map<string, number>();
  graph.forEachNode((node) => ids.set(node, ids.size));
  if (ids.size === 0) throw new GraphFileError('no nodes');
  const ties = new TieCollector();
  let k = 0;
  graph.forEachEdge((_edge, attrs, source, target) => {
    k++;
    let w: number | undefined;
    if (attrs.weight !== undefined) {
      w = Number(attrs.weight);
      if (!(w > 0 && Number.isFinite(w))) throw new GraphFileError(`edge ${k} (in file order): expected a positive weight, got ${kindOf(String(attrs.weight))}`);
    }
    ties.add(ids.get(source)!, ids.get(target)!, w);
  });
  return ties.finish(ids.size);
}

// ---------------------------------------------------------------------------------------------
// Ties into an EdgeList

/** Collects undirected ties in growing typed arrays, then merges repeats. */
class TieCollector {
  private src = new Int32Array(1024);
  private dst = new Int32Array(1024);
  private wt = new Float32Array(1024);
  private n = 0;
  private weighted = false;

  add(a: number, b: number, weight: number | undefined): void {
    if (a === b) return;
    if (this.n === this.src.length) {
      this.src = grow(this.src);
      this.dst = grow(this.dst);
      this.wt = grow(this.wt);
    }
    this.src[this.n] = Math.min(a, b);
    this.dst[this.n] = Math.max(a, b);
    this.wt[this.n] = weight ?? 1;
    if (weight !== undefined) this.weighted = true;
    this.n++;
  }

  /** Ties sorted by (low id, high id), repeats merged, weights only when the file gave any. */
  finish(nodes: number): EdgeList {
    const { src, dst, wt, n } = this;
    // Keys are exact below 2^53, i.e. for graphs up to ~94 million nodes.
    const key = new Float64Array(n);
    for (let i = 0; i < n; i++) key[i] = src[i] * nodes + dst[i];
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((x, y) => key[x] - key[y]);
    const outSrc = new Int32Array(n);
    const outDst = new Int32Array(n);
    const outWt = new Float32Array(n);
    let m = 0;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      if (m > 0 && outSrc[m - 1] === src[i] && outDst[m - 1] === dst[i]) {
        if (wt[i] > outWt[m - 1]) outWt[m - 1] = wt[i];
        continue;
      }
      outSrc[m] = src[i];
      outDst[m] = dst[i];
      outWt[m] = wt[i];
      m++;
    }
    const edges: EdgeList = { nodes, src: outSrc.slice(0, m), dst: outDst.slice(0, m) };
    if (this.weighted) edges.weight = outWt.slice(0, m);
    return edges;
  }
}
