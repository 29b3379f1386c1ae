import { DecodeError } from '../errors.js';
import { nullableArray, record, str, type Decoder } from './decode.js';

/** One container change of a release (`update.ContainerUpdate`). */
export type ContainerUpdate = {
  Container: string;
  Current: string;
  Target: string;
};

/** The outcome for one workload (`update.WorkloadResult`). */
export type WorkloadResult = {
  Status: string;
  Error?: string;
  PerContainer: ContainerUpdate[] | null;
};

export interface JobResult {
  revision?: string;
  /** The spec that produced the job, kept as the daemon sent it. */
  spec?: unknown;
  /** Per-workload results; undefined when absent or null (fluxctl then says "Nothing to do"). */
  result?: Map<string, WorkloadResult>;
}

export interface JobStatus {
  Result: JobResult;
  Err: string;
  StatusString: string;
}

const decodeContainerUpdate: Decoder<ContainerUpdate> = (v, path) => {
  const o = record(v, path);
  return { Container: str(o.Container, `${path}.Container`), Current: str(o.Current, `${path}.Current`), Target: str(o.Target, `${path}.Target`) };
};

const decodeWorkloadResult: Decoder<WorkloadResult> = (v, path) => {
  const o = record(v, path);
  const error = str(o.Error, `${path}.Error`);
  return {
    Status: str(o.Status, `${path}.Status`),
    Error: error === '' ? undefined : error,
    PerContainer: nullableArray(decodeContainerUpdate)(o.PerContainer, `${path}.PerContainer`),
  };
};

export const decodeJobStatus: Decoder<JobStatus> = (v, path) => {
  const o = record(v, path);
  const r = record(o.Result, `${path}.Result`);
  let result: Map<string, WorkloadResult> | undefined;
  if (r.result !== undefined && r.result !== null) {
    result = new Map(Object.entries(record(r.result, `${path}.Result.result`)).map(([id, w]) => [id, decodeWorkloadResult(w, `${path}.Result.result.${id}`)]));
  }
  const revision = str(r.revision, `${path}.Result.revision`);
  return {
    Result: { revision: revision === '' ? undefined : revision, spec: r.spec ?? undefined, result },
    Err: str(o.Err, `${path}.Err`),
    StatusString: str(o.StatusString, `${path}.StatusString`),
  };
};

export const decodeStringList: Decoder<string[] | null> = nullableArray(str);

/** A bare JSON string (job IDs, the version): unlike a struct field, null is not acceptable. */
export const decodeString: Decoder<string> = (v, path) => {
  if (typeof v !== 'string') throw new DecodeError(`${path || 'response'}: expected a string`);
  return v;
};
