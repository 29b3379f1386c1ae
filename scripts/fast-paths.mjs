// Writes dist/fast-paths.json: the exact output of every help and version command line, taken
// from the bundle just built (its real commander program, run in process), so bin/fluxctl.js
// can print it without loading the bundle. Help is the same text piped and on a terminal
// (wrapped at 80 columns whatever the width), and reads no environment, so one text serves all.
import { pathToFileURL } from 'node:url';
import { Writable } from 'node:stream';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

class Capture extends Writable {
  text = '';
  _write(chunk, _encoding, done) {
    this.text += chunk.toString();
    done();
  }
}

async function runOnce(run, argv) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await run(argv, { env: {}, stdout, stderr, stdoutTTY: false, stderrTTY: false, home: '/nonexistent' });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The names the root help lists and the aliases each command's help shows. */
async function commandWords(run) {
  const root = (await runOnce(run, ['--help'])).stdout;
  const block = /\nAvailable Commands:\n([\s\S]*?)\n\n/.exec(root)?.[1] ?? '';
  const names = [...block.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]);
  if (names.length === 0) throw new Error('fast paths: no commands found in the root help');
  const words = [];
  for (const name of names) {
    const help = (await runOnce(run, [name, '--help'])).stdout;
    const aliases = /\nAliases:\n {2}(.*)\n/.exec(help)?.[1]?.split(', ') ?? [name];
    words.push(...new Set([name, ...aliases]));
  }
  return words;
}

/** Every argv shape the fast path answers: help in its three spellings, and version in its three. */
export function shapes(words) {
  const out = [[], ['--help'], ['-h'], ['help'], ['version'], ['--version'], ['-V']];
  for (const w of words) out.push([w, '--help'], [w, '-h'], ['help', w]);
  return out;
}

/**
 * Runs each shape through the bundle and keeps those that succeed silently on stderr, as
 * `{ argv: JSON.stringify(argv) → index, texts }` (help X, X --help and X -h share one text).
 */
export async function writeFastPaths(outdir) {
  const { run } = await import(pathToFileURL(path.join(outdir, 'main.mjs')).href);
  const texts = [];
  const argv = {};
  for (const shape of shapes(await commandWords(run))) {
    const r = await runOnce(run, shape);
    if (r.code !== 0 || r.stderr !== '') continue;
    let i = texts.indexOf(r.stdout);
    if (i < 0) i = texts.push(r.stdout) - 1;
    argv[JSON.stringify(shape)] = i;
  }
  writeFileSync(path.join(outdir, 'fast-paths.json'), JSON.stringify({ argv, texts }));
}
