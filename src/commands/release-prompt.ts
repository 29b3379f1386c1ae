import type { TerminalInput } from '../context.js';
import type { ContainerUpdate } from '../daemon/jobs.js';
import { CliError, InterruptedError } from '../errors.js';
import type { IO } from '../output/io.js';
import { Menu, MenuEnded, type Key, type MenuItem } from './release-menu.js';

const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';

/** Raw-mode bytes to keys: arrows (CSI or SS3), j/k/Tab, Space, Enter, Esc/q, Ctrl-C. */
export function parseKeys(bytes: Uint8Array): Key[] {
  const keys: Key[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    const next = bytes[i + 1];
    if (b === 27 && (next === 0x5b || next === 0x4f) && i + 2 < bytes.length) {
      const code = bytes[i + 2];
      keys.push(code === 0x41 ? 'up' : code === 0x42 ? 'down' : 'other');
      i += 2;
    } else if (b === 3) keys.push('interrupt');
    else if (b === 27 || b === 0x71) keys.push('abort');
    else if (b === 0x20) keys.push('toggle');
    else if (b === 13 || b === 10) keys.push('enter');
    else if (b === 9 || b === 0x6a) keys.push('down');
    else if (b === 0x6b) keys.push('up');
    else keys.push('other');
  }
  return keys;
}

/** Terminal lines a text occupies at `width` columns (wrapped lines count as many). */
function screenLines(text: string, width: number): number {
  return text
    .split('\n')
    .slice(0, -1)
    .reduce((n, line) => n + Math.max(1, Math.ceil([...line].length / width)), 0);
}

/**
 * Shows the menu and returns the selected updates. Reads raw keys from `input`; the terminal
 * mode and the cursor are restored on every path. Ends with MenuEnded for `No changes found.`
 * and `Aborted.`; the deadline signal (--timeout, Ctrl-C) rejects with its reason.
 */
export async function pickUpdates(io: IO, input: TerminalInput, items: MenuItem[], signal: AbortSignal): Promise<Map<string, ContainerUpdate[]>> {
  const menu = new Menu(items);
  if (menu.empty) throw new MenuEnded('No changes found.');
  const width = io.stdoutTTY ? io.columns : 9999;
  let drawn = 0;
  const draw = (): void => {
    const text = menu.render();
    io.stdout.write(`${drawn > 0 ? `\u001b[${drawn}A` : ''}${text}`);
    drawn = screenLines(text, width);
  };
  draw();
  io.stdout.write(HIDE_CURSOR);
  let cleanup = (): void => undefined;
  try {
    return await new Promise<Map<string, ContainerUpdate[]>>((resolve, reject) => {
      const onData = (chunk: Buffer | string): void => {
        for (const key of parseKeys(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)) {
          if (key === 'abort') return reject(new MenuEnded('Aborted.'));
          // Raw mode turns Ctrl-C into a byte, not SIGINT: end the run as SIGINT would (exit 130).
          if (key === 'interrupt') return reject(new InterruptedError({ hint: 'nothing was released' }));
          if (key === 'enter') {
            io.stdout.write('\n');
            return resolve(menu.selection());
          }
          if (menu.press(key)) draw();
        }
      };
      const onEnd = (): void => reject(new MenuEnded('Aborted.'));
      const onError = (e: Error): void => reject(new CliError(`reading the terminal: ${e.message}`, { cause: e }));
      const onAbort = (): void => reject(signal.reason);
      cleanup = () => {
        input.off('data', onData).off('end', onEnd).off('error', onError);
        signal.removeEventListener('abort', onAbort);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      input.setRawMode?.(true);
      input.on('data', onData).on('end', onEnd).on('error', onError);
    });
  } finally {
    cleanup();
    input.setRawMode?.(false);
    // A paused stdin no longer holds the event loop, so the process can exit.
    input.pause();
    io.stdout.write(SHOW_CURSOR);
  }
}
