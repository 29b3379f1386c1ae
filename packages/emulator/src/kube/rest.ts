// The REST side of the API server: discovery, then list/get/watch and the writing verbs for
// every built-in and custom resource, at every served version.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { selfSubjectAccessReview } from './access-review.js';
import type { Cluster } from './cluster.js';
import { aggregated, AGGREGATED_TYPE, discovery, wantsAggregated } from './discovery.js';
import type { Faults } from './faults.js';
import { authenticate, authorize, parseTarget, readBody, record, sendJson, sendStatus, verbOf, type RecordedRequest, type Target } from './http.js';
import { portForwardChecks } from './portforward.js';
import { decodeAccessReview, PROTOBUF } from './protobuf.js';
import { create, patch, remove, update, type WriteRequest } from './rest-write.js';
import { fieldSelector, labelSelector, SelectorError } from './selectors.js';
import * as S from './status.js';
import { toTable, wantsTable } from './table.js';
import type { KubeObject } from './types.js';
import { isPlainObject } from './util.js';
import { serveWatch } from './watch.js';

export interface ServerContext {
  cluster: Cluster;
  faults: Faults;
  users: Record<string, string>;
  requests: RecordedRequest[];
  serverAddress: () => string;
  watches: Set<ServerResponse>;
}

const NAME_FIELDS = ['metadata.name', 'metadata.namespace'];
const POD_FIELDS = [...NAME_FIELDS, 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP'];
// Field selectors each built-in supports (its registry's field label conversions); custom resources: name and namespace.
const FIELD_KEYS: Record<string, string[]> = {
  pods: POD_FIELDS,
  namespaces: ['metadata.name', 'status.phase'],
  replicasets: [...NAME_FIELDS, 'status.replicas'],
  secrets: [...NAME_FIELDS, 'type'],
};

function fieldsOf(o: KubeObject): Record<string, string> {
  const f: Record<string, string> = { 'metadata.name': o.metadata.name, 'metadata.namespace': o.metadata.namespace ?? '' };
  const spec: Record<string, unknown> = isPlainObject(o.spec) ? o.spec : {};
  for (const k of ['nodeName', 'restartPolicy', 'schedulerName', 'serviceAccountName']) f[`spec.${k}`] = String(spec[k] ?? '');
  const status: Record<string, unknown> = isPlainObject(o.status) ? o.status : {};
  for (const k of ['phase', 'podIP', 'replicas']) f[`status.${k}`] = String(status[k] ?? '');
  f.type = String((o as { type?: unknown }).type ?? '');
  return f;
}

const BODY_METHODS = new Set(['PATCH', 'PUT', 'POST']);

export async function handleRequest(req: IncomingMessage, res: ServerResponse, ctx: ServerContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const rec = record(req, url, false);
  ctx.requests.push(rec);
  // Watches end with 'close' rather than 'finish'; either way record what was answered.
  const done = (): void => void (rec.status ??= res.headersSent ? res.statusCode : undefined);
  res.on('finish', done);
  res.on('close', done);
  try {
    rec.user = authenticate(req, ctx.users, ctx.faults);
    if (BODY_METHODS.has(req.method ?? '')) {
      const bytes = await readBody(req);
      rec.body = decodeBody(bytes, req.method === 'PATCH' ? undefined : req.headers['content-type'], url.pathname);
    }
    const fault = ctx.faults.takeRest(req.method ?? 'GET', url.pathname);
    if (fault?.hang) return;
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.status !== undefined) return sendJson(res, fault.status, fault.body ?? {});
    if (rec.body instanceof Buffer) throw new S.HttpError(S.unsupportedBody());
    if (req.method === 'GET' && serveDiscovery(req, res, ctx, url.pathname)) return;
    const t = parseTarget(url.pathname, ctx.cluster.resources);
    if (!t) throw new S.HttpError(S.pathNotFound());
    warnIfDeprecated(res, ctx, t);
    const verb = verbOf(req.method ?? 'GET', t, url.searchParams);
    if (t.subresource === 'portforward' && t.resource === 'pods') {
      // Plain (non-upgrade) request to the WebSocket endpoint: same checks, then 400.
      portForwardChecks(ctx, rec.user, t, verb);
      throw new S.HttpError(S.badRequest('Upgrade request required'));
    }
    const hasStatus = ctx.cluster.resources.version(t.resource, t.version).status;
    if (t.subresource !== undefined && !(t.subresource === 'status' && hasStatus)) throw new S.HttpError(S.pathNotFound());
    authorize(ctx.faults, rec.user, verb, t);
    if (t.info.virtual) {
      if (verb !== 'create') throw new S.HttpError(S.methodNotAllowed());
      return selfSubjectAccessReview(res, ctx, rec.user, rec.body);
    }
    dispatch(verb, { req, res, ctx, t, query: url.searchParams, body: rec.body });
  } catch (e) {
    if (e instanceof S.HttpError) return sendStatus(res, e.body);
    if (e instanceof SelectorError) return sendStatus(res, S.badRequest(e.message));
    sendStatus(res, S.status(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`));
  }
}

/**
 * JSON (the raw text when it does not parse), a protobuf SelfSubjectAccessReview (kubectl auth
 * can-i sends one), or the bytes of any other body this server cannot decode (answered 415).
 * PATCH bodies are always text: their content type names the patch format instead.
 */
function decodeBody(bytes: Buffer, contentType: string | undefined, path: string): unknown {
  const type = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  if (type === PROTOBUF && path.endsWith('/selfsubjectaccessreviews')) {
    try { return decodeAccessReview(bytes); } catch { return bytes; }
  }
  if (type !== 'application/json' && !type.endsWith('patch+json')) return bytes;
  const text = bytes.toString('utf8');
  try { return JSON.parse(text) as unknown; } catch { return text; }
}

function dispatch(verb: string, w: WriteRequest): void {
  const { req, res, ctx, t, query } = w;
  const collection = t.name === undefined;
  switch (verb) {
    case 'list': return list(req, res, ctx, t, query);
    case 'watch': return watch(req, res, ctx, t, query);
    case 'get': return get(req, res, ctx, t);
    case 'patch': return patch(w);
    case 'update': return update(w);
    case 'create': if (collection && t.subresource === undefined) return create(w); break;
    case 'delete': if (t.subresource === undefined) return remove(w); break;
  }
  throw new S.HttpError(S.methodNotAllowed());
}

function serveDiscovery(req: IncomingMessage, res: ServerResponse, ctx: ServerContext, path: string): boolean {
  const registry = ctx.cluster.resources;
  if ((path === '/api' || path === '/apis') && wantsAggregated(req.headers.accept)) {
    const text = JSON.stringify(aggregated(registry, path === '/api'));
    res.writeHead(200, { 'Content-Type': AGGREGATED_TYPE, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private', Vary: 'Accept' });
    res.end(text);
    return true;
  }
  const doc = discovery(registry, path, ctx.serverAddress());
  if (doc) sendJson(res, 200, doc);
  return doc !== undefined;
}

/** A deprecated custom-resource version answers with a warning (299) on every request. */
function warnIfDeprecated(res: ServerResponse, ctx: ServerContext, t: Target): void {
  const v = ctx.cluster.resources.version(t.resource, t.version);
  if (v.deprecated) res.setHeader('Warning', `299 - "${(v.deprecationWarning ?? '').replace(/["\\]/g, '\\$&')}"`);
}

function selected(ctx: ServerContext, t: Target, q: URLSearchParams): KubeObject[] {
  const labels = labelSelector(q.get('labelSelector'));
  const fields = fieldSelector(q.get('fieldSelector'), FIELD_KEYS[t.resource] ?? NAME_FIELDS);
  return ctx.cluster.list(t.resource, t.namespace).filter((o) => labels(o.metadata.labels) && fields(fieldsOf(o)));
}

function list(req: IncomingMessage, res: ServerResponse, ctx: ServerContext, t: Target, q: URLSearchParams): void {
  let items = selected(ctx, t, q);
  const meta: Record<string, unknown> = { resourceVersion: ctx.cluster.resourceVersion };
  const limit = Number(q.get('limit') ?? 0);
  let offset = 0;
  const token = q.get('continue');
  if (token) {
    try {
      offset = (JSON.parse(Buffer.from(token, 'base64url').toString()) as { offset: number }).offset;
    } catch {
      throw new S.HttpError(S.badRequest('continue key is not valid: illegal base64 data'));
    }
  }
  if (limit > 0 || offset > 0) {
    const end = limit > 0 ? offset + limit : items.length;
    if (end < items.length) {
      meta.continue = Buffer.from(JSON.stringify({ offset: end })).toString('base64url');
      meta.remainingItemCount = items.length - end;
    }
    items = items.slice(offset, end);
  }
  const registry = ctx.cluster.resources;
  if (wantsTable(req.headers.accept)) {
    return sendJson(res, 200, toTable({ registry, resource: t.resource, version: t.version, includeObject: q.get('includeObject') }, items, meta));
  }
  // List items carry no kind/apiVersion, except custom resources (stored as unstructured JSON).
  const wire = t.info.custom ? items.map((o) => registry.withKind(t.resource, o, t.version)) : items;
  sendJson(res, 200, { kind: t.info.listKind, apiVersion: registry.apiVersion(t.resource, t.version), metadata: meta, items: wire });
}

function watch(req: IncomingMessage, res: ServerResponse, ctx: ServerContext, t: Target, q: URLSearchParams): void {
  const labels = labelSelector(q.get('labelSelector'));
  const fields = fieldSelector(q.get('fieldSelector'), FIELD_KEYS[t.resource] ?? NAME_FIELDS);
  serveWatch(req, res, ctx.cluster, {
    resource: t.resource,
    ...(t.namespace !== undefined ? { namespace: t.namespace } : {}),
    matches: (o) => labels(o.metadata.labels) && fields(fieldsOf(o)),
    present: (o) => ctx.cluster.resources.withKind(t.resource, o, t.version),
    query: q,
  }, ctx.watches);
}

function get(req: IncomingMessage, res: ServerResponse, ctx: ServerContext, t: Target): void {
  const obj = ctx.cluster.get(t.resource, t.namespace, t.name!);
  if (!obj) throw new S.HttpError(S.notFound(t.resource, t.name!));
  if (wantsTable(req.headers.accept)) {
    const includeObject = new URL(req.url ?? '/', 'http://x').searchParams.get('includeObject');
    return sendJson(res, 200, toTable({ registry: ctx.cluster.resources, resource: t.resource, version: t.version, includeObject }, [obj], { resourceVersion: obj.metadata.resourceVersion }));
  }
  sendJson(res, 200, ctx.cluster.resources.withKind(t.resource, obj, t.version));
}
