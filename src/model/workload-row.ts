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

const POLICY_CELLS = Array.from({ length: 8 }, (_, bits) =>
  [bits & 1 && 'automated', bits & 2 && 'ignore', bits & 4 && 'locked'].filter(Boolean).join(','),
);

/** fluxctl's POLICY cell from the workload's flags (one of eight shared strings). */
export function policyCell(automated: boolean, ignore: boolean, locked: boolean): string {
  return POLICY_CELLS[(automated ? 1 : 0) | (ignore ? 2 : 0) | (locked ? 4 : 0)] ?? '';
}
