import type http from 'node:http';
import type { Backend } from '../backends/types.js';
import type { DaemonClient } from '../daemon/client.js';
import type { TransportOptions } from '../daemon/http.js';
import { TimeoutError, UnreachableError, UsageError } from '../errors.js';
import type { ConnectOptions, KubeApi } from '../kubernetes/api.js';
import type { DaemonPod } from '../kubernetes/daemon-pod.js';
import type { LoadedKubeconfig } from '../kubernetes/kubeconfig.js';
import type { TunnelAgent } from '../kubernetes/port-forward.js';
import { VERSION } from '../version.js';
import { pollUntil, type Polling } from '../wait.js';
import type { Globals } from './globals.js';

/** Seams for tests: replace how the kube client or the backend is made, never patch globals. */
export interface ConnectionFactories {
  kube?: (loaded: LoadedKubeconfig, options: ConnectOptions) => Promise<KubeApi>;
  backend?: (connections: Connections) => Promise<Backend>;
}

export interface ConnectionEnv {
  globals: () => Globals;
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  serviceAccountDir: string | undefined;
  signal: AbortSignal;
  timeoutText: () => string;
  debug: (message: string) => void;
  /** What the run waits for while it connects (a spinner on a terminal, nothing elsewhere). */
  status: (text: string) => void;
  /** Deprecation and other API warnings: shown once each, under --debug. */
  warn: (message: string) => void;
  polling: Polling;
  factories: ConnectionFactories;
}

/**
 * The run's connections, each made on first use (so --help and version touch no cluster):
 * kubeconfig → kube API → daemon pod → daemon client (v1), or the toolkit (v2); and the
 * backend chosen between them. close() ends every agent and tunnel.
 */
export class Connections {
  private loaded?: Promise<LoadedKubeconfig>;
  private kubeApi?: Promise<KubeApi>;
  private pod?: Promise<DaemonPod>;
  private client?: Promise<DaemonClient>;
  private chosen?: Promise<Backend>;
  private agents: Array<TunnelAgent | http.Agent> = [];

  constructor(readonly run: ConnectionEnv) {}

  get globals(): Globals {
    return this.run.globals();
  }

  kubeconfig(): Promise<LoadedKubeconfig> {
    const g = this.globals;
    this.loaded ??= import('../kubernetes/kubeconfig.js').then(({ loadKubeconfig }) =>
      loadKubeconfig({ file: g.kubeconfig, context: g.context, env: this.run.env, home: this.run.home, serviceAccountDir: this.run.serviceAccountDir }),
    );
    return this.loaded;
  }

  kube(): Promise<KubeApi> {
    this.kubeApi ??= (async () => {
      const loaded = await this.kubeconfig();
      this.run.debug(`kubeconfig ${loaded.source}, context "${loaded.contextName}", server ${loaded.server}`);
      this.run.status(`Connecting to the Kubernetes API at ${maskUrl(loaded.server)}`);
      const options: ConnectOptions = { signal: this.run.signal, env: this.run.env, userAgent: `fluxctl/${VERSION}`, onWarning: this.run.warn };
      if (this.run.factories.kube !== undefined) return this.run.factories.kube(loaded, options);
      const { connectKube } = await import('../kubernetes/api.js');
      return connectKube(loaded, options);
    })();
    return this.kubeApi;
  }

  /**
   * The daemon's pod, found once per run with fluxctl's selectors in --k8s-fwd-ns. With
   * `explain` false, finding none fails at once, without fluxctl's look at pods that are not Running.
   */
  daemonPod(explain = true): Promise<DaemonPod> {
    this.pod ??= (async () => {
      const api = await this.kube();
      this.run.status(`Looking for the Flux daemon pod in namespace ${this.globals.fwdNamespace}`);
      const { findDaemonPod } = await import('../kubernetes/daemon-pod.js');
      const pod = await findDaemonPod(api, this.globals.fwdNamespace, this.globals.fwdLabels, { explain });
      this.run.debug(`daemon pod ${pod.namespace}/${pod.name} (selector ${pod.selector})`);
      return pod;
    })();
    return this.pod;
  }

  /** The namespace commands default to: the context's, else "default" (fluxctl's getKubeConfigContextNamespace). */
  async defaultNamespace(): Promise<string> {
    try {
      return (await this.kubeconfig()).namespace ?? 'default';
    } catch {
      return 'default';
    }
  }

  /** The Flux generation to talk to, chosen once per run (see backends/select.ts). */
  backend(): Promise<Backend> {
    this.chosen ??= this.run.factories.backend !== undefined ? this.run.factories.backend(this) : import('../backends/select.js').then(({ selectBackend }) => selectBackend(this));
    return this.chosen;
  }

  /** The daemon API: over --url directly, else through a port-forward tunnel (no local port). */
  daemon(): Promise<DaemonClient> {
    this.client ??= this.globals.url !== undefined ? this.directClient(this.globals.url) : this.tunnelClient();
    return this.client;
  }

  private async directClient(raw: string): Promise<DaemonClient> {
    let baseUrl: URL;
    try {
      baseUrl = new URL(raw);
    } catch {
      throw new UsageError(`parsing URL: invalid URL ${JSON.stringify(maskUrl(raw))}`, { hint: 'pass the full base URL, e.g. --url http://127.0.0.1:3030/api/flux' });
    }
    if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
      throw new UsageError(`parsing URL: unsupported scheme ${JSON.stringify(baseUrl.protocol)} in --url`, { hint: 'use http:// or https://' });
    }
    const { Agent } = baseUrl.protocol === 'https:' ? await import('node:https') : await import('node:http');
    const agent = new Agent({ keepAlive: true });
    this.agents.push(agent);
    const describe = maskUrl(raw);
    this.run.debug(`daemon at ${describe}`);
    this.run.status(`Waiting for the daemon at ${describe}`);
    return daemonClient({ baseUrl, agent, token: this.globals.token, signal: this.run.signal, describe });
  }

  private async tunnelClient(): Promise<DaemonClient> {
    const [api, pod] = await Promise.all([this.kube(), this.daemonPod()]);
    const { TunnelAgent } = await import('../kubernetes/port-forward.js');
    const findPod = (): Promise<string> => this.replacementPod(pod);
    this.run.status(`Opening a tunnel to ${pod.namespace}/${pod.name}`);
    const onOpen = (): void => this.run.status('Waiting for the daemon');
    const agent = new TunnelAgent({ api, namespace: pod.namespace, pod: pod.name, port: 3030, signal: this.run.signal, findPod, onOpen });
    this.agents.push(agent);
    const baseUrl = new URL('http://localhost:3030/api/flux');
    return daemonClient({ baseUrl, agent, token: this.globals.token, signal: this.run.signal, describe: `pod ${pod.namespace}/${pod.name}` });
  }

  /**
   * The daemon's pod after the one we had disappeared (a rollout, a restart): like kubectl's
   * port-forward, wait for a Running one, within --timeout.
   */
  private async replacementPod(gone: DaemonPod): Promise<string> {
    const { NoPodError } = await import('../kubernetes/daemon-pod.js');
    this.run.debug(`pod ${gone.namespace}/${gone.name} is gone; looking for the daemon's new pod`);
    try {
      return await pollUntil(
        async () => {
          this.pod = undefined;
          try {
            return (await this.daemonPod()).name;
          } catch (e) {
            if (e instanceof NoPodError) return undefined;
            throw e;
          }
        },
        this.run.polling(() => 500),
      );
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      throw new UnreachableError(`pod ${gone.namespace}/${gone.name} went away and no new daemon pod was Running within --timeout (${this.run.timeoutText()})`, {
        hint: `the daemon may be restarting or crashing: kubectl get pods -n ${gone.namespace}`,
      });
    }
  }

  /** Closes tunnels and agents so the process ends by itself. */
  async close(): Promise<void> {
    await Promise.all(this.agents.map((a) => ('closeAll' in a ? a.closeAll() : a.destroy())));
    this.agents = [];
    const api = await this.kubeApi?.catch(() => undefined);
    api?.close();
  }
}

/** The daemon client and its HTTP transport, loaded only by commands that talk to the daemon. */
async function daemonClient(options: TransportOptions): Promise<DaemonClient> {
  const [{ createDaemonClient }, { createTransport }] = await Promise.all([import('../daemon/client.js'), import('../daemon/http.js')]);
  return createDaemonClient(createTransport(options));
}

/** Hides credentials in a URL (user:password@) before it is printed anywhere. */
export function maskUrl(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
}
