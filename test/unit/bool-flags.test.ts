import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseGoBool } from '../../src/cli/bool-flags.js';
import { Context } from '../../src/context.js';
import { UsageError } from '../../src/errors.js';
import { buildProgram } from '../../src/program.js';

const sink = new Writable({ write: (_c, _e, cb) => cb() });

class Parsed extends Error {
  constructor(readonly opts: Record<string, unknown>, readonly root: Record<string, unknown>) {
    super('parsed');
  }
}

/** Parses a command line as fluxctl would and returns the options the command's action would get. */
async function parse(argv: string[]): Promise<Parsed> {
  const ctx = new Context({ env: {}, stdout: sink, stderr: sink, stdoutTTY: false, stderrTTY: false, home: '/nonexistent' });
  const { command, argv: normalised } = await buildProgram(ctx, argv);
  command.hook('preAction', (root, action) => {
    throw new Parsed(action.opts(), root.opts());
  });
  try {
    await command.parseAsync(normalised, { from: 'user' });
  } catch (e) {
    if (e instanceof Parsed) return e;
    throw e;
  } finally {
    await ctx.dispose();
  }
  throw new Error('no action ran');
}

describe("Go's strconv.ParseBool", () => {
  it.each(['1', 't', 'T', 'TRUE', 'true', 'True'])('%s is true', (v) => expect(parseGoBool(v)).toBe(true));
  it.each(['0', 'f', 'F', 'FALSE', 'false', 'False'])('%s is false', (v) => expect(parseGoBool(v)).toBe(false));
  it.each(['', 'yes', 'no', 'tRUE', 'on', '2'])('%j is not a boolean', (v) => expect(parseGoBool(v)).toBeUndefined());
});

describe('boolean flags take an explicit value, as with pflag', () => {
  it.each([
    [['list-workloads', '--all-namespaces=true'], { allNamespaces: true }],
    [['list-workloads', '--all-namespaces=false'], { allNamespaces: false }],
    [['list-workloads', '-a=1'], { allNamespaces: true }],
    [['list-workloads', '-a=F'], { allNamespaces: false }],
    [['list-workloads', '-a', '--all-namespaces=false'], { allNamespaces: false }],
    [['list-workloads', '--all-namespaces=false', '-a'], { allNamespaces: true }],
    [['list-workloads', '--no-headers'], { headers: false }],
    [['list-workloads', '--no-headers=true'], { headers: false }],
    [['list-workloads', '--no-headers=false'], { headers: true }],
    [['list-workloads', '--no-headers', '--no-headers=False'], { headers: true }],
    [['list-workloads'], { headers: true, allNamespaces: false }],
    [['release', '--dry-run=true', '--update-all-images=TRUE', '--all=t'], { dryRun: true, updateAllImages: true, all: true }],
    [['release', '--dry-run=false', '--interactive=0', '--watch=f', '-f=false'], { dryRun: false, interactive: false, watch: false, force: false }],
    [['release', '-w=true', '-vv'], { watch: true, verbose: 2 }],
    [['set-interval', '--no-wait=false', '--dry-run=1'], { wait: true, dryRun: true }],
    [['set-interval', '--no-wait=true'], { wait: false }],
    [['identity', '-l=true', '--visual=false', '--regenerate=false'], { fingerprint: true, visual: false, regenerate: false }],
    [['version', '--server=true'], { server: true }],
    [['install', '--add-security-context=false', '--git-readonly=true'], { addSecurityContext: false, gitReadonly: true }],
    [['install'], { addSecurityContext: true, gitReadonly: false }],
    [['policy', '--automate=true', '--lock=false'], { automate: true, lock: false }],
    [['sync', '--watch=true'], { watch: true }],
  ])('%j', async (argv, expected) => {
    expect((await parse(argv)).opts).toMatchObject(expected);
  });

  it('a value that belongs to a flag is never read as a flag', async () => {
    const r = await parse(['release', '-m', '--dry-run=true', '--update-all-images', '--all']);
    expect(r.opts).toMatchObject({ message: '--dry-run=true', dryRun: false });
  });

  it('global booleans take a value before and after the command', async () => {
    expect((await parse(['--no-color=true', 'list-workloads'])).root).toMatchObject({ color: false });
    expect((await parse(['list-workloads', '--no-color=false'])).opts).toMatchObject({ color: true });
    expect((await parse(['list-workloads', '--debug=1'])).opts).toMatchObject({ debug: true });
    expect((await parse(['--verbose=true', 'identity'])).root).toMatchObject({ verbose: true });
  });

  it.each([
    [['release', '--dry-run=maybe'], 'invalid argument "maybe" for "--dry-run" flag: strconv.ParseBool: parsing "maybe": invalid syntax', 'fluxctl release'],
    [['list-workloads', '-a=yes'], 'invalid argument "yes" for "-a, --all-namespaces" flag: strconv.ParseBool: parsing "yes": invalid syntax', 'fluxctl list-workloads'],
    [['list-workloads', '--no-headers='], 'invalid argument "" for "--no-headers" flag: strconv.ParseBool: parsing "": invalid syntax', 'fluxctl list-workloads'],
    [['--no-color=2', 'sync'], 'invalid argument "2" for "--no-color" flag: strconv.ParseBool: parsing "2": invalid syntax', 'fluxctl'],
  ])('%j is a usage error with pflag\'s text', async (argv, message, commandPath) => {
    const err = await parse(argv).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err).toMatchObject({ message, commandPath, exitCode: 2 });
  });
});
