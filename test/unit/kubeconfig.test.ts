import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UnreachableError } from '../../src/errors.js';
import { resolveCredentials } from '../../src/kubernetes/credentials.js';
import { kubeconfigCandidates, loadKubeconfig } from '../../src/kubernetes/kubeconfig.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kc-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}
const config = (o: { cluster: string; server: string; user: string; context: string; current?: string; ns?: string; userBody?: string }): string => `
apiVersion: v1
kind: Config
clusters:
- name: ${o.cluster}
  cluster: { server: ${o.server}, insecure-skip-tls-verify: true }
users:
- name: ${o.user}
  user: ${o.userBody ?? '{ token: t1 }'}
contexts:
- name: ${o.context}
  context: { cluster: ${o.cluster}, user: ${o.user}${o.ns ? `, namespace: ${o.ns}` : ''} }
${o.current ? `current-context: ${o.current}` : ''}
`;

const a = file('a.yaml', config({ cluster: 'c1', server: 'https://a.example:6443/', user: 'u', context: 'ctx-a', current: 'ctx-a', ns: 'team-a' }));
const b = file('b.yaml', config({ cluster: 'c1', server: 'https://b.example:6443', user: 'u', context: 'ctx-b', current: 'ctx-b' }));
const env = (KUBECONFIG?: string) => ({ env: { KUBECONFIG }, home: dir });

describe('kubeconfig loading (kubectl rules)', () => {
  it('splits KUBECONFIG, drops empty and duplicate entries', () => {
    expect(kubeconfigCandidates({ ...env(`${a}::${b}:${a}`) })).toEqual([a, b]);
    expect(kubeconfigCandidates({ env: {}, home: '/h' })).toEqual(['/h/.kube/config']);
    expect(kubeconfigCandidates({ file: '/x', ...env(a) })).toEqual(['/x']);
  });

  it('merges several files first-wins and skips missing ones', async () => {
    const loaded = await loadKubeconfig(env([path.join(dir, 'missing'), a, b].join(':')));
    expect(loaded.contextName).toBe('ctx-a');
    expect(loaded.namespace).toBe('team-a');
    expect(loaded.server).toBe('https://a.example:6443');
    const other = await loadKubeconfig({ ...env(`${a}:${b}`), context: 'ctx-b' });
    // ctx-b names cluster c1, which the first file defined: its server wins.
    expect(other.server).toBe('https://a.example:6443');
    expect(other.namespace).toBeUndefined();
  });

  it('reads token-file next to the kubeconfig and trims it', async () => {
    file('token', 'secret-token\n');
    const kc = file('tf.yaml', config({ cluster: 'c', server: 'https://x:1', user: 'u', context: 'c', current: 'c', userBody: '{ token-file: token }' }));
    const loaded = await loadKubeconfig(env(kc));
    expect(loaded.user.tokenFile).toBe(path.join(dir, 'token'));
    const creds = await resolveCredentials(loaded, { signal: new AbortController().signal, env: {} });
    expect(creds.tls.headers).toEqual({ Authorization: 'Bearer secret-token' });
  });

  it('applies basic auth, impersonation, CA files next to the kubeconfig and tls-server-name', async () => {
    file('ca.pem', 'CA PEM');
    const kc = file('basic.yaml', `
clusters: [{ name: c, cluster: { server: https://x:1, certificate-authority: ca.pem, tls-server-name: api.internal } }]
users: [{ name: u, user: { username: jane, password: pw, as: admin } }]
contexts: [{ name: c, context: { cluster: c, user: u } }]
current-context: c
`);
    const creds = await resolveCredentials(await loadKubeconfig(env(kc)), { signal: new AbortController().signal, env: {} });
    expect(creds.tls).toEqual({
      ca: Buffer.from('CA PEM'),
      cert: undefined,
      key: undefined,
      rejectUnauthorized: undefined,
      servername: 'api.internal',
      headers: { Authorization: `Basic ${Buffer.from('jane:pw').toString('base64')}`, 'Impersonate-User': 'admin' },
    });
  });

  it('hands auth providers and proxies to client-node', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const idToken = `${b64({ alg: 'none' })}.${b64({ exp: 4102444800, iss: 'https://issuer.example' })}.sig`;
    const kc = file('oidc.yaml', `
clusters: [{ name: c, cluster: { server: https://x:1, proxy-url: http://proxy.example:3128 } }]
users: [{ name: u, user: { auth-provider: { name: oidc, config: { client-id: fluxctl, id-token: ${idToken}, idp-issuer-url: https://issuer.example } } } }]
contexts: [{ name: c, context: { cluster: c, user: u } }]
current-context: c
`);
    const creds = await resolveCredentials(await loadKubeconfig(env(kc)), { signal: new AbortController().signal, env: {} });
    expect(creds.tls.headers.Authorization).toBe(`Bearer ${idToken}`);
    // client-node's agent tunnels through the cluster's proxy-url.
    expect((creds.agent as unknown as { proxy?: URL }).proxy?.href).toBe('http://proxy.example:3128/');
  });

  it.each([
    ['an unknown --context', { ...env(a), context: 'nope' }, /context "nope" not found in kubeconfig .*a\.yaml/],
    ['a missing --kubeconfig', { file: path.join(dir, 'none.yaml'), env: {}, home: dir }, /cannot read kubeconfig .*none\.yaml: ENOENT/],
    ['malformed YAML', env(file('bad.yaml', 'clusters: [ {')), /kubeconfig .*bad\.yaml is not valid/],
    ['no file at all', { env: {}, home: path.join(dir, 'nohome') }, /no kubeconfig found \(looked at .*nohome\/\.kube\/config\)/],
    ['no current-context', env(file('nocur.yaml', config({ cluster: 'c', server: 'https://x:1', user: 'u', context: 'only' }))), /has no current-context/],
  ])('fails clearly on %s', async (_name, req, message) => {
    const err = await loadKubeconfig(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as Error).message).toMatch(message);
    expect((err as UnreachableError).hint).toBeTruthy();
  });
});
