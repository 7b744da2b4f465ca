// Types of comlink's Node adapter: the package ships node-adapter.d.ts beside the .mjs, which
// NodeNext resolution does not pick up for a .mjs import.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';
  /** What the adapter needs of a MessagePort or Worker from node:worker_threads. */
  export interface NodeEndpoint {
    postMessage(message: unknown, transfer?: readonly unknown[]): void;
    on(type: string, listener: (value: unknown) => void): void;
    off(type: string, listener: (value: unknown) => void): void;
    start?: () => void;
  }
  export default function nodeEndpoint(nep: NodeEndpoint): Endpoint;
}
