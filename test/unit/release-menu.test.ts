import { PassThrough } from 'node:stream';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { WorkloadResult } from '../../src/daemon/jobs.js';
import type { ControllerStatus } from '../../src/daemon/types.js';
import { createIO } from '../../src/output/io.js';
import { Menu, menuItems } from '../../src/commands/release-menu.js';
import { parseKeys, pickUpdates } from '../../src/commands/release-prompt.js';
import { rolloutTable } from '../../src/commands/release-watch.js';

const up = (Container: string, Current: string, Target: string) => ({ Container, Current, Target });
const results = new Map<string, WorkloadResult>([
  ['default:deployment/foo', { Status: 'success', PerContainer: [up('hello', 'library/hello:v1', 'library/hello:v2'), up('side', 'library/side:v1', 'library/side:v3')] }],
  ['default:deployment/bar', { Status: 'skipped', Error: 'locked', PerContainer: null }],
  ['default:deployment/qux', { Status: 'success', PerContainer: [up('app', 'example.com:5000/app:1.0', 'example.com:5000/app:1.1')] }],
  ['default:deployment/zed', { Status: 'ignored', Error: 'not included', PerContainer: null }],
]);

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

class FakeTTY extends PassThrough {
  isTTY = true;
  modes: boolean[] = [];
  setRawMode(on: boolean): this {
    this.modes.push(on);
    return this;
  }
}

describe('release menu rows', () => {
  it('applies the result table filter: skipped from -v, ignored from -vv', () => {
    expect(menuItems(results, 0).map((i) => i.id)).toEqual(['default:deployment/foo', 'default:deployment/foo', 'default:deployment/qux']);
    expect(menuItems(results, 1).map((i) => i.text)).toEqual(['locked', 'hello: library/hello:v1 -> v2', 'side: library/side:v1 -> v3', 'app: example.com:5000/app:1.0 -> 1.1']);
    expect(menuItems(results, 2)).toHaveLength(5);
  });

  it('draws fluxctl\'s rows: ⇒ cursor, ◉/◯ boxes, blank ID and status on a workload\'s further rows', () => {
    const menu = new Menu(menuItems(results, 1));
    expect(menu.render()).toBe(
      [
        '    WORKLOAD                STATUS   UPDATES',
        '    default:deployment/bar  skipped  locked',
        '⇒ ◉ default:deployment/foo  success  hello: library/hello:v1 -> v2',
        '  ◉                                  side: library/side:v1 -> v3',
        '  ◉ default:deployment/qux  success  app: example.com:5000/app:1.0 -> 1.1',
        '',
        'Use arrow keys (or j/k, Tab) and [Space] to toggle updates; hit [Enter] to release selected.',
        '[q] or [Esc] aborts, releasing nothing; [Ctrl-C] interrupts (exit 130).',
        '',
      ].join('\n'),
    );
  });

  it('moves among selectable rows only, wrapping, and toggles the row under the cursor (fluxctl toggled by the wrong index)', () => {
    const menu = new Menu(menuItems(results, 1));
    // fluxctl: cursor 1 would toggle items[1] (foo/hello) while ⇒ shows foo/side; here side is toggled.
    expect(menu.press('down')).toBe(true);
    menu.press('toggle');
    expect(menu.render().split('\n').slice(2, 5)).toEqual([
      '  ◉ default:deployment/foo  success  hello: library/hello:v1 -> v2',
      '⇒ ◯                                  side: library/side:v1 -> v3',
      '  ◉ default:deployment/qux  success  app: example.com:5000/app:1.0 -> 1.1',
    ]);
    menu.press('up');
    menu.press('up');
    expect(menu.render().split('\n')[4]).toBe('⇒ ◉ default:deployment/qux  success  app: example.com:5000/app:1.0 -> 1.1');
    expect(menu.press('other')).toBe(false);
    expect([...menu.selection()]).toEqual([
      ['default:deployment/foo', [up('hello', 'library/hello:v1', 'library/hello:v2')]],
      ['default:deployment/qux', [up('app', 'example.com:5000/app:1.0', 'example.com:5000/app:1.1')]],
    ]);
  });

  it('shows ⇒ on one row only, even with an unselectable row before the cursor', () => {
    const menu = new Menu(menuItems(results, 1));
    expect(menu.render().match(/⇒/g)).toHaveLength(1);
  });
});

describe('raw key bytes', () => {
  it.each([
    ['\u001b[A', ['up']],
    ['\u001bOB', ['down']],
    ['\u001b[C\u001b[D', ['other', 'other']],
    ['jk\t ', ['down', 'up', 'down', 'toggle']],
    ['\r', ['enter']],
    ['\n', ['enter']],
    ['\u0003', ['interrupt']],
    ['\u001b', ['abort']],
    ['q', ['abort']],
    ['x', ['other']],
  ])('%j → %j', (bytes, keys) => {
    expect(parseKeys(Buffer.from(bytes))).toEqual(keys);
  });
});

describe('pickUpdates', () => {
  const io = (stdout: Writable, columns = 120, tty = true) => createIO({ stdout, stderr: new Sink(), stdoutTTY: tty, stderrTTY: false, columns, env: {} });

  it('counts wrapped lines when moving the cursor up to redraw, and restores the terminal', async () => {
    const out = new Sink();
    const input = new FakeTTY();
    input.write('j\r');
    const picked = await pickUpdates(io(out, 40), input, menuItems(results, 0), new AbortController().signal);
    expect(picked.size).toBe(2);
    // At 40 columns the header and the three rows take 2 lines each, the empty line 1, the help 3 + 2.
    expect(out.text).toContain('\u001b[?25l\u001b[14A');
    expect(out.text.endsWith('\n\u001b[?25h')).toBe(true);
    expect(input.modes).toEqual([true, false]);
    expect(input.isPaused()).toBe(true);
    expect(input.listenerCount('data')).toBe(0);
  });

  it('without a terminal width counts one line per row, as fluxctl does with 9999 columns', async () => {
    const out = new Sink();
    const input = new FakeTTY();
    input.write(' \r');
    const picked = await pickUpdates(io(out, 40, false), input, menuItems(results, 0), new AbortController().signal);
    expect([...picked.keys()]).toEqual(['default:deployment/foo', 'default:deployment/qux']);
    expect(out.text).toContain('\u001b[7A');
  });

  it('Ctrl-C interrupts (exit 130) and restores the terminal', async () => {
    const input = new FakeTTY();
    input.write('\u0003');
    const out = new Sink();
    await expect(pickUpdates(io(out), input, menuItems(results, 0), new AbortController().signal)).rejects.toMatchObject({ message: 'interrupted', exitCode: 130 });
    expect(input.modes).toEqual([true, false]);
    expect(out.text.endsWith('\u001b[?25h')).toBe(true);
  });

  it.each([['q'], ['\u001b']])('%j aborts with "Aborted." and restores the terminal', async (key) => {
    const input = new FakeTTY();
    input.write(key);
    const out = new Sink();
    await expect(pickUpdates(io(out), input, menuItems(results, 0), new AbortController().signal)).rejects.toThrow('Aborted.');
    expect(input.modes).toEqual([true, false]);
    expect(out.text.endsWith('\u001b[?25h')).toBe(true);
  });

  it('the end of input aborts; the deadline rejects with its reason', async () => {
    const closed = new FakeTTY();
    closed.end();
    await expect(pickUpdates(io(new Sink()), closed, menuItems(results, 0), new AbortController().signal)).rejects.toThrow('Aborted.');
    const deadline = new AbortController();
    const pending = pickUpdates(io(new Sink()), new FakeTTY(), menuItems(results, 0), deadline.signal);
    deadline.abort(new Error('timed out'));
    await expect(pending).rejects.toThrow('timed out');
  });

  it('with nothing selectable says "No changes found." without touching the terminal', async () => {
    const input = new FakeTTY();
    const out = new Sink();
    await expect(pickUpdates(io(out), input, menuItems(results, 1).filter((i) => i.update === undefined), new AbortController().signal)).rejects.toThrow('No changes found.');
    expect(input.modes).toEqual([]);
    expect(out.text).toBe('');
  });
});

describe('rollout table', () => {
  const w: ControllerStatus = {
    ID: 'default:deployment/helloworld',
    Containers: [
      { Name: 'helloworld', Current: { ID: 'quay.io/weaveworks/helloworld:master-9a16ff945b9e', Labels: {} }, LatestFiltered: { ID: '', Labels: {} } },
      { Name: 'sidecar', Current: { ID: 'quay.io/weaveworks/sidecar:master-a000002', Labels: {} }, LatestFiltered: { ID: '', Labels: {} } },
    ],
    ReadOnly: '',
    Status: 'updating',
    Rollout: { Desired: 2, Updated: 1, Ready: 1, Available: 1, Outdated: 1, Messages: null },
    SyncError: '',
    Antecedent: '',
    Labels: null,
    Automated: false,
    Locked: false,
    Ignore: false,
    Policies: null,
  };
  const piped = createIO({ stdout: new Sink(), stderr: new Sink(), stdoutTTY: false, stderrTTY: false, env: {} });

  it('is fluxctl\'s menu with -v, byte for byte, ending with an empty line', async () => {
    expect(await rolloutTable(piped, w, 1)).toBe(
      'WORKLOAD                       CONTAINER   IMAGE                                              RELEASE   REPLICAS\n' +
        'default:deployment/helloworld  helloworld  quay.io/weaveworks/helloworld:master-9a16ff945b9e  updating  1/2 (1 outdated, 1 ready)\n' +
        '                               sidecar     quay.io/weaveworks/sidecar:master-a000002                    \n' +
        '\n',
    );
  });

  it('without -v shows updated/desired; a workload without containers gets one row', async () => {
    expect(await rolloutTable(piped, { ...w, Containers: null }, 0)).toBe('WORKLOAD                       CONTAINER  IMAGE  RELEASE   REPLICAS\ndefault:deployment/helloworld                    updating  1/2\n\n');
  });
});
