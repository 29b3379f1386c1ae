import http from 'node:http';
import https from 'node:https';
import { CliError, ConnectionLostError, DaemonApiError, TimeoutError, UnreachableError } from '../errors.js';

/** Largest daemon response we buffer; beyond it the call fails instead of exhausting memory. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface DaemonResponse {
  status: number;
  body: string;
}

export interface DaemonRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'HEAD';
  /** Route path after the /api/flux prefix, e.g. `/v6/services`. */
  route: string;
  query?: ReadonlyArray<readonly [string, string]>;
  body?: string;
  /**
   * Reads a successful answer as it arrives instead of buffering it (the body is then ''): called
   * once per attempt, so a GET retried after a cut connection starts a fresh reader.
   */
  stream?: () => (chunk: Buffer) => void;
}

export interface TransportOptions {
  /** Base URL including the /api/flux prefix. */
  baseUrl: URL;
  /** The agent that owns connections (the tunnel's, or a keep-alive agent for --url). */
  agent: http.Agent;
  token?: string;
  signal: AbortSignal;
  /** Where the request goes, for messages: "pod flux/flux-7d9c" or the masked URL. */
  describe: string;
  maxBytes?: number;
}

export type Transport = (req: DaemonRequest) => Promise<DaemonResponse>;

/** Go's url.QueryEscape: unreserved characters stay, space becomes '+', the rest is %XX. */
export function goQueryEscape(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
}

/** Go's url.Values.Encode: keys sorted, empty values still sent. */
export function encodeQuery(query: ReadonlyArray<readonly [string, string]>): string {
  return [...query]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${goQueryEscape(k)}=${goQueryEscape(v)}`)
    .join('&');
}

const SUCCESS = new Set([200, 201, 202, 204]);
/** Failures to connect at all: nothing was sent, so there is nothing to retry blindly. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
]);

const UNAUTHORIZED_HELP = `The request failed authentication

This most likely means you have a missing or incorrect token. Please
make sure you supply a service token, either by setting the
environment variable FLUX_SERVICE_TOKEN, or using the argument --token
with fluxctl.

`;

/** Reads the daemon's answer into fluxctl's error forms (executeRequest in fluxcd/flux pkg/http/client/client.go). */
function toError(status: number, statusText: string, contentType: string, body: string, describe: string): Error {
  const pod = /^pod ([^/]+)\/(.+)$/.exec(describe);
  const logs = `the daemon's logs may say more${pod ? ` (kubectl logs -n ${pod[1]} ${pod[2]})` : ''}`;
  if (status === 401) return new DaemonApiError(401, 'user', UNAUTHORIZED_HELP, 'unauthorized');
  if (contentType.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (e) {
      return new CliError(`executing HTTP request: decoding response body of error: ${(e as Error).message}`, { hint: `HTTP ${status} from ${describe}; ${logs}` });
    }
    if (typeof parsed === 'object' && parsed !== null) {
      const { type, help, error } = parsed as Record<string, unknown>;
      if (typeof error === 'string' && error !== '') {
        return new DaemonApiError(status, typeof type === 'string' ? type : '', typeof help === 'string' ? help : error, error);
      }
    }
  }
  // A 404 that is not the API's own JSON error means the URL does not point at the API.
  const hint = status === 404 ? 'nothing serves the Flux API there: a --url must end in /api/flux (e.g. http://127.0.0.1:3030/api/flux)' : logs;
  return new CliError(`executing HTTP request: ${status} ${statusText} ${body}`, { hint });
}

export function createTransport(options: TransportOptions): Transport {
  const maxBytes = options.maxBytes ?? MAX_RESPONSE_BYTES;
  const basePath = options.baseUrl.pathname.replace(/\/+$/, '');
  const lib = options.baseUrl.protocol === 'https:' ? https : http;

  const once = (req: DaemonRequest): Promise<DaemonResponse & { contentType: string; statusText: string }> =>
    new Promise((resolve, reject) => {
      const query = req.query !== undefined && req.query.length > 0 ? `?${encodeQuery(req.query)}` : '';
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (options.token) headers.Authorization = `Scope-Probe token=${options.token}`;
      if (req.body !== undefined) {
        headers['Content-Type'] = 'application/json';
        headers['Content-Length'] = String(Buffer.byteLength(req.body));
      }
      const r = lib.request(
        {
          protocol: options.baseUrl.protocol,
          hostname: options.baseUrl.hostname,
          port: options.baseUrl.port,
          method: req.method,
          path: `${basePath}${req.route}${query}`,
          headers,
          agent: options.agent,
          signal: options.signal,
        },
        (res) => {
          const sink = SUCCESS.has(res.statusCode ?? 0) ? req.stream?.() : undefined;
          // Buffered, as text pieces rather than Buffers: no copy of the whole body is made before it is a string.
          if (sink === undefined) res.setEncoding('utf8');
          const chunks: string[] = [];
          let size = 0;
          res.on('data', (chunk: string | Buffer) => {
            size += chunk.length;
            if (size > maxBytes) {
              // Reject first: destroying the streams reports a cut connection, which must not win.
              reject(new CliError(`the daemon's answer to ${req.method} ${req.route} is larger than ${maxBytes / 1024 / 1024} MiB; stopped reading it`, {
                hint: `something other than a Flux daemon may be answering at ${options.describe}`,
              }));
              chunks.length = 0;
              res.destroy();
              r.destroy();
              return;
            }
            if (typeof chunk === 'string') chunks.push(chunk);
            else if (sink !== undefined) {
              try {
                sink(chunk);
              } catch (e) {
                reject(e);
                res.destroy();
                r.destroy();
              }
            }
          });
          const cut = (): Error => new ConnectionLostError(`the connection to ${options.describe} closed in the middle of the answer`);
          res.on('end', () => {
            if (!res.complete) {
              reject(cut());
              return;
            }
            resolve({
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? '',
              contentType: String(res.headers['content-type'] ?? ''),
              body: chunks.join(''),
            });
          });
          // A body cut short (Content-Length or chunking unfinished) surfaces as 'aborted' or 'close'.
          res.on('aborted', () => reject(cut()));
          res.on('close', () => {
            if (!res.complete) reject(cut());
          });
          res.on('error', () => reject(options.signal.aborted ? aborted(req, true) : cut()));
        },
      );
      // Whether the request could have reached the daemon: a socket that finished connecting.
      let sent = false;
      r.on('socket', (sock: { connecting?: boolean; once(ev: string, fn: () => void): unknown }) => {
        if (sock.connecting === true) sock.once('connect', () => (sent = true));
        else sent = true;
      });
      r.on('error', (e) => reject(wrap(e, req, sent)));
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });

  /** The deadline hit while a request was out: say which, and that a write may have happened. */
  const aborted = (req: DaemonRequest, sent: boolean): Error => {
    const reason = options.signal.reason as Error;
    if (!(reason instanceof TimeoutError)) return reason;
    if (!sent) {
      return new TimeoutError(reason.message, { hint: `no connection to ${options.describe} opened in time (nothing was sent): raise --timeout if the cluster is just slow` });
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      return new TimeoutError(reason.message, { hint: `${options.describe} did not answer ${req.method} ${req.route} in time: raise --timeout if the daemon is just slow, or check its logs` });
    }
    return new TimeoutError(`${reason.message} waiting for the answer to ${req.method} ${req.route}; whether the daemon carried it out is unknown`, {
      hint: 'check the outcome (e.g. with fluxctl list-workloads or fluxctl list-images) before running the command again',
    });
  };

  const wrap = (e: Error, req: DaemonRequest, sent: boolean): Error => {
    // The tunnel's own diagnosis (e.g. no new daemon pod appeared) says more than the deadline.
    if (e instanceof UnreachableError) return e;
    if (options.signal.aborted) return aborted(req, sent);
    if (e instanceof CliError) return e;
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (TLS_CODES.has(code)) {
      return new UnreachableError(`cannot reach the daemon at ${options.describe}: TLS verification failed: ${e.message}`, {
        cause: e,
        hint: 'the daemon\'s certificate is not trusted: add its CA with NODE_EXTRA_CA_CERTS=<file>',
      });
    }
    if (UNREACHABLE_CODES.has(code)) {
      return new UnreachableError(`cannot reach the daemon at ${options.describe}: ${code}`, {
        cause: e,
        hint: 'check --url (or FLUX_URL): it must be the daemon\'s base URL, e.g. http://127.0.0.1:3030/api/flux',
      });
    }
    return new ConnectionLostError(`the connection to ${options.describe} failed: ${e.message}`, { cause: e });
  };

  /** The last word on a lost connection: which request, and what it means for its outcome. */
  const lost = (e: ConnectionLostError, req: DaemonRequest): Error => {
    const where = `${req.method} ${req.route}`;
    if (req.method === 'GET' || req.method === 'HEAD') {
      return new ConnectionLostError(`${e.message} (${where}, also on the retry over a fresh connection)`, {
        cause: e,
        hint: `the connection to ${options.describe} keeps breaking: check the daemon and the API server, then run the command again`,
      });
    }
    return new ConnectionLostError(`${e.message} (${where}); whether the daemon carried out the request is unknown`, {
      cause: e,
      hint: 'check the outcome (e.g. with fluxctl list-workloads or fluxctl list-images) before running the command again',
    });
  };

  return async (req) => {
    let res;
    try {
      res = await once(req);
    } catch (e) {
      // A GET changes nothing, so one retry over a fresh connection is safe.
      if (!(e instanceof ConnectionLostError) || options.signal.aborted) throw e;
      if (req.method !== 'GET') throw lost(e, req);
      try {
        res = await once(req);
      } catch (again) {
        throw again instanceof ConnectionLostError && !options.signal.aborted ? lost(again, req) : again;
      }
    }
    if (!SUCCESS.has(res.status)) throw toError(res.status, res.statusText, res.contentType, res.body, options.describe);
    return res;
  };
}
