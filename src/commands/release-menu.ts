import type { TerminalInput } from '../context.js';
import type { ContainerUpdate, WorkloadResult } from '../daemon/jobs.js';
import { CliError } from '../errors.js';
import type { IO } from '../output/io.js';
import { tabwrite } from '../output/tabwriter.js';
import { parseImageRef } from '../util/image-ref.js';

/*
 * fluxctl's release menu (pkg/update/menu.go): the plan's rows, container updates selectable
 * and selected at first, redrawn in place on stdout with its exact bytes.
 */

const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';
const HELP = 'Use arrow keys and [Space] to toggle updates; hit [Enter] to release selected.';

/** The menu ended without a selection: fluxctl prints the text and exits 0. */
export class MenuEnded extends CliError {}

export interface MenuItem {
  id: string;
  status: string;
  text: string;
  update?: ContainerUpdate;
  checked: boolean;
}

export type Key = 'up' | 'down' | 'toggle' | 'enter' | 'abort' | 'other';

function tagOf(ref: string): string {
  try {
    return parseImageRef(ref).tag;
  } catch {
    return '';
  }
}

/** The rows of the result table (same filter and order), with the container updates selectable. */
export function menuItems(results: ReadonlyMap<string, WorkloadResult>, verbosity: number): MenuItem[] {
  const items: MenuItem[] = [];
  for (const id of [...results.keys()].sort()) {
    const r = results.get(id);
    if (r === undefined || (r.Status === 'ignored' && verbosity < 2) || (r.Status === 'skipped' && verbosity < 1)) continue;
    const base = { id, status: r.Status, checked: false };
    if (r.Error !== undefined) items.push({ ...base, text: r.Error });
    for (const u of r.PerContainer ?? []) items.push({ ...base, text: `${u.Container}: ${u.Current} -> ${tagOf(u.Target)}`, update: u, checked: true });
    if (r.Error === undefined && (r.PerContainer ?? []).length === 0) items.push({ ...base, text: '' });
  }
  return items;
}

/**
 * The menu's state. Unlike fluxctl (reference Appendix A 13), the cursor and Space both address
 * the n-th *selectable* row, and only that row shows ⇒, so rows without an update in between
 * can neither be toggled by mistake nor show a second cursor.
 */
export class Menu {
  private cursor = 0;
  private readonly selectable: MenuItem[];

  constructor(readonly items: MenuItem[]) {
    this.selectable = items.filter((i) => i.update !== undefined);
  }

  get empty(): boolean {
    return this.selectable.length === 0;
  }

  /** Applies a key; true when the menu must be redrawn. */
  press(key: Key): boolean {
    const n = this.selectable.length;
    if (key === 'up') this.cursor = (this.cursor + n - 1) % n;
    else if (key === 'down') this.cursor = (this.cursor + 1) % n;
    else if (key === 'toggle') {
      const item = this.selectable[this.cursor];
      if (item !== undefined) item.checked = !item.checked;
    } else return false;
    return true;
  }

  /** The text of one drawing, aligned as fluxctl's tabwriter does. */
  render(): string {
    const lines = [`    WORKLOAD \tSTATUS \tUPDATES`];
    let previous: string | undefined;
    for (const item of this.items) {
      const pointer = item === this.selectable[this.cursor] ? '⇒' : ' ';
      const box = item.update === undefined ? ' ' : item.checked ? '◉' : '◯';
      const row = item.id === previous ? `\t\t${item.text}` : `${item.id}\t${item.status}\t${item.text}`;
      lines.push(`${pointer} ${box} ${row}`);
      previous = item.id;
    }
    lines.push('', HELP);
    return tabwrite(`${lines.join('\n')}\n`);
  }

  /** The checked updates grouped by workload ID. */
  selection(): Map<string, ContainerUpdate[]> {
    const specs = new Map<string, ContainerUpdate[]>();
    for (const item of this.selectable) if (item.checked && item.update) specs.set(item.id, [...(specs.get(item.id) ?? []), item.update]);
    return specs;
  }
}

/** Raw-mode bytes to keys: arrows (CSI or SS3), j/k/Tab, Space, Enter, Ctrl-C/Esc/q. */
export function parseKeys(bytes: Uint8Array): Key[] {
  const keys: Key[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    const next = bytes[i + 1];
    if (b === 27 && (next === 0x5b || next === 0x4f) && i + 2 < bytes.length) {
      const code = bytes[i + 2];
      keys.push(code === 0x41 ? 'up' : code === 0x42 ? 'down' : 'other');
      i += 2;
    } else if (b === 3 || b === 27 || b === 0x71) keys.push('abort');
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
