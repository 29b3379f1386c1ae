import type http from 'node:http';
import type { Readable } from 'node:stream';
import type { DaemonClient } from './daemon/client.js';
import type { TransportOptions } from './daemon/http.js';
import { InterruptedError, TimeoutError, UnreachableError, UsageError } from './errors.js';
import type { KubeApi } from './kubernetes/api.js';
import type { DaemonPod } from './kubernetes/daemon-pod.js';
import type { LoadedKubeconfig } from './kubernetes/kubeconfig.js';
import type { TunnelAgent } from './kubernetes/port-forward.js';
import { createIO, type IO, type IOInit } from './output/io.js';
import { createNarrator, type Narrator } from './output/status.js';
import { formatGoDuration, nsToMs, parseGoDuration } from './util/go-duration.js';
import { parseStringToString } from './util/string-to-string.js';
import { VERSION } from './version.js';
import { pollUntil, type PollOptions } from './wait.js';

/** A keyboard for interactive prompts: a readable stream that can be put into raw mode. */
export type TerminalInput = Readable & { isTTY?: boolean; setRawMode?(on: boolean): unknown };

/** Everything a run needs from the outside world; tests pass fakes, bin/ passes the process. */
export interface Deps extends Omit<IOInit, 'noColor'> {
  home: string;
  /** stdin for prompts (release --interactive); a function, so other commands never touch process.stdin. */
  terminalInput?: () => TerminalInput;
  /** Where a pod's service account is mounted (default: the Kubernetes path). */
  serviceAccountDir?: string;
  /** Aborted on SIGINT by bin/. */
  interrupt?: AbortSignal;
  /**
   * Multiplies every poll interval and back-off (default 1). The test harness passes a small
   * one: emulated state changes per poll, not per second, so the waits need not be real.
   */
  pollScale?: number;
}

/** Global flags as commander parsed them (before env fallbacks). */
export interface RawGlobals {
  context?: string;
  kubeconfig?: string;
  k8sFwdNs?: string;
  k8sFwdLabels?: Map<string, string>;
  url?: string;
  token?: string;
  timeout?: bigint;
  color?: boolean;
  verbose?: boolean;
}

export interface Globals {
  context: string | undefined;
  kubeconfig: string | undefined;
  fwdNamespace: string;
  fwdLabels: Map<string, string>;
  url: string | undefined;
  token: string | undefined;
  timeoutNs: bigint;
  verbose: boolean;
}

export const DEFAULT_TIMEOUT_NS = 60_000_000_000n;
const DEFAULT_LABELS = new Map([['app', 'flux']]);
const WEAVE_CLOUD_URL = 'https://cloud.weave.works/api/flux';

/**
 * Per-run state: io, env, the deadline signal, and lazy access to the cluster and daemon
 * (so --help and version never load client-node). dispose() closes every connection.
 */
export class Context {
  io: IO;
  readonly env: Deps['env'];
  globals: Globals;
  /** "fluxctl <command>", for fluxctl's "Run '… --help' for usage." line. */
  commandPath = 'fluxctl';
  private readonly controller = new AbortController();
  private deadline: NodeJS.Timeout | undefined;
  private deadlineAt = 0;
  private timeoutText = '';
  private loaded?: Promise<LoadedKubeconfig>;
  private kubeApi?: Promise<KubeApi>;
  private pod?: Promise<DaemonPod>;
  private client?: Promise<DaemonClient>;
  private agents: Array<TunnelAgent | http.Agent> = [];
  readonly signal: AbortSignal;
  private readonly onInterrupt = (): void => this.controller.abort(new InterruptedError());

  constructor(readonly deps: Deps) {
    this.env = deps.env;
    this.io = createIO({ ...deps, env: deps.env });
    this.globals = this.resolveGlobals({}, false);
    // One signal for every wait, whose reason says why: our TimeoutError or InterruptedError.
    this.signal = this.controller.signal;
    deps.interrupt?.addEventListener('abort', this.onInterrupt, { once: true });
    if (deps.interrupt?.aborted === true) this.onInterrupt();
  }

  /** Applies parsed global flags (flag > env > default) and starts the --timeout clock. */
  configure(raw: RawGlobals): void {
    this.io = createIO({ ...this.deps, env: this.env, noColor: raw.color === false });
    this.globals = this.resolveGlobals(raw, true);
    this.timeoutText = formatGoDuration(this.globals.timeoutNs);
    this.startDeadline(nsToMs(this.globals.timeoutNs));
  }

  private startDeadline(ms: number): void {
    this.deadlineAt = Date.now() + ms;
    this.deadline = setTimeout(() => this.controller.abort(new TimeoutError(`timed out after ${this.timeoutText} (--timeout)`)), ms);
  }

  /** Runs a prompt with the --timeout clock stopped: time spent choosing is not the cluster's. */
  async whilePaused<T>(fn: () => Promise<T>): Promise<T> {
    if (this.deadline === undefined || this.signal.aborted) return fn();
    clearTimeout(this.deadline);
    const left = Math.max(0, this.deadlineAt - Date.now());
    try {
      return await fn();
    } finally {
      this.startDeadline(left);
    }
  }

  /** pollUntil's options for a wait in this run: bounded by `signal`, `delay` scaled by deps.pollScale. */
  polling(delay: (checks: number) => number): PollOptions {
    const scale = this.deps.pollScale ?? 1;
    return { signal: this.signal, delay: (checks) => delay(checks) * scale };
  }

  narrator(quiet = false): Narrator {
    return createNarrator(this.io, { quiet });
  }

  /** Env fallbacks as fluxctl applies them; an unparseable value is ignored, but we say so. */
  private resolveGlobals(raw: RawGlobals, warn: boolean): Globals {
    const env = (name: string): string | undefined => (this.env[name] === '' ? undefined : this.env[name]);
    const fallback = <T>(name: string, parse: (s: string) => T): T | undefined => {
      const v = env(name);
      if (v === undefined) return undefined;
      try {
        return parse(v);
      } catch (e) {
        if (warn) this.deps.stderr.write(`Warning: ignoring ${name}=${JSON.stringify(v)}: ${(e as Error).message}\n`);
        return undefined;
      }
    };
    const envLabels = raw.k8sFwdLabels ? undefined : fallback('FLUX_FORWARD_LABELS', (s) => new Map(parseStringToString(s)));
    let token = raw.token;
    if (token === undefined) token = env('WEAVE_CLOUD_TOKEN') ?? env('FLUX_SERVICE_TOKEN');
    let url = raw.url ?? env('FLUX_URL');
    if (token && !url) url = WEAVE_CLOUD_URL;
    return {
      context: raw.context,
      kubeconfig: raw.kubeconfig,
      fwdNamespace: raw.k8sFwdNs ?? env('FLUX_FORWARD_NAMESPACE') ?? 'default',
      fwdLabels: raw.k8sFwdLabels ?? envLabels ?? DEFAULT_LABELS,
      url: url === '' ? undefined : url,
      token: token === '' ? undefined : token,
      timeoutNs: raw.timeout ?? fallback('FLUX_TIMEOUT', parseGoDuration) ?? DEFAULT_TIMEOUT_NS,
      verbose: raw.verbose === true,
    };
  }

  /** Writes a diagnostic line to stderr under --verbose (never credentials). */
  debug(message: string): void {
    if (this.globals.verbose) this.io.stderr.write(`${this.io.err.dim(`[debug] ${message}`)}\n`);
  }

  kubeconfig(): Promise<LoadedKubeconfig> {
    this.loaded ??= import('./kubernetes/kubeconfig.js').then(({ loadKubeconfig }) =>
      loadKubeconfig({ file: this.globals.kubeconfig, context: this.globals.context, env: this.env, home: this.deps.home, serviceAccountDir: this.deps.serviceAccountDir }),
    );
    return this.loaded;
  }

  kube(): Promise<KubeApi> {
    this.kubeApi ??= (async () => {
      const loaded = await this.kubeconfig();
      const { connectKube } = await import('./kubernetes/api.js');
      this.debug(`kubeconfig ${loaded.source}, context "${loaded.contextName}", server ${loaded.server}`);
      return connectKube(loaded, { signal: this.signal, env: this.env, userAgent: `fluxctl/${VERSION}` });
    })();
    return this.kubeApi;
  }

  /** The daemon's pod, found once per run with fluxctl's selectors in --k8s-fwd-ns. */
  daemonPod(): Promise<DaemonPod> {
    this.pod ??= (async () => {
      const api = await this.kube();
      const { findDaemonPod } = await import('./kubernetes/daemon-pod.js');
      const pod = await findDaemonPod(api, this.globals.fwdNamespace, this.globals.fwdLabels);
      this.debug(`daemon pod ${pod.namespace}/${pod.name} (selector ${pod.selector})`);
      return pod;
    })();
    return this.pod;
  }

  /** The namespace commands default to (reference §1.6): the context's, else "default". */
  async defaultNamespace(): Promise<string> {
    try {
      return (await this.kubeconfig()).namespace ?? 'default';
    } catch {
      return 'default';
    }
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
    this.debug(`daemon at ${describe}`);
    return daemonClient({ baseUrl, agent, token: this.globals.token, signal: this.signal, describe });
  }

  private async tunnelClient(): Promise<DaemonClient> {
    const [api, pod] = await Promise.all([this.kube(), this.daemonPod()]);
    const { TunnelAgent } = await import('./kubernetes/port-forward.js');
    const findPod = (): Promise<string> => this.replacementPod(pod);
    const agent = new TunnelAgent({ api, namespace: pod.namespace, pod: pod.name, port: 3030, signal: this.signal, findPod });
    this.agents.push(agent);
    const baseUrl = new URL('http://localhost:3030/api/flux');
    return daemonClient({ baseUrl, agent, token: this.globals.token, signal: this.signal, describe: `pod ${pod.namespace}/${pod.name}` });
  }

  /**
   * The daemon's pod after the one we had disappeared (a rollout, a restart): like kubectl's
   * port-forward, wait for a Running one, within --timeout.
   */
  private async replacementPod(gone: DaemonPod): Promise<string> {
    const { NoPodError } = await import('./kubernetes/daemon-pod.js');
    this.debug(`pod ${gone.namespace}/${gone.name} is gone; looking for the daemon's new pod`);
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
        this.polling(() => 500),
      );
    } catch (e) {
      if (!(e instanceof TimeoutError)) throw e;
      throw new UnreachableError(`pod ${gone.namespace}/${gone.name} went away and no new daemon pod was Running within --timeout (${this.timeoutText})`, {
        hint: `the daemon may be restarting or crashing: kubectl get pods -n ${gone.namespace}`,
      });
    }
  }

  /** Closes tunnels, agents and timers so the process ends by itself. */
  async dispose(): Promise<void> {
    if (this.deadline !== undefined) clearTimeout(this.deadline);
    this.deps.interrupt?.removeEventListener('abort', this.onInterrupt);
    await Promise.all(this.agents.map((a) => ('closeAll' in a ? a.closeAll() : a.destroy())));
    this.agents = [];
    const api = await this.kubeApi?.catch(() => undefined);
    api?.close();
  }
}

/** The daemon client and its HTTP transport, loaded only by commands that talk to the daemon. */
async function daemonClient(options: TransportOptions): Promise<DaemonClient> {
  const [{ createDaemonClient }, { createTransport }] = await Promise.all([import('./daemon/client.js'), import('./daemon/http.js')]);
  return createDaemonClient(createTransport(options));
}

/** Hides credentials in a URL (user:password@) before it is printed anywhere. */
export function maskUrl(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
}
