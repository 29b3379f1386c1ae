import { parseGoBool } from '../cli/bool-flags.js';
import { UsageError } from '../errors.js';
import { parseGoDuration } from '../util/go-duration.js';
import { parseStringToString } from '../util/string-to-string.js';

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
  debug?: boolean;
  /** The global `--verbose`: the same as --debug (commands with their own -v/--verbose never set it). */
  verbose?: boolean;
  fluxVersion?: string;
  gitRepository?: string;
}

export type FluxVersionChoice = 'auto' | 'v1' | 'v2';

export interface Globals {
  context: string | undefined;
  kubeconfig: string | undefined;
  fwdNamespace: string;
  /** Whether --k8s-fwd-ns or FLUX_FORWARD_NAMESPACE named the namespace (v2 falls back to flux-system otherwise). */
  fwdNamespaceGiven: boolean;
  fwdLabels: Map<string, string>;
  url: string | undefined;
  token: string | undefined;
  timeoutNs: bigint;
  /** --debug, the global --verbose or FLUXCTL_DEBUG: diagnostics on stderr. */
  debug: boolean;
  fluxVersion: FluxVersionChoice;
  /** The Flux v2 namespace: the forward namespace when given, else FLUX_SYSTEM_NAMESPACE, else flux-system. */
  fluxNamespace: string;
  gitRepository: string | undefined;
}

export const DEFAULT_TIMEOUT_NS = 60_000_000_000n;
const DEFAULT_LABELS = new Map([['app', 'flux']]);
const WEAVE_CLOUD_URL = 'https://cloud.weave.works/api/flux';
export const FLUX_VERSIONS: readonly FluxVersionChoice[] = ['auto', 'v1', 'v2'];

/** FLUXCTL_DEBUG=1 (or any of Go's ParseBool spellings). */
function parseEnvBool(value: string): boolean {
  const b = parseGoBool(value);
  if (b === undefined) throw new Error('not a boolean (use 1 or 0)');
  return b;
}

export function parseFluxVersion(value: string, where: string): FluxVersionChoice {
  const v = value.toLowerCase();
  if ((FLUX_VERSIONS as readonly string[]).includes(v)) return v as FluxVersionChoice;
  throw new UsageError(`invalid ${where} ${JSON.stringify(value)}: must be auto, v1 or v2`, { hint: 'auto finds the Flux v1 daemon first, then the Flux v2 APIs' });
}

/**
 * Flag > env > default, with fluxctl's env fallbacks: an unparseable value is ignored as
 * fluxctl does, but `warn` says so.
 */
export function resolveGlobals(raw: RawGlobals, env: Readonly<Record<string, string | undefined>>, warn: (text: string) => void): Globals {
  const get = (name: string): string | undefined => (env[name] === '' ? undefined : env[name]);
  const fallback = <T>(name: string, parse: (s: string) => T): T | undefined => {
    const v = get(name);
    if (v === undefined) return undefined;
    try {
      return parse(v);
    } catch (e) {
      warn(`Warning: ignoring ${name}=${JSON.stringify(v)}: ${(e as Error).message}\n`);
      return undefined;
    }
  };
  const envLabels = raw.k8sFwdLabels ? undefined : fallback('FLUX_FORWARD_LABELS', (s) => new Map(parseStringToString(s)));
  let token = raw.token;
  if (token === undefined) token = get('WEAVE_CLOUD_TOKEN') ?? get('FLUX_SERVICE_TOKEN');
  let url = raw.url ?? get('FLUX_URL');
  if (token && !url) url = WEAVE_CLOUD_URL;
  const givenNs = raw.k8sFwdNs ?? get('FLUX_FORWARD_NAMESPACE');
  // A bad --flux-version is a usage error; a bad env value is not fatal, like the other fallbacks.
  const fluxVersion = raw.fluxVersion !== undefined ? parseFluxVersion(raw.fluxVersion, '--flux-version') : fallback('FLUXCTL_FLUX_VERSION', (s) => parseFluxVersion(s, 'value'));
  return {
    context: raw.context,
    kubeconfig: raw.kubeconfig,
    fwdNamespace: givenNs ?? 'default',
    fwdNamespaceGiven: givenNs !== undefined,
    fwdLabels: raw.k8sFwdLabels ?? envLabels ?? DEFAULT_LABELS,
    url: url === '' ? undefined : url,
    token: token === '' ? undefined : token,
    timeoutNs: raw.timeout ?? fallback('FLUX_TIMEOUT', parseGoDuration) ?? DEFAULT_TIMEOUT_NS,
    debug: raw.debug ?? raw.verbose ?? fallback('FLUXCTL_DEBUG', parseEnvBool) ?? false,
    fluxVersion: fluxVersion ?? 'auto',
    fluxNamespace: givenNs ?? get('FLUX_SYSTEM_NAMESPACE') ?? 'flux-system',
    gitRepository: raw.gitRepository || get('FLUXCTL_GIT_REPOSITORY'),
  };
}
