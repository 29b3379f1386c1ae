// The Flux v2 side of `npm run bench`: a bootstrapped emulated cluster whose `fleet`
// Kustomization manages 10,000 Deployments, and the request logs of identity and sync.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resourceOf, type Manifest } from '@fluxctl/emulator/flux2';
import { changedFields, recordManager, type Deployment, type RecordedRequest } from '@fluxctl/emulator/kube';
import { startFlux2Bed, type Flux2Bed } from '../test/helpers/testbed-v2.js';

const execFileAsync = promisify(execFile);

export const FLEET_SIZE = 10_000;
const TEAMS = Array.from({ length: 10 }, (_, i) => `team-${i}`);
// Image automation covers the app image of the first three teams only, so POLICY has both values.
const AUTOMATED_TEAMS = TEAMS.slice(0, 3);
const FLEET_PATH = 'apps/fleet';

const appImage = (team: string): string => `registry.example.com/${team}/app`;

/** Git's side of the fleet: its namespaces and, for some teams, an ImageRepository and ImagePolicy. */
function fleetManifests(ns: string): Manifest[] {
  const namespaces: Manifest[] = TEAMS.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  const images = AUTOMATED_TEAMS.flatMap((team): Manifest[] => [
    { apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImageRepository', metadata: { name: `${team}-app`, namespace: ns }, spec: { image: appImage(team), interval: '5m0s' } },
    { apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImagePolicy', metadata: { name: `${team}-app`, namespace: ns }, spec: { imageRepositoryRef: { name: `${team}-app` }, policy: { semver: { range: '^1.0.0' } } } },
  ]);
  return [...namespaces, ...images];
}

/**
 * The Deployments straight into the store (through git, 10,000 applies would take minutes), stamped
 * as kustomize-controller stamps what it applies, then listed in the Kustomization's inventory.
 */
function addFleet(bed: Flux2Bed, ns: string): void {
  const cluster = bed.kube.cluster;
  const perTeam = FLEET_SIZE / TEAMS.length;
  const entries: Array<{ id: string; v: string }> = [];
  for (const team of TEAMS) {
    cluster.addNamespace(team);
    cluster.addDeployments(team, perTeam, (i) => {
      const name = `app-${String(i).padStart(4, '0')}`;
      entries.push({ id: `${team}_${name}_apps_Deployment`, v: 'v1' });
      return {
        name,
        labels: { app: name, 'kustomize.toolkit.fluxcd.io/name': 'fleet', 'kustomize.toolkit.fluxcd.io/namespace': ns },
        podLabels: { app: name },
        containers: [
          { name: 'app', image: `${appImage(team)}:1.2.3` },
          { name: 'sidecar', image: 'envoyproxy/envoy:v1.28.0' },
          { name: 'logs', image: 'fluent/fluent-bit:3.0.4' },
        ],
      };
    });
  }
  // The field managers a real cluster records: kustomize-controller's apply, the Deployment controller's status.
  for (const dep of cluster.list<Deployment>('deployments')) {
    if (dep.metadata.labels?.['kustomize.toolkit.fluxcd.io/name'] !== 'fleet') continue;
    recordManager(dep.metadata, { manager: 'kustomize-controller', operation: 'Apply', apiVersion: 'apps/v1' }, changedFields({}, { metadata: { labels: dep.metadata.labels }, spec: dep.spec }));
    recordManager(dep.metadata, { manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'apps/v1', subresource: 'status' }, changedFields({}, { status: dep.status }));
  }
  const fleet = bed.flux.get('Kustomization', `${ns}/fleet`);
  const status = (fleet?.status ?? {}) as { inventory?: { entries: Array<{ id: string; v: string }> } };
  const inventory = [...(status.inventory?.entries ?? []), ...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  cluster.saveStatus(resourceOf('Kustomization'), ns, 'fleet', { ...status, inventory: { entries: inventory } }, { fieldManager: 'kustomize-controller' });
}

/** A bootstrapped Flux v2 cluster plus the `fleet` Kustomization managing FLEET_SIZE Deployments (3 containers each). */
export async function startFleetBed(): Promise<Flux2Bed> {
  const bed = await startFlux2Bed();
  const { flux } = bed;
  const ns = flux.namespace;
  for (const team of AUTOMATED_TEAMS) flux.registry.setTags(appImage(team), ['1.2.2', '1.2.3', '1.3.0']);
  bed.sample?.repo.commit({ [`${FLEET_PATH}/fleet.yaml`]: fleetManifests(ns) }, { message: 'Add the fleet' });
  await flux.reconcile('GitRepository', `${ns}/${ns}`);
  bed.kube.cluster.write(resourceOf('Kustomization'), {
    metadata: { name: 'fleet', namespace: ns },
    spec: { interval: '10m0s', path: `./${FLEET_PATH}`, prune: true, sourceRef: { kind: 'GitRepository', name: ns } },
  }, { fieldManager: 'kubectl-client-side-apply' });
  const ready = (o: { status?: { conditions?: Array<{ type: string; status: string }> } }): boolean => o.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  await flux.waitFor('Kustomization', `${ns}/fleet`, ready);
  for (const team of AUTOMATED_TEAMS) await flux.waitFor('ImagePolicy', `${ns}/${team}-app`, ready);
  await flux.settled();
  addFleet(bed, ns);
  return bed;
}

/** One request as the tables show it: method and path, with the query parameters that narrow the answer. */
export function describeRequest(q: RecordedRequest): string {
  const narrowing = ['labelSelector', 'fieldSelector', 'watch'].filter((k) => q.query[k] !== undefined);
  const query = narrowing.map((k) => `${k}=${q.query[k]}`).join('&');
  return `${q.upgrade ? 'UPGRADE' : q.method} ${q.path}${query ? `?${query}` : ''}`;
}

// What each request of a Flux v2 run is for, matched on describeRequest's text.
const EXPLAINED: ReadonlyArray<[RegExp, string]> = [
  [/^GET \/api\/v1\/namespaces\/[^/]+\/pods\?labelSelector=app=flux/, 'auto-detection, step 1: the Flux v1 daemon pod by fluxctl\'s `app=flux` selector (in the context\'s namespace: no `--k8s-fwd-ns`)'],
  [/^GET \/api\/v1\/namespaces\/[^/]+\/pods\?labelSelector=name in/, 'auto-detection, step 1: fluxctl\'s fallback selector; no pod either'],
  [/^GET \/apis\/source\.toolkit\.fluxcd\.io$/, 'auto-detection, step 2: is the Flux v2 group served? (only when no v1 pod was found)'],
  [/^GET \/apis$/, 'discovery (aggregated): the served version of each Flux kind'],
  [/^GET \/apis\/source\.toolkit\.fluxcd\.io\/[^/]+\/namespaces\/[^/]+\/gitrepositories$/, 'GitRepositories in the Flux namespace: the root one'],
  [/^GET \/api\/v1\/namespaces\/[^/]+\/secrets\/[^/]+$/, 'the Secret of the root GitRepository\'s `spec.secretRef`: `identity.pub`'],
  [/^PATCH \S+\/gitrepositories\/[^/]+$/, 'reconcile request: merge patch of `reconcile.fluxcd.io/requestedAt`, field manager `fluxctl`'],
  [/^GET \S+\/gitrepositories\/[^/]+$/, 'poll (at most 2/s) until `status.lastHandledReconcileAt` is the token; gives the revision'],
  [/^GET \/apis\/kustomize\.toolkit\.fluxcd\.io\/[^/]+\/kustomizations$/, 'Kustomizations, all namespaces: sync\'s root ones (`sourceRef` → the root GitRepository); list-workloads\' owners and inventories'],
  [/^PATCH \S+\/kustomizations\/[^/]+$/, 'reconcile request, one per root Kustomization'],
  [/^GET \S+\/kustomizations\/[^/]+$/, 'poll until `lastAppliedRevision` is the revision and Ready=True'],
  [/^GET \/apis\/(apps\/v1\/(deployments|statefulsets|daemonsets)|batch\/v1\/cronjobs)$/, 'one workload kind, all namespaces'],
  [/^GET \/apis\/helm\.toolkit\.fluxcd\.io\/[^/]+\/helmreleases$/, 'HelmReleases, all namespaces: rows, and owners of what they render'],
  [/^GET \/apis\/image\.toolkit\.fluxcd\.io\/[^/]+\/image(repositories|policies|updateautomations)$/, 'image automation objects, all namespaces: the POLICY column'],
];

function explain(request: string): string {
  const found = EXPLAINED.find(([pattern]) => pattern.test(request));
  if (found !== undefined) return found[1];
  console.warn(`bench: no explanation for the request ${request}; add one to scripts/bench-v2.ts`);
  return '(not explained)';
}

/** Rows in EXPLAINED's order (the order of a run), then by text: parallel lists arrive in any order. */
function byExplanation(a: string, b: string): number {
  const rank = (r: string): number => {
    const i = EXPLAINED.findIndex(([pattern]) => pattern.test(r));
    return i < 0 ? EXPLAINED.length : i;
  };
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

const COUNTED: ReadonlyArray<readonly string[]> = [
  ['identity'], ['identity', '--flux-version', 'v2'], ['sync'], ['sync', '--flux-version', 'v2'], ['list-workloads', '-a'],
];

/**
 * The request matrix of identity, sync and list-workloads on Flux v2, auto-detected and with
 * --flux-version v2: one row per distinct request with what it is for, one column per command.
 * Each sync has a new commit to apply, so its polls are those of a real change.
 */
export async function requestCountsV2(bed: Flux2Bed, run: (argv: string[]) => Promise<{ ms: number }>): Promise<string[]> {
  const counts = new Map<string, number[]>();
  const walls: number[] = [];
  for (const [column, argv] of COUNTED.entries()) {
    if (argv[0] === 'sync') bed.sample?.repo.commit({ 'apps/prod/frontend/bench.yaml': [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bench', namespace: 'frontend' }, data: { run: String(column) } }] }, { message: `bench ${column}` });
    bed.kube.requests.length = 0;
    walls.push((await run([...argv])).ms);
    for (const q of bed.kube.requests) {
      const key = describeRequest(q);
      const row = counts.get(key) ?? COUNTED.map(() => 0);
      row[column] = (row[column] ?? 0) + 1;
      counts.set(key, row);
    }
  }
  const totals = COUNTED.map((_, i) => [...counts.values()].reduce((n, row) => n + (row[i] ?? 0), 0));
  return [
    `| Request | What it is | ${COUNTED.map((argv) => `\`${argv.join(' ')}\``).join(' | ')} |`,
    `| --- | --- | ${COUNTED.map(() => '---').join(' | ')} |`,
    ...[...counts.entries()].sort(([a], [b]) => byExplanation(a, b)).map(([key, row]) => `| \`${key}\` | ${explain(key)} | ${row.map((n) => (n === 0 ? '' : String(n))).join(' | ')} |`),
    `| **Total** | | ${totals.map((n) => `**${n}**`).join(' | ')} |`,
    `| Wall time of that run | | ${walls.map((ms) => `${ms.toFixed(0)} ms`).join(' | ')} |`,
  ];
}

export interface FleetFacts {
  /** Requests one fluxctl run makes against the fleet, and one kubectl run. */
  oursRequests: number;
  kubectlRequests: number;
  kubectlPages: number;
  /** Size of the Deployment list answer (all namespaces), MB. */
  deploymentListMB: number;
}

/** What one run of each side asks of the fleet's API server, from the request log. */
export async function fleetFacts(bed: Flux2Bed, ours: () => Promise<unknown>, kubectl: () => Promise<unknown>): Promise<FleetFacts> {
  bed.kube.requests.length = 0;
  await ours();
  const oursRequests = bed.kube.requests.length;
  bed.kube.requests.length = 0;
  await kubectl();
  const kubectlRequests = bed.kube.requests.length;
  const kubectlPages = bed.kube.requests.filter((q) => q.path === '/apis/apps/v1/deployments').length;
  const items = bed.kube.cluster.list('deployments');
  const deploymentListMB = Buffer.byteLength(JSON.stringify({ kind: 'DeploymentList', apiVersion: 'apps/v1', metadata: {}, items })) / 1e6;
  return { oursRequests, kubectlRequests, kubectlPages, deploymentListMB };
}

/**
 * Checks once that fluxctl sees the fleet as built (every Deployment managed by `fleet`, the
 * covered teams automated), so the timed rows measure the listing they claim to.
 */
export async function checkFleet(bin: string, env: Record<string, string>): Promise<void> {
  const { stdout } = await execFileAsync(process.execPath, [bin, 'list-workloads', '-a', '-o', 'json'], { env: { PATH: process.env.PATH ?? '', ...env }, maxBuffer: 1 << 30 });
  const rows = JSON.parse(stdout) as Array<{ ID: string; Antecedent: string; Automated: boolean }>;
  const fleet = rows.filter((w) => /^team-\d+:deployment\//.test(w.ID));
  const managed = fleet.filter((w) => w.Antecedent === 'flux-system:kustomization/fleet').length;
  const automated = fleet.filter((w) => w.Automated).length;
  const want = (FLEET_SIZE / TEAMS.length) * AUTOMATED_TEAMS.length;
  if (fleet.length !== FLEET_SIZE || managed !== FLEET_SIZE || automated !== want) {
    throw new Error(`fleet not listed as built: ${fleet.length} rows, ${managed} managed by fleet, ${automated} automated (want ${FLEET_SIZE}, ${FLEET_SIZE}, ${want})`);
  }
}
