import { defineConfig } from 'vite';

// The visualizer lives in viz/; the engine runs in a Web Worker (viz/worker.ts) through comlink.
export default defineConfig({
  root: 'viz',
  base: './',
  publicDir: false,
  server: { port: 5173, strictPort: false, host: '127.0.0.1' },
  preview: { port: 4173, host: '127.0.0.1' },
  build: { outDir: '../viz-dist', emptyOutDir: true },
  worker: { format: 'es' },
});
