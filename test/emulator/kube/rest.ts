// The REST side of the API server: discovery, list/get/watch, PATCH and DELETE.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster } from './cluster.js';
import type { Faults } from './faults.js';
import { authenticate, authorize, parseTarget, readBody, record, sendJson, sendStatus, verbOf, type RecordedRequest, type Target } from './http.js';
import { PATCH_TYPES, PatchError, type PatchType } from './patch.js';
import { portForwardChecks } from './portforward.js';
import { discovery } from './discovery.js';
import { fieldSelector, labelSelector, SelectorError } from './selectors.js';
import * as S from './status.js';
import { toTable, wantsTable } from './table.js';
import type { Deployment, KubeObject, Pod, Resource } from './types.js';
import { deepEqual, isPlainObject, timestamp } from './util.js';
import { validateDeployment } from './validate.js';
import { serveWatch } from './watch.js';

export interface ServerContext {
  cluster: Cluster;
  faults: Faults;
  users: Record<string, string>;
  requests: RecordedRequest[];
  serverAddress: () => string;
  watches: Set<ServerResponse>;
}

const POD_FIELDS = ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP'];
const FIELD_KEYS: Record<string, string[]> = {
  pods: POD_FIELDS,
  namespaces: ['metadata.name', 'status.phase'],
  deployments: ['metadata.name', 'metadata.namespace'],
  replicasets: ['metadata.name', 'metadata.namespace', 'status.replicas'],
};

function fieldsOf(o: KubeObject): Record<string, string> {
  const f: Record<string, string> = { 'metadata.name': o.metadata.name, 'metadata.namespace': o.metadata.namespace ?? '' };
  const spec = o.spec as Record<string, unknown>;
  for (const k of ['nodeName', 'restartPolicy', 'schedulerName', 'serviceAccountName']) f[`spec.${k}`] = String(spec[k] ?? '');
  const status = o.status as Record<string, unknown>;
  for (const k of ['phase', 'podIP', 'replicas']) f[`status.${k}`] = String(status[k] ?? '');
  return f;
}

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
    if (req.method === 'PATCH') {
      const text = await readBody(req);
      try { rec.body = JSON.parse(text); } catch { rec.body = text; }
    }
    const fault = ctx.faults.takeRest(req.method ?? 'GET', url.pathname);
    if (fault?.hang) return;
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.status !== undefined) return sendJson(res, fault.status, fault.body ?? {});
    const doc = req.method === 'GET' ? discovery(ctx.cluster.resources, url.pathname, ctx.serverAddress()) : undefined;
    if (doc) return sendJson(res, 200, doc);
    const t = parseTarget(url.pathname, ctx.cluster.resources);
    if (!t) throw new S.HttpError(S.pathNotFound());
    const verb = verbOf(req.method ?? 'GET', t, url.searchParams);
    if (t.subresource === 'portforward') {
      // Plain (non-upgrade) request to the WebSocket endpoint: same checks, then 400.
      portForwardChecks(ctx, rec.user, t, verb);
      throw new S.HttpError(S.badRequest('Upgrade request required'));
    }
    if (t.subresource !== undefined) throw new S.HttpError(S.pathNotFound());
    authorize(ctx.faults, rec.user, verb, t);
    switch (verb) {
      case 'list': return list(req, res, ctx, t, url.searchParams);
      case 'watch': return watch(req, res, ctx, t, url.searchParams);
      case 'get': return get(req, res, ctx, t);
      case 'patch': return patch(res, ctx, t, req.headers['content-type'] ?? '', rec.body, url.searchParams);
      case 'delete': return remove(res, ctx, t);
      default: throw new S.HttpError(S.methodNotAllowed());
    }
  } catch (e) {
    if (e instanceof S.HttpError) return sendStatus(res, e.body);
    if (e instanceof SelectorError) return sendStatus(res, S.badRequest(e.message));
    sendStatus(res, S.status(500, 'InternalError', `Internal error occurred: ${(e as Error).message}`));
  }
}

function selected(ctx: ServerContext, t: Target, q: URLSearchParams): KubeObject[] {
  const labels = labelSelector(q.get('labelSelector'));
  const fields = fieldSelector(q.get('fieldSelector'), FIELD_KEYS[t.resource] ?? ['metadata.name', 'metadata.namespace']);
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
  if (wantsTable(req.headers.accept)) return sendJson(res, 200, toTable({ registry: ctx.cluster.resources, resource: t.resource, version: t.version, includeObject: q.get('includeObject') }, items, meta));
  sendJson(res, 200, { kind: t.info.listKind, apiVersion: ctx.cluster.resources.apiVersion(t.resource, t.version), metadata: meta, items });
}

function watch(req: IncomingMessage, res: ServerResponse, ctx: ServerContext, t: Target, q: URLSearchParams): void {
  const labels = labelSelector(q.get('labelSelector'));
  const fields = fieldSelector(q.get('fieldSelector'), FIELD_KEYS[t.resource] ?? ['metadata.name', 'metadata.namespace']);
  serveWatch(req, res, ctx.cluster, {
    resource: t.resource,
    ...(t.namespace !== undefined ? { namespace: t.namespace } : {}),
    matches: (o) => labels(o.metadata.labels) && fields(fieldsOf(o)),
    present: (o) => ctx.cluster.resources.withKind(t.resource, o, t.version),
    query: q,
  }, ctx.watches);
}

function mustFind<T extends KubeObject>(ctx: ServerContext, t: Target): T {
  const obj = ctx.cluster.get<T>(t.resource, t.namespace, t.name!);
  if (!obj) throw new S.HttpError(S.notFound(t.resource, t.name!));
  return obj;
}

function get(req: IncomingMessage, res: ServerResponse, ctx: ServerContext, t: Target): void {
  const obj = mustFind(ctx, t);
  if (wantsTable(req.headers.accept)) {
    const includeObject = new URL(req.url ?? '/', 'http://x').searchParams.get('includeObject');
    return sendJson(res, 200, toTable({ registry: ctx.cluster.resources, resource: t.resource, version: t.version, includeObject }, [obj], { resourceVersion: obj.metadata.resourceVersion }));
  }
  sendJson(res, 200, ctx.cluster.resources.withKind(t.resource, obj));
}

function remove(res: ServerResponse, ctx: ServerContext, t: Target): void {
  if (t.resource !== 'pods') throw new S.HttpError(S.methodNotAllowed());
  const pod = mustFind<Pod>(ctx, t);
  // Graceful deletion: the pod turns Terminating now and disappears a moment later;
  // a ReplicaSet-owned pod gets a successor from the controller.
  if (!pod.metadata.deletionTimestamp) {
    Object.assign(pod.metadata, { deletionTimestamp: timestamp(new Date(Date.now() + 30_000)), deletionGracePeriodSeconds: 30 });
    ctx.cluster.save('pods', pod);
  }
  if (pod.metadata.ownerReferences?.length) ctx.cluster.controller.kickOwnerOf(pod);
  else ctx.cluster.controller.later(() => ctx.cluster.remove('pods', pod.metadata.namespace, pod.metadata.name));
  sendJson(res, 200, ctx.cluster.resources.withKind('pods', pod));
}

function patch(res: ServerResponse, ctx: ServerContext, t: Target, contentType: string, body: unknown, q: URLSearchParams): void {
  if (t.resource !== 'deployments') throw new S.HttpError(S.methodNotAllowed());
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (!(type in PATCH_TYPES)) throw new S.HttpError(S.unsupportedMediaType(t.info.custom));
  if (typeof body === 'string') throw new S.HttpError(S.badRequest(`error decoding patch: invalid JSON: ${body.slice(0, 80)}`));
  const current = mustFind<Deployment>(ctx, t);
  let patched: unknown;
  try {
    patched = PATCH_TYPES[type as PatchType](ctx.cluster.resources.withKind('deployments', structuredClone(current)), body);
  } catch (e) {
    if (e instanceof PatchError && e.kind === 'decode') throw new S.HttpError(S.badRequest(e.message));
    throw new S.HttpError(S.patchRejected());
  }
  if (!isPlainObject(patched) || !isPlainObject(patched.metadata)) throw new S.HttpError(S.patchRejected());
  const rv = patched.metadata.resourceVersion;
  if (rv !== undefined && rv !== '' && rv !== current.metadata.resourceVersion) throw new S.HttpError(S.conflict('deployments', current.metadata.name));

  const causes = validateDeployment(patched);
  const next = patched as unknown as Deployment & { kind?: string; apiVersion?: string };
  if (causes.length === 0 && !deepEqual(next.spec.selector, current.spec.selector)) {
    causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(next.spec.selector)}: field is immutable`, field: 'spec.selector' });
  }
  if (causes.length) throw new S.HttpError(S.invalid('Deployment', 'apps', current.metadata.name, causes));

  // Identity, bookkeeping and status are the server's, whatever the patch said.
  delete next.kind;
  delete next.apiVersion;
  const m = current.metadata;
  Object.assign(next.metadata, { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, generation: m.generation, creationTimestamp: m.creationTimestamp });
  next.status = current.status;
  if (deepEqual(next, current)) return sendJson(res, 200, ctx.cluster.resources.withKind('deployments', current));
  const specChanged = !deepEqual(next.spec, current.spec);
  if (specChanged) next.metadata.generation = (m.generation ?? 1) + 1;
  if (q.get('dryRun') === 'All') return sendJson(res, 200, ctx.cluster.resources.withKind('deployments', next));
  ctx.cluster.save('deployments', next);
  if (specChanged) ctx.cluster.controller.kick(next);
  sendJson(res, 200, ctx.cluster.resources.withKind('deployments', next));
}
