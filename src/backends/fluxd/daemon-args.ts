import type { ContainerJson } from '../../kubernetes/deployments.js';

/** fluxd's interval flags and their default when absent (fluxcd/flux cmd/fluxd/main.go). */
export const INTERVAL_FLAGS = ['--git-poll-interval', '--sync-interval'] as const;
export type IntervalFlag = (typeof INTERVAL_FLAGS)[number];
export const FLUXD_DEFAULT_INTERVAL = '5m';

export interface FlagValue {
  value: string;
  /** false when the flag is absent and fluxd's default applies. */
  explicit: boolean;
}

/** Reads `--flag=v` or `--flag v`; pflag lets the last occurrence win. */
export function readFlag(args: readonly string[], flag: string): FlagValue {
  let found: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a.startsWith(`${flag}=`)) found = a.slice(flag.length + 1);
    else if (a === flag && i + 1 < args.length) found = args[++i];
  }
  return found === undefined ? { value: FLUXD_DEFAULT_INTERVAL, explicit: false } : { value: found, explicit: true };
}

/** Sets a flag in place (every occurrence, either form) so no duplicate is ever appended. */
export function setFlag(args: readonly string[], flag: string, value: string): string[] {
  const out = [...args];
  let seen = false;
  for (let i = 0; i < out.length; i++) {
    const a = out[i] ?? '';
    if (a.startsWith(`${flag}=`)) {
      out[i] = `${flag}=${value}`;
      seen = true;
    } else if (a === flag && i + 1 < out.length) {
      out[++i] = value;
      seen = true;
    }
  }
  if (!seen) out.push(`${flag}=${value}`);
  return out;
}

/**
 * The fluxd container: named by --container, else `flux` (chart and install manifests), else
 * one whose args carry --git-url or whose image is …/flux:<tag>, else the only container.
 */
export function pickDaemonContainer(containers: readonly ContainerJson[], explicit: string | undefined): ContainerJson | string {
  const names = containers.map((c) => c.name).join(', ');
  if (explicit !== undefined) return containers.find((c) => c.name === explicit) ?? `no container named "${explicit}" (containers: ${names})`;
  const guess =
    containers.find((c) => c.name === 'flux') ??
    containers.find((c) => (c.args ?? []).some((a) => a.startsWith('--git-url'))) ??
    containers.find((c) => /(^|\/)flux(:|@|$)/.test(c.image ?? '')) ??
    (containers.length === 1 ? containers[0] : undefined);
  return guess ?? `cannot tell which container runs fluxd (containers: ${names}); pass --container`;
}
