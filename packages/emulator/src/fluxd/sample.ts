// A realistic daemon for the sandbox and for tests: four namespaces, eight workloads of every
// kind, policies of every sort, one rollout in progress, one failing, a sync error, registry
// data with CreatedAt times, and a sync that takes a moment (2 job polls, applied ~1.5 s later).
import { commit, emptyState, gitState, imageInfo, workload } from './builders.js';
import type { FluxdState, ImageInfo } from './types.js';

const digest = (seed: string) => 'sha256:' + Buffer.from(seed.repeat(8)).toString('hex').slice(0, 64).padEnd(64, '0');

/** `tags` newest first, `hoursApart` between each, ending at `newest`. */
function history(repo: string, tags: string[], newest: string, hoursApart = 30): ImageInfo[] {
  const end = Date.parse(newest);
  return tags.map((tag, i) =>
    imageInfo(`${repo}:${tag}`, new Date(end - i * hoursApart * 3_600_000).toISOString(), {
      digest: digest(`${repo}:${tag}`),
      imageId: digest(`id:${repo}:${tag}`),
      lastFetched: '2024-05-02T08:15:42.318Z',
    }),
  );
}

export function sampleState(): FluxdState {
  const applied = commit('Add monitoring stack');
  const pending = commit('Bump podinfo to 5.2.0');
  const docsOnly = commit('Update README', { touchesPath: false });
  const state = emptyState({
    namespaces: ['default', 'flux', 'monitoring', 'podinfo'],
    git: gitState({
      url: 'ssh://git@github.com/acme/cluster-config',
      branch: 'main',
      path: 'clusters/prod',
      commits: [docsOnly, pending, applied, commit('Initial cluster config')],
      syncMarker: applied.sha,
    }),
    sync: { jobPolls: 2, applyMs: 1500 },
    jobBehaviour: { polls: 1 },
  });
  state.workloads = [
    workload({
      id: 'default:deployment/helloworld',
      containers: ['helloworld=quay.io/weaveworks/helloworld:master-a000001', 'sidecar=quay.io/weaveworks/sidecar:master-a000002'],
      labels: { app: 'helloworld' },
      policies: { automated: 'true', 'tag.helloworld': 'glob:master-*' },
      replicas: 2,
    }),
    workload({
      id: 'default:deployment/redis',
      containers: ['redis=redis:6.2.6', { name: 'init-config', image: 'busybox:1.35', init: true }],
      labels: { app: 'redis', tier: 'cache' },
      policies: { locked: 'true', locked_user: 'Jane Doe <jane@example.com>', locked_msg: 'Pinned until the 7.x migration & tests' },
    }),
    workload({
      id: 'podinfo:deployment/podinfo',
      containers: ['podinfod=ghcr.io/stefanprodan/podinfo:5.1.4'],
      labels: { app: 'podinfo' },
      policies: { automated: 'true', 'tag.podinfod': 'semver:~5.1' },
      status: 'updating',
      rollout: { desired: 3, updated: 1, ready: 2, available: 2, outdated: 2, messages: null },
    }),
    workload({
      id: 'podinfo:deployment/frontend',
      containers: ['nginx=nginx:1.21.6'],
      labels: { app: 'frontend' },
      status: 'error',
      rollout: { desired: 2, updated: 1, ready: 1, available: 1, outdated: 1, messages: ['ReplicaSet "frontend-6d4cf56db6" has timed out progressing.'] },
      syncError: 'error validating data: ValidationError(Deployment.spec.template.spec.containers[0]): unknown field "imagePullPolcy"',
    }),
    workload({
      id: 'monitoring:daemonset/node-exporter',
      containers: ['node-exporter=quay.io/prometheus/node-exporter:v1.3.1'],
      labels: { app: 'node-exporter' },
      policies: { ignore: 'true' },
      replicas: 3,
    }),
    workload({
      id: 'monitoring:statefulset/prometheus',
      containers: ['prometheus=quay.io/prometheus/prometheus:v2.34.0', 'config-reloader=quay.io/prometheus-operator/prometheus-config-reloader:v0.55.1'],
      labels: { app: 'prometheus' },
      policies: { 'tag.prometheus': 'semver:^2.30' },
      replicas: 2,
    }),
    workload({
      id: 'default:cronjob/nightly-backup',
      containers: ['backup=alpine:3.15'],
      labels: null,
    }),
    workload({ id: 'monitoring:helmrelease/grafana', containers: ['chart-image=grafana/grafana:8.4.5'], status: 'deployed', labels: { 'helm.fluxcd.io/antecedent': 'true' } }),
    workload({
      id: 'monitoring:deployment/grafana',
      containers: ['grafana=grafana/grafana:8.4.5'],
      labels: { app: 'grafana', release: 'grafana' },
      antecedent: 'monitoring:helmrelease/grafana',
    }),
    workload({ id: 'flux:deployment/flux', containers: ['flux=docker.io/fluxcd/flux:1.25.4'], readOnly: 'System', labels: { name: 'flux' } }),
    workload({ id: 'flux:deployment/memcached', containers: ['memcached=memcached:1.5.20'], inRepo: false, labels: { name: 'memcached' } }),
  ];
  state.images = {
    'quay.io/weaveworks/helloworld': [
      ...history('quay.io/weaveworks/helloworld', ['master-9a16ff945b9e', 'master-b31c617a0fe3', 'master-a000002', 'master-a000001', 'master-a000000'], '2016-07-20T13:19:00Z'),
      imageInfo('quay.io/weaveworks/helloworld:latest', '2016-07-21T09:00:00Z'),
    ],
    'quay.io/weaveworks/sidecar': history('quay.io/weaveworks/sidecar', ['master-a000002', 'master-a000001'], '2016-08-23T10:05:00Z'),
    redis: history('redis', ['7.0.0', '6.2.7', '6.2.6', '6.0.16'], '2022-04-28T00:00:00Z', 200),
    'ghcr.io/stefanprodan/podinfo': history('ghcr.io/stefanprodan/podinfo', ['6.1.0', '5.2.0', '5.1.4', '5.1.3', '5.0.0'], '2022-03-01T12:00:00Z', 500),
    nginx: history('nginx', ['1.23.0', '1.22.0', '1.21.6', 'mainline'], '2022-06-22T00:00:00Z', 400),
    'quay.io/prometheus/prometheus': history('quay.io/prometheus/prometheus', ['v2.35.0', 'v2.34.0', 'v2.33.5', 'v1.8.2'], '2022-04-21T00:00:00Z', 300),
    'grafana/grafana': history('grafana/grafana', ['8.5.0', '8.4.6', '8.4.5'], '2022-04-21T00:00:00Z', 150),
  };
  return state;
}
