import { policyCell, type WorkloadRow } from '../model/workload-row.js';
import { array, bool, record, str, type Decoder } from './decode.js';

/*
 * A lean reading of GET /v6/services for the piped table: only ID, Status, the policy flags and
 * each container's Name and Current.ID are read (and checked, with the same paths and messages
 * as the full decoders in types.ts); the rest of each ControllerStatus is never looked at.
 * A 10,000-workload answer is read on the hot path, so a field's path is only spelled out when
 * the field is wrong: the checks fall back to the shared decoders to throw their errors.
 */

type Fields = Record<string, unknown>;

const isRecord = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, path: () => string): string => (typeof v === 'string' ? v : str(v, path()));
const flag = (v: unknown, path: () => string): boolean => (typeof v === 'boolean' ? v : bool(v, path()));
const fields = (v: unknown, path: () => string): Fields => (isRecord(v) ? v : record(v, path()));

function containerCells(v: unknown, path: () => string, out: string[]): void {
  const o = fields(v, path);
  // Go's field order (pkg/api/v6 Container): Name before Current, so errors come in that order.
  const name = text(o.Name, () => `${path()}.Name`);
  const current = fields(o.Current, () => `${path()}.Current`);
  out.push(name, text(current.ID, () => `${path()}.Current.ID`));
}

function rowOf(v: unknown, path: () => string): WorkloadRow {
  const o = fields(v, path);
  const ID = text(o.ID, () => `${path()}.ID`);
  const raw = Array.isArray(o.Containers) ? (o.Containers as unknown[]) : (array(o.Containers, `${path()}.Containers`) ?? []);
  const containers: string[] = [];
  for (let i = 0; i < raw.length; i++) containerCells(raw[i], () => `${path()}.Containers[${i}]`, containers);
  const Status = text(o.Status, () => `${path()}.Status`);
  const automated = flag(o.Automated, () => `${path()}.Automated`);
  const locked = flag(o.Locked, () => `${path()}.Locked`);
  const ignore = flag(o.Ignore, () => `${path()}.Ignore`);
  return { ID, Status, policies: policyCell(automated, ignore, locked), containers };
}

export const decodeWorkloadRow: Decoder<WorkloadRow> = (v, path) => rowOf(v, () => path);

/** The daemon's workload list as table rows; null when the daemon sent `null`. */
export const decodeWorkloadRows: Decoder<WorkloadRow[] | null> = (v, path) => {
  const list = array(v, path);
  if (list === null) return null;
  const out = new Array<WorkloadRow>(list.length);
  for (let i = 0; i < list.length; i++) {
    out[i] = rowOf(list[i], () => `${path}[${i}]`);
    // Each parsed workload is dropped once read, so the collector can reclaim the bulk of the
    // answer (images, labels, rollouts) while the rest is still being read.
    list[i] = undefined;
  }
  return out;
};
