// Types for the DOM-agnostic parser factories inside graphology-gexf and graphology-graphml.
// The CLI calls them with @xmldom/xmldom 0.9 (strict error reporting) instead of the copy the
// packages bundle for Node, which only logs malformed XML to the console.
declare module 'graphology-gexf/common/parser.js' {
  import type { AbstractGraph } from 'graphology-types';
  type Parse = (Graph: unknown, source: unknown, options?: { addMissingNodes?: boolean }) => AbstractGraph;
  const createParserFunction: (DOMParser: unknown, Document: unknown) => Parse;
  export default createParserFunction;
}

declare module 'graphology-graphml/common/parser.js' {
  import type { AbstractGraph } from 'graphology-types';
  type Parse = (Graph: unknown, source: unknown, options?: { addMissingNodes?: boolean }) => AbstractGraph;
  const createParserFunction: (DOMParser: unknown, Document: unknown) => Parse;
  export default createParserFunction;
}
