import type { CheckResult } from '../commands/check/engine.js';
import type { IO } from './io.js';

const GLYPHS = { ok: '✔', fail: '✗', warn: '⚠', skip: '–' } as const;
// Piped: the same lines in ASCII, so logs and grep stay simple.
const WORDS = { ok: '[ok]  ', fail: '[FAIL]', warn: '[warn]', skip: '[skip]' } as const;
const SLOW_MS = 1000;

/** One check as `flux check` shows it: mark, name, message, (time when slow), then details and hint indented. */
export function renderCheck(io: IO, r: CheckResult): string {
  const c = io.out;
  const colour = { ok: c.green, fail: c.red, warn: c.yellow, skip: c.dim }[r.status];
  const mark = io.stdoutTTY ? colour(GLYPHS[r.status]) : WORDS[r.status];
  const slow = r.ms > SLOW_MS ? ` (${(r.ms / 1000).toFixed(1)}s)` : '';
  const lines = [`${mark} ${r.name}: ${r.message}${slow}`];
  if (r.status === 'fail' || r.status === 'warn') {
    for (const d of r.details) lines.push(`    ${d}`);
    // A hint may hold several lines ("…\nhint: …"); each gets its own indented hint: line.
    for (const h of r.hint?.split('\n') ?? []) lines.push(`    ${c.dim('hint:')} ${h.replace(/^hint: /, '')}`);
  }
  const text = `${lines.join('\n')}\n`;
  return io.stdoutTTY ? text : asciiSafe(text);
}

/** Piped output is ASCII: typographic characters (‘’ “” – — → …) become their plain forms. */
function asciiSafe(text: string): string {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\u2192/g, '->')
    .replace(/\u2026/g, '...')
    .replace(/[^\x00-\x7f]/g, '?');
}
