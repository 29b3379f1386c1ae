// Bundles src/ into dist/ with esbuild. client-node and ora sit behind dynamic imports of
// local re-export modules, so commands that never touch a cluster never evaluate them.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFastPaths } from './fast-paths.mjs';

const CLIENT_NODE = /node_modules\/@kubernetes\/client-node\//;
const FETCH_SHIM = fileURLToPath(new URL('./node-fetch-shim.mjs', import.meta.url));

/**
 * client-node's modules are side-effect free but do not say so, which keeps esbuild from
 * dropping the 6 MB of generated API code we never call. And KubeConfig imports node-fetch
 * only for `Headers` in applyToFetchOptions, which we never call either; node-fetch drags in
 * 300 KB of URL tables, so the bundle gets a shim over Node's own fetch classes instead.
 */
const trimClientNode = {
  name: 'trim-client-node',
  setup(b) {
    b.onResolve({ filter: /^node-fetch$/ }, (args) => (CLIENT_NODE.test(args.importer) ? { path: FETCH_SHIM } : undefined));
    // Relative imports only (the filter runs in esbuild, so no other import calls into JS), and
    // resolved here when the file is named in full, as client-node's ESM files name them: a
    // round trip to esbuild's resolver per import made the build ten times slower.
    b.onResolve({ filter: /^\.\.?\// }, async (args) => {
      if (args.pluginData === 'trim' || !CLIENT_NODE.test(args.importer)) return undefined;
      const file = path.resolve(args.resolveDir, args.path);
      if (statSync(file, { throwIfNoEntry: false })?.isFile() === true) return { path: file, sideEffects: false };
      const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'trim' });
      return r.errors.length > 0 ? undefined : { path: r.path, sideEffects: false };
    });
  },
};

/**
 * `import process from 'node:process'` (chalk's colour detection) makes Node build an ESM
 * facade of `process`, which reads every property, creating process.stdin and its handle on
 * the way. The global is the same object, without that cost.
 */
const plainProcess = {
  name: 'plain-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?process$/ }, (args) => (/node_modules\/chalk\//.test(args.importer) ? { path: 'process', namespace: 'plain-process' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'plain-process' }, () => ({ contents: 'export default globalThis.process;', loader: 'js' }));
  },
};

// FLUXCTL_BUILD_OUTDIR: a private bundle (the reliability suite's, so a concurrent build cannot pull dist/ from under it).
const outdir = process.env.FLUXCTL_BUILD_OUTDIR || fileURLToPath(new URL('../dist', import.meta.url));
/**
 * commander loads node:child_process (and with it net, dgram, …) only for git-style executable
 * subcommands, which fluxctl does not have; a stub keeps that cost out of every start-up.
 */
const noChildProcessInCommander = {
  name: 'no-child-process-in-commander',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (/node_modules\/commander\//.test(args.importer) ? { path: 'child_process', namespace: 'commander-stub' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'commander-stub' }, () => ({
      contents: "module.exports = { spawn() { throw new Error('fluxctl has no executable subcommands'); } };",
      loader: 'js',
    }));
  },
};

/**
 * ws requires zlib at load time for permessage-deflate, which the port-forward turns off
 * (perMessageDeflate: false), and only calls it from methods: ws gets zlib on first use instead.
 */
const lazyZlibInWs = {
  name: 'lazy-zlib-in-ws',
  setup(b) {
    b.onResolve({ filter: /^(node:)?zlib$/ }, (args) => (/node_modules\/ws\//.test(args.importer) ? { path: 'zlib', namespace: 'lazy-zlib' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-zlib' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:zlib')[key] });",
      loader: 'js',
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: { main: 'src/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: false,
  outExtension: { '.js': '.mjs' },
  legalComments: 'none',
  banner: { js: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" },
  plugins: [trimClientNode, plainProcess, noChildProcessInCommander, lazyZlibInWs],
  metafile: process.argv.includes('--metafile'),
  logLevel: 'warning',
});
// `node scripts/build.mjs --metafile` leaves dist/meta.json for size analysis (esbuild's analyser reads it).
if (result.metafile) writeFileSync(`${outdir}/meta.json`, JSON.stringify(result.metafile));
await writeCommonJsBundle();
await writeFastPaths(outdir);

/**
 * dist/main.cjs: the same program as one CommonJS file, which bin/fluxctl.js compiles through
 * vm.Script with a V8 code cache (Node 20 has no compile cache for ES modules). Its first line
 * names the bundle's hash, which keys the cache.
 */
async function writeCommonJsBundle() {
  const cjs = await build({
    entryPoints: ['src/main.ts'],
    bundle: true,
    write: false,
    outfile: `${outdir}/main.cjs`,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // import() of Node's modules becomes require(): inside vm.Script, import() needs an
    // experimental loader hook (vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER) that warns.
    supported: { 'dynamic-import': false },
    minify: true,
    legalComments: 'none',
    plugins: [trimClientNode, plainProcess, noChildProcessInCommander, lazyZlibInWs],
    logLevel: 'warning',
  });
  const text = cjs.outputFiles[0].text;
  // bin/load-bundle.js reads the bundle as latin1: a one-byte string, read without decoding,
  // which V8 also scans faster than the two-byte string a single non-ASCII character forces.
  // esbuild escapes non-ASCII in strings but not in regular expression literals.
  const wide = /[^\x00-\x7f]/.exec(text);
  if (wide) throw new Error(`build: dist/main.cjs must be ASCII; write ${JSON.stringify(wide[0])} as a \\u escape (near: ${JSON.stringify(text.slice(wide.index - 40, wide.index + 10))})`);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 32);
  writeFileSync(`${outdir}/main.cjs`, `//fluxctl-bundle ${hash}\n${text}`);
}
