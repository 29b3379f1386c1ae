// Writes dist/fast-paths.json and dist/fast-paths.txt: the exact output of every help and version command line, taken
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
 * Runs each shape through the bundle and keeps those that succeed silently on stderr: the texts
 * one after the other in fast-paths.txt, and in fast-paths.json `{ argv: JSON.stringify(argv) →
 * [byte offset, byte length] }` (help X, X --help and X -h share one text). bin/fluxctl.js reads
 * the small index on every start-up of two arguments or fewer, and the texts only for a hit.
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
  const bytes = texts.map((t) => Buffer.from(t));
  const offsets = bytes.map((_, i) => bytes.slice(0, i).reduce((n, b) => n + b.length, 0));
  const index = Object.fromEntries(Object.entries(argv).map(([shape, i]) => [shape, [offsets[i], bytes[i].length]]));
  writeFileSync(path.join(outdir, 'fast-paths.txt'), Buffer.concat(bytes));
  writeFileSync(path.join(outdir, 'fast-paths.json'), JSON.stringify({ argv: index }));
}
