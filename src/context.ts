import type { Readable } from 'node:stream';
import type { Backend } from './backends/types.js';
import { Connections, type ConnectionFactories } from './context/connections.js';
import { Deadline, type DeadlineClock } from './context/deadline.js';
import { resolveGlobals, type Globals, type RawGlobals } from './context/globals.js';
import type { DaemonClient } from './daemon/client.js';
import { UnsupportedError, UsageError } from './errors.js';
import type { KubeApi } from './kubernetes/api.js';
import type { DaemonPod } from './kubernetes/daemon-pod.js';
import type { LoadedKubeconfig } from './kubernetes/kubeconfig.js';
import { Activity, guardWrites } from './output/activity.js';
import { createIO, type IO, type IOInit } from './output/io.js';
import { spinnerShown } from './output/progress.js';
import { createNarrator, type Narrator } from './output/status.js';
import { formatGoDuration, nsToMs } from './util/go-duration.js';
import type { PollOptions } from './wait.js';

export { maskUrl } from './context/connections.js';
export { DEFAULT_TIMEOUT_NS, type Globals, type RawGlobals } from './context/globals.js';

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
  /** Test seams: how the kube client or the backend is made. */
  connect?: ConnectionFactories;
  /**
   * Multiplies every poll interval and back-off (default 1). The test harness passes a small
   * one: emulated state changes per poll, not per second, so the waits need not be real.
   */
  pollScale?: number;
  /** Test seam: the clock of the --timeout deadline (default: the system's). */
  deadlineClock?: DeadlineClock;
}

/**
 * Per-run state, in three parts: the resolved flags (globals), the deadline that bounds every
 * wait (signal), and the connections made on first use (kube(), backend()). dispose() ends
 * them all, so the process exits by itself.
 */
export class Context {
  io: IO;
  readonly env: Deps['env'];
  globals: Globals;
  /** "fluxctl <command>", for fluxctl's "Run '… --help' for usage." line. */
  commandPath = 'fluxctl';
  private readonly deadline: Deadline;
  private readonly connections: Connections;
  private readonly warned = new Set<string>();
  readonly signal: AbortSignal;

  private readonly activity: Activity;

  constructor(readonly deps: Deps) {
    this.env = deps.env;
    const io = createIO({ ...deps, env: deps.env });
    this.activity = new Activity(deps.stderr, spinnerShown(io), io.stderrColumns);
    this.io = this.guarded(io);
    this.globals = resolveGlobals({}, this.env, () => undefined);
    this.deadline = new Deadline(deps.interrupt, deps.deadlineClock);
    this.signal = this.deadline.signal;
    this.connections = new Connections({
      globals: () => this.globals,
      env: this.env,
      home: deps.home,
      serviceAccountDir: deps.serviceAccountDir,
      signal: this.signal,
      timeoutText: () => this.deadline.timeoutText,
      debug: (m) => this.debug(m),
      status: (text) => this.activity.set(text),
      warn: (m) => this.apiWarning(m),
      polling: (delay) => this.polling(delay),
      factories: deps.connect ?? {},
    });
  }

  /** Applies parsed global flags (flag > env > default) and starts the --timeout clock. */
  configure(raw: RawGlobals): void {
    this.io = this.guarded(createIO({ ...this.deps, env: this.env, noColor: raw.color === false }));
    this.globals = resolveGlobals(raw, this.env, (text) => this.io.stderr.write(text));
    if (this.globals.timeoutNs <= 0n) {
      const where = raw.timeout === undefined ? 'FLUX_TIMEOUT' : '--timeout';
      throw new UsageError(`invalid ${where} ${formatGoDuration(this.globals.timeoutNs)}: it must be positive`, { hint: 'e.g. --timeout 2m' });
    }
    this.deadline.start(nsToMs(this.globals.timeoutNs), formatGoDuration(this.globals.timeoutNs));
  }

  /** The streams commands write to: any output first clears the connection spinner. */
  private guarded(io: IO): IO {
    const end = (): void => this.activity.end();
    return { ...io, stdout: guardWrites(io.stdout, end), stderr: guardWrites(io.stderr, end) };
  }

  /** Runs a prompt with the --timeout clock stopped: time spent choosing is not the cluster's. */
  whilePaused<T>(fn: () => Promise<T>): Promise<T> {
    return this.deadline.whilePaused(fn);
  }

  get timeoutText(): string {
    return this.deadline.timeoutText;
  }

  /** pollUntil's options for a wait in this run: bounded by `signal`, `delay` scaled by deps.pollScale. */
  polling(delay: (checks: number) => number): PollOptions {
    const scale = this.deps.pollScale ?? 1;
    return { signal: this.signal, delay: (checks) => delay(checks) * scale };
  }

  narrator(quiet = false): Narrator {
    return createNarrator(this.io, { quiet });
  }

  /** Writes a diagnostic line to stderr under --debug (never credentials). */
  debug(message: string): void {
    if (this.globals.debug) this.io.stderr.write(`${this.io.err.dim(`[debug] ${message}`)}\n`);
  }

  /** An API server warning (e.g. a deprecated version), once per text, under --debug. */
  private apiWarning(text: string): void {
    if (!this.globals.debug || this.warned.has(text)) return;
    this.warned.add(text);
    this.narrator().warn(text);
  }

  kubeconfig(): Promise<LoadedKubeconfig> {
    return this.connections.kubeconfig();
  }

  kube(): Promise<KubeApi> {
    return this.connections.kube();
  }

  daemonPod(): Promise<DaemonPod> {
    return this.connections.daemonPod();
  }

  defaultNamespace(): Promise<string> {
    return this.connections.defaultNamespace();
  }

  /** The Flux installation the command talks to: the v1 daemon or the v2 toolkit. */
  backend(): Promise<Backend> {
    return this.connections.backend();
  }

  /**
   * The Flux v1 daemon's job API, for the commands Flux v2 has no equivalent of (release,
   * policy). On Flux v2 they fail with what to do instead.
   */
  async fluxd(instead: string): Promise<DaemonClient> {
    const backend = await this.backend();
    if (backend.generation === 'v1') return this.connections.daemon();
    throw new UnsupportedError(`${this.commandPath} works only with the Flux v1 daemon, and this cluster runs Flux v2: ${instead}`);
  }

  /** Closes tunnels, agents and timers so the process ends by itself. */
  async dispose(): Promise<void> {
    this.activity.end();
    this.deadline.dispose();
    await this.connections.close();
  }
}
