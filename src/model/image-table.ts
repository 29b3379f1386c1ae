/**
 * What the `list-images` table reads of a workload's images, and nothing more. ImageStatus fits
 * these shapes, so the table renders the full model as well; a backend that can read just these
 * fields spares a large listing (1,000 workloads × 50 tags) the full Go-shaped model.
 */
export interface ImageTableEntry {
  ID: string;
  /** Normalised as the full model's CreatedAt (Go's RFC3339Nano; the zero time is undefined). */
  CreatedAt?: string;
}

export interface ImageTableContainer {
  Name?: string;
  Current: { ID: string };
  /** undefined when the daemon had none (an empty list included), as in the full model. */
  Available?: readonly ImageTableEntry[];
  AvailableError?: string;
}

export interface ImageTableWorkload {
  ID: string;
  Containers: readonly ImageTableContainer[] | null;
}
