import { describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/index.js';
import { runCli } from '../helpers/run-cli.js';
import pkg from '../../package.json' with { type: 'json' };

const offline = { env: { KUBECONFIG: '/nonexistent' } };
const SECTIONS = ['Usage:', 'Aliases:', 'Examples:', 'Available Commands:', 'Flags:', 'Global Flags:'];

/** The cobra section titles a help text has, in the order it has them. */
const sectionsOf = (text: string): string[] => text.split('\n').filter((l) => SECTIONS.includes(l));
const FOOTER = 'Use "fluxctl [command] --help" for more information about a command.\n';

describe('help in cobra\'s layout', () => {
  it('fluxctl alone prints the root help on stdout and exits 0, as cobra does', async () => {
    const bare = await runCli([], offline);
    expect(bare).toMatchObject({ code: 0, stderr: '' });
    expect(bare.stdout).toBe((await runCli(['--help'], offline)).stdout);
    expect(bare.stdout).toBe((await runCli(['help'], offline)).stdout);
    expect((await runCli(['--timeout', '5s'], offline)).stdout).toBe(bare.stdout);
  });

  it('the root help keeps fluxctl\'s Connecting and Workflow examples, lists every command once, and its flags', async () => {
    const { stdout } = await runCli(['--help'], offline);
    expect(stdout.startsWith('fluxctl helps you deploy your code.\n\nConnecting:\n\n  # To a fluxd running in namespace "default" in your current kubectl context\n  fluxctl list-workloads\n')).toBe(true);
    expect(stdout).toContain('\nWorkflow:\n  fluxctl list-workloads                                                   # Which workloads are running?\n');
    expect(sectionsOf(stdout)).toEqual(['Usage:', 'Available Commands:', 'Flags:']);
    expect(stdout).toContain('Usage:\n  fluxctl [command]\n');
    for (const c of commands) expect(stdout).toMatch(new RegExp(`^  ${c.name} +\\S`, 'm'));
    expect(stdout).toMatch(/^ {2}help +Help about any command$/m);
    for (const flag of ['--flux-version version', '--git-repository name', '--debug', '-V, --version', '--timeout duration', '--k8s-fwd-ns namespace']) expect(stdout).toContain(flag);
    expect(stdout.endsWith(FOOTER)).toBe(true);
  });

  it.each(commands.map((c) => [c.name] as const))('%s --help: cobra\'s sections in order, global flags once, in their own section', async (name) => {
    const r = await runCli([name, '--help'], offline);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const found = sectionsOf(r.stdout);
    expect(found).toEqual(SECTIONS.filter((s) => found.includes(s)));
    expect(found).toContain('Usage:');
    expect(found).toContain('Flags:');
    expect(r.stdout).toMatch(new RegExp(`^Usage:\\n {2}fluxctl ${name}( \\S+)* \\[flags\\]$`, 'm'));
    expect(r.stdout.endsWith(FOOTER)).toBe(true);
    const flags = r.stdout.slice(r.stdout.indexOf('\nFlags:\n'), r.stdout.indexOf('\nGlobal Flags:\n') >>> 0);
    for (const g of ['--context', '--kubeconfig', '--timeout', '--url']) expect(flags).not.toMatch(new RegExp(`^ +(-\\w, )?${g}\\b`, 'm'));
    // no commander defaults noise, no default said twice
    expect(r.stdout).not.toContain('(default: "")');
    expect(r.stdout).not.toContain('(default: false)');
    expect(r.stdout).not.toMatch(/\(default[^)]*\)\s*\(default/);
    expect(r.stdout).not.toContain('(choices:');
  });

  it('offline commands list only the global flags they read', async () => {
    expect((await runCli(['completion', '--help'], offline)).stdout).not.toContain('Global Flags:');
    const install = (await runCli(['install', '--help'], offline)).stdout;
    const globals = install.slice(install.indexOf('Global Flags:\n'), install.indexOf('\n\n', install.indexOf('Global Flags:\n')));
    expect(globals.match(/^ {2}(-\w, | {4})--[\w-]+/gm)).toEqual(['      --context', '      --kubeconfig']);
    expect(install).not.toContain('(default: "")');
    expect(install).toContain('--add-security-context        Ensure security context information is added');
    expect(install).toMatch(/leaves it out\s+\(default true\)/);
  });

  it('aliases and examples sit where cobra puts them', async () => {
    const { stdout } = await runCli(['help', 'list-controllers'], offline);
    expect(stdout).toContain('Aliases:\n  list-workloads, list-controllers\n\nExamples:\n  fluxctl list-workloads --k8s-fwd-ns flux -a\n');
    const policy = (await runCli(['policy', '-h'], offline)).stdout;
    // policy's note about --tag-all follows the flags
    expect(policy.indexOf('Note: the daemon expands --tag-all')).toBeGreaterThan(policy.indexOf('Global Flags:'));
  });

  it('release and policy keep -v/--verbose (counted); the diagnostics switch is --debug there, and global --verbose elsewhere', async () => {
    for (const name of ['release', 'policy', 'automate', 'lock']) {
      const { stdout } = await runCli([name, '--help'], offline);
      expect(stdout).toMatch(/^ {2}-v, --verbose +Include skipped/m);
      expect(stdout).toMatch(/^ {6}--debug +Print diagnostics/m);
      expect(stdout.match(/--verbose/g)).toHaveLength(1);
    }
    const lw = (await runCli(['list-workloads', '--help'], offline)).stdout;
    expect(lw.slice(lw.indexOf('Global Flags:'))).toMatch(/^ {6}--verbose +The same as --debug/m);
  });

  it('is the same text piped and on terminals of any width, wrapped at 80 columns without breaking words', async () => {
    for (const argv of [['--help'], ['release', '--help'], ['set-interval', '--help'], ['install', '--help']]) {
      const piped = (await runCli(argv, offline)).stdout;
      for (const columns of [60, 120, 200]) {
        expect((await runCli(argv, { ...offline, tty: { stdout: true, stderr: true }, columns })).stdout).toBe(piped);
      }
      const flagLines = piped.split('\n').filter((l) => /^ {2}(-\w, |    )--/.test(l) || /^ {20,}\S/.test(l));
      for (const line of flagLines) expect(line.length).toBeLessThanOrEqual(80);
    }
  });
});

describe('help topics and versions', () => {
  it('help <unknown> is a usage error with a suggestion', async () => {
    expect(await runCli(['help', 'relase'], offline)).toMatchObject({ code: 2, stdout: '', stderr: "Error: unknown help topic \"relase\"\nRun 'fluxctl --help' for usage.\nhint: did you mean release?\n" });
    expect(await runCli(['help', 'nosuch'], offline)).toMatchObject({ code: 2, stdout: '', stderr: "Error: unknown help topic \"nosuch\"\nRun 'fluxctl --help' for usage.\nhint: fluxctl --help lists the commands\n" });
  });

  it('--version and -V print what fluxctl version prints', async () => {
    for (const flag of ['--version', '-V']) expect(await runCli([flag], offline)).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('a bad boolean value is pflag\'s error, exit 2, and nothing connects', async () => {
    const r = await runCli(['release', '--all', '--update-all-images', '--dry-run=maybe'], { env: { KUBECONFIG: '/nonexistent' } });
    expect(r).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'Error: invalid argument "maybe" for "--dry-run" flag: strconv.ParseBool: parsing "maybe": invalid syntax\nRun \'fluxctl release --help\' for usage.\n',
    });
  });
});
