#!/usr/bin/env node
// Entry point of the CLI: the TypeScript sources are compiled to dist/ by `npm install` (prepare).
import('../dist/cli/main.js').then((m) => m.main(process.argv.slice(2))).catch((e) => {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('community-sim: dist/ is missing; run `npm install` or `npm run build` first\n');
    process.exit(1);
  }
  throw e;
});
