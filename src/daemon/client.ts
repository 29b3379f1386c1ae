import { encodeGoJson, type GoValue } from '../output/go-json.js';
import { DecodeError } from '../errors.js';
import { MalformedJsonError, parseJson, type Decoder } from './decode.js';
import { decodeGitConfig, type GitConfig } from './git-config.js';
import type { DaemonRequest, Transport } from './http.js';
import { decodeJobStatus, decodeString, decodeStringList, type JobStatus } from './jobs.js';
import { syncSpec } from './spec.js';
import { decodeImages, decodeServices, type ControllerStatus, type ImageStatus } from './types.js';
import { decodeWorkloadRow, decodeWorkloadRows } from './workload-rows.js';
import { decodeImageTable, decodeImageTableWorkload } from './image-table.js';
import { JsonArrayReader } from './json-array-reader.js';
import type { ImageTableWorkload } from '../model/image-table.js';
import type { WorkloadRow } from '../model/workload-row.js';

/** The cause of an update, sent with capitalised keys as fluxctl does. */
export interface UpdateCause {
  Message: string;
  User: string;
}

export interface ListImagesQuery {
  /** A workload ID, or `<all>`. */
  service: string;
  namespace: string;
  /** Container fields to compute; empty means all. */
  containerFields?: string[];
}

/** Typed access to the fluxd API: one method per route, every path lives here. */
export interface DaemonClient {
  gitRepoConfig(regenerate: boolean): Promise<GitConfig>;
  listServices(namespace: string): Promise<ControllerStatus[] | null>;
  /** The same request as listServices, reading only what the piped table shows. */
  listServiceRows(namespace: string): Promise<WorkloadRow[] | null>;
  /** The v11 route with a workload filter (`release --watch`, `sync --watch`). */
  listServicesWithOptions(namespace: string, services: readonly string[]): Promise<ControllerStatus[] | null>;
  listImages(query: ListImagesQuery): Promise<ImageStatus[] | null>;
  /** The same request as listImages, reading only what the list-images table shows. */
  listImageTable(query: ListImagesQuery): Promise<ImageTableWorkload[] | null>;
  /** POST /v9/update-manifests with an update.Spec (see spec.ts); returns the job ID. */
  updateManifests(spec: GoValue): Promise<string>;
  syncJob(cause?: UpdateCause): Promise<string>;
  jobStatus(jobId: string): Promise<JobStatus>;
  syncStatus(ref: string): Promise<string[] | null>;
  /** The cluster's workloads as a multi-document YAML stream (decoded from base64). */
  export(): Promise<string>;
  version(): Promise<string>;
}

export function createDaemonClient(transport: Transport): DaemonClient {
  async function call<T>(req: DaemonRequest, decode: Decoder<T>): Promise<T> {
    const what = `${req.method} ${req.route}`;
    // Only the parsed value stays referenced while decoding, not the response text.
    const json = parseJson((await transport(req)).body, what);
    return decoding(what, () => decode(json, ''));
  }
  /** A large list, read as it arrives and never held whole (see JsonArrayReader). */
  async function callList<T>(req: DaemonRequest, item: Decoder<T>, whole: Decoder<T[] | null>): Promise<T[] | null> {
    const what = `${req.method} ${req.route}`;
    let reader: JsonArrayReader<T> | undefined;
    const stream = (): ((chunk: Buffer) => void) => {
      const r = (reader = new JsonArrayReader(item, whole, what));
      return (chunk) => r.push(chunk);
    };
    await decoding(what, () => transport({ ...req, stream }));
    // Every 2xx answer starts a reader; none here would be a body-less answer, read as empty.
    return decoding(what, () => (reader ?? new JsonArrayReader(item, whole, what)).end());
  }
  const updateManifests = (spec: GoValue): Promise<string> => call({ method: 'POST', route: '/v9/update-manifests', body: encodeGoJson(spec) }, decodeString);
  return {
    gitRepoConfig: (regenerate) => call({ method: 'POST', route: '/v9/git-repo-config', body: regenerate ? 'true' : 'false' }, decodeGitConfig),
    listServices: (namespace) => call({ method: 'GET', route: '/v6/services', query: [['namespace', namespace]] }, decodeServices),
    listServiceRows: (namespace) => callList({ method: 'GET', route: '/v6/services', query: [['namespace', namespace]] }, decodeWorkloadRow, decodeWorkloadRows),
    listServicesWithOptions: (namespace, services) =>
      call({ method: 'GET', route: '/v11/services', query: [['namespace', namespace], ['services', services.join(',')]] }, decodeServices),
    listImages: (q) => call(imagesRequest(q), decodeImages),
    listImageTable: (q) => callList(imagesRequest(q), decodeImageTableWorkload, decodeImageTable),
    updateManifests,
    syncJob: (cause = { Message: '', User: '' }) => updateManifests(syncSpec(cause)),
    jobStatus: (jobId) => call({ method: 'GET', route: '/v6/jobs', query: [['id', jobId]] }, decodeJobStatus),
    syncStatus: (ref) => call({ method: 'GET', route: '/v6/sync', query: [['ref', ref]] }, decodeStringList),
    export: async () => {
      const b64 = await call({ method: 'GET', route: '/v6/export' }, decodeString);
      // Go's []byte is standard base64; anything else means a broken or foreign answer.
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new DecodeError('exporting config: the daemon did not send base64 data');
      return Buffer.from(b64, 'base64').toString('utf8');
    },
    version: () => call({ method: 'GET', route: '/v11/version' }, decodeString),
  };
}

function imagesRequest(q: ListImagesQuery): DaemonRequest {
  return { method: 'GET', route: '/v10/images', query: [['service', q.service], ['namespace', q.namespace], ['containerFields', (q.containerFields ?? []).join(',')]] };
}

/** Runs a decoding step, naming the request in a decoder's error about a field. */
async function decoding<T>(what: string, step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (!(e instanceof DecodeError) || e instanceof MalformedJsonError) throw e;
    throw new DecodeError(`unexpected answer from the daemon to ${what}: ${e.message}`, { hint: 'the daemon may be a different Flux version, or something other than fluxd answered' });
  }
}
