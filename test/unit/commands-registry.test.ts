import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/index.js';
import { Context } from '../../src/context.js';
import { targetCommand } from '../../src/program.js';

const sink = new Writable({ write: (_c, _e, cb) => cb() });
const ctx = new Context({ env: {}, stdout: sink, stderr: sink, stdoutTTY: false, stderrTTY: false, home: '/nonexistent' });

describe('the lazy command registry', () => {
  it.each(commands.map((c) => [c.name, c] as const))('%s: name, aliases, arguments and summary match its builder', async (_name, entry) => {
    const cmd = (await entry.load())(ctx);
    expect(cmd.name()).toBe(entry.name);
    expect(cmd.aliases()).toEqual(entry.aliases ?? []);
    const args = cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}${a.variadic ? '...' : ''}]`)).join(' ');
    expect(args).toBe(entry.args ?? '');
    expect(cmd.description().split('\n')[0]).toBe(entry.summary);
  });

  it.each([
    [['identity', '--k8s-fwd-ns', 'flux'], 'identity'],
    [['--k8s-fwd-ns', 'release', 'identity'], 'identity'],
    [['--k8s-fwd-ns=flux', 'sync'], 'sync'],
    [['-u', 'http://x', '-t', 'tok', '--timeout', '5s', 'list-controllers'], 'list-controllers'],
    [['--verbose', '--no-color', 'version'], 'version'],
    [['help', 'release'], 'release'],
    [['--help'], undefined],
    [[], undefined],
    [['--', 'sync'], undefined],
  ])('targetCommand(%j) is %s', (argv, expected) => {
    expect(targetCommand(argv)).toBe(expected);
  });
});
