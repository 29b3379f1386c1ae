import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeGitRepository, decodeKustomization, type Kustomization } from '../../src/backends/toolkit/decode-flux.js';
import { pendingTimeout, pollRounds, reconcileToken } from '../../src/backends/toolkit/reconcile-request.js';
import { displayRevision } from '../../src/backends/toolkit/sync.js';
import { inventoryWorkloadIds } from '../../src/backends/toolkit/sync-inventory.js';
import { kustomizationVerdict, sourceVerdict } from '../../src/backends/toolkit/sync-verdict.js';
import { CliError, TimeoutError } from '../../src/errors.js';
import { SHA, SHA2, cond, gitRepositoryV1, kustomization, ready } from './toolkit-objects.js';

const TOKEN = '2026-08-07T10:20:00.123456Z';
type Obj = Record<string, unknown>;

/** The bootstrap GitRepository with its status replaced (token handled unless told otherwise). */
function repo(status: Obj, spec: Obj = {}) {
  const o = gitRepositoryV1() as { spec: Obj; status: Obj };
  return decodeGitRepository({ ...o, spec: { ...o.spec, ...spec }, status: { lastHandledReconcileAt: TOKEN, observedGeneration: 1, ...status } }, 'GitRepository flux-system/flux-system');
}

function ks(status: Obj, options: { suspend?: boolean; inventory?: string[]; name?: string; remote?: boolean } = {}): Kustomization {
  const o = kustomization({ name: options.name ?? 'apps', suspend: options.suspend, inventory: options.inventory }) as { spec: Obj; status: Obj };
  const spec = options.remote ? { ...o.spec, kubeConfig: { secretRef: { name: 'prod' } } } : o.spec;
  return decodeKustomization({ ...o, spec, status: { ...o.status, lastHandledReconcileAt: TOKEN, ...status } }, 'Kustomization flux-system/apps');
}

const stored = (sha: string) => ({
  artifact: { revision: `main@sha1:${sha}`, digest: 'sha256:00', path: 'p', url: 'u', lastUpdateTime: 't', size: 1 },
  conditions: [ready(`stored artifact for revision 'main@sha1:${sha}'`)],
});

describe('sourceVerdict', () => {
  it('is done with the artifact revision once our token is handled and Ready=True', () => {
    expect(sourceVerdict(repo(stored(SHA2)), TOKEN)).toEqual({ state: 'done', value: `main@sha1:${SHA2}` });
  });

  it('is pending, naming source-controller, until our exact token is handled', () => {
    const v = sourceVerdict(repo({ ...stored(SHA), lastHandledReconcileAt: '2026-08-07T10:20:00.123Z' }), TOKEN);
    expect(v).toEqual({ state: 'pending', detail: 'source-controller has not handled the reconcile request yet' });
  });

  it('shows the Reconciling stage while a reconcile is under way', () => {
    const conditions = [cond('Reconciling', 'True', 'Progressing', 'building artifact: new upstream revision'), cond('Ready', 'Unknown', 'Progressing', 'building artifact: new upstream revision')];
    expect(sourceVerdict(repo({ conditions, lastHandledReconcileAt: '' }), TOKEN)).toEqual({ state: 'pending', detail: 'building artifact: new upstream revision' });
  });

  it('fails fast on a fetch failure the controller only retries, naming the object, phase, reason and message', () => {
    const message = "failed to checkout and determine revision: unable to clone 'ssh://git@github.com/acme/fleet': ssh: handshake failed";
    const conditions = [cond('FetchFailed', 'True', 'GitOperationFailed', message), cond('Ready', 'False', 'GitOperationFailed', message), cond('Reconciling', 'True', 'ProgressingWithRetry', 'reconciliation in progress')];
    const fail = (): unknown => sourceVerdict(repo({ conditions }), TOKEN);
    expect(fail).toThrow(CliError);
    expect(fail).toThrow(`GitRepository flux-system/flux-system failed to fetch: GitOperationFailed: ${message}`);
  });

  it('fails on Stalled=True', () => {
    const conditions = [cond('Stalled', 'True', 'InvalidURL', 'invalid URL'), cond('Ready', 'False', 'InvalidURL', 'invalid URL')];
    expect(() => sourceVerdict(repo({ conditions }), TOKEN)).toThrow('GitRepository flux-system/flux-system is stalled: InvalidURL: invalid URL');
  });

  it('refuses a suspended GitRepository even though its token is recorded', () => {
    expect(() => sourceVerdict(repo(stored(SHA), { suspend: true }), TOKEN)).toThrow('GitRepository flux-system/flux-system is suspended');
  });
});

describe('kustomizationVerdict', () => {
  const target = `main@sha1:${SHA}`;
  const exact = (r: string): boolean => r === target;

  it('is done when Ready=True with the target revision applied', () => {
    expect(kustomizationVerdict(ks({}), TOKEN, target, exact)).toEqual({ state: 'done', value: target });
  });

  it('waits for its own token, showing the reconcile stage', () => {
    const conditions = [cond('Reconciling', 'True', 'Progressing', `Running health checks for revision ${target} with a timeout of 9m30s`), cond('Ready', 'Unknown', 'Progressing', 'Reconciliation in progress')];
    expect(kustomizationVerdict(ks({ conditions, lastHandledReconcileAt: 'older' }), TOKEN, target, exact)).toEqual({
      state: 'pending', detail: `Running health checks for revision ${target} with a timeout of 9m30s`,
    });
  });

  it('keeps waiting on DependencyNotReady and a source without artifact', () => {
    const dep = [cond('Ready', 'False', 'DependencyNotReady', "dependency 'flux-system/infra' is not ready")];
    expect(kustomizationVerdict(ks({ conditions: dep }), TOKEN, target, exact)).toEqual({ state: 'pending', detail: "DependencyNotReady: dependency 'flux-system/infra' is not ready" });
    const art = [cond('Ready', 'False', 'ArtifactFailed', 'Source artifact not found, retrying in 30s')];
    expect(kustomizationVerdict(ks({ conditions: art }), TOKEN, target, exact)).toMatchObject({ state: 'pending' });
  });

  it('keeps waiting on DependencyNotReady even with a retry marker left from an earlier failure', () => {
    const conditions = [cond('Ready', 'False', 'DependencyNotReady', "dependency 'flux-system/infra' is not ready"), cond('Reconciling', 'True', 'ProgressingWithRetry', 'Building manifests')];
    expect(kustomizationVerdict(ks({ conditions }), TOKEN, target, exact)).toMatchObject({ state: 'pending', detail: "DependencyNotReady: dependency 'flux-system/infra' is not ready" });
    const missing = [cond('Ready', 'False', 'ArtifactFailed', 'kustomization path not found: stat /tmp/x/apps: no such file or directory'), cond('Reconciling', 'True', 'ProgressingWithRetry', 'Fetching manifests')];
    expect(() => kustomizationVerdict(ks({ conditions: missing }), TOKEN, target, exact)).toThrow('Kustomization flux-system/apps failed to apply 5394cb7: ArtifactFailed: kustomization path not found');
  });

  it('fails fast on a health check failure, naming the Kustomization, reason and message', () => {
    const message = "health check failed after 29.9s: timeout waiting for: [Deployment/apps/web status: 'InProgress']";
    const conditions = [cond('Ready', 'False', 'HealthCheckFailed', message), cond('Reconciling', 'True', 'ProgressingWithRetry', 'retrying')];
    expect(() => kustomizationVerdict(ks({ conditions }), TOKEN, target, exact)).toThrow(`Kustomization flux-system/apps failed to apply 5394cb7: HealthCheckFailed: ${message}`);
  });

  it('fails on Stalled=True', () => {
    const conditions = [cond('Stalled', 'True', 'InvalidCELExpression', 'bad expression'), cond('Ready', 'False', 'InvalidCELExpression', 'bad expression')];
    expect(() => kustomizationVerdict(ks({ conditions }), TOKEN, target, exact)).toThrow('Kustomization flux-system/apps is stalled: InvalidCELExpression: bad expression');
  });

  it('reports another applied revision so the caller can check whether the source moved on', () => {
    const other = `main@sha1:${SHA2}`;
    const v = kustomizationVerdict(ks({ lastAppliedRevision: other }), TOKEN, target, exact);
    expect(v).toEqual({ state: 'pending', detail: 'applied a1b2c3d so far, not 5394cb7', appliedOther: other });
    expect(kustomizationVerdict(ks({ lastAppliedRevision: other }), TOKEN, target, (r) => r === other)).toEqual({ state: 'done', value: other });
  });

  it('does not send the caller to the source when nothing has been applied yet', () => {
    expect(kustomizationVerdict(ks({ lastAppliedRevision: '' }), TOKEN, target, exact)).toEqual({ state: 'pending', detail: 'applied nothing so far, not 5394cb7' });
  });

  it('says suspended rather than judging a suspended Kustomization', () => {
    expect(kustomizationVerdict(ks({}, { suspend: true }), TOKEN, target, exact)).toEqual({ state: 'suspended' });
  });
});

describe('inventoryWorkloadIds', () => {
  it('lists the workload kinds of every inventory once, sorted, as list-workloads IDs', () => {
    const a = ks({}, { inventory: ['apps_web_apps_Deployment', 'apps_web__Service', '_apps__Namespace', 'apps_db_apps_StatefulSet', 'podinfo_podinfo_helm.toolkit.fluxcd.io_HelmRelease'] });
    const b = ks({}, { name: 'infra', inventory: ['kube-system_agent_apps_DaemonSet', 'apps_web_apps_Deployment', 'ops_backup_batch_CronJob', 'flux-system_apps_kustomize.toolkit.fluxcd.io_Kustomization'] });
    expect(inventoryWorkloadIds([a, b])).toEqual([
      'apps:deployment/web', 'apps:statefulset/db', 'kube-system:daemonset/agent', 'ops:cronjob/backup', 'podinfo:helmrelease/podinfo',
    ]);
  });

  it('skips remote Kustomizations and those without an inventory', () => {
    expect(inventoryWorkloadIds([ks({}, { remote: true, inventory: ['apps_web_apps_Deployment'] }), decodeKustomization(kustomization({ inventory: null }), 'k')])).toEqual([]);
  });
});

describe('reconcile tokens and revisions', () => {
  it('writes an RFC 3339 UTC token with microseconds, distinct within a millisecond', () => {
    expect(reconcileToken(Date.UTC(2026, 7, 7, 10, 20, 0, 123) + 0.4567)).toBe('2026-08-07T10:20:00.123456Z');
    expect(reconcileToken(Date.UTC(2026, 7, 7, 10, 20, 0, 123) + 0.0009)).toBe('2026-08-07T10:20:00.123000Z');
    expect(reconcileToken()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('shows the commit hash of a revision in either format', () => {
    expect(displayRevision(`main@sha1:${SHA}`)).toBe(SHA);
    expect(displayRevision(`main/${SHA}`)).toBe(SHA);
    expect(displayRevision(`sha1:${SHA}`)).toBe(SHA);
    expect(displayRevision('garbage')).toBe('garbage');
  });
});

describe('pollRounds and pendingTimeout', () => {
  afterEach(() => vi.useRealTimers());

  it('waits half a second per request of the previous round before each round', async () => {
    vi.useFakeTimers();
    const starts: number[] = [];
    const t0 = Date.now();
    const done = pollRounds((delay) => ({ signal: new AbortController().signal, delay }), async () => {
      starts.push(Date.now() - t0);
      return starts.length === 3 ? { value: 'ok', requests: 1 } : { requests: starts.length === 1 ? 3 : 1 };
    }, 2);
    await vi.advanceTimersByTimeAsync(5000);
    await expect(done).resolves.toBe('ok');
    expect(starts).toEqual([1000, 2500, 3000]);
  });

  it('ends at the signal with its reason', async () => {
    const c = new AbortController();
    c.abort(new TimeoutError('timed out after 1s (--timeout)'));
    await expect(pollRounds((delay) => ({ signal: c.signal, delay }), async () => ({ requests: 1 }))).rejects.toThrow('timed out after 1s (--timeout)');
  });

  it('names what is still pending on a timeout, and leaves other errors alone', () => {
    const e = pendingTimeout(new TimeoutError('timed out after 1s (--timeout)'), '5394cb7 to be applied', ['Kustomization flux-system/apps: Reconciliation in progress', 'Kustomization apps/web: x'], 'h');
    expect(e).toBeInstanceOf(TimeoutError);
    expect((e as Error).message).toBe('timed out after 1s (--timeout) waiting for 5394cb7 to be applied; the outcome is unknown. Still pending:\n  Kustomization flux-system/apps: Reconciliation in progress\n  Kustomization apps/web: x');
    const other = new CliError('boom');
    expect(pendingTimeout(other, 'x', [], 'h')).toBe(other);
  });
});
