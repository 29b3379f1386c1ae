import { policyCell, type WorkloadRow } from '../model/workload-row.js';
import { nullableArray, type Decoder } from './decode.js';
import { asStr, check, checkStringMap, containerFields, fieldsOf, imageInfo, isBool, isInt, isList, isStr, items, lean } from './lean-checks.js';
import { decodeControllerStatus } from './types.js';

/*
 * A lean reading of GET /v6/services for the piped table: every field of each ControllerStatus
 * is checked as the full decoder checks it (lean-checks.ts), and only the ID, Status, the policy
 * flags and each container's Name and Current.ID are kept. A 10,000-workload answer is read on
 * the hot path.
 */

function checkRollout(v: unknown): void {
  const o = fieldsOf(v);
  check(isInt(o.Desired) && isInt(o.Updated) && isInt(o.Ready) && isInt(o.Available) && isInt(o.Outdated));
  for (const m of items(o.Messages)) check(isStr(m));
}

function row(v: unknown): WorkloadRow {
  const o = fieldsOf(v);
  const containers: string[] = [];
  for (const c of items(o.Containers)) {
    const fields = containerFields(c);
    for (const info of items(fields.Available)) imageInfo(info);
    containers.push(asStr(fields.Name), asStr(fieldsOf(fields.Current).ID));
  }
  check(isStr(o.ID) && isStr(o.ReadOnly) && isStr(o.Status) && isStr(o.SyncError) && isStr(o.Antecedent));
  check(isBool(o.Automated) && isBool(o.Locked) && isBool(o.Ignore));
  checkRollout(o.Rollout);
  checkStringMap(o.Labels);
  checkStringMap(o.Policies);
  return { ID: asStr(o.ID), Status: asStr(o.Status), policies: policyCell(o.Automated === true, o.Ignore === true, o.Locked === true), containers };
}

/** One workload as the piped table reads it. */
export const decodeWorkloadRow: Decoder<WorkloadRow> = lean(row, decodeControllerStatus);

/** The daemon's workload list as table rows; null when the daemon sent `null`. */
export const decodeWorkloadRows: Decoder<WorkloadRow[] | null> = nullableArray(decodeWorkloadRow);
