import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '@fluxctl/emulator/kube';
import { stripAnsi } from '../helpers/run-cli.js';
import { startFlux2Bed } from '../helpers/testbed-v2.js';
import { sharedFlux2Bed } from '../helpers/v2-bed.js';

/*
 * automate, deautomate, lock and unlock on Flux v2 against the sample fleet: the `web`
 * container of frontend:deployment/web is covered by ImagePolicy flux-system/web, which
 * ImageUpdateAutomation flux-system/flux-system writes to git.
 */

const LOCK = 'fluxctl.io/locked';
const POLICY_PATH = '/apis/image.toolkit.fluxcd.io/v1/namespaces/flux-system/imagepolicies/web';
const AUTOMATION_PATH = '/apis/image.toolkit.fluxcd.io/v1/namespaces/flux-system/imageupdateautomations/flux-system';
const WEB = 'frontend:deployment/web';

type Obj = Record<string, unknown>;
type Flux = { metadata: { resourceVersion?: string; annotations?: Record<string, string>; managedFields?: Array<{ manager: string }> }; spec: Obj };

const bed = sharedFlux2Bed({ contextNamespace: 'frontend' }, {
  // Every test starts from the sample's policy and automation: neither suspended nor locked.
  beforeEach: (b) => {
    for (const [kind, id] of [['ImagePolicy', 'flux-system/web'], ['ImageUpdateAutomation', 'flux-system/flux-system']] as const) {
      b.flux.update(kind, id, (o) => {
        delete (o.spec as Obj).suspend;
        if (o.metadata.annotations) delete o.metadata.annotations[LOCK];
      });
    }
  },
});

const policy = (): Flux => bed.flux.get('ImagePolicy', 'flux-system/web') as unknown as Flux;
const automation = (): Flux => bed.flux.get('ImageUpdateAutomation', 'flux-system/flux-system') as unknown as Flux;
const patches = (): RecordedRequest[] => bed.kube.requests.filter((q) => q.method === 'PATCH');
const described = (q: RecordedRequest): string => `PATCH ${q.path}?${q.rawQuery} ${JSON.stringify(q.body)}`;
const suspend = (kind: 'ImagePolicy' | 'ImageUpdateAutomation' | 'ImageRepository', id: string, annotations?: Record<string, string>): void => {
  bed.flux.update(kind, id, (o) => {
    (o.spec as Obj).suspend = true;
    if (annotations) o.metadata.annotations = { ...o.metadata.annotations, ...annotations };
  });
};

const HEADER = 'WORKLOAD                     STATUS   UPDATES\n';
/** fluxctl's header alone (its cells end in a space before the tab), as when every row is skipped. */
const BARE_HEADER = 'WORKLOAD   STATUS   UPDATES\n';

describe('fluxctl deautomate and automate on Flux v2', () => {
  it('deautomate suspends the covering ImagePolicy: a dry run, then the guarded merge patch', async () => {
    const rv = policy().metadata.resourceVersion;
    const r = await bed.run(['deautomate', '-w', WEB]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`${HEADER}flux-system:imagepolicy/web  success  suspended\n                                      decides the image of container web\n`);
    const body = JSON.stringify({ metadata: { resourceVersion: rv }, spec: { suspend: true } });
    expect(patches().map(described)).toEqual([`PATCH ${POLICY_PATH}?fieldManager=fluxctl&dryRun=All ${body}`, `PATCH ${POLICY_PATH}?fieldManager=fluxctl ${body}`]);
    expect(patches().every((q) => q.contentType === 'application/merge-patch+json')).toBe(true);
    // One LIST per kind: the workload by field selector, the image kinds cluster-wide; no GET by name.
    expect(bed.kube.requests.filter((q) => q.method === 'GET' && q.path.includes('/namespaces/') && !q.path.endsWith('/pods')).map((q) => `${q.path}?${q.rawQuery}`))
      .toEqual(['/apis/apps/v1/namespaces/frontend/deployments?fieldSelector=metadata.name%3Dweb']);
    expect(policy().spec.suspend).toBe(true);
    expect(policy().metadata.managedFields?.map((f) => f.manager)).toContain('fluxctl');
    // The image no longer moves, and list-workloads says so.
    expect((await bed.run(['list-workloads', '-c', 'web', '--no-headers'])).stdout).toMatch(/^frontend:deployment\/web +web +ghcr\.io\/acme\/web:1\.4\.2 +ready +locked$/m);
  });

  it('running it again changes nothing: fluxctl\'s skipped rows show from -v', async () => {
    suspend('ImagePolicy', 'flux-system/web');
    const quiet = await bed.run(['deautomate', '-w', WEB]);
    expect(quiet).toMatchObject({ code: 0, stdout: BARE_HEADER, stderr: 'Nothing to do (-v shows why)\n' });
    const verbose = await bed.run(['deautomate', '-w', WEB, '-v']);
    expect(verbose.stdout).toBe(`${HEADER}flux-system:imagepolicy/web  skipped  already suspended\n                                      decides the image of container web\n`);
    expect(verbose.stderr).toBe('Nothing to do\n');
    expect(patches()).toEqual([]);
  });

  it('automate resumes it by removing spec.suspend, as flux resume does', async () => {
    suspend('ImagePolicy', 'flux-system/web');
    const r = await bed.run(['automate', '-w', 'deployment/web']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`${HEADER}flux-system:imagepolicy/web  success  resumed\n                                      decides the image of container web\n`);
    expect(patches().map((q) => q.body)).toEqual([0, 1].map(() => ({ metadata: { resourceVersion: expect.any(String) as unknown }, spec: { suspend: null } })));
    expect(policy().spec).not.toHaveProperty('suspend');
    // The automation writing it runs already: a skipped row, shown with -v.
    const again = await bed.run(['automate', '-w', WEB, '-v']);
    expect(again.stdout).toContain('flux-system:imageupdateautomation/flux-system  skipped  already running\n');
  });

  it('automate also resumes a suspended ImageUpdateAutomation, saying that it is shared', async () => {
    suspend('ImageUpdateAutomation', 'flux-system/flux-system');
    const r = await bed.run(['automate', '-w', WEB]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'WORKLOAD                                       STATUS   UPDATES\n' +
        'flux-system:imageupdateautomation/flux-system  success  resumed\n' +
        '                                                        writes the image of container web\n' +
        '                                                        this affects every workload whose images it updates\n',
    );
    expect(patches().map((q) => q.path)).toEqual([AUTOMATION_PATH, AUTOMATION_PATH]);
    expect(automation().spec).not.toHaveProperty('suspend');
  });

  it('automate resumes a suspended ImageRepository too: without scans the image never moves', async () => {
    suspend('ImageRepository', 'flux-system/web');
    try {
      const r = await bed.run(['automate', '-w', WEB]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(
        'WORKLOAD                         STATUS   UPDATES\n' +
          'flux-system:imagerepository/web  success  resumed\n' +
          '                                          scans the image of container web\n' +
          '                                          this affects every workload using this image\n',
      );
      expect((bed.flux.get('ImageRepository', 'flux-system/web')?.spec as Obj).suspend).toBeUndefined();
    } finally {
      bed.flux.update('ImageRepository', 'flux-system/web', (o) => delete (o.spec as Obj).suspend);
    }
  });

  it('--message and --user have nowhere to go on Flux v2: a warning, not silence', async () => {
    const r = await bed.run(['deautomate', '-w', WEB, '-m', 'incident 42', '--user', 'jane']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('Warning: --message and --user are not recorded on Flux v2 (there is no commit)\n');
  });
});

describe('fluxctl lock and unlock on Flux v2', () => {
  it('lock suspends and records that unlock resumes; unlock does, and removes the record', async () => {
    const locked = await bed.run(['lock', '-w', WEB]);
    expect(locked).toMatchObject({ code: 0, stderr: '' });
    expect(locked.stdout).toBe(`${HEADER}flux-system:imagepolicy/web  success  suspended: locked\n                                      decides the image of container web\n`);
    expect(patches().at(-1)?.body).toEqual({ metadata: { resourceVersion: expect.any(String) as unknown, annotations: { [LOCK]: 'resume-on-unlock' } }, spec: { suspend: true } });
    expect(policy().metadata.annotations?.[LOCK]).toBe('resume-on-unlock');
    expect(policy().spec.suspend).toBe(true);
    const unlocked = await bed.run(['unlock', '-w', WEB]);
    expect(unlocked.stdout).toBe(`${HEADER}flux-system:imagepolicy/web  success  resumed: unlocked\n                                      decides the image of container web\n`);
    expect(patches().at(-1)?.body).toEqual({ metadata: { resourceVersion: expect.any(String) as unknown, annotations: { [LOCK]: null } }, spec: { suspend: null } });
    expect(policy().metadata.annotations ?? {}).not.toHaveProperty(LOCK);
    expect(policy().spec).not.toHaveProperty('suspend');
    expect(await bed.run(['unlock', '-w', WEB])).toMatchObject({ code: 0, stdout: BARE_HEADER, stderr: 'Nothing to do (-v shows why)\n' });
  });

  it('unlock restores what lock found: a deautomated policy stays suspended', async () => {
    await bed.run(['deautomate', '-w', WEB]);
    await bed.run(['lock', '-w', WEB]);
    expect(policy().metadata.annotations?.[LOCK]).toBe('stay-suspended-on-unlock');
    // automate while locked: still suspended, but unlock will resume it.
    const automated = await bed.run(['automate', '-w', WEB]);
    expect(automated.stdout).toContain('flux-system:imagepolicy/web  success  stays suspended while locked; fluxctl unlock resumes it\n');
    expect(policy().spec.suspend).toBe(true);
    await bed.run(['deautomate', '-w', WEB]);
    const unlocked = await bed.run(['unlock', '-w', WEB]);
    expect(unlocked.stdout).toContain('flux-system:imagepolicy/web  success  unlocked; stays suspended (deautomated)\n');
    expect(policy().spec.suspend).toBe(true);
    expect(policy().metadata.annotations ?? {}).not.toHaveProperty(LOCK);
  });

  it('a policy suspended by someone else is not unlocked by fluxctl', async () => {
    suspend('ImagePolicy', 'flux-system/web');
    const r = await bed.run(['unlock', '-w', WEB, '-v']);
    expect(r).toMatchObject({ code: 0, stderr: 'Nothing to do\n' });
    expect(r.stdout).toContain('skipped  not locked by fluxctl, but suspended: fluxctl automate resumes it\n');
    expect(patches()).toEqual([]);
  });

  it('prints the same table on a terminal', async () => {
    const r = await bed.run(['lock', '-w', WEB], { tty: { stdout: true, stderr: true }, columns: 100 });
    expect(r.code).toBe(0);
    expect(stripAnsi(r.stdout)).toMatch(/WORKLOAD +STATUS +UPDATES\s*\n\s*flux-system:imagepolicy\/web +success +suspended: locked/);
  });
});

describe('automation on Flux v2: what cannot be done, and nothing half-done', () => {
  it('a workload no ImagePolicy covers: automation on Flux v2 is set up in git (exit 1)', async () => {
    const r = await bed.run(['automate', '-w', 'backend:deployment/api']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'Error: backend:deployment/api has no image automation: no ImagePolicy covers its images (ghcr.io/acme/api:2.3.0, ghcr.io/acme/api-migrate:2.3.0); automation on Flux v2 is set up in git, not by fluxctl\n' +
        'hint: set it up in git: an ImageRepository and an ImagePolicy for the image, an ImageUpdateAutomation selecting the policy, and a marker on the image line of the manifest, ' +
        'e.g. `image: ghcr.io/org/app:1.0.0 # {"$imagepolicy": "flux-system:app"}` (https://fluxcd.io/flux/guides/image-update/)\n',
    );
    expect(patches()).toEqual([]);
  });

  it('a workload that does not exist, or a HelmRelease, fails naming it', async () => {
    const missing = await bed.run(['lock', '-w', 'frontend:deployment/nope']);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toBe('Error: workload frontend:deployment/nope not found\nhint: nothing was changed; list the workloads with: fluxctl list-workloads --all-namespaces\n');
    const release = await bed.run(['deautomate', '-w', 'frontend:helmrelease/podinfo']);
    expect(release.code).toBe(1);
    expect(release.stderr).toMatch(/^Error: frontend:helmrelease\/podinfo has no containers Flux v2 can automate/);
    expect(patches()).toEqual([]);
  });

  it('automate with no ImageUpdateAutomation selecting the policy fails before changing anything', async () => {
    suspend('ImagePolicy', 'flux-system/web');
    bed.flux.update('ImageUpdateAutomation', 'flux-system/flux-system', (o) => ((o.spec as Obj).policySelector = { matchLabels: { team: 'other' } }));
    try {
      const r = await bed.run(['automate', '-w', WEB]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^Error: no ImageUpdateAutomation selects the ImagePolicy flux-system\/web covering frontend:deployment\/web, so nothing would write its new tags to git; automation on Flux v2 is set up in git\nhint: nothing was changed/);
      expect(patches()).toEqual([]);
      expect(policy().spec.suspend).toBe(true);
    } finally {
      bed.flux.update('ImageUpdateAutomation', 'flux-system/flux-system', (o) => delete (o.spec as Obj).policySelector);
    }
  });

  it('RBAC refusing one of two patches leaves both objects as they were (the dry run fails first), exit 3', async () => {
    suspend('ImagePolicy', 'flux-system/web');
    suspend('ImageUpdateAutomation', 'flux-system/flux-system');
    bed.kube.faults.deny({ verb: 'patch', resource: 'imageupdateautomations' });
    const r = await bed.run(['automate', '-w', WEB]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Error: imageupdateautomations.image.toolkit.fluxcd.io "flux-system" is forbidden: User "jane" cannot patch resource "imageupdateautomations" in API group "image.toolkit.fluxcd.io" in the namespace "flux-system"\n');
    expect(patches().map((q) => `${q.path}?${q.rawQuery}`)).toEqual([`${POLICY_PATH}?fieldManager=fluxctl&dryRun=All`, `${AUTOMATION_PATH}?fieldManager=fluxctl&dryRun=All`]);
    expect(policy().spec.suspend).toBe(true);
    expect(automation().spec.suspend).toBe(true);
  });

  it('a conflict (someone else wrote the policy meanwhile) is read again and retried', async () => {
    bed.kube.faults.inject({
      method: 'PATCH', path: POLICY_PATH, status: 409,
      body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Conflict', code: 409, message: 'Operation cannot be fulfilled on imagepolicies.image.toolkit.fluxcd.io "web": the object has been modified; please apply your changes to the latest version and try again' },
    });
    const r = await bed.run(['deautomate', '-w', WEB]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('flux-system:imagepolicy/web  success  suspended\n');
    expect(patches()).toHaveLength(3);
    expect(bed.kube.requests.filter((q) => q.path === '/apis/image.toolkit.fluxcd.io/v1/imagepolicies')).toHaveLength(2);
    expect(policy().spec.suspend).toBe(true);
  });
});

describe('automation on older and smaller Flux v2 installations', () => {
  it('before image-reflector v1.0 (Flux 2.6, image kinds v1beta2) the ImageUpdateAutomation is switched, with a warning', async () => {
    const old = await startFlux2Bed({ version: 'v2.6.4' });
    try {
      old.kube.requests.length = 0;
      const r = await old.run(['deautomate', '-w', WEB]);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toBe(
        'WORKLOAD                                       STATUS   UPDATES\n' +
          'flux-system:imageupdateautomation/flux-system  success  suspended\n' +
          '                                                        writes the image of container web\n' +
          '                                                        this affects every workload whose images it updates\n' +
          '                                                        (ImagePolicy cannot be suspended before image-reflector-controller v1.0, Flux 2.7)\n',
      );
      const patched = old.kube.requests.filter((q) => q.method === 'PATCH').map((q) => q.path);
      expect(patched).toEqual(Array(2).fill('/apis/image.toolkit.fluxcd.io/v1beta2/namespaces/flux-system/imageupdateautomations/flux-system'));
      expect((old.flux.get('ImageUpdateAutomation', 'flux-system/flux-system')?.spec as Obj).suspend).toBe(true);
      expect((old.flux.get('ImagePolicy', 'flux-system/web')?.spec as Obj).suspend).toBeUndefined();
      const resumed = await old.run(['automate', '-w', WEB]);
      expect(resumed.stdout).toContain('flux-system:imageupdateautomation/flux-system  success  resumed\n');
      expect((old.flux.get('ImageUpdateAutomation', 'flux-system/flux-system')?.spec as Obj).suspend).toBeUndefined();
    } finally {
      await old.close();
    }
  }, 30_000);

  it('without the image controllers the commands say automation is not installed (exit 1)', async () => {
    const small = await startFlux2Bed({ components: ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'] });
    try {
      const r = await small.run(['lock', '-w', WEB]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^Error: frontend:deployment\/web has no image automation: the image automation APIs \(image\.toolkit\.fluxcd\.io\) are not installed; automation on Flux v2 is set up in git, not by fluxctl\nhint: /);
      expect(small.kube.requests.some((q) => q.method === 'PATCH' || q.path.includes('image.toolkit'))).toBe(false);
    } finally {
      await small.close();
    }
  }, 30_000);
});
