// Request plumbing shared by the REST router and the port-forward upgrade handler:
// authentication, path parsing, authorisation attributes and JSON responses.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Faults } from './faults.js';
import type { ResourceInfo, ResourceRegistry } from './resources.js';
import { forbidden, HttpError, unauthorized, type Status } from './status.js';
import type { Resource } from './types.js';

export interface RecordedRequest {
  method: string;
  path: string;
  /** Decoded query parameters (`+` is a space); the last value wins for repeated keys. */
  query: Record<string, string>;
  rawQuery: string;
  user?: string;
  contentType?: string;
  /** Parsed JSON body of a PATCH, PUT or POST (the raw text when it is not JSON). */
  body?: unknown;
  upgrade: boolean;
  /** HTTP status answered (101 for a completed upgrade); unset while pending or when hung. */
  status?: number;
}

export interface Target {
  /** '' for the core group. */
  group: string;
  /** The version in the URL (objects are answered at this version). */
  version: string;
  resource: Resource;
  info: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export function record(req: IncomingMessage, url: URL, upgrade: boolean): RecordedRequest {
  const ct = req.headers['content-type'];
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    rawQuery: url.search.replace(/^\?/, ''),
    ...(ct ? { contentType: ct } : {}),
    upgrade,
  };
}

/** Client certificate CN first (like the x509 authenticator), then a bearer token. */
export function authenticate(req: IncomingMessage, users: Record<string, string>, faults: Faults): string {
  if (faults.unauthorized) throw new HttpError(unauthorized());
  const sock = req.socket as Partial<TLSSocket>;
  if (sock.authorized && typeof sock.getPeerCertificate === 'function') {
    const cn = sock.getPeerCertificate().subject?.CN;
    const name = Array.isArray(cn) ? cn[0] : cn;
    if (name) return name;
  }
  const auth = req.headers.authorization;
  const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
  const user = token !== undefined && Object.hasOwn(users, token) ? users[token] : undefined;
  if (!user) throw new HttpError(unauthorized());
  return user;
}

/** `/api/v1[/namespaces/{ns}]/{plural}[/{name}[/{sub}]]`, `/apis/{group}/{version}/…` likewise, for served versions only. */
export function parseTarget(path: string, registry: ResourceRegistry): Target | undefined {
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))((?:\/[^/]+)+)$/.exec(path);
  if (!m) return undefined;
  const group = m[2] ?? '';
  const version = (m[1] ?? m[3])!;
  let segs = m[4]!.slice(1).split('/').map(decodeURIComponent);
  let namespace: string | undefined;
  if (segs[0] === 'namespaces' && segs.length >= 3) {
    namespace = segs[1];
    segs = segs.slice(2);
  }
  if (segs.length > 3) return undefined;
  const info = registry.lookup(group, version, segs[0]!);
  if (!info) return undefined;
  if ((namespace !== undefined && !info.namespaced) || (info.namespaced && namespace === undefined && segs.length > 1)) return undefined;
  const t: Target = { group, version, resource: info.key, info };
  if (namespace !== undefined) t.namespace = namespace;
  if (segs[1] !== undefined) t.name = segs[1];
  if (segs[2] !== undefined) t.subresource = segs[2];
  return t;
}

export function verbOf(method: string, t: Target, query: URLSearchParams): string {
  const watch = ['true', '1'].includes(query.get('watch') ?? '');
  switch (method) {
    case 'GET':
    case 'HEAD':
      return t.name === undefined ? (watch ? 'watch' : 'list') : 'get';
    case 'PATCH': return 'patch';
    case 'PUT': return 'update';
    case 'POST': return 'create';
    case 'DELETE': return t.name === undefined ? 'deletecollection' : 'delete';
    default: return method.toLowerCase();
  }
}

export function authorize(faults: Faults, user: string, verb: string, t: Target): void {
  const attrs = {
    user, verb, resource: t.resource, group: t.group,
    ...(t.subresource ? { subresource: t.subresource } : {}),
    ...(t.namespace !== undefined ? { namespace: t.namespace } : {}),
  };
  if (faults.isDenied(attrs)) throw new HttpError(forbidden({ ...attrs, ...(t.name ? { name: t.name } : {}) }));
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
  res.end(text);
}

export function sendStatus(res: ServerResponse, s: Status): void {
  sendJson(res, s.code, s);
}

/** The raw HTTP text of a non-101 answer to an upgrade request. */
export function rawResponse(code: number, reason: string, body: string, contentType?: string): string {
  const head = [`HTTP/1.1 ${code} ${reason}`];
  if (contentType) head.push(`Content-Type: ${contentType}`);
  if (body || contentType) head.push(`Content-Length: ${Buffer.byteLength(body)}`);
  head.push('Connection: close');
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
