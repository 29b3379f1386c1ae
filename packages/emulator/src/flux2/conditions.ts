// metav1.Condition bookkeeping the way fluxcd/pkg runtime/conditions does it, plus Go
// duration parsing and printing (the controllers' messages embed time.Duration strings).

export interface FluxCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** RFC 3339 at second precision, as metav1.Time serialises. */
export function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// fluxcd/pkg runtime/conditions setter.go: Stalled, Reconciling and Ready first, then the rest
// by newest observedGeneration and name, which is the order `kubectl get -o yaml` shows.
const WEIGHTS: Record<string, number> = { Stalled: 0, Reconciling: 1, Ready: 2 };

function before(a: FluxCondition, b: FluxCondition): number {
  const wa = WEIGHTS[a.type];
  const wb = WEIGHTS[b.type];
  if (wa !== undefined && wb !== undefined) return wa - wb;
  if (wa !== undefined || wb !== undefined) return wa !== undefined ? -1 : 1;
  if (a.observedGeneration !== b.observedGeneration) return b.observedGeneration - a.observedGeneration;
  return a.type < b.type ? -1 : a.type > b.type ? 1 : 0;
}

/**
 * Sets a condition: lastTransitionTime moves only when status, reason or message change;
 * observedGeneration always follows the object's generation.
 */
export function setCondition(
  conds: FluxCondition[], generation: number, type: string, status: FluxCondition['status'], reason: string, message: string,
): FluxCondition[] {
  const prev = conds.find((c) => c.type === type);
  const same = prev && prev.status === status && prev.reason === reason && prev.message === message;
  const next: FluxCondition = { type, status, observedGeneration: generation, lastTransitionTime: same ? prev.lastTransitionTime : now(), reason, message };
  return [...conds.filter((c) => c.type !== type), next].sort(before);
}

export function removeCondition(conds: FluxCondition[], ...types: string[]): FluxCondition[] {
  return conds.filter((c) => !types.includes(c.type));
}

export function getCondition(conds: FluxCondition[] | undefined, type: string): FluxCondition | undefined {
  return conds?.find((c) => c.type === type);
}

export function isTrue(conds: FluxCondition[] | undefined, type: string): boolean {
  return getCondition(conds, type)?.status === 'True';
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go time.ParseDuration, in milliseconds; undefined when it does not parse. */
export function parseDuration(text: string | undefined): number | undefined {
  if (!text) return undefined;
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    at = re.lastIndex;
  }
  return at === text.length && at > 0 ? total : undefined;
}

/** Go's time.Duration.String(): `1m0s`, `10m0s`, `1h30m0s`, `1.5s`, `500ms`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${trim(ms)}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const sec = `${trim(s)}s`;
  if (h > 0) return `${h}h${m}m${sec}`;
  if (m > 0) return `${m}m${sec}`;
  return sec;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}
