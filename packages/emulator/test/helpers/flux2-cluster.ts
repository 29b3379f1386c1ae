// The emulated API server with Flux v2 installed and the sample fleet bootstrapped: what the
// Flux v2 tests start from, without anything of fluxctl's (its test bed adds a kubeconfig, a
// home directory, `run()` and optionally a Flux v1 daemon on top of the same three calls).
import { COMPONENTS, installFlux2, sampleFlux2, type Flux2, type Flux2Options, type Sample } from '@fluxctl/emulator/flux2';
import { startKubeEmulator, type KubeEmulator } from '@fluxctl/emulator/kube';

export interface Flux2Cluster {
  kube: KubeEmulator;
  flux: Flux2;
  sample: Sample;
  close(): Promise<void>;
}

export interface Flux2ClusterOptions extends Pick<Flux2Options, 'version' | 'components' | 'intervalScale'> {
  /** One step of the controllers and of Deployment rollouts, in ms (default 10). */
  tickMs?: number;
  /** The sample's GitRepository authenticates with HTTPS basic auth instead of a deploy key. */
  httpsAuth?: boolean;
}

/** Default: all six controllers, the image ones included (extras in a real install). */
export async function startFlux2Cluster(options: Flux2ClusterOptions = {}): Promise<Flux2Cluster> {
  const tickMs = options.tickMs ?? 10;
  const kube = await startKubeEmulator({ rolloutTickMs: tickMs });
  const flux = installFlux2(kube.cluster, {
    version: options.version, components: options.components ?? COMPONENTS, stepMs: tickMs, intervalScale: options.intervalScale,
  });
  await flux.serveArtifacts();
  kube.cluster.setBackend((pod, port) => flux.backend(pod, port));
  const sample = await sampleFlux2(kube.cluster, flux, options.httpsAuth ? { auth: 'https' } : {});
  return {
    kube, flux, sample,
    async close() {
      await flux.close();
      await kube.close();
    },
  };
}
