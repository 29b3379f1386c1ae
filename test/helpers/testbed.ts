import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFluxd, type Fluxd, type FluxdState } from '@fluxctl/emulator/fluxd';
import { startKubeEmulator, type KubeEmulator, type KubeconfigOptions } from '@fluxctl/emulator/kube';
import { runCli, type RunOptions, type RunResult } from './run-cli.js';

/** The chart's daemon args (as the fluxcd/flux Helm chart renders them), the intervals at their defaults. */
export const CHART_ARGS = [
  '--k8s-secret-name=flux-git-deploy',
  '--memcached-hostname=flux-memcached',
  '--sync-state=git',
  '--git-url=git@github.com:acme/cluster-config',
  '--git-branch=main',
  '--git-path=clusters/prod',
  '--git-poll-interval=5m',
  '--git-timeout=20s',
  '--sync-interval=5m',
  '--automation-interval=5m',
];

export interface TestBed {
  kube: KubeEmulator;
  fluxd: Fluxd;
  kubeconfig: string;
  home: string;
  /** Runs fluxctl against this bed (KUBECONFIG set, the daemon in namespace flux). */
  run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  writeKubeconfig(options?: KubeconfigOptions, name?: string): string;
  close(): Promise<void>;
}

export interface TestBedOptions {
  fluxdState?: FluxdState;
  /** Extra Deployment labels/annotations on the daemon's Deployment. */
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  args?: string[];
  /** Namespace of the kubeconfig context. */
  contextNamespace?: string;
  /** Simulated controller step (default 20 ms; the sandbox slows it down to be watchable). */
  rolloutTickMs?: number;
  /** Where to write the kubeconfig (default: a fresh temporary folder). */
  home?: string;
  /** Bearer token → user name for the API server (default { 'test-token': 'jane' }). */
  kubeUsers?: Record<string, string>;
}

/** An emulated cluster with the Flux chart's Deployment in `flux`, tunnelling to an emulated fluxd. */
export async function startTestBed(options: TestBedOptions = {}): Promise<TestBed> {
  const [kube, fluxd] = await Promise.all([startKubeEmulator({ rolloutTickMs: options.rolloutTickMs ?? 20, users: options.kubeUsers }), startFluxd({ state: options.fluxdState })]);
  kube.cluster.addNamespace('flux');
  kube.cluster.addNamespace('default');
  kube.cluster.addDeployment('flux', {
    name: 'flux',
    labels: { app: 'flux', chart: 'flux-1.13.3', release: 'flux', ...options.labels },
    annotations: options.annotations,
    podLabels: { app: 'flux', release: 'flux' },
    selector: { app: 'flux', release: 'flux' },
    strategy: 'Recreate',
    containers: [{ name: 'flux', image: 'docker.io/fluxcd/flux:1.25.4', args: options.args ?? CHART_ARGS, ports: [{ name: 'http', containerPort: 3030, protocol: 'TCP' }] }],
  });
  kube.cluster.addDeployment('flux', {
    name: 'flux-memcached',
    podLabels: { app: 'flux-memcached', release: 'flux' },
    containers: [{ name: 'memcached', image: 'memcached:1.6' }],
  });
  kube.cluster.setBackend((pod, port) => (pod.labels.app === 'flux' && port === 3030 ? { host: '127.0.0.1', port: fluxd.port } : null));
  const home = options.home ?? mkdtempSync(path.join(tmpdir(), 'fluxctl-bed-'));
  const writeKubeconfig = (o: KubeconfigOptions = {}, name = 'config'): string => {
    const file = path.join(home, name);
    writeFileSync(file, kube.kubeconfig({ namespace: options.contextNamespace, ...o }));
    return file;
  };
  const kubeconfig = writeKubeconfig();
  return {
    kube,
    fluxd,
    kubeconfig,
    home,
    writeKubeconfig,
    run: (argv, o = {}) => runCli(argv, { home, ...o, env: { KUBECONFIG: kubeconfig, ...o.env } }),
    async close() {
      await Promise.all([kube.close(), fluxd.close()]);
    },
  };
}
