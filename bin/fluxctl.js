#!/usr/bin/env node
// dist/ is built by `npm run build` (and by prepack for the published package), not on install.
const bundle = new URL('../dist/main.mjs', import.meta.url);
let main;
try {
  ({ main } = await import(bundle.href));
} catch (e) {
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes(decodeURIComponent(bundle.pathname))) throw e;
  process.stderr.write('Error: fluxctl is not built in this checkout (dist/main.mjs is missing)\nhint: run npm run build (npm run demo builds it too)\n');
  process.exit(1);
}
process.exitCode = await main();
