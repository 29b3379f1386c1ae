import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePublicKeyLine } from '../../src/backends/toolkit/ssh-key.js';
import { authorizedKey, generateSshKey, resourceOf } from '@fluxctl/emulator/flux2';
import type { GenericObject } from '@fluxctl/emulator/kube';
import { expireOn } from '../helpers/manual-clock.js';
import { hasSshKeygen, parseListing, sshKeygenOn } from '../helpers/ssh-keygen.js';
import { afterDetection as requestsAfterDetection, requestLine, sharedFlux2Bed } from '../helpers/v2-bed.js';

// The ssh-keygen (OpenSSH 9.2) vector: an ECDSA P-384 identity.pub and what ssh-keygen -l -v shows.
const VECTOR =
  'ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBGNz+mCtAP0IGqd2NRKS3UUlCgT3xeHIBiSt4iU3df2s400A10+HTynF1Vor9sNy6m+Nz0rtre5gWVvuPXdNGQUSnQTvMOme0Z9HCQRsVqCF74qVdgwZWs1DYKK+mvod/g==';
const MD5 = '34:1c:d7:f2:72:a6:2d:26:06:7b:e8:5c:6e:a4:97:2b';
const SHA256 = 'xwoneoiFVhylnRucjjcjIopEqm7EtYnayom34zelLQA';
const art = (rows: string[], bottom: string): string => ['+---[ECDSA 384]---+', ...rows.map((r) => `|${r}|`), bottom, ''].join('\n');
const MD5_ART = art(
  ['        . ..     ', '       . o. .    ', '        +  o     ', '      .. .. +    ', '       +S  *     ', '      o * + .    ', '     o B + .     ', '      E =        ', '       +..       '],
  '+------[MD5]------+',
);
const SHA256_ART = art(
  ['    ...          ', '   . = o         ', ' .  + *          ', 'E  + o o .       ', '+o* * O S o      ', '=*.* =.* o       ', '*...o+. .        ', '=.= =..          ', '+Bo+ o           '],
  '+----[SHA256]-----+',
);

const NS = 'flux-system';
const SECRETS = `/api/v1/namespaces/${NS}/secrets`;
const GITREPOS = `/apis/source.toolkit.fluxcd.io/v1/namespaces/${NS}/gitrepositories`;
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const unb64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

let original: GenericObject;
let publicKey: string;
const created: Array<[string, string, string]> = [];

const bed = sharedFlux2Bed({}, {
  setUp: (b) => {
    original = structuredClone(b.kube.cluster.get<GenericObject>('secrets', NS, NS)!);
    publicKey = b.sample!.publicKey!;
  },
  // Each test starts from the bootstrap's deploy key.
  beforeEach: () => writeSecret(NS, unb64Data(original.data as Record<string, string>)),
});
afterEach(() => {
  for (const [resource, ns, name] of created.splice(0)) bed.kube.cluster.remove(resource, ns, name);
});

function unb64Data(data: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, unb64(v)]));
}

/** Replaces a Secret in flux-system (PUT semantics: labels and keys not given are dropped). */
function writeSecret(name: string, data: Record<string, string>, extra: { labels?: Record<string, string>; immutable?: boolean } = {}): void {
  const { labels, immutable } = extra;
  const data64 = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)]));
  bed.kube.cluster.write('secrets', { metadata: { name, namespace: NS, ...(labels ? { labels } : {}) }, type: 'Opaque', data: data64, ...(immutable ? { immutable } : {}) });
  if (name !== NS) created.push(['secrets', NS, name]);
}

function secretData(name = NS): Record<string, string> {
  return unb64Data(bed.kube.cluster.get<GenericObject>('secrets', NS, name)!.data as Record<string, string>);
}

function addRepository(name: string, spec: Record<string, unknown>): void {
  const resource = resourceOf('GitRepository');
  bed.kube.cluster.write(resource, { metadata: { name, namespace: NS }, spec: { interval: '5m0s', ref: { branch: 'main' }, ...spec } }, { fieldManager: 'kubectl-client-side-apply' });
  created.push([resource, NS, name]);
}

/** The request lines after auto-detection found Flux v2. */
const afterDetection = (): string[] => requestsAfterDetection(bed).map(requestLine);

describe('fluxctl identity on Flux v2', () => {
  it("prints the root GitRepository's identity.pub: discovery, then 2 requests", async () => {
    const r = await bed.run(['identity']);
    expect(r).toMatchObject({ code: 0, stdout: publicKey, stderr: '' });
    expect(afterDetection()).toEqual(['GET /apis', `GET ${GITREPOS}`, `GET ${SECRETS}/${NS}`]);
    bed.kube.requests.length = 0;
    expect((await bed.run(['identity', '--flux-version', 'v2'])).stdout).toBe(publicKey);
    expect(bed.kube.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /apis', `GET ${GITREPOS}`, `GET ${SECRETS}/${NS}`]);
  });

  it('prints the stored line trimmed plus one newline, its comment kept', async () => {
    writeSecret(NS, { ...secretData(), 'identity.pub': `\n${publicKey.trim()}  deploy@fleet \t\r\n\n` });
    const r = await bed.run(['identity']);
    expect(r).toMatchObject({ code: 0, stdout: `${publicKey.trim()}  deploy@fleet\n`, stderr: '' });
  });

  it('-l, -v and -E sha256 print what ssh-keygen -l [-v] -E md5|sha256 shows', async () => {
    writeSecret(NS, { 'identity.pub': `${VECTOR}\n`, known_hosts: secretData().known_hosts! });
    expect((await bed.run(['identity', '-l'])).stdout).toBe(`${MD5}\n`);
    expect((await bed.run(['identity', '-v'])).stdout).toBe(`${MD5}\n${MD5_ART}`);
    expect((await bed.run(['identity', '-l', '-E', 'sha256'])).stdout).toBe(`SHA256:${SHA256}\n`);
    expect((await bed.run(['identity', '-v', '-E', 'sha256'])).stdout).toBe(`SHA256:${SHA256}\n${SHA256_ART}`);
  });

  it.skipIf(!hasSshKeygen)("agrees with the local ssh-keygen on the bootstrap key's fingerprints", async () => {
    for (const hash of ['md5', 'sha256'] as const) {
      const listing = parseListing(sshKeygenOn(publicKey, ['-l', '-v', '-E', hash]).stdout, hash === 'md5' ? 'MD5' : 'SHA256');
      const shown = hash === 'md5' ? listing.hash : `SHA256:${listing.hash}`;
      expect((await bed.run(['identity', '-v', '-E', hash])).stdout).toBe(`${shown}\n${listing.randomart}`);
    }
  });

  it('-o json and -o yaml have the v1 shape: the key and both fingerprints', async () => {
    writeSecret(NS, { 'identity.pub': `${VECTOR}\n`, known_hosts: secretData().known_hosts! });
    const json = await bed.run(['identity', '-o', 'json']);
    const expected = { key: `${VECTOR}\n`, fingerprints: { md5: { hash: MD5, randomart: MD5_ART }, sha256: { hash: SHA256, randomart: SHA256_ART } } };
    expect(json).toMatchObject({ code: 0, stdout: `${JSON.stringify(expected)}\n`, stderr: '' });
    const doc = await bed.run(['identity', '-o', 'yaml']);
    expect(doc.code).toBe(0);
    expect(yaml.load(doc.stdout)).toEqual(expected);
  });

  it('derives the key from identity when the Secret has no identity.pub', async () => {
    const { 'identity.pub': _, ...rest } = secretData();
    writeSecret(NS, rest);
    expect(await bed.run(['identity'])).toMatchObject({ code: 0, stdout: publicKey, stderr: '' });
  });

  it('warns when identity.pub is not the public half of identity', async () => {
    writeSecret(NS, { ...secretData(), 'identity.pub': `${VECTOR}\n` });
    const r = await bed.run(['identity']);
    expect(r.stdout).toBe(`${VECTOR}\n`);
    expect(r.stderr).toMatch(/^Warning: identity\.pub in Secret flux-system\/flux-system does not match its 'identity', which is the key source-controller offers \(SHA256:\S{43}\): the git host must know ecdsa-sha2-nistp384 \S+\n$/);
    expect(r.stderr).toContain(publicKey.trim());
  });

  it('no SSH key (HTTPS basic auth): one message naming the GitRepository and the method, no value', async () => {
    writeSecret('https-auth', { username: 'fleet-bot', password: 'ghp_s3cr3t' });
    addRepository('over-https', { url: 'https://github.com/acme/fleet-infra', secretRef: { name: 'https-auth' } });
    const r = await bed.run(['identity', '--git-repository', 'over-https']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe(
      'Error: GitRepository flux-system/over-https has no SSH deploy key: it uses an https:// URL with HTTPS basic auth (username/password in Secret flux-system/https-auth)\n' +
        'hint: a deploy key needs an ssh:// URL and a Secret with identity and known_hosts: flux create secret git https-auth --url=ssh://… --namespace flux-system makes one (then point spec.secretRef at it)\n',
    );
    expect(afterDetection()).toEqual(['GET /apis', `GET ${GITREPOS}/over-https`, `GET ${SECRETS}/https-auth`]);
  });

  it('no SSH key (no secretRef): names anonymous access, or the provider', async () => {
    addRepository('public', { url: 'https://github.com/acme/public' });
    addRepository('on-azure', { url: 'https://dev.azure.com/acme/fleet/_git/fleet', provider: 'azure' });
    const anon = await bed.run(['identity', '--git-repository', 'public']);
    expect(anon).toMatchObject({ code: 1, stdout: '' });
    expect(anon.stderr).toMatch(/^Error: GitRepository flux-system\/public has no SSH deploy key: it uses an https:\/\/ URL with no credentials \(no spec\.secretRef\)\nhint: /);
    expect(afterDetection()).toEqual(['GET /apis', `GET ${GITREPOS}/public`, `GET ${GITREPOS}/public`]);
    const azure = await bed.run(['identity', '--git-repository', 'on-azure']);
    expect(azure.stderr).toMatch(/^Error: GitRepository flux-system\/on-azure has no SSH deploy key: it uses an https:\/\/ URL with Azure workload identity \(spec\.provider: azure\)\n/);
  });

  it('403 on the Secret names the verb and resource, and says view excludes Secrets', async () => {
    bed.kube.faults.deny({ verb: 'get', resource: 'secrets' });
    const r = await bed.run(['identity']);
    expect(r).toMatchObject({ code: 3, stdout: '' });
    expect(r.stderr).toBe(
      'Error: secrets "flux-system" is forbidden: User "jane" cannot get resource "secrets" in API group "" in the namespace "flux-system"\n' +
        `hint: reading the deploy key needs "get" on secrets in namespace "flux-system": the built-in view role (and Flux's flux-view) excludes Secrets, so use edit or a Role granting get on the secret "flux-system"\n`,
    );
  });

  it('403 on the GitRepository names the verb and resource', async () => {
    bed.kube.faults.deny({ verb: 'list', resource: 'gitrepositories' });
    const r = await bed.run(['identity']);
    expect(r).toMatchObject({ code: 3, stdout: '' });
    expect(r.stderr).toMatch(/^Error: gitrepositories\.source\.toolkit\.fluxcd\.io is forbidden: User "jane" cannot list resource "gitrepositories" in API group "source\.toolkit\.fluxcd\.io" in the namespace "flux-system"\n/);
  });

  it('a secretRef naming a missing Secret says which GitRepository names it', async () => {
    addRepository('dangling', { url: 'ssh://git@github.com/acme/other', secretRef: { name: 'gone' } });
    const r = await bed.run(['identity', '--git-repository', 'dangling']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^Error: Secret flux-system\/gone not found: GitRepository flux-system\/dangling names it in spec\.secretRef\nhint: /);
  });

  it('fails like "Ambiguous pod" when the root GitRepository is ambiguous, and names a missing one', async () => {
    bed.kube.cluster.addNamespace('team-a');
    for (const name of ['one', 'two']) {
      bed.kube.cluster.write(resourceOf('GitRepository'), { metadata: { name, namespace: 'team-a' }, spec: { interval: '5m0s', url: `ssh://git@github.com/acme/${name}` } });
      created.push([resourceOf('GitRepository'), 'team-a', name]);
    }
    const ambiguous = await bed.run(['identity', '--k8s-fwd-ns', 'team-a']);
    expect(ambiguous).toMatchObject({ code: 3, stdout: '' });
    expect(ambiguous.stderr).toContain('team-a/one  ssh://git@github.com/acme/one\n  team-a/two  ssh://git@github.com/acme/two');
    const missing = await bed.run(['identity', '--git-repository', 'nope']);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toMatch(/^Error: GitRepository flux-system\/nope not found\n/);
  });

  it('--timeout bounds a Secret read that never answers (exit 4)', async () => {
    bed.kube.faults.inject({ method: 'GET', path: `${SECRETS}/${NS}`, hang: true });
    // The --timeout clock runs out as the Secret is asked for (ManualClock): no race with the work before.
    const clock = expireOn(bed.kube.requests, (q) => q.method === 'GET' && q.path === `${SECRETS}/${NS}`);
    const r = await bed.run(['identity', '--timeout', '1s'], { clock });
    expect(r).toMatchObject({ code: 4, stdout: '' });
    expect(r.stderr).toMatch(/^Error: timed out after 1s \(--timeout\)\nhint: .*\(GET \/api\/v1\/namespaces\/flux-system\/secrets\/flux-system\) did not answer in time/);
  });
});

describe('fluxctl identity -r on Flux v2', () => {
  const patches = (): typeof bed.kube.requests => bed.kube.requests.filter((q) => q.method === 'PATCH');

  it('writes a new key of the same kind with one guarded merge patch, prints it and what to do next', async () => {
    const before = bed.kube.cluster.get<GenericObject>('secrets', NS, NS)!;
    const r = await bed.run(['identity', '-r']);
    expect(r.code).toBe(0);
    const key = r.stdout;
    expect(key).toMatch(/^ecdsa-sha2-nistp384 [A-Za-z0-9+/=]+\n$/);
    expect(key).not.toBe(publicKey);
    expect(r.stderr).toBe(
      'Warning: the old key no longer works: add the new one to the git host of ssh://git@github.com/acme/fleet-infra as a deploy key with write access (ImageUpdateAutomation flux-system/flux-system pushes with it), and remove the old one\n' +
        'Warning: GitRepository flux-system/flux-system fetches with the new key from its next reconciliation (within 1m0s) and fails until the host accepts it: run fluxctl sync once it does\n',
    );
    const [patch, ...more] = patches();
    expect(more).toEqual([]);
    expect(patch).toMatchObject({ path: `${SECRETS}/${NS}`, query: { fieldManager: 'fluxctl' }, contentType: 'application/merge-patch+json', status: 200 });
    const body = patch!.body as { metadata: Record<string, unknown>; data: Record<string, string> };
    expect(body.metadata).toEqual({ resourceVersion: before.metadata.resourceVersion });
    expect(Object.keys(body.data)).toEqual(['identity', 'identity.pub']);
    const stored = secretData();
    expect(stored['identity.pub']).toBe(key);
    expect(unb64(body.data.identity!)).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(`${authorizedKey(stored.identity!)}\n`).toBe(key);
    expect(stored.known_hosts).toBe(unb64Data(original.data as Record<string, string>).known_hosts);
    expect((await bed.run(['identity'])).stdout).toBe(key);
  });

  it('the old key stops working: source-controller fails until the git host knows the new one', async () => {
    const key = (await bed.run(['identity', '-r'])).stdout;
    const failed = await bed.flux.reconcile('GitRepository', `${NS}/${NS}`);
    expect(failed.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'GitOperationFailed' });
    bed.sample!.repo.authorize(key);
    const fixed = await bed.flux.reconcile('GitRepository', `${NS}/${NS}`);
    expect(fixed.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True' });
  });

  it.each([
    ['RSA 3072', 'rsa', 3072, 'ssh-rsa'],
    ['Ed25519', 'ed25519', 256, 'ssh-ed25519'],
    ['ECDSA P-521', 'ecdsa-p521', 521, 'ecdsa-sha2-nistp521'],
  ] as const)('keeps the algorithm and size: %s', async (_, algorithm, bits, type) => {
    const pair = generateSshKey(algorithm, bits);
    writeSecret(NS, { ...secretData(), identity: pair.privateKey, 'identity.pub': pair.publicKey });
    const r = await bed.run(['identity', '-r']);
    expect(r.code).toBe(0);
    const key = parsePublicKeyLine(r.stdout);
    expect([key.type, key.bits]).toEqual([type, bits]);
    expect(r.stdout).not.toBe(pair.publicKey);
  });

  it("falls back to Flux's default (ECDSA P-384) when the current key is DSA or unreadable, and says so", async () => {
    const hosts = secretData().known_hosts!;
    writeSecret(NS, { 'identity.pub': readFileSync(new URL('../fixtures/ssh-keys/dsa-1024.pub', import.meta.url), 'utf8'), known_hosts: hosts });
    const dsa = await bed.run(['identity', '-r']);
    expect(dsa.code).toBe(0);
    expect(dsa.stdout).toMatch(/^ecdsa-sha2-nistp384 /);
    expect(dsa.stderr.split('\n')[0]).toBe("Warning: the current key is DSA, which Flux cannot generate; the new key is ECDSA P-384, Flux's default");
    writeSecret(NS, { identity: 'not a key', known_hosts: hosts });
    const broken = await bed.run(['identity', '-r']);
    expect(broken.code).toBe(0);
    expect(broken.stderr.split('\n')[0]).toBe(
      "Warning: the current key cannot be read (identity in Secret flux-system/flux-system is not a PEM private key); the new key is ECDSA P-384, Flux's default",
    );
    expect(`${authorizedKey(secretData().identity!)}\n`).toBe(broken.stdout);
  });

  it('a Secret deleted before the patch lands is named, and not recreated', async () => {
    bed.kube.faults.inject({ method: 'PATCH', path: `${SECRETS}/${NS}`, delayMs: 300 });
    const running = bed.run(['identity', '-r']);
    await waitFor(() => bed.kube.requests.some((q) => q.method === 'PATCH'));
    bed.kube.cluster.delete('secrets', NS, NS);
    const r = await running;
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^Error: Secret flux-system\/flux-system not found\n/);
    expect(bed.kube.cluster.get('secrets', NS, NS)).toBeUndefined();
  });

  it('drops the passphrase of the old, encrypted key (the new one has none)', async () => {
    const pem = createPrivateKey(generateSshKey('ecdsa-p384').privateKey).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'hunter2' }).toString();
    const { 'identity.pub': _, ...rest } = secretData();
    writeSecret(NS, { ...rest, identity: pem, password: 'hunter2' });
    const r = await bed.run(['identity', '-r']);
    expect(r.code).toBe(0);
    expect((patches()[0]?.body as { data: Record<string, unknown> }).data.password).toBeNull();
    expect(Object.keys(secretData()).sort()).toEqual(['identity', 'identity.pub', 'known_hosts']);
    expect(`${authorizedKey(createPublicKey(secretData().identity!))}\n`).toBe(r.stdout);
  });

  it('refuses, changing nothing, when the Secret is applied from git', async () => {
    writeSecret(NS, secretData(), { labels: { 'kustomize.toolkit.fluxcd.io/name': 'infra', 'kustomize.toolkit.fluxcd.io/namespace': NS } });
    const before = secretData();
    const r = await bed.run(['identity', '-r']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe(
      'Error: Secret flux-system/flux-system is applied from git by Kustomization flux-system/infra: kustomize-controller would put the old key back at its next reconciliation, so nothing was changed\n' +
        'hint: rotate the key in git: flux create secret git flux-system --url=ssh://git@github.com/acme/fleet-infra --namespace flux-system --export > secret.yaml, encrypt it as the repository does (e.g. sops --encrypt --in-place secret.yaml), commit it, and add its identity.pub to the git host\n',
    );
    expect(patches()).toEqual([]);
    expect(secretData()).toEqual(before);
  });

  it('refuses when the Secret has no known_hosts, or is immutable', async () => {
    const { known_hosts: hosts, ...rest } = secretData();
    writeSecret(NS, rest);
    const noHosts = await bed.run(['identity', '-r']);
    expect(noHosts).toMatchObject({ code: 1, stdout: '' });
    expect(noHosts.stderr).toBe(
      "Error: Secret flux-system/flux-system has no known_hosts: source-controller needs it to trust the git host, and fluxctl cannot scan the host's key, so nothing was changed\n" +
        'hint: recreate the Secret with: flux create secret git flux-system --url=ssh://git@github.com/acme/fleet-infra --namespace flux-system (it scans the host key and prints a new deploy key)\n',
    );
    writeSecret(NS, { ...rest, known_hosts: hosts! }, { immutable: true });
    const frozen = await bed.run(['identity', '-r']);
    expect(frozen).toMatchObject({ code: 1, stdout: '' });
    expect(frozen.stderr).toMatch(/^Error: Secret flux-system\/flux-system is immutable, so its key cannot be replaced in place; nothing was changed\n/);
    expect(patches()).toEqual([]);
  });

  it('refuses on a repository without an SSH key (https)', async () => {
    writeSecret('https-auth', { username: 'fleet-bot', password: 'ghp_s3cr3t' });
    addRepository('over-https', { url: 'https://github.com/acme/fleet-infra', secretRef: { name: 'https-auth' } });
    const r = await bed.run(['identity', '-r', '--git-repository', 'over-https']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^Error: GitRepository flux-system\/over-https has no SSH deploy key to regenerate: it uses an https:\/\/ URL with HTTPS basic auth \(username\/password in Secret flux-system\/https-auth\)\n/);
    expect(r.stderr).not.toContain('s3cr3t');
    expect(patches()).toEqual([]);
  });

  it('a concurrent change of the Secret makes the patch fail with 409: nothing of ours is written', async () => {
    bed.kube.faults.inject({ method: 'PATCH', path: `${SECRETS}/${NS}`, delayMs: 300 });
    const running = bed.run(['identity', '-r']);
    await waitFor(() => bed.kube.requests.some((q) => q.method === 'PATCH'));
    writeSecret(NS, { ...secretData(), note: 'edited meanwhile' });
    const r = await running;
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe('Error: Secret flux-system/flux-system changed while the new key was made (409 Conflict), so nothing was changed\nhint: run fluxctl identity -r again\n');
    expect(patches()).toHaveLength(1);
    expect(secretData()).toMatchObject({ 'identity.pub': publicKey, note: 'edited meanwhile' });
  });

  it('403 on the patch names the verb and resource; the Secret is unchanged', async () => {
    bed.kube.faults.deny({ verb: 'patch', resource: 'secrets' });
    const r = await bed.run(['identity', '-r']);
    expect(r).toMatchObject({ code: 3, stdout: '' });
    expect(r.stderr).toBe(
      'Error: secrets "flux-system" is forbidden: User "jane" cannot patch resource "secrets" in API group "" in the namespace "flux-system"\n' +
        'hint: identity -r needs "patch" on secrets in namespace "flux-system" (the built-in edit role grants it); nothing was changed\n',
    );
    expect(secretData()['identity.pub']).toBe(publicKey);
  });

  it('warns about the other GitRepositories that use the same Secret; -o json keeps the warnings on stderr', async () => {
    addRepository('tenant', { url: 'ssh://git@github.com/acme/tenant', secretRef: { name: NS } });
    const r = await bed.run(['identity', '-r', '-o', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { key: string; fingerprints: Record<string, { hash: string; randomart: string }> };
    expect(doc.key).toBe(secretData()['identity.pub']);
    expect(Object.keys(doc.fingerprints)).toEqual(['md5', 'sha256']);
    expect(r.stderr.split('\n')[1]).toBe('Warning: GitRepository flux-system/tenant also uses Secret flux-system/flux-system: it switches to the new key too');
  });

  it('without RBAC to list ImageUpdateAutomations it still rotates, assuming read-only', async () => {
    bed.kube.faults.deny({ verb: 'list', resource: 'imageupdateautomations' });
    const r = await bed.run(['identity', '-r']);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n')[0]).toBe('Warning: the old key no longer works: add the new one to the git host of ssh://git@github.com/acme/fleet-infra as a deploy key (read-only is enough), and remove the old one');
  });
});

async function waitFor(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(ok()).toBe(true);
}
