/**
 * What the piped `list-workloads` table shows of one workload, and nothing more: a backend that
 * can read just these fields spares a large listing (10,000 workloads) the full Go-shaped model.
 */
export interface WorkloadRow {
  ID: string;
  Status: string;
  /** `automated`, `ignore`, `locked`, comma-joined in that order (fluxctl's POLICY cell). */
  policies: string;
  /** Each container's name and current image, flat: [name, image, name, image, …]. */
  containers: string[];
}

/** fluxctl's POLICY cell from the workload's flags. */
export function policyCell(automated: boolean, ignore: boolean, locked: boolean): string {
  return [automated && 'automated', ignore && 'ignore', locked && 'locked'].filter(Boolean).join(',');
}
