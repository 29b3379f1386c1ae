import http from 'node:http';
import https from 'node:https';
import { CliError, TimeoutError, UnreachableError } from '../errors.js';
import { resolveCredentials, type TlsOptions } from './credentials.js';
import type { LoadedKubeconfig } from './kubeconfig.js';
import { KubeListReader, NotJsonError, type EachItem } from './list-reader.js';

/** A Kubernetes `Status` failure answer (apimachinery pkg/api/errors/errors.go). */
export interface KubeStatus {
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: Array<{ field?: string; message?: string; reason?: string }> };
}

/** A non-2xx answer that is not a credentials or RBAC problem (those are UnreachableError). */
export class KubeApiError extends CliError {
  constructor(
    readonly status: number,
    readonly statusObject: KubeStatus | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** 403: RBAC denies the request. The message (the API server's) names the verb and resource. */
export class ForbiddenError extends UnreachableError {}

/** REST and WebSocket access to one cluster, authenticated once per command. */
export interface KubeApi {
  readonly contextName: string;
  readonly server: string;
  readonly tls: TlsOptions;
  readonly secure: boolean;
  /** The keep-alive agent of the REST calls: the tunnel's upgrade reuses its connection and TLS session. */
  readonly agent: http.Agent;
  request(method: RequestMethod, path: string, options?: RequestOptions): Promise<unknown>;
  close(): void;
}

export type RequestMethod = 'GET' | 'PATCH' | 'POST';

export interface RequestOptions {
  query?: Record<string, string>;
  body?: unknown;
  contentType?: string;
  /** Default application/json; discovery asks for the aggregated document this way. */
  accept?: string;
  /**
   * A list: each item is handed over as the answer arrives, and the answer's items are what this
   * returns for them, so the raw items are never all held (see KubeListReader).
   */
  eachItem?: EachItem;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID',
]);

/** Turns a socket-level failure into "cannot reach …" with a hint fitting its cause. */
export function unreachable(e: unknown, server: string, contextName: string): Error {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const what = `cannot reach the Kubernetes API at ${server} (context "${contextName}")`;
  if (TLS_CODES.has(code)) {
    return new UnreachableError(`${what}: TLS verification failed: ${(e as Error).message}`, {
      cause: e,
      hint: 'the server certificate is not trusted: set certificate-authority(-data) or tls-server-name in the kubeconfig cluster',
    });
  }
  const hint = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'the host name does not resolve: check the cluster server in the kubeconfig' : 'check that the cluster is running and the kubeconfig points at it';
  return new UnreachableError(`${what}: ${code || (e as Error).message}`, { cause: e, hint });
}

/** The deadline (or Ctrl-C) hit while a request was out; a timeout says which request, and a PATCH that its outcome is unknown. */
export function abortedRequest(signal: AbortSignal, what: string, method: string): Error {
  const reason = signal.reason as Error;
  if (!(reason instanceof TimeoutError)) return reason;
  if (method === 'GET') return new TimeoutError(reason.message, { hint: `${what} did not answer in time: raise --timeout if the cluster is just slow` });
  return new TimeoutError(`${reason.message} waiting for ${what}; whether the change was applied is unknown`, { hint: 'check with kubectl before running the command again' });
}

/** Maps a non-2xx REST answer: 401/403 are reachability problems (exit 3) that name the cause. */
export function statusError(status: number, body: string, api: { server: string; contextName: string }): Error {
  let obj: KubeStatus | undefined;
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === 'object' && parsed !== null) obj = parsed as KubeStatus;
  } catch {
    obj = undefined;
  }
  const message = obj?.message ?? (body.trim().slice(0, 200) || `HTTP ${status}`);
  if (status === 401) {
    return new UnreachableError(`the Kubernetes API at ${api.server} rejected the credentials of context "${api.contextName}" (401 Unauthorized)`, {
      hint: 'the token or certificate has expired or is wrong: log in to the cluster again',
    });
  }
  if (status === 403) {
    return new ForbiddenError(message, { hint: 'ask a cluster admin for this permission (the README lists the RBAC rules fluxctl needs)' });
  }
  return new KubeApiError(status, obj, message);
}

/** Authenticates (running an exec plugin ourselves, bounded by the signal) and returns the API. */
export interface ConnectOptions {
  signal: AbortSignal;
  env: Readonly<Record<string, string | undefined>>;
  userAgent: string;
  /** Called with the text of each `Warning` header (deprecated API versions, for instance). */
  onWarning?: (text: string) => void;
}

/** `299 - "text"` (RFC 7234 warn-code, agent, quoted text) → text, as client-go's WarningHandler reads it. */
export function warningText(header: string): string {
  const m = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(header);
  return m === null ? header : (m[1] ?? '').replace(/\\(.)/g, '$1');
}

export async function connectKube(loaded: LoadedKubeconfig, options: ConnectOptions): Promise<KubeApi> {
  const { contextName, server } = loaded;
  const credentials = await resolveCredentials(loaded, options);
  const secure = server.startsWith('https://');
  // Like kubectl, never send credentials to a plain-http server.
  const tls: TlsOptions = secure ? credentials.tls : { headers: {} };
  const agent = credentials.agent
    ? credentials.agent
    : secure
      ? new https.Agent({ keepAlive: true, ca: tls.ca, cert: tls.cert, key: tls.key, rejectUnauthorized: tls.rejectUnauthorized, servername: tls.servername })
      : new http.Agent({ keepAlive: true });
  const base = new URL(server);
  const basePath = base.pathname.replace(/\/+$/, '');
  const lib = secure ? https : http;
  const api: KubeApi = {
    contextName,
    server,
    tls,
    secure,
    agent,
    request(method, path, opts = {}) {
      const query = opts.query === undefined ? '' : `?${new URLSearchParams(opts.query).toString()}`;
      const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
      const reqHeaders: Record<string, string> = { ...tls.headers, Accept: opts.accept ?? 'application/json', 'User-Agent': options.userAgent };
      if (body !== undefined) {
        reqHeaders['Content-Type'] = opts.contentType ?? 'application/json';
        reqHeaders['Content-Length'] = String(Buffer.byteLength(body));
      }
      return new Promise((resolve, reject) => {
        const req = lib.request(
          { protocol: base.protocol, hostname: base.hostname, port: base.port, method, path: `${basePath}${path}${query}`, headers: reqHeaders, agent, signal: options.signal },
          (res) => {
            const warnings = res.headers.warning;
            if (warnings !== undefined && options.onWarning !== undefined) {
              // Node joins repeated Warning headers with ", "; each entry starts with its code.
              for (const w of warnings.split(/, (?=\d{3} )/)) options.onWarning(warningText(w));
            }
            const status = res.statusCode ?? 0;
            const ok = status >= 200 && status <= 299;
            const notJson = (): CliError =>
              new CliError(`the Kubernetes API at ${server} (context "${contextName}") answered ${method} ${path} with something that is not JSON`, {
                hint: 'the cluster server in the kubeconfig may point at a proxy or a web page rather than the API server',
              });
            const fail = (e: unknown): void => {
              reject(e instanceof NotJsonError ? notJson() : e);
              res.destroy();
            };
            if (ok && opts.eachItem !== undefined) {
              const reader = new KubeListReader(opts.eachItem);
              res.on('data', (c: Buffer) => {
                try {
                  reader.push(c);
                } catch (e) {
                  fail(e);
                }
              });
              res.on('end', () => {
                try {
                  resolve(reader.end());
                } catch (e) {
                  fail(e);
                }
              });
            } else {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => {
                const text = Buffer.concat(chunks).toString('utf8');
                if (!ok) {
                  reject(statusError(status, text, api));
                  return;
                }
                try {
                  resolve(JSON.parse(text) as unknown);
                } catch {
                  reject(notJson());
                }
              });
            }
            res.on('error', (e) => reject(options.signal.aborted ? aborted() : unreachable(e, server, contextName)));
          },
        );
        const aborted = (): Error => abortedRequest(options.signal, `the Kubernetes API at ${server} (${method} ${path})`, method);
        req.on('error', (e) => reject(options.signal.aborted ? aborted() : unreachable(e, server, contextName)));
        req.end(body);
      });
    },
    close() {
      agent.destroy();
    },
  };
  return api;
}
