import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import pkg from '../../package.json' with { type: 'json' };

const BIN = fileURLToPath(new URL('../../bin/fluxctl.js', import.meta.url));

function spawnBin(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('command line', () => {
  it('version prints the client version, reading no environment', async () => {
    const r = await runCli(['version'], { env: { FLUX_TIMEOUT: 'garbage', KUBECONFIG: '/nonexistent' } });
    expect(r).toEqual(expect.objectContaining({ code: 0, stdout: `${pkg.version}\n`, stderr: '' }));
    expect((await runCli(['version', 'x'])).stderr).toBe("Error: expected no (non-flag) arguments\nRun 'fluxctl version --help' for usage.\n");
  });

  it('--help and help <command> exit 0 without connecting', async () => {
    const root = await runCli(['--help'], { env: { KUBECONFIG: '/nonexistent' } });
    expect(root.code).toBe(0);
    for (const name of ['identity', 'list-workloads', 'set-interval', 'sync', 'version']) expect(root.stdout).toContain(name);
    const sub = await runCli(['help', 'set-interval']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--git-poll-interval duration');
    expect(sub.stdout).toContain('Examples:');
    expect((await runCli(['sync', '-h'])).code).toBe(0);
  });

  it.each([
    [['frobnicate'], 'Error: unknown command "frobnicate" for "fluxctl"\nRun \'fluxctl --help\' for usage.\n'],
    [['identity', '--bogus'], "Error: unknown flag: --bogus\nRun 'fluxctl identity --help' for usage.\n"],
    [['identity', '-x'], "Error: unknown shorthand flag: 'x' in -x\nRun 'fluxctl identity --help' for usage.\n"],
    [['identity', '--k8s-fwd-ns'], "Error: flag needs an argument: --k8s-fwd-ns\nRun 'fluxctl identity --help' for usage.\n"],
    [['--timeout', '-1x', 'identity'], 'Error: invalid argument "-1x" for "--timeout" flag: time: unknown unit "x" in duration "-1x"\nRun \'fluxctl identity --help\' for usage.\n'],
  ])('%j is a usage error (exit 2) with pflag\'s wording', async (argv, stderr) => {
    const r = await runCli(argv);
    expect(r).toEqual(expect.objectContaining({ code: 2, stdout: '', stderr }));
  });

  it.each([
    [['--timeout', '0', 'list-workloads'], {}, 'invalid --timeout 0s'],
    [['list-workloads', '--timeout=-5s'], {}, 'invalid --timeout -5s'],
    [['sync'], { FLUX_TIMEOUT: '0s' }, 'invalid FLUX_TIMEOUT 0s'],
  ])('a timeout of zero or less (%j %j) is a usage error before anything connects', async (argv, env, message) => {
    const r = await runCli(argv, { env: { KUBECONFIG: '/nonexistent', ...env } });
    const command = argv.find((a) => !a.startsWith('-') && a !== '0') ?? '';
    expect(r).toEqual(expect.objectContaining({ code: 2, stdout: '', stderr: `Error: ${message}: it must be positive\nRun 'fluxctl ${command} --help' for usage.\nhint: e.g. --timeout 2m\n` }));
  });

  it('--debug (and the global --verbose) print diagnostics; release\'s -v stays its result verbosity', async () => {
    const url = ['--url', 'http://127.0.0.1:1/api/flux'];
    for (const argv of [['identity', '--debug', ...url], ['identity', '--verbose', ...url], ['--verbose', 'identity', ...url]]) {
      expect((await runCli(argv)).stderr).toContain('[debug] daemon at http://127.0.0.1:1/api/flux\n');
    }
    expect((await runCli(['identity', ...url], { env: { FLUXCTL_DEBUG: '1' } })).stderr).toContain('[debug] daemon at');
    const release = await runCli(['release', '-v', '--all', '--update-all-images', '--dry-run', '--user', '', ...url]);
    expect(release.stderr).not.toContain('[debug]');
    expect((await runCli(['release', '-v', '--debug', '--all', '--update-all-images', '--dry-run', '--user', '', ...url])).stderr).toContain('[debug] daemon at');
  });

  it('suggests the flag that was probably meant', async () => {
    const r = await runCli(['list-workloads', '--all-namespace']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("Error: unknown flag: --all-namespace\nRun 'fluxctl list-workloads --help' for usage.\nhint: did you mean --all-namespaces?\n");
  });

  it('without any kubeconfig says where it looked and how to fix it (exit 3)', async () => {
    const r = await runCli(['list-workloads'], { home: '/nonexistent-home' });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('Error: no kubeconfig found (looked at /nonexistent-home/.kube/config)\nhint: set KUBECONFIG or --kubeconfig, or pass --url to reach the daemon directly\n');
  });
});

describe('the built binary', () => {
  it('runs through its shebang entry and sets the exit code', async () => {
    expect(await spawnBin(['version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const bad = await spawnBin(['nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown command "nope"');
    const unreachable = await spawnBin(['identity', '--url', 'http://127.0.0.1:1/api/flux']);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toBe("Error: cannot reach the daemon at http://127.0.0.1:1/api/flux: ECONNREFUSED\nhint: check --url (or FLUX_URL): it must be the daemon's base URL, e.g. http://127.0.0.1:3030/api/flux\n");
    expect(unreachable.stderr).not.toMatch(/\n\s+at /);
  });
});
