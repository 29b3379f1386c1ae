// POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews (`kubectl auth can-i`):
// allowed unless one of the test's deny rules matches, the same rules the REST router enforces.
import type { ServerResponse } from 'node:http';
import { sendJson } from './http.js';
import type { ServerContext } from './rest.js';
import * as S from './status.js';
import { isPlainObject } from './util.js';

export function selfSubjectAccessReview(res: ServerResponse, ctx: ServerContext, user: string, body: unknown): void {
  if (!isPlainObject(body) || !isPlainObject(body.spec)) throw new S.HttpError(S.badRequest('the body of the request was in an unknown format'));
  const spec = body.spec;
  const ra = isPlainObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
  if (!ra && !isPlainObject(spec.nonResourceAttributes)) {
    const causes = [{ reason: 'FieldValueRequired', message: 'Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified', field: 'spec.resourceAttributes' }];
    throw new S.HttpError(S.invalid('SelfSubjectAccessReview', 'authorization.k8s.io', '', causes));
  }
  let allowed = true;
  if (ra) {
    const str = (v: unknown): string => (typeof v === 'string' ? v : '');
    const group = str(ra.group);
    const plural = str(ra.resource);
    // Deny rules name resources by key: the plural for built-ins, `<plural>.<group>` for the rest.
    const builtin = ctx.cluster.resources.info(plural);
    const resource = group && !(builtin && builtin.group === group) ? `${plural}.${group}` : plural;
    allowed = !ctx.faults.isDenied({
      user, verb: str(ra.verb), resource, group,
      ...(str(ra.subresource) ? { subresource: str(ra.subresource) } : {}),
      ...(str(ra.namespace) ? { namespace: str(ra.namespace) } : {}),
    });
  }
  sendJson(res, 201, {
    kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null },
    spec, status: { allowed },
  });
}
