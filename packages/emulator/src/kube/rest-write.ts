// The writing verbs: PATCH (strategic, merge, JSON patch), PUT, POST and DELETE, for the main
// resource and its status subresource, with resourceVersion preconditions, ?dryRun=All and
// ?fieldManager= (recorded in managedFields).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson, type Target } from './http.js';
import { PATCH_TYPES, PatchError, type PatchType } from './patch.js';
import type { ServerContext } from './rest.js';
import * as S from './status.js';
import type { WriteOptions } from './store.js';
import type { Deployment, KubeObject, Pod } from './types.js';
import { deepEqual, isPlainObject, safeHash, timestamp } from './util.js';
import { validateDeployment, validateName } from './validate.js';

export interface WriteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  ctx: ServerContext;
  t: Target;
  query: URLSearchParams;
  body: unknown;
}

function mustFind<T extends KubeObject>(ctx: ServerContext, t: Target): T {
  const obj = ctx.cluster.get<T>(t.resource, t.namespace, t.name!);
  if (!obj) throw new S.HttpError(S.notFound(t.resource, t.name!));
  return obj;
}

/** Without ?fieldManager the server names the manager after the User-Agent's product token. */
function writeOptions(w: WriteRequest): WriteOptions {
  const ua = String(w.req.headers['user-agent'] ?? '').split('/')[0]!.slice(0, 128);
  const manager = w.query.get('fieldManager') || ua || 'unknown';
  return {
    fieldManager: manager, version: w.t.version,
    ...(w.t.subresource === 'status' ? { subresource: 'status' as const } : {}),
    ...(w.query.get('dryRun') === 'All' ? { dryRun: true } : {}),
  };
}

function jsonBody(body: unknown): Record<string, unknown> {
  if (typeof body === 'string') throw new S.HttpError(S.badRequest(`error decoding patch: invalid JSON: ${body.slice(0, 80)}`));
  return body as Record<string, unknown>;
}

/** The resourceVersion in a body is a precondition: a stale one is a 409. */
function checkPrecondition(t: Target, proposed: Record<string, unknown>, current: KubeObject): void {
  const rv = isPlainObject(proposed.metadata) ? proposed.metadata.resourceVersion : undefined;
  if (rv !== undefined && rv !== '' && rv !== current.metadata.resourceVersion) throw new S.HttpError(S.conflict(t.resource, current.metadata.name));
}

function validate(t: Target, proposed: Record<string, unknown>, current: KubeObject | undefined): void {
  if (t.resource !== 'deployments' || t.subresource === 'status') return;
  const causes = validateDeployment(proposed);
  const next = proposed as unknown as Deployment;
  if (causes.length === 0 && current && !deepEqual(next.spec.selector, (current as Deployment).spec.selector)) {
    causes.push({ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(next.spec.selector)}: field is immutable`, field: 'spec.selector' });
  }
  if (causes.length) throw new S.HttpError(S.invalid('Deployment', 'apps', String((proposed.metadata as { name?: unknown })?.name ?? ''), causes));
}

function commit(w: WriteRequest, proposed: Record<string, unknown>, code: number): void {
  const { object } = w.ctx.cluster.write(w.t.resource, proposed, writeOptions(w));
  sendJson(w.res, code, w.ctx.cluster.resources.withKind(w.t.resource, object, w.t.version));
}

export function patch(w: WriteRequest): void {
  const { t } = w;
  const type = String(w.req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  // Custom resources have no Go struct tags, so no strategic merge (apiserver patch.go).
  if (!(type in PATCH_TYPES) || (t.info.custom && type === 'application/strategic-merge-patch+json')) {
    throw new S.HttpError(S.unsupportedMediaType(t.info.custom));
  }
  const body = jsonBody(w.body);
  const current = mustFind(w.ctx, t);
  let patched: unknown;
  try {
    patched = PATCH_TYPES[type as PatchType](w.ctx.cluster.resources.withKind(t.resource, structuredClone(current), t.version), body);
  } catch (e) {
    if (e instanceof PatchError && e.kind === 'decode') throw new S.HttpError(S.badRequest(e.message));
    throw new S.HttpError(S.patchRejected());
  }
  if (!isPlainObject(patched) || !isPlainObject(patched.metadata)) throw new S.HttpError(S.patchRejected());
  checkPrecondition(t, patched, current);
  validate(t, patched, current);
  commit(w, patched, 200);
}

export function update(w: WriteRequest): void {
  const { t } = w;
  const body = jsonBody(w.body);
  if (!isPlainObject(body) || !isPlainObject(body.metadata)) throw new S.HttpError(S.badRequest('Object \'metadata\' is missing in the request body'));
  if (body.metadata.name !== t.name) {
    throw new S.HttpError(S.badRequest(`the name of the object (${String(body.metadata.name)}) does not match the name on the URL (${t.name})`));
  }
  const current = mustFind(w.ctx, t);
  const rv = body.metadata.resourceVersion;
  // Custom resources refuse unconditional updates (apiextensions strategy).
  if (t.info.custom && (rv === undefined || rv === '')) {
    throw new S.HttpError(S.invalid(t.info.kind, t.group, t.name!, [{ reason: 'FieldValueInvalid', message: 'Invalid value: 0x0: must be specified for an update', field: 'metadata.resourceVersion' }]));
  }
  checkPrecondition(t, body, current);
  validate(t, body, current);
  commit(w, body, 200);
}

export function create(w: WriteRequest): void {
  const { t, ctx } = w;
  const body = jsonBody(w.body);
  if (!isPlainObject(body)) throw new S.HttpError(S.badRequest('the body of the request was in an unknown format'));
  const meta = isPlainObject(body.metadata) ? { ...body.metadata } : {};
  if (t.namespace !== undefined && meta.namespace !== undefined && meta.namespace !== t.namespace) {
    throw new S.HttpError(S.badRequest('the namespace of the provided object does not match the namespace sent on the request'));
  }
  if (!meta.name && typeof meta.generateName === 'string') meta.name = `${meta.generateName}${safeHash(`${meta.generateName}${Date.now()}${Math.random()}`, 5)}`;
  const name = typeof meta.name === 'string' ? meta.name : '';
  const causes = validateName(name);
  if (causes.length) throw new S.HttpError(S.invalid(t.info.kind, t.group, name, causes));
  if (t.namespace !== undefined && !ctx.cluster.get('namespaces', undefined, t.namespace)) throw new S.HttpError(S.notFound('namespaces', t.namespace));
  if (ctx.cluster.get(t.resource, t.namespace, name)) throw new S.HttpError(S.alreadyExists(t.resource, name));
  const proposed = { ...body, metadata: { ...meta, ...(t.namespace !== undefined ? { namespace: t.namespace } : {}) } };
  validate(t, proposed, undefined);
  if (t.resource === 'customresourcedefinitions' && w.query.get('dryRun') !== 'All') {
    const key = ctx.cluster.registerObject(proposed);
    return sendJson(w.res, 201, ctx.cluster.resources.withKind(t.resource, ctx.cluster.get(t.resource, undefined, key)!, t.version));
  }
  commit(w, proposed, 201);
}

export function remove(w: WriteRequest): void {
  const { t, ctx } = w;
  const dryRun = w.query.get('dryRun') === 'All';
  if (t.resource === 'pods' && !dryRun) return removePod(w);
  const obj = mustFind(ctx, t);
  const result = dryRun ? obj : ctx.cluster.delete(t.resource, t.namespace, t.name!);
  sendJson(w.res, 200, ctx.cluster.resources.withKind(t.resource, result, t.version));
}

// Graceful deletion: the pod turns Terminating now and disappears a moment later;
// a ReplicaSet-owned pod gets a successor from the controller.
function removePod(w: WriteRequest): void {
  const { ctx } = w;
  const pod = mustFind<Pod>(ctx, w.t);
  if (!pod.metadata.deletionTimestamp) {
    Object.assign(pod.metadata, { deletionTimestamp: timestamp(new Date(Date.now() + 30_000)), deletionGracePeriodSeconds: 30 });
    ctx.cluster.save('pods', pod);
  }
  if (pod.metadata.ownerReferences?.length) ctx.cluster.controller.kickOwnerOf(pod);
  else ctx.cluster.controller.later(() => ctx.cluster.remove('pods', pod.metadata.namespace, pod.metadata.name));
  sendJson(w.res, 200, ctx.cluster.resources.withKind('pods', pod));
}
