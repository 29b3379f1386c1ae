import { describe, expect, it } from 'vitest';
import { expireOn } from '../helpers/manual-clock.js';
import { resourceOf, type FluxObject } from '@fluxctl/emulator/flux2';
import { runCli } from '../helpers/run-cli.js';
import type { Flux2Bed } from '../helpers/testbed-v2.js';
import { afterDetection, flux2BedPerTest, patches, requestLine as line } from '../helpers/v2-bed.js';

const NS = 'flux-system';
const GIT = `/apis/source.toolkit.fluxcd.io/v1/namespaces/${NS}/gitrepositories`;
const KS = `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/${NS}/kustomizations`;

const start = flux2BedPerTest();

const interval = (b: Flux2Bed, kind: 'GitRepository' | 'Kustomization', name: string): unknown => b.flux.get(kind, `${NS}/${name}`)?.spec.interval;

const SHOW =
  'SETTING            OBJECT                                 VALUE  SOURCE\n' +
  'git-poll-interval  GitRepository flux-system/flux-system  1m0s   spec\n' +
  'sync-interval      Kustomization flux-system/apps         10m0s  spec\n' +
  'sync-interval      Kustomization flux-system/flux-system  10m0s  spec\n';
const KEEP =
  'Warning: to keep an interval, set it in git, in the manifests under ./clusters/prod (flux bootstrap keeps its own objects in flux-system/gotk-sync.yaml there); ' +
  'annotating the object with kustomize.toolkit.fluxcd.io/reconcile=disabled keeps it too, but then no change from git reaches that object\n';

describe('fluxctl set-interval on Flux v2', () => {
  it('shows the root GitRepository and the Kustomizations applying it, in three requests after detection', async () => {
    const b = await start();
    const r = await b.run(['set-interval']);
    expect(r).toMatchObject({ code: 0, stdout: SHOW, stderr: '' });
    expect(afterDetection(b).map(line)).toEqual(['GET /apis', `GET ${GIT}`, 'GET /apis/kustomize.toolkit.fluxcd.io/v1/kustomizations']);
    const json = await b.run(['set-interval', '-o', 'json']);
    expect(json.stdout).toBe(
      '{"gitRepository":"flux-system/flux-system","gitPollInterval":"1m0s","syncInterval":"10m0s",' +
        '"kustomizations":[{"kustomization":"flux-system/apps","syncInterval":"10m0s"},{"kustomization":"flux-system/flux-system","syncInterval":"10m0s"}]}\n',
    );
  });

  it('sets the git poll interval with a guarded merge patch by fluxctl, waits for Ready and warns that git puts it back', async () => {
    const b = await start();
    const r = await b.run(['set-interval', '--git-poll-interval', '30s'], { pollScale: 1 });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'SETTING            OBJECT                                 BEFORE  AFTER\n' +
        'git-poll-interval  GitRepository flux-system/flux-system  1m0s    30s\n' +
        'sync-interval      Kustomization flux-system/apps         10m0s   10m0s\n' +
        'sync-interval      Kustomization flux-system/flux-system  10m0s   10m0s\n',
    );
    expect(r.stderr).toBe(
      'GitRepository flux-system/flux-system\n' +
        'Warning: GitRepository flux-system/flux-system is applied from git by Kustomization flux-system/flux-system: ' +
        'its next reconciliation (within 10m0s, at a new commit, or on fluxctl sync) puts back the interval from git\n' +
        KEEP +
        'GitRepository flux-system/flux-system is Ready with the new interval\n',
    );
    const [patch, ...more] = patches(b);
    expect(more).toEqual([]);
    expect(patch).toMatchObject({ path: `${GIT}/flux-system`, query: { fieldManager: 'fluxctl' }, contentType: 'application/merge-patch+json' });
    expect(patch?.body).toEqual({ metadata: { resourceVersion: expect.stringMatching(/^\d+$/) }, spec: { interval: '30s' } });
    expect(interval(b, 'GitRepository', 'flux-system')).toBe('30s');
    const repo = b.flux.get('GitRepository', `${NS}/flux-system`)!;
    expect(repo.status?.observedGeneration).toBe(repo.metadata.generation);
    // After the PATCH only GETs of the object, at most 2 a second.
    const after = afterDetection(b).slice(afterDetection(b).indexOf(patch!) + 1);
    expect(after.map(line)).toEqual(after.map(() => `GET ${GIT}/flux-system`));
    expect(after.length).toBeGreaterThan(0);
  });

  it('sets one Kustomization picked with --kustomization; -o json reports the new values', async () => {
    const b = await start();
    const r = await b.run(['set-interval', '--kustomization', 'apps', '--sync-interval', '5m', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      gitRepository: 'flux-system/flux-system', gitPollInterval: '1m0s', syncInterval: '5m',
      kustomizations: [{ kustomization: 'flux-system/apps', syncInterval: '5m' }],
      changes: [
        { flag: '--git-poll-interval', object: 'GitRepository flux-system/flux-system', before: '1m0s', after: '1m0s' },
        { flag: '--sync-interval', object: 'Kustomization flux-system/apps', before: '10m0s', after: '5m' },
      ],
      dryRun: false,
      applied: true,
    });
    // JSON mode narrates nothing but the warnings.
    expect(r.stderr).toBe(
      'Warning: Kustomization flux-system/apps is applied from git by Kustomization flux-system/flux-system: ' +
        'its next reconciliation (within 10m0s, at a new commit, or on fluxctl sync) puts back the interval from git\n' + KEEP,
    );
    expect(patches(b).map((q) => [q.path, q.body])).toEqual([[`${KS}/apps`, { metadata: { resourceVersion: expect.any(String) }, spec: { interval: '5m' } }]]);
    expect(interval(b, 'Kustomization', 'apps')).toBe('5m');
    expect(interval(b, 'Kustomization', 'flux-system')).toBe('10m0s');
  });

  it('fails when the Kustomization applying itself puts every interval back at once, after a dry-run pass over all of them', async () => {
    const b = await start();
    const r = await b.run(['set-interval', '2m'], { pollScale: 1 });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'GitRepository flux-system/flux-system, Kustomization flux-system/apps and Kustomization flux-system/flux-system\n' +
        'Warning: Kustomization flux-system/flux-system has no spec.timeout, so its apply and health checks will time out after 1m30s (the interval minus 30s, at least 30s)\n' +
        'Warning: GitRepository flux-system/flux-system, Kustomization flux-system/apps and Kustomization flux-system/flux-system are applied from git by Kustomization flux-system/flux-system, ' +
        'which applies itself: the change to its interval makes it reconcile at once and put back the intervals from git\n' +
        KEEP +
        'Error: the new interval did not last: GitRepository flux-system/flux-system is back to 1m0s (applied again from git by Kustomization flux-system/flux-system); ' +
        'Kustomization flux-system/apps is back to 10m0s (applied again from git by Kustomization flux-system/flux-system); ' +
        'Kustomization flux-system/flux-system is back to 10m0s (applied again from git by Kustomization flux-system/flux-system)\n' +
        'hint: a Kustomization applying an object from git puts the git value back when it reconciles: set the interval in git and run fluxctl sync\n',
    );
    const sent = patches(b).map((q) => `${q.path} ${q.query.dryRun ?? 'real'}`);
    expect(sent).toEqual([
      `${GIT}/flux-system All`, `${KS}/apps All`, `${KS}/flux-system All`,
      `${GIT}/flux-system real`, `${KS}/apps real`, `${KS}/flux-system real`,
    ]);
    expect([interval(b, 'GitRepository', 'flux-system'), interval(b, 'Kustomization', 'apps'), interval(b, 'Kustomization', 'flux-system')]).toEqual(['1m0s', '10m0s', '10m0s']);
  });

  it('--dry-run sends every patch with dryRun=All and changes nothing', async () => {
    const b = await start();
    const before = b.kube.cluster.get<FluxObject>(resourceOf('GitRepository'), NS, 'flux-system')!.metadata.resourceVersion;
    const r = await b.run(['set-interval', '90s', '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('git-poll-interval  GitRepository flux-system/flux-system  1m0s    90s\n');
    expect(r.stderr).toMatch(/\nDry run: the API server accepted the change, nothing was applied\.\n$/);
    expect(patches(b).map((q) => q.query)).toEqual([1, 2, 3].map(() => ({ fieldManager: 'fluxctl', dryRun: 'All' })));
    expect(afterDetection(b).at(-1)?.method).toBe('PATCH');
    expect(b.kube.cluster.get<FluxObject>(resourceOf('GitRepository'), NS, 'flux-system')!.metadata.resourceVersion).toBe(before);
  });

  it('changes nothing when the durations are already set, however spelt', async () => {
    const b = await start();
    const r = await b.run(['set-interval', '--git-poll-interval', '60s', '--sync-interval', '600s']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('GitRepository flux-system/flux-system with Kustomizations flux-system/apps, flux-system/flux-system already uses these intervals; nothing to change.\n');
    expect(r.stdout).toContain('sync-interval      Kustomization flux-system/apps         10m0s   600s\n');
    expect(patches(b)).toEqual([]);
  });

  it('refuses durations Flux refuses, and fluxd-only flags, before writing anything', async () => {
    const b = await start();
    const us = await b.run(['set-interval', '--git-poll-interval', '1500us']);
    expect(us.code).toBe(2);
    expect(us.stderr).toMatch(/^Error: invalid GitRepository spec\.interval "1500us": .*\bms, s, m and h\b/);
    const dep = await b.run(['set-interval', '--deployment', 'flux', '1m']);
    expect(dep.code).toBe(2);
    expect(dep.stderr).toContain("Error: --deployment picks the Flux v1 daemon's Deployment, and this cluster runs Flux v2");
    expect(patches(b)).toEqual([]);
  });

  it('reports an object that fails to reconcile as accepted but not Ready, without waiting for --timeout', async () => {
    const b = await start();
    b.flux.fail('Kustomization', `${NS}/apps`, { reason: 'HealthCheckFailed', message: 'timeout waiting for: [Deployment/frontend/web status: InProgress]' });
    const r = await b.run(['set-interval', '--kustomization', 'apps', '--sync-interval', '5m', '--timeout', '20s']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /\nWarning: interval accepted; Kustomization flux-system\/apps is not Ready: HealthCheckFailed: timeout waiting for: \[Deployment\/frontend\/web status: InProgress\]\nThe new interval is set\.\n$/,
    );
    expect(interval(b, 'Kustomization', 'apps')).toBe('5m');
  });

  it('names what the controllers still have not reconciled when --timeout runs out (exit 4)', async () => {
    const b = await start();
    b.flux.freeze();
    // The --timeout clock runs out at the second look at the controllers after the change
    // (ManualClock): however long detection takes on a loaded machine.
    const clock = expireOn(b.kube.requests, (q, seen) => {
      const patched = seen.findIndex((p) => p.method === 'PATCH' && p.query.dryRun === undefined);
      return patched >= 0 && q.method === 'GET' && seen.slice(patched + 1).filter((p) => p.method === 'GET').length === 1;
    });
    const r = await b.run(['set-interval', '--git-poll-interval', '30s', '--timeout', '2s'], { clock });
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /Error: timed out after 2s \(--timeout\) waiting for the controllers to reconcile the new intervals \(they are applied\); the outcome is unknown\. Still pending:\n {2}GitRepository flux-system\/flux-system \(source-controller has not reconciled generation 2 yet\)\nhint: check with: kubectl get gitrepository\/flux-system -n flux-system\n$/,
    );
    expect(interval(b, 'GitRepository', 'flux-system')).toBe('30s');
  });

  it('says so when the object is deleted while waiting', async () => {
    const b = await start();
    b.flux.freeze();
    const push = b.kube.requests.push.bind(b.kube.requests);
    b.kube.requests.push = (...items) => {
      for (const q of items) if (q.method === 'PATCH') setImmediate(() => b.kube.cluster.remove(resourceOf('GitRepository'), NS, 'flux-system'));
      return push(...items);
    };
    const r = await b.run(['set-interval', '--git-poll-interval', '30s'], { pollScale: 1 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Error: GitRepository flux-system\/flux-system was deleted while waiting for it to reconcile its new interval\nhint: .+\n$/);
  });

  it('does not wait for a suspended object: the interval takes effect when it is resumed', async () => {
    const b = await start();
    b.flux.update('GitRepository', `${NS}/flux-system`, (o) => (o.spec.suspend = true));
    await b.flux.settled();
    b.kube.requests.length = 0;
    const r = await b.run(['set-interval', '--git-poll-interval', '30s'], { pollScale: 1 });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Warning: GitRepository flux-system/flux-system is suspended: its new interval takes effect when it is resumed\n');
    expect(afterDetection(b).at(-1)?.method).toBe('PATCH');
    expect(interval(b, 'GitRepository', 'flux-system')).toBe('30s');
  });

  it('--no-wait says how to follow the controllers', async () => {
    const b = await start();
    const r = await b.run(['set-interval', '--kustomization', 'flux-system/apps', '--sync-interval', '3m', '--no-wait']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\nNot waiting for the controllers; check with: kubectl get kustomization\/apps -n flux-system\n$/);
    expect(afterDetection(b).at(-1)?.method).toBe('PATCH');
  });

  it('re-reads and patches again on a 409 Conflict', async () => {
    const b = await start();
    const push = b.kube.requests.push.bind(b.kube.requests);
    let touched = false;
    b.kube.requests.push = (...items) => {
      for (const q of items) {
        if (q.method === 'GET' && q.path === GIT && !touched) {
          touched = true;
          // Someone annotates the GitRepository between our read and our write.
          setImmediate(() => b.flux.update('GitRepository', `${NS}/flux-system`, (o) => (o.metadata.annotations = { ...o.metadata.annotations, team: 'platform' })));
        }
      }
      return push(...items);
    };
    const r = await b.run(['set-interval', '--git-poll-interval', '45s', '--no-wait']);
    expect(r.code).toBe(0);
    const sent = afterDetection(b).filter((q) => q.path === `${GIT}/flux-system`);
    expect(sent.map((q) => `${q.method} ${q.status}`)).toEqual(['PATCH 409', 'GET 200', 'PATCH 200']);
    expect((sent[0]?.body as FluxObject).metadata.resourceVersion).not.toBe((sent[2]?.body as FluxObject).metadata.resourceVersion);
    expect(interval(b, 'GitRepository', 'flux-system')).toBe('45s');
  });

  it('names the verb and resource RBAC denies, and changes nothing when a later object is denied', async () => {
    const b = await start();
    b.kube.faults.deny({ verb: 'patch', resource: 'kustomizations' });
    const r = await b.run(['set-interval', '5m']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('cannot patch resource "kustomizations" in API group "kustomize.toolkit.fluxcd.io"');
    expect(patches(b).map((q) => `${q.path} ${q.query.dryRun ?? 'real'} ${q.status}`)).toEqual([`${GIT}/flux-system All 200`, `${KS}/apps All 403`]);
    expect(interval(b, 'GitRepository', 'flux-system')).toBe('1m0s');
  });

  it('has no sync interval to set on a repository no Kustomization applies', async () => {
    const b = await start();
    b.kube.cluster.write(resourceOf('GitRepository'), { metadata: { name: 'tools', namespace: NS }, spec: { interval: '5m0s', url: 'https://github.com/acme/tools', ref: { branch: 'main' } } });
    const show = await b.run(['set-interval', '--git-repository', 'tools']);
    expect(show.stdout).toBe('SETTING            OBJECT                           VALUE  SOURCE\ngit-poll-interval  GitRepository flux-system/tools  5m0s   spec\n');
    const r = await b.run(['set-interval', '--git-repository', 'tools', '1m']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'Error: no Kustomization applies GitRepository flux-system/tools, so there is no sync interval to set\n' +
        'hint: set the git poll interval alone with --git-poll-interval, or pick another repository with --git-repository\n',
    );
    const unknown = await b.run(['set-interval', '--kustomization', 'infra']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'Error: no Kustomization named "infra" applies GitRepository flux-system/flux-system\nhint: the Kustomizations applying it: flux-system/apps, flux-system/flux-system\n',
    );
    expect(patches(b)).toEqual([]);
  });

  it('fails clearly on a missing namespace and on an ambiguous root GitRepository', async () => {
    const b = await start();
    const missing = await b.run(['set-interval', '--k8s-fwd-ns', 'nowhere']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('Error: no Flux v2 GitRepository found in namespace "nowhere"; namespaces that have one: flux-system\n');
    b.kube.cluster.addNamespace('tenants');
    for (const name of ['a', 'b']) {
      b.kube.cluster.write(resourceOf('GitRepository'), { metadata: { name, namespace: 'tenants' }, spec: { interval: '5m0s', url: `https://github.com/acme/${name}` } });
    }
    const ambiguous = await b.run(['set-interval', '--k8s-fwd-ns', 'tenants', '1m']);
    expect(ambiguous.code).toBe(3);
    expect(ambiguous.stderr).toContain('Error: Ambiguous GitRepository: found more than one in namespace "tenants" and none named "tenants":\n  tenants/a  https://github.com/acme/a\n  tenants/b  https://github.com/acme/b\n');
    expect(patches(b)).toEqual([]);
  });

  it('--help says what the intervals are on Flux v2 and how to keep them', async () => {
    const r = await runCli(['set-interval', '--help'], {});
    // help reflows prose at 80 columns: compare the words
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(' On Flux v2 there is no daemon: the git poll interval is the spec.interval of the GitRepository ');
    expect(r.stdout).toContain('  fluxctl set-interval --kustomization apps --sync-interval 5m\n');
  });

  it('works the same on Flux v2.0', async () => {
    const b = await start({ version: 'v2.0.0' });
    expect((await b.run(['set-interval'])).stdout).toBe(SHOW);
    const r = await b.run(['set-interval', '--kustomization', 'apps', '--sync-interval', '5m']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\nKustomization flux-system\/apps is Ready with the new interval\n$/);
  });
});
