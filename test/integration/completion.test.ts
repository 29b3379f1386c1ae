import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

// Completion must work with no cluster and ignore FLUX_* (it never connects).
const env = { FLUX_URL: 'http://192.0.2.1:1/api/flux', FLUX_TIMEOUT: 'abc', KUBECONFIG: '/nonexistent/config' };
const script = async (shell: string): Promise<string> => {
  const r = await runCli(['completion', shell], { env });
  expect(r).toMatchObject({ code: 0, stderr: '' });
  return r.stdout;
};
const hasShell = (name: string): boolean => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
const saved = (text: string, name: string): string => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'fluxctl-completion-')), name);
  writeFileSync(file, text);
  return file;
};

/** Sources the bash script in a subprocess and asks it to complete `words` (the last one being typed). */
function bashComplete(file: string, words: string[]): string[] {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  const out = execFileSync('bash', ['--norc', '--noprofile', '-c', `source "$1"; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _fluxctl; printf '%s\\n' "\${COMPREPLY[@]}"`, 'bash', file], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '');
}

describe('fluxctl completion', () => {
  it.each(['bash', 'zsh', 'fish', 'powershell'])('%s: a script naming every command', async (shell) => {
    const text = await script(shell);
    for (const cmd of ['list-workloads', 'list-controllers', 'list-images', 'release', 'save', 'install', 'completion', 'version']) expect(text).toContain(cmd);
    await expect(text).toMatchFileSnapshot(`../golden/completion/${shell}.piped.txt`);
  });

  it('bash: the script parses and completes commands, flags and values', async () => {
    const file = saved(await script('bash'), 'fluxctl.bash');
    execFileSync('bash', ['-n', file]);
    expect(bashComplete(file, ['fluxctl', 'li'])).toEqual(['list-images', 'list-workloads', 'list-controllers']);
    expect(bashComplete(file, ['fluxctl', '--k8s-fwd-ns', 'flux', 'sy'])).toEqual(['sync']);
    expect(bashComplete(file, ['fluxctl', 'list-workloads', '--all'])).toEqual(['--all-namespaces']);
    expect(bashComplete(file, ['fluxctl', 'list-workloads', '-o', ''])).toEqual(['tab', 'json', 'yaml']);
    expect(bashComplete(file, ['fluxctl', 'sync', '--output-format', ''])).toEqual(['tab', 'json']);
    expect(bashComplete(file, ['fluxctl', 'completion', ''])).toEqual(['bash', 'fish', 'powershell', 'zsh']);
    expect(bashComplete(file, ['fluxctl', 'install', '--git-rea'])).toEqual(['--git-readonly']);
    expect(bashComplete(file, ['fluxctl', 'list-workloads', '--namespace', ''])).toEqual([]);
  });

  it.runIf(hasShell('zsh'))('zsh: the script parses', async () => {
    execFileSync('zsh', ['-n', saved(await script('zsh'), '_fluxctl')]);
  });

  it.runIf(hasShell('fish'))('fish: the script parses', async () => {
    execFileSync('fish', ['-n', saved(await script('fish'), 'fluxctl.fish')]);
  });

  it.runIf(hasShell('pwsh'))('powershell: the script parses', async () => {
    const file = saved(await script('powershell'), 'fluxctl.ps1');
    execFileSync('pwsh', ['-NoProfile', '-Command', `$null = [System.Management.Automation.Language.Parser]::ParseFile('${file}', [ref]$null, [ref]$e); if ($e) { exit 1 }`]);
  });

  it.each([
    [[], 'please specify a shell', 'hint: one of: bash fish powershell zsh\n'],
    [['bash', 'zsh'], 'please specify one of the following shells: bash fish powershell zsh', ''],
    [['tcsh'], 'unsupported shell type "tcsh"', 'hint: one of: bash fish powershell zsh\n'],
  ])('%j fails with fluxctl\'s message', async (args, message, hint) => {
    const r = await runCli(['completion', ...args], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`Error: ${message}\nRun 'fluxctl completion --help' for usage.\n${hint}`);
  });
});
