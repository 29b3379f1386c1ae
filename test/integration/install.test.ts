import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { load, loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { runCli, type RunOptions } from '../helpers/run-cli.js';

const BANNER =
  '**Flux v1 is deprecated, please upgrade to v2 as soon as possible!**\n\nNew users of Flux can Get Started here:\nhttps://fluxcd.io/flux/get-started/\n\nExisting users can upgrade using the Migration Guide:\nhttps://fluxcd.io/flux/migration/\n\n';
const REQUIRED = ['--git-url', 'git@github.com:acme/cluster-config', '--git-email', 'flux@acme.dev'];
// Anything that would make a connecting command reach out (or warn) must be ignored.
const HOSTILE_ENV = { FLUX_URL: 'http://192.0.2.1:1/api/flux', FLUX_TIMEOUT: 'abc', FLUX_FORWARD_NAMESPACE: 'nowhere', KUBECONFIG: '/nonexistent/config' };
const golden = (name: string) => `../golden/install/${name}.txt`;
const install = (args: string[], options: RunOptions = {}) => runCli(['install', ...args], { ...options, env: { ...HOSTILE_ENV, ...options.env } });

interface K8sObject {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: { template?: { spec?: { containers?: Array<{ name: string; args?: string[]; securityContext?: unknown }> } } };
}
const objects = (yaml: string) => loadAll(yaml) as K8sObject[];
const fluxArgs = (yaml: string) => objects(yaml).find((o) => o.kind === 'Deployment' && o.metadata.name === 'flux')?.spec?.template?.spec?.containers?.[0]?.args;

describe('fluxctl install', () => {
  it('prints fluxctl\'s manifests with the defaults, the banner first on stderr, offline', async () => {
    const r = await install(REQUIRED);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(BANNER);
    await expect(r.stdout).toMatchFileSnapshot(golden('default.piped'));
    expect(objects(r.stdout).map((o) => `${o.kind}/${o.metadata.name} ${o.metadata.namespace ?? '-'}`)).toEqual([
      'ServiceAccount/flux default',
      'ClusterRole/flux -',
      'ClusterRoleBinding/flux -',
      'Deployment/flux default',
      'Secret/flux-git-deploy default',
      'Deployment/memcached default',
      'Service/memcached default',
    ]);
    expect(fluxArgs(r.stdout)).toEqual([
      '--memcached-service=',
      '--ssh-keygen-dir=/var/fluxd/keygen',
      '--git-url=git@github.com:acme/cluster-config',
      '--git-branch=master',
      '--git-label=flux',
      '--git-user=Flux',
      '--git-email=flux@acme.dev',
      '--listen-metrics=:3031',
    ]);
    const memcached = objects(r.stdout).find((o) => o.metadata.name === 'memcached' && o.kind === 'Deployment');
    expect(memcached?.spec?.template?.spec?.containers?.[0]?.securityContext).toEqual({ runAsUser: 11211, runAsGroup: 11211, allowPrivilegeEscalation: false });
  });

  it('puts every optional argument in fluxctl\'s order', async () => {
    const r = await install([...REQUIRED, '--git-branch', 'main', '--git-path', 'a,b', '--git-path=c', '--git-label', 'l', '--git-user', 'u', '--git-readonly', '--manifest-generation=true', '--registry-disable-scanning', '--namespace', 'flux']);
    expect(r.code).toBe(0);
    expect(fluxArgs(r.stdout)).toEqual([
      '--memcached-service=',
      '--ssh-keygen-dir=/var/fluxd/keygen',
      '--git-url=git@github.com:acme/cluster-config',
      '--git-branch=main',
      '--git-path=a,b,c',
      '--git-label=l',
      '--git-user=u',
      '--git-email=flux@acme.dev',
      '--git-readonly',
      '--manifest-generation=true',
      '--listen-metrics=:3031',
      '--registry-disable-scanning',
    ]);
    expect(objects(r.stdout).some((o) => o.metadata.name === 'memcached')).toBe(false);
    expect(objects(r.stdout).filter((o) => o.metadata.namespace !== undefined).every((o) => o.metadata.namespace === 'flux')).toBe(true);
    await expect(r.stdout).toMatchFileSnapshot(golden('all-flags.piped'));
  });

  it('leaves out empty label/user and the security context when asked', async () => {
    const r = await install([...REQUIRED, '--git-label=', '--git-user', '', '--add-security-context=false', '--git-readonly=false']);
    expect(r.code).toBe(0);
    expect(fluxArgs(r.stdout)).not.toContain('--git-readonly');
    expect(fluxArgs(r.stdout)?.some((a) => a.startsWith('--git-label') || a.startsWith('--git-user'))).toBe(false);
    expect(r.stdout).not.toContain('securityContext');
  });

  it('--git-paths still works, with pflag\'s deprecation notice', async () => {
    const r = await install([...REQUIRED, '--git-paths', 'x,y']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`Flag --git-paths has been deprecated, please use --git-path (no ending s) instead\n${BANNER}`);
    expect(fluxArgs(r.stdout)).toContain('--git-path=x,y');
  });

  it('defaults the namespace to the current kubeconfig context\'s', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fluxctl-install-'));
    const kubeconfig = path.join(dir, 'config');
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\ncurrent-context: b\ncontexts:\n- name: a\n  context: {cluster: c, namespace: wrong}\n- name: b\n  context: {cluster: c, namespace: gitops}\n');
    const r = await install([...REQUIRED, '--context', 'a'], { env: { KUBECONFIG: kubeconfig } });
    expect(r.code).toBe(0);
    expect((load(r.stdout.split('---\n')[1] ?? '') as K8sObject).metadata.namespace).toBe('gitops');
  });

  it('writes one file per manifest with -o, naming each on stderr', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fluxctl-install-'));
    const printed = (await install(REQUIRED)).stdout;
    const r = await install([...REQUIRED, '-o', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const names = ['flux-account.yaml', 'flux-deployment.yaml', 'flux-secret.yaml', 'memcache-dep.yaml', 'memcache-svc.yaml'];
    expect(r.stderr).toBe(BANNER + names.map((n) => `writing ${path.join(dir, n)}\n`).join(''));
    expect(readdirSync(dir).sort()).toEqual(names);
    expect(names.map((n) => readFileSync(path.join(dir, n), 'utf8')).join('')).toBe(printed);
    expect(statSync(path.join(dir, 'flux-secret.yaml')).mode & 0o777).toBe(0o666 & ~process.umask());
  });

  it.each([
    [[], 'please supply a valid --git-url argument'],
    [['--git-url', 'x'], 'please supply a valid --git-email argument'],
    [['--git-email', 'e'], 'please supply a valid --git-url argument'],
    [[...REQUIRED, '--git-branch', 'a\nb: c'], '--git-branch must not contain a line break'],
  ])('refuses %j after the banner', async (args, message) => {
    const r = await install(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${BANNER}Error: ${message}\nRun 'fluxctl install --help' for usage.\n`);
  });

  it('rejects a bad boolean and positional arguments', async () => {
    let r = await install([...REQUIRED, '--add-security-context=maybe']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('Error: invalid argument "maybe" for "--add-security-context" flag: strconv.ParseBool: parsing "maybe": invalid syntax');
    r = await install([...REQUIRED, 'extra']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Error: expected no (non-flag) arguments\n');
  });

  it('fails on a missing or non-directory --output-dir', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fluxctl-install-'));
    let r = await install([...REQUIRED, '--output-dir', path.join(dir, 'nope')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Error: stat ${path.join(dir, 'nope')}: no such file or directory\n`);
    writeFileSync(path.join(dir, 'file'), '');
    r = await install([...REQUIRED, '-o', path.join(dir, 'file')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Error: ${path.join(dir, 'file')} is not a directory\n`);
    expect(readdirSync(dir)).toEqual(['file']);
  });
});
