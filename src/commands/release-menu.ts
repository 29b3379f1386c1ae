import type { ContainerUpdate, WorkloadResult } from '../daemon/jobs.js';
import { CliError } from '../errors.js';
import { tabwrite } from '../output/tabwriter.js';
import { parseImageRef } from '../util/image-ref.js';

/*
 * fluxctl's release menu (pkg/update/menu.go): the plan's rows, container updates selectable
 * and selected at first, redrawn in place on stdout with its exact bytes.
 */

// fluxctl's hint named only the arrows, Space and Enter; ours lists every key the menu takes.
const HELP = `Use arrow keys (or j/k, Tab) and [Space] to toggle updates; hit [Enter] to release selected.
[q] or [Esc] aborts, releasing nothing; [Ctrl-C] interrupts (exit 130).`;

/** The menu ended without a selection: fluxctl prints the text and exits 0. */
export class MenuEnded extends CliError {}

export interface MenuItem {
  id: string;
  status: string;
  text: string;
  update?: ContainerUpdate;
  checked: boolean;
}

export type Key = 'up' | 'down' | 'toggle' | 'enter' | 'abort' | 'interrupt' | 'other';

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
 * The menu's state. In fluxctl's menu (fluxcd/flux pkg/update/menu.go) Space toggles by an
 * index that drifts from the cursor past rows that cannot be selected; here the cursor and
 * Space both address the n-th *selectable* row, and only that row shows ⇒, so rows without an
 * update in between can neither be toggled by mistake nor show a second cursor.
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
