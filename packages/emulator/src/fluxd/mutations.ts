// Route handlers that change things: notify, update-manifests, git-repo-config, the legacy
// update-images and policies routes, and key regeneration.
import { coverAll, errorResponse, writeError, type Reply } from './errors.js';
import { encodeGitConfig, zeroGitConfig } from './encode.js';
import { decodeFirst, field, goError, goJson, jsonKind, typeError } from './gojson.js';
import { canonicalID, invalidIDMessage, parseImageRef } from './ids.js';
import { submit } from './jobs.js';
import { decodePolicyUpdates, decodeSpec, type Spec } from './spec.js';
import { emptyReply } from './respond.js';
import { generateKey } from './sshkey.js';
import { ok, q, type Ctx } from './handlers.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function notify(ctx: Ctx): Reply {
  const d = decodeFirst(ctx.body);
  if (!d.ok) return writeError(ctx.accept, 400, d.err);
  if (!isObject(d.value)) return writeError(ctx.accept, 400, typeError(jsonKind(d.value), 'v9.raw', d.end));
  const kind = field(d.value, 'Kind');
  if (kind !== 'git' && kind !== 'image') return writeError(ctx.accept, 400, goError('unknown kind of change'));
  const source = field(d.value, 'Source');
  if (source === undefined) return writeError(ctx.accept, 400, goError('unexpected end of JSON input', { Offset: 0 }));
  ctx.state.notifications.push({ kind, source });
  return emptyReply(202);
}

function submitReply(ctx: Ctx, spec: Spec): Reply {
  const res = submit(ctx.state, spec);
  return 'err' in res ? errorResponse(ctx.accept, res.err) : ok(res.id);
}

export function updateManifests(ctx: Ctx): Reply {
  const d = decodeFirst(ctx.body);
  if (!d.ok) return writeError(ctx.accept, 400, d.err);
  const decoded = decodeSpec(d.value, d.end);
  if ('err' in decoded) return writeError(ctx.accept, 400, decoded.err);
  return submitReply(ctx, decoded.spec);
}

/** Concatenate what a handler that keeps writing after an error sends (status of the first). */
function concat(first: Reply, body: string): Reply {
  return { status: first.status, headers: first.headers, body: first.body + body };
}

/** Swaps the deploy key; returns the error text when the knob says it fails. */
function regenerate(ctx: Ctx): string | undefined {
  if (ctx.state.regenerateError) return ctx.state.regenerateError;
  ctx.state.git.publicKey = generateKey();
  return undefined;
}

export function gitRepoConfig(ctx: Ctx): Reply {
  const d = decodeFirst(ctx.body);
  let regen = false;
  // The handler does not return after a decode error: the 400 is followed by the config.
  let first: Reply | undefined;
  if (!d.ok) first = writeError(ctx.accept, 400, d.err);
  else if (typeof d.value === 'boolean') regen = d.value;
  else if (d.value !== null) first = writeError(ctx.accept, 400, typeError(jsonKind(d.value), 'bool', d.end));
  if (regen) {
    const failure = regenerate(ctx);
    if (failure) return concat(errorResponse(ctx.accept, coverAll(failure)), goJson(zeroGitConfig()));
  }
  const config = goJson(encodeGitConfig(ctx.state));
  return first ? concat(first, config) : ok(encodeGitConfig(ctx.state));
}

export function regenerateKey(ctx: Ctx): Reply {
  const failure = regenerate(ctx);
  return failure ? errorResponse(ctx.accept, coverAll(failure)) : emptyReply(204);
}

export function updateImages(ctx: Ctx): Reply {
  const bad = (msg: string) => writeError(ctx.accept, 400, goError(msg));
  const services: string[] = [];
  for (const s of ctx.query['service'] ?? []) {
    if (s !== '<all>' && canonicalID(s) === null) return bad(`parsing service spec ${JSON.stringify(s)}: invalid workload spec: ${invalidIDMessage(s)}`);
    services.push(s);
  }
  const image = q(ctx, 'image');
  if (image !== '<all latest>') {
    try {
      if (parseImageRef(image).tag === '') throw new Error('blank tag (if you want latest, explicitly state the tag :latest): invalid image ID');
    } catch (e) {
      return bad(`parsing image spec ${JSON.stringify(image)}: ${(e as Error).message}`);
    }
  }
  const kind = q(ctx, 'kind');
  if (kind !== 'plan' && kind !== 'execute') return bad(`parsing release kind ${JSON.stringify(kind)}: invalid release kind`);
  const excludes: string[] = [];
  for (const x of ctx.query['exclude'] ?? []) {
    const id = canonicalID(x);
    if (id === null) return bad(`parsing excluded service ${JSON.stringify(x)}: ${invalidIDMessage(x)}`);
    excludes.push(id);
  }
  const cause = { Message: q(ctx, 'message'), User: q(ctx, 'user') };
  const spec = { ServiceSpecs: services, ImageSpec: image, Kind: kind, Excludes: excludes.length > 0 ? excludes : null, Force: false };
  return submitReply(ctx, { type: 'image', cause, spec });
}

export function updatePolicies(ctx: Ctx): Reply {
  const d = decodeFirst(ctx.body);
  if (!d.ok) return writeError(ctx.accept, 400, d.err);
  let updates;
  try {
    updates = decodePolicyUpdates(d.value, d.end);
  } catch (e) {
    const goErr = (e as { goErr?: ReturnType<typeof goError> }).goErr;
    return writeError(ctx.accept, 400, goErr ?? goError((e as Error).message));
  }
  return submitReply(ctx, { type: 'policy', cause: { Message: q(ctx, 'message'), User: q(ctx, 'user') }, spec: updates });
}
