import { UsageError } from '../../errors.js';
import { formatGoDuration, parseGoDuration } from '../../util/go-duration.js';
import type { FluxKind } from './discovery.js';

/*
 * Durations as the Flux CRDs validate them. Every interval field (and the Kustomization and
 * HelmRelease timeouts) has the OpenAPI pattern `^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`; the other
 * kinds' `spec.timeout` has the same without hours. CRDs older than Flux v0.35 have no pattern
 * at all, so we check on the client. The controllers read them with Go's time.ParseDuration.
 */

export type DurationField = 'interval' | 'retryInterval' | 'timeout';

const WITH_HOURS = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
const NO_HOURS = /^([0-9]+(\.[0-9]+)?(ms|s|m))+$/;
// kustomize-controller and helm-controller accept hours in spec.timeout; source-controller,
// image-reflector-controller and notification-controller do not.
const TIMEOUT_WITH_HOURS: ReadonlySet<FluxKind> = new Set(['Kustomization', 'HelmRelease']);

/** A duration a Flux CRD (or its controller) would refuse. */
export class FluxDurationError extends UsageError {}

/** The CRD pattern of `<kind>.spec.<field>`. */
export function fluxDurationPattern(kind: FluxKind, field: DurationField): RegExp {
  return field === 'timeout' && !TIMEOUT_WITH_HOURS.has(kind) ? NO_HOURS : WITH_HOURS;
}

const HOUR = 3_600_000_000_000n;
const MINUTE = 60_000_000_000n;

/** Go's form with hours folded into minutes (`1h30m0s` → `90m0s`), for fields without hours. */
function withoutHours(ns: bigint): string {
  const rest = ns % MINUTE;
  return `${ns / MINUTE}m${rest === 0n ? '0s' : formatGoDuration(rest)}`;
}

/**
 * Checks `value` for `<kind>.spec.<field>` and returns what to write: Go's canonical form
 * (`1m0s`, `1h30m0s`, as `flux bootstrap` writes them) when the CRD accepts it, else the value
 * as given. Zero is refused: controller-runtime never requeues after a zero interval.
 */
export function toFluxDuration(value: string, kind: FluxKind, field: DurationField): string {
  const pattern = fluxDurationPattern(kind, field);
  const units = pattern === NO_HOURS ? 'ms, s and m (no hours)' : 'ms, s, m and h';
  const fail = (why: string): FluxDurationError =>
    new FluxDurationError(`invalid ${kind} spec.${field} ${JSON.stringify(value)}: ${why}`, {
      hint: `use a duration such as 30s, 5m or 1m30s (the CRD's pattern is ${pattern.source})`,
    });
  if (!pattern.test(value)) throw fail(`Flux accepts only numbers with the units ${units}, written together`);
  let ns: bigint;
  try {
    ns = parseGoDuration(value);
  } catch (e) {
    throw fail(e instanceof Error ? e.message : String(e));
  }
  if (ns === 0n) throw fail('it must be positive');
  const canonical = formatGoDuration(ns);
  if (pattern.test(canonical)) return canonical;
  if (pattern === NO_HOURS && ns >= HOUR) return withoutHours(ns);
  // Below a millisecond Go writes µs or ns, which the pattern refuses: keep the accepted spelling.
  return value;
}
