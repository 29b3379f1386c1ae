import { encodeGoJson } from '../output/go-json.js';
import { parseJson, type Decoder } from './decode.js';
import type { DaemonRequest, Transport } from './http.js';
import {
  decodeGitConfig,
  decodeJobStatus,
  decodeServices,
  decodeString,
  decodeStringList,
  type ControllerStatus,
  type GitConfig,
  type JobStatus,
} from './types.js';

/** The cause of an update, sent with capitalised keys as fluxctl does. */
export interface UpdateCause {
  Message: string;
  User: string;
}

/** Typed access to the fluxd API: one method per route, every path lives here. */
export interface DaemonClient {
  gitRepoConfig(regenerate: boolean): Promise<GitConfig>;
  listServices(namespace: string): Promise<ControllerStatus[] | null>;
  syncJob(cause?: UpdateCause): Promise<string>;
  jobStatus(jobId: string): Promise<JobStatus>;
  syncStatus(ref: string): Promise<string[] | null>;
  version(): Promise<string>;
}

export function createDaemonClient(transport: Transport): DaemonClient {
  async function call<T>(req: DaemonRequest, decode: Decoder<T>): Promise<T> {
    const res = await transport(req);
    return decode(parseJson(res.body, `${req.method} ${req.route}`), '');
  }
  return {
    gitRepoConfig: (regenerate) =>
      call({ method: 'POST', route: '/v9/git-repo-config', body: regenerate ? 'true' : 'false' }, decodeGitConfig),
    listServices: (namespace) => call({ method: 'GET', route: '/v6/services', query: [['namespace', namespace]] }, decodeServices),
    syncJob: (cause = { Message: '', User: '' }) =>
      call(
        { method: 'POST', route: '/v9/update-manifests', body: encodeGoJson({ type: 'sync', cause: { Message: cause.Message, User: cause.User }, spec: {} }) },
        decodeString,
      ),
    jobStatus: (jobId) => call({ method: 'GET', route: '/v6/jobs', query: [['id', jobId]] }, decodeJobStatus),
    syncStatus: (ref) => call({ method: 'GET', route: '/v6/sync', query: [['ref', ref]] }, decodeStringList),
    version: () => call({ method: 'GET', route: '/v11/version' }, decodeString),
  };
}
