import { policyCell, type WorkloadRow } from '../model/workload-row.js';
import { array, bool, record, str, type Decoder } from './decode.js';

/*
 * A lean reading of GET /v6/services for the piped table: only ID, Status, the policy flags and
 * each container's Name and Current.ID are read (and checked, with the same paths and messages
 * as the full decoders in types.ts); the rest of each ControllerStatus is never looked at.
 */

function containerCells(v: unknown, path: string, out: string[]): void {
  const o = record(v, path);
  // Go's field order (pkg/api/v6 Container): Name before Current, so errors come in that order.
  const name = str(o.Name, `${path}.Name`);
  const current = record(o.Current, `${path}.Current`);
  out.push(name, str(current.ID, `${path}.Current.ID`));
}

export const decodeWorkloadRow: Decoder<WorkloadRow> = (v, path) => {
  const o = record(v, path);
  const ID = str(o.ID, `${path}.ID`);
  const raw = array(o.Containers, `${path}.Containers`) ?? [];
  const containers: string[] = [];
  for (let i = 0; i < raw.length; i++) containerCells(raw[i], `${path}.Containers[${i}]`, containers);
  const Status = str(o.Status, `${path}.Status`);
  const automated = bool(o.Automated, `${path}.Automated`);
  const locked = bool(o.Locked, `${path}.Locked`);
  const ignore = bool(o.Ignore, `${path}.Ignore`);
  return { ID, Status, policies: policyCell(automated, ignore, locked), containers };
};

/** The daemon's workload list as table rows; null when the daemon sent `null`. */
export const decodeWorkloadRows: Decoder<WorkloadRow[] | null> = (v, path) => {
  const list = array(v, path);
  if (list === null) return null;
  const out = new Array<WorkloadRow>(list.length);
  for (let i = 0; i < list.length; i++) {
    out[i] = decodeWorkloadRow(list[i], `${path}[${i}]`);
    // Each parsed workload is dropped once read, so the collector can reclaim the bulk of the
    // answer (images, labels, rollouts) while the rest is still being read.
    list[i] = undefined;
  }
  return out;
};
