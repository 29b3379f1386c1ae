import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { installFlux2, sampleFlux2, type Component, type Flux2, type FluxVersion, type Sample, type SampleOptions } from '@fluxctl/emulator/flux2';
import { startFluxd, type Fluxd, type FluxdState } from '@fluxctl/emulator/fluxd';
import { startKubeEmulator, type KubeEmulator, type KubeconfigOptions } from '@fluxctl/emulator/kube';
import { runCli, type RunOptions, type RunResult } from './run-cli.js';
import { CHART_ARGS } from './testbed.js';

export interface Flux2Bed {
  kube: KubeEmulator;
  /** The emulated Flux v2 controllers, git host, chart repositories and registry. */
  flux: Flux2;
  /** The bootstrapped sample (undefined with `sample: false`). */
  sample: Sample | undefined;
  /** The Flux v1 daemon behind the `flux` namespace's chart Deployment (withV1Daemon only). */
  fluxd: Fluxd | undefined;
  kubeconfig: string;
  home: string;
  /** Runs fluxctl against this bed (KUBECONFIG set). */
  run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  writeKubeconfig(options?: KubeconfigOptions, name?: string): string;
  close(): Promise<void>;
}

export interface Flux2BedOptions {
  /** Default v2.9.4. */
  version?: FluxVersion;
  /** Flux's namespace, default flux-system. */
  namespace?: string;
  /** Default: all six controllers (the image ones are extras in a real install). */
  components?: readonly Component[];
  /** Default true; false drops app.kubernetes.io/version as the static install.yaml does. */
  versionLabel?: boolean;
  /** Bootstrap the sample fleet (default true); an object passes options to it. */
  sample?: boolean | SampleOptions;
  /** The sample's GitRepository authenticates with HTTPS basic auth instead of a deploy key. */
  httpsAuth?: boolean;
  /** One step of the emulated controllers and of Deployment rollouts, in ms (default 10). */
  tickMs?: number;
  /** spec.interval × this drives periodic reconciles; 0 (default) turns them off. */
  intervalScale?: number;
  /** Also run Flux v1: its chart Deployment in namespace `flux`, tunnelling to an emulated fluxd. */
  withV1Daemon?: boolean | { fluxdState?: FluxdState; args?: string[] };
  contextNamespace?: string;
  home?: string;
  kubeUsers?: Record<string, string>;
}

export const ALL_COMPONENTS: readonly Component[] = [
  'source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller', 'image-reflector-controller', 'image-automation-controller',
];

/** An emulated cluster running Flux v2 (optionally bootstrapped with the sample fleet, optionally beside Flux v1). */
export async function startFlux2Bed(options: Flux2BedOptions = {}): Promise<Flux2Bed> {
  const tickMs = options.tickMs ?? 10;
  const v1: { fluxdState?: FluxdState; args?: string[] } | undefined = options.withV1Daemon === true ? {} : options.withV1Daemon || undefined;
  const [kube, fluxd] = await Promise.all([
    startKubeEmulator({ rolloutTickMs: tickMs, users: options.kubeUsers }),
    v1 ? startFluxd({ state: v1.fluxdState }) : Promise.resolve(undefined),
  ]);
  const flux = installFlux2(kube.cluster, {
    version: options.version, namespace: options.namespace, components: options.components ?? ALL_COMPONENTS,
    versionLabel: options.versionLabel, stepMs: tickMs, intervalScale: options.intervalScale,
  });
  await flux.serveArtifacts();
  if (fluxd) addV1Daemon(kube, v1?.args);
  kube.cluster.setBackend((pod, port) => {
    if (fluxd && pod.namespace === 'flux' && pod.labels.app === 'flux' && port === 3030) return { host: '127.0.0.1', port: fluxd.port };
    return flux.backend(pod, port);
  });
  const sampleOptions = typeof options.sample === 'object' ? options.sample : {};
  const sample = options.sample === false ? undefined : await sampleFlux2(kube.cluster, flux, { ...(options.httpsAuth ? { auth: 'https' } : {}), ...sampleOptions });
  const home = options.home ?? mkdtempSync(path.join(tmpdir(), 'fluxctl-bed2-'));
  const writeKubeconfig = (o: KubeconfigOptions = {}, name = 'config'): string => {
    const file = path.join(home, name);
    writeFileSync(file, kube.kubeconfig({ namespace: options.contextNamespace, ...o }));
    return file;
  };
  const kubeconfig = writeKubeconfig();
  return {
    kube, flux, sample, fluxd, kubeconfig, home, writeKubeconfig,
    run: (argv, o = {}) => runCli(argv, { home, ...o, env: { KUBECONFIG: kubeconfig, ...o.env } }),
    async close() {
      await flux.close();
      await Promise.all([kube.close(), fluxd?.close()]);
    },
  };
}

/** The Flux v1 Helm chart's Deployment (and memcached), as startTestBed creates them. */
function addV1Daemon(kube: KubeEmulator, args: string[] | undefined): void {
  kube.cluster.addDeployment('flux', {
    name: 'flux',
    labels: { app: 'flux', chart: 'flux-1.13.3', release: 'flux' },
    podLabels: { app: 'flux', release: 'flux' },
    selector: { app: 'flux', release: 'flux' },
    strategy: 'Recreate',
    containers: [{ name: 'flux', image: 'docker.io/fluxcd/flux:1.25.4', args: args ?? CHART_ARGS, ports: [{ name: 'http', containerPort: 3030, protocol: 'TCP' }] }],
  });
  kube.cluster.addDeployment('flux', { name: 'flux-memcached', podLabels: { app: 'flux-memcached', release: 'flux' }, containers: [{ name: 'memcached', image: 'memcached:1.6' }] });
}
