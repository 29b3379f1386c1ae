// argv → options for every command, with the runner replaced: each builder takes its runner as
// an optional argument, and buildProgram takes the registry, so the real parser, global flags
// and env fallbacks run and a recording runner receives what the real one would. Nothing
// connects: a kubeconfig is read only where a command falls back to its context's namespace.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { automateCommand } from '../../src/commands/automate.js';
import { checkCommand } from '../../src/commands/check.js';
import { completionCommand } from '../../src/commands/completion.js';
import { deautomateCommand } from '../../src/commands/deautomate.js';
import { identityCommand } from '../../src/commands/identity.js';
import { commands } from '../../src/commands/index.js';
import { installCommand } from '../../src/commands/install.js';
import { listImagesCommand } from '../../src/commands/list-images.js';
import { listWorkloadsCommand } from '../../src/commands/list-workloads.js';
import { lockCommand } from '../../src/commands/lock.js';
import { policyCommand } from '../../src/commands/policy.js';
import { releaseCommand } from '../../src/commands/release.js';
import { saveCommand } from '../../src/commands/save.js';
import { setIntervalCommand } from '../../src/commands/set-interval.js';
import { syncCommand } from '../../src/commands/sync.js';
import { unlockCommand } from '../../src/commands/unlock.js';
import { versionCommand } from '../../src/commands/version.js';
import { Context, type Globals } from '../../src/context.js';
import { UsageError } from '../../src/errors.js';
import { buildProgram, CommandLineError } from '../../src/program.js';

type Recorder = (ctx: Context, opts: unknown) => Promise<void>;
const BUILDERS: Record<string, (ctx: Context, run: Recorder) => Command> = {
  automate: automateCommand,
  check: checkCommand,
  completion: completionCommand,
  deautomate: deautomateCommand,
  identity: identityCommand,
  install: installCommand,
  'list-images': listImagesCommand,
  'list-workloads': listWorkloadsCommand,
  lock: lockCommand,
  policy: policyCommand,
  release: releaseCommand,
  save: saveCommand,
  'set-interval': setIntervalCommand,
  sync: syncCommand,
  unlock: unlockCommand,
  version: versionCommand,
};

// A kubeconfig whose current context names namespace "team" (never connected to).
const dir = mkdtempSync(path.join(tmpdir(), 'fluxctl-argv-'));
const KUBECONFIG = path.join(dir, 'config');
writeFileSync(KUBECONFIG, `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:1' } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: ctx, context: { cluster: c, user: u, namespace: team } }]
current-context: ctx
`);
const withContextNs = { KUBECONFIG };

interface Parsed {
  opts: unknown;
  globals: Globals;
  stderr: string;
}

/** Parses `argv` as fluxctl would; the command's runner only records what it was given. */
async function parse(argv: string[], env: Record<string, string> = {}, extra: { terminal?: boolean } = {}): Promise<Parsed> {
  const seen: Array<{ opts: unknown; globals: Globals }> = [];
  const record: Recorder = async (ctx, opts) => {
    seen.push({ opts, globals: { ...ctx.globals } });
  };
  const registry = commands.map((e) => ({ ...e, load: async () => (ctx: Context) => (BUILDERS[e.name] as (typeof BUILDERS)[string])(ctx, record) }));
  let stderr = '';
  const sink = new Writable({ write: (c: Buffer, _e, cb) => cb() });
  const errors = new Writable({ write: (c: Buffer, _e, cb) => ((stderr += c.toString()), cb()) });
  const terminal = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
  const ctx = new Context({
    env: { HOME: dir, ...env },
    stdout: sink,
    stderr: errors,
    stdoutTTY: false,
    stderrTTY: false,
    home: path.join(dir, 'no-home'),
    terminalInput: extra.terminal === true ? () => terminal : undefined,
  });
  try {
    const program = await buildProgram(ctx, argv, registry);
    await program.command.parseAsync(program.argv, { from: 'user' });
  } finally {
    await ctx.dispose();
  }
  expect(seen, 'the runner ran once').toHaveLength(1);
  return { ...(seen[0] as { opts: unknown; globals: Globals }), stderr };
}

/** The usage error a command line fails with: commander's (by code) or ours (by message). */
async function usageError(argv: string[], env: Record<string, string> = {}): Promise<string> {
  const e = await parse(argv, env).then(
    () => undefined,
    (err: unknown) => err,
  );
  if (e instanceof CommandLineError) return e.error.code;
  if (e instanceof UsageError) return e.message;
  throw new Error(`expected a usage error, got ${String(e)}`);
}

const shortcut = (workload: string, more: object = {}) => ({ workload, verbosity: 0, message: undefined, user: undefined, ...more });
const noPolicy = { automate: false, deautomate: false, lock: false, unlock: false, tagAll: '', tags: [] };

// [argv, env, the options the runner must get (every field it reads)]
const cases: Array<[string[], Record<string, string>, object]> = [
  // automate, deautomate, lock, unlock: the workload, qualified by -n, else the context's namespace.
  [['automate', '-w', 'default:deployment/foo'], {}, shortcut('default:deployment/foo')],
  [['automate', '-w', 'deployment/foo', '-n', 'web', '-m', 'why', '--user', 'Jane <j@x>', '-v'], {}, shortcut('web:deployment/foo', { verbosity: 1, message: 'why', user: 'Jane <j@x>' })],
  [['automate', '-w', 'Deployment/foo'], withContextNs, shortcut('team:deployment/foo')],
  [['automate', '-w', 'deployment/foo'], {}, shortcut('default:deployment/foo')],
  [['deautomate', '--workload=default:daemonset/agent', '-vv'], {}, shortcut('default:daemonset/agent', { verbosity: 2 })],
  [['lock', '-c', 'default:deployment/foo'], {}, shortcut('default:deployment/foo')],
  [['lock', '-w', 'default:deployment/a', '-c', 'default:deployment/b'], {}, shortcut('default:deployment/b')],
  [['unlock', '-w', 'statefulset/db', '-n', 'data'], {}, shortcut('data:statefulset/db')],
  // check, sync, version, save: formats and switches.
  [['check'], {}, { format: 'tab' }],
  [['check', '-o', 'json'], {}, { format: 'json' }],
  [['sync'], {}, { format: 'tab', watch: false }],
  [['sync', '-w', '--output-format', 'json'], {}, { format: 'json', watch: true }],
  [['version'], {}, { server: false, format: 'tab' }],
  [['version', '--server', '-o', 'yaml'], {}, { server: true, format: 'yaml' }],
  [['save'], {}, { out: '-' }],
  [['save', '--out', 'config/'], {}, { out: 'config/' }],
  // identity
  [['identity'], {}, { regenerate: false, fingerprint: false, visual: false, hash: 'md5', format: 'tab' }],
  [['identity', '-r', '-l', '-v', '-E', 'sha256', '-o', 'json'], {}, { regenerate: true, fingerprint: true, visual: true, hash: 'sha256', format: 'json' }],
  // list-workloads (and its alias), list-images
  [['list-workloads'], {}, { namespace: undefined, allNamespaces: false, container: undefined, noHeaders: false, format: 'tab' }],
  [['list-controllers', '-n', 'web', '-c', 'app', '--no-headers', '-o', 'yaml'], {}, { namespace: 'web', allNamespaces: false, container: 'app', noHeaders: true, format: 'yaml' }],
  [['list-workloads', '-a', '-o', 'json'], {}, { namespace: undefined, allNamespaces: true, container: undefined, noHeaders: false, format: 'json' }],
  [['list-images'], {}, { namespace: undefined, allNamespaces: false, workload: undefined, limit: 10, noHeaders: false, format: 'tab' }],
  [['list-images', '-w', 'default:deployment/foo', '-l', '0', '--no-headers', '-o', 'json'], {}, { namespace: undefined, allNamespaces: false, workload: 'default:deployment/foo', limit: 0, noHeaders: true, format: 'json' }],
  [['list-images', '-c', 'deployment/foo', '-n', 'web'], {}, { namespace: 'web', workload: 'deployment/foo' }],
  [['list-images', '-a'], {}, { allNamespaces: true, workload: undefined }],
  // policy
  [['policy', '-w', 'default:deployment/foo', '--automate', '--lock', '-m', 'm'], {}, { ...noPolicy, workload: 'default:deployment/foo', automate: true, lock: true, verbosity: 0, message: 'm', user: undefined }],
  [['policy', '-w', 'deployment/foo', '--tag-all', 'semver:~1', '--tag', 'app=1.*,side=glob:2.*', '--tag', 'db=*'], withContextNs, {
    ...noPolicy, workload: 'team:deployment/foo', tagAll: 'semver:~1', tags: [['app', '1.*'], ['side', 'glob:2.*'], ['db', '*']], verbosity: 0, message: undefined, user: undefined,
  }],
  // release: slices, the image spec, the kind, the cause.
  [['release', '--workload', 'default:deployment/a,deployment/b', '--workload', 'c:daemonset/d', '-i', 'library/hello:v2'], {}, {
    workloads: ['default:deployment/a', 'default:deployment/b', 'c:daemonset/d'], image: 'library/hello:v2', excludes: [], kind: 'execute', force: false, watch: false, verbosity: 0, message: undefined, user: undefined, terminal: undefined,
  }],
  [['release', '--all', '--update-all-images', '--exclude', 'deployment/x', '--dry-run', '-v', '--user', 'ci'], withContextNs, {
    workloads: ['<all>'], image: '<all latest>', excludes: ['team:deployment/x'], kind: 'plan', force: false, watch: false, verbosity: 1, user: 'ci',
  }],
  [['release', '-n', 'web', '--workload', 'deployment/a', '-i', 'nginx:1.25', '-f', '-w', '-m', 'm'], {}, { workloads: ['web:deployment/a'], image: 'nginx:1.25', kind: 'execute', force: true, watch: true, message: 'm' }],
  // set-interval: both intervals, one, the flags around them.
  [['set-interval'], {}, { changes: new Map(), deployment: undefined, container: undefined, kustomization: undefined, dryRun: false, wait: true, format: 'tab' }],
  [['set-interval', '1m'], {}, { changes: new Map([['git-poll-interval', '1m'], ['sync-interval', '1m']]), dryRun: false, wait: true }],
  [['set-interval', '30s', '--sync-interval', '10m', '--deployment', 'fluxd', '--container', 'daemon', '--dry-run', '--no-wait', '-o', 'json'], {}, {
    changes: new Map([['git-poll-interval', '30s'], ['sync-interval', '10m']]), deployment: 'fluxd', container: 'daemon', kustomization: undefined, dryRun: true, wait: false, format: 'json',
  }],
  [['set-interval', '--git-poll-interval', '2m', '--kustomization', 'apps'], {}, { changes: new Map([['git-poll-interval', '2m']]), kustomization: 'apps' }],
  // install: parameters, defaults, paths from both flags, bools pflag-style; the context's namespace.
  [['install', '--git-url', 'git@github.com:acme/config', '--git-email', 'ci@acme.example'], {}, {
    gitUrl: 'git@github.com:acme/config', gitEmail: 'ci@acme.example', gitBranch: 'master', gitPaths: [], gitLabel: 'flux', gitUser: 'Flux',
    gitReadonly: false, manifestGeneration: false, namespace: 'default', registryDisableScanning: false, addSecurityContext: true, outputDir: undefined,
  }],
  [['install', '--git-url', 'u', '--git-email', 'e', '--git-path', 'a,b', '--git-path', 'c', '--git-readonly', '--add-security-context=false', '--namespace', 'flux', '-o', 'out'], {}, {
    gitPaths: ['a', 'b', 'c'], gitReadonly: true, addSecurityContext: false, namespace: 'flux', outputDir: 'out',
  }],
  [['install', '--git-url', 'u', '--git-email', 'e'], withContextNs, { namespace: 'team' }],
  // completion
  [['completion', 'zsh'], {}, { shell: 'zsh' }],
];

describe('argv → options, with the runner replaced', () => {
  it('covers every command of the registry', () => {
    expect(new Set(cases.map(([argv]) => commands.find((c) => c.name === argv[0] || c.aliases?.includes(argv[0] ?? ''))?.name))).toEqual(new Set(commands.map((c) => c.name)));
    expect(Object.keys(BUILDERS).sort()).toEqual(commands.map((c) => c.name).sort());
  });

  it.each(cases)('%j %j', async (argv, env, want) => {
    const { opts } = await parse(argv, env);
    expect(opts).toMatchObject(want);
  });

  it('release --interactive plans, and reads keys from the terminal', async () => {
    const { opts } = await parse(['release', '--all', '--update-all-images', '--interactive'], {}, { terminal: true });
    expect(opts).toMatchObject({ kind: 'plan', terminal: expect.objectContaining({ isTTY: true }) });
  });

  it('deprecated flags are announced as pflag does', async () => {
    expect((await parse(['automate', '-c', 'default:deployment/foo'])).stderr).toBe('Flag --controller has been deprecated, changed to --workload, use that instead\n');
    expect((await parse(['release', '-c', 'default:deployment/foo', '-i', 'a:1'])).stderr).toBe('Flag --controller has been deprecated, changed to --workload, use that instead\n');
    expect((await parse(['install', '--git-url', 'u', '--git-email', 'e', '--git-paths', 'x'])).opts).toMatchObject({ gitPaths: ['x'] });
  });

  it.each([
    [['automate'], '-w, --workload is required'],
    [['automate', '-w', 'default:deployment/a', '-c', 'default:deployment/b'], "can't specify both the controller and workload"],
    [['policy', '-w', 'default:deployment/a', '--automate', '--deautomate'], 'automate and deautomate both specified'],
    [['policy', '-w', 'default:deployment/a', '--tag', 'nonsense'], 'invalid container/tag pair: "nonsense". Expected format is \'container=filter\''],
    [['release', '--all'], 'please supply exactly one of --update-image=<image> or --update-all-images'],
    [['release', '--all', '-i', 'a:1', '--update-all-images'], 'please supply only one of --update-image=<image> or --update-all-images'],
    [['release', '-i', 'a:1'], 'please supply either --all, or at least one --workload=<workload>'],
    [['release', '--all', '-i', 'hello'], 'blank tag (if you want latest, explicitly state the tag :latest): invalid image ID'],
    [['release', '--all', '-i', 'a:1', '--watch', '--dry-run'], 'cannot use --watch with --dry-run'],
    [['release', '--all', '-i', 'a:1', '--interactive'], '--interactive needs a terminal, but stdin is not a TTY'],
    [['set-interval', '0s'], 'invalid duration "0s": the interval must be positive'],
    [['set-interval', '--dry-run'], '--dry-run needs a new interval to show'],
    [['set-interval', '1m', '2m'], 'commander.excessArguments'],
    [['identity', '-E', 'sha1'], 'invalid fingerprint hash "sha1"'],
    [['list-images', '-a', '-w', 'default:deployment/a'], '--all-namespaces cannot be combined with --workload'],
    [['list-images', '-l', 'many'], 'commander.invalidArgument'],
    [['sync', '-o', 'yaml'], 'invalid output format specified'],
    [['install', '--git-url', 'u'], 'please supply a valid --git-email argument'],
    [['install', '--git-url', 'u', '--git-email', 'e', '--git-readonly=maybe'], 'invalid argument "maybe" for "--git-readonly" flag: strconv.ParseBool: parsing "maybe": invalid syntax'],
    [['completion', 'tcsh'], 'unsupported shell type "tcsh"'],
    [['version', 'extra'], 'commander.excessArguments'],
    [['sync', '--bogus'], 'commander.unknownOption'],
  ])('%j is a usage error: %s', async (argv, want) => {
    expect(await usageError(argv)).toBe(want);
  });
});

describe('global flags: flag > environment > default', () => {
  const defaults = {
    context: undefined, kubeconfig: undefined, fwdNamespace: 'default', fwdNamespaceGiven: false, fwdLabels: new Map([['app', 'flux']]),
    url: undefined, token: undefined, timeoutNs: 60_000_000_000n, debug: false, fluxVersion: 'auto', fluxNamespace: 'flux-system', gitRepository: undefined,
  };
  const env = {
    FLUX_FORWARD_NAMESPACE: 'flux', FLUX_FORWARD_LABELS: 'name=fluxd,team=a', FLUX_URL: 'http://127.0.0.1:3030/api/flux', FLUX_TIMEOUT: '90s',
    FLUXCTL_FLUX_VERSION: 'v1', FLUXCTL_GIT_REPOSITORY: 'config', FLUX_SERVICE_TOKEN: 'svc',
  };

  it.each<[string, string[], Record<string, string>, object]>([
    ['defaults', ['sync'], {}, defaults],
    ['each environment variable', ['sync'], env, {
      fwdNamespace: 'flux', fwdNamespaceGiven: true, fwdLabels: new Map([['name', 'fluxd'], ['team', 'a']]), url: 'http://127.0.0.1:3030/api/flux', token: 'svc',
      timeoutNs: 90_000_000_000n, fluxVersion: 'v1', fluxNamespace: 'flux', gitRepository: 'config',
    }],
    ['flags over the environment', ['sync', '--k8s-fwd-ns', 'ops', '--k8s-fwd-labels', 'app=fluxd', '--url', 'http://127.0.0.1:9/api/flux', '--timeout', '5s', '--flux-version', 'v2', '--git-repository', 'other', '-t', 'tok'], env, {
      fwdNamespace: 'ops', fwdLabels: new Map([['app', 'fluxd']]), url: 'http://127.0.0.1:9/api/flux', token: 'tok', timeoutNs: 5_000_000_000n, fluxVersion: 'v2', fluxNamespace: 'ops', gitRepository: 'other',
    }],
    ['before or after the command; the later wins, labels merge', ['--k8s-fwd-ns', 'a', '--k8s-fwd-labels', 'x=1', 'list-workloads', '--k8s-fwd-ns', 'b', '--k8s-fwd-labels', 'y=2'], {}, {
      fwdNamespace: 'b', fwdLabels: new Map([['x', '1'], ['y', '2']]),
    }],
    ['WEAVE_CLOUD_TOKEN over FLUX_SERVICE_TOKEN, and a token alone means Weave Cloud', ['identity'], { WEAVE_CLOUD_TOKEN: 'weave', FLUX_SERVICE_TOKEN: 'svc' }, { token: 'weave', url: 'https://cloud.weave.works/api/flux' }],
    ['FLUX_SYSTEM_NAMESPACE names the Flux v2 namespace when no forward namespace is given', ['sync'], { FLUX_SYSTEM_NAMESPACE: 'gitops' }, { fwdNamespace: 'default', fluxNamespace: 'gitops' }],
    ['empty values count as unset', ['sync'], { FLUX_FORWARD_NAMESPACE: '', FLUX_TIMEOUT: '', FLUX_URL: '' }, { fwdNamespace: 'default', timeoutNs: 60_000_000_000n, url: undefined }],
    ['--context, --kubeconfig and --verbose pass through', ['list-images', '--context', 'prod', '--kubeconfig', '/k/config', '--verbose'], {}, { context: 'prod', kubeconfig: '/k/config', debug: true }],
    ['version --server reads them', ['version', '--server'], env, { fwdNamespace: 'flux', timeoutNs: 90_000_000_000n }],
  ])('%s', async (_name, argv, envVars, want) => {
    const { globals } = await parse(argv, envVars);
    expect(globals).toMatchObject(want);
  });

  it.each([[['version']], [['install', '--git-url', 'u', '--git-email', 'e']], [['completion', 'bash']]])('%j reads no FLUX_* environment, as fluxctl: bad values pass unremarked', async (argv) => {
    // The same environment makes sync warn three times (below).
    const { stderr } = await parse(argv, { FLUX_TIMEOUT: 'soon', FLUX_FORWARD_LABELS: 'nonsense', FLUXCTL_FLUX_VERSION: 'v3' });
    expect(stderr).not.toContain('Warning: ignoring');
  });

  it('an unparseable environment value is ignored, with a warning', async () => {
    const { globals, stderr } = await parse(['sync'], { FLUX_TIMEOUT: 'soon', FLUX_FORWARD_LABELS: 'nonsense', FLUXCTL_FLUX_VERSION: 'v3' });
    expect(globals).toMatchObject({ timeoutNs: 60_000_000_000n, fwdLabels: new Map([['app', 'flux']]), fluxVersion: 'auto' });
    expect(stderr).toBe(
      'Warning: ignoring FLUX_FORWARD_LABELS="nonsense": nonsense must be formatted as key=value\n' +
        'Warning: ignoring FLUXCTL_FLUX_VERSION="v3": invalid value "v3": must be auto, v1 or v2\n' +
        'Warning: ignoring FLUX_TIMEOUT="soon": time: invalid duration "soon"\n',
    );
  });

  it.each([
    [['sync', '--timeout', 'soon'], 'commander.invalidArgument'],
    [['sync', '--k8s-fwd-labels', 'app'], 'commander.invalidArgument'],
    [['sync', '--flux-version', 'v3'], 'commander.invalidArgument'],
    [['sync', '--timeout', '0s'], 'invalid --timeout 0s: it must be positive'],
  ])('%j is a usage error: %s', async (argv, want) => {
    expect(await usageError(argv)).toBe(want);
  });
});
