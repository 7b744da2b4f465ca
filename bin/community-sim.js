#!/usr/bin/env node
// Entry point of the CLI. A packed or installed package ships the compiled dist/ (built by
// `prepack`); a clone compiles it with `npm run build:cli` (installing does not compile).
import { fileURLToPath } from 'node:url';

import('../dist/cli/main.js').then((m) => m.main(process.argv.slice(2))).catch((e) => {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && /dist[\\/]cli[\\/]main\.js/.test(String(e.message))) {
    const root = fileURLToPath(new URL('..', import.meta.url));
    process.stderr.write(`community-sim: ${root}dist/ is missing; run \`npm run build:cli\` in ${root} first\n`);
    process.exit(1);
  }
  throw e;
});
