// Read-only route handlers: ping, version, services, images, jobs, sync, export, identity.
import { coverAll, errorResponse, unknownJob, writeError, type Reply } from './errors.js';
import { encodeControllerStatus, encodePublicKey } from './encode.js';
import { exportYaml } from './export.js';
import { goError, goJson } from './gojson.js';
import { canonicalID, invalidIDMessage, parseID } from './ids.js';
import { CONTAINER_FIELDS, encodeImageStatus } from './images.js';
import { encodeJobStatus, pollJob } from './jobs.js';
import { emptyReply, jsonReply } from './respond.js';
import { repoNotReady, syncStatus } from './sync.js';
import type { FluxdState } from './types.js';

export interface Ctx {
  state: FluxdState;
  method: string;
  /** the path after /api/flux */
  path: string;
  query: Record<string, string[]>;
  body: string;
  /** every Accept header value, in order */
  accept: string[];
}

/** url.Values.Get: the first value, or "". */
export const q = (ctx: Ctx, key: string): string => ctx.query[key]?.[0] ?? '';

export const ok = (value: unknown): Reply => jsonReply(goJson(value));

export function ping(ctx: Ctx): Reply {
  return ctx.state.pingError ? errorResponse(ctx.accept, coverAll(ctx.state.pingError)) : emptyReply(204);
}

export const version = (ctx: Ctx): Reply => ok(ctx.state.version);

export function services(ctx: Ctx): Reply {
  const namespace = q(ctx, 'namespace');
  const raw = q(ctx, 'services');
  const wanted = new Set<string>();
  if (raw !== '') {
    for (const svc of raw.split(',')) {
      const id = canonicalID(svc);
      if (id === null) return writeError(ctx.accept, 400, goError(`parsing service spec ${JSON.stringify(svc)}: ${invalidIDMessage(svc)}`));
      wanted.add(id);
    }
  }
  if (namespace !== '' && wanted.size > 0) {
    return errorResponse(ctx.accept, goError("cannot filter by 'namespace' and 'workloads' at the same time"));
  }
  const list = ctx.state.workloads.filter(
    (w) => !w.notInCluster && (namespace === '' || parseID(w.id)?.namespace === namespace) && (wanted.size === 0 || wanted.has(w.id)),
  );
  for (const w of list) stepRollout(w);
  return ok(list.length > 0 ? list.map((w) => encodeControllerStatus(ctx.state, w)) : null);
}

/** A scripted rollout moves one step per answer that lists the workload. */
function stepRollout(w: FluxdState['workloads'][number]): void {
  const step = w.rolloutSteps?.shift();
  if (step === undefined) return;
  w.status = step.status;
  w.rollout = { ...w.rollout, ...step.rollout };
}

export function images(ctx: Ctx): Reply {
  const service = q(ctx, 'service') || '<all>';
  const all = service === '<all>';
  const id = all ? null : canonicalID(service);
  if (!all && id === null) {
    const msg = `parsing service spec ${JSON.stringify(service)}: invalid workload spec: ${invalidIDMessage(service)}`;
    return writeError(ctx.accept, 400, goError(msg));
  }
  const namespace = q(ctx, 'namespace');
  if (namespace !== '' && !all) return errorResponse(ctx.accept, goError("cannot filter by 'namespace' and 'workload' at the same time"));
  const fieldsRaw = q(ctx, 'containerFields');
  const fields = new Set(fieldsRaw === '' ? [] : fieldsRaw.split(','));
  for (const f of fields) {
    if (!(CONTAINER_FIELDS as readonly string[]).includes(f)) return errorResponse(ctx.accept, goError(`${f} is an invalid field`));
  }
  const list = ctx.state.workloads.filter(
    (w) => !w.notInCluster && (all ? namespace === '' || parseID(w.id)?.namespace === namespace : w.id === id),
  );
  return ok(list.length > 0 ? list.map((w) => encodeImageStatus(ctx.state, w, fields)) : null);
}

export function jobStatus(ctx: Ctx): Reply {
  const id = q(ctx, 'id');
  const job = ctx.state.jobs.find((j) => j.id === id);
  if (job) return ok(encodeJobStatus(pollJob(job)));
  // Not cached: the daemon searches git notes, which needs a ready repo.
  const notReady = repoNotReady(ctx.state);
  return errorResponse(ctx.accept, notReady ?? unknownJob(id));
}

export function sync(ctx: Ctx): Reply {
  const res = syncStatus(ctx.state, q(ctx, 'ref'));
  return 'err' in res ? errorResponse(ctx.accept, res.err) : ok(res.revs);
}

export function exportConfig(ctx: Ctx): Reply {
  return ok(Buffer.from(exportYaml(ctx.state), 'utf8').toString('base64'));
}

export const getPublicKey = (ctx: Ctx): Reply => ok(encodePublicKey(ctx.state.git.publicKey));
