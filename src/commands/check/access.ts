import type { KubeApi } from '../../kubernetes/api.js';
import type { AccessRule, Diagnosis } from '../../backends/types.js';

/** `kubectl auth can-i list pods -n flux`, the line a user runs to see the same answer. */
export function canILine(p: AccessRule): string {
  const resource = `${p.resource}${p.group ? `.${p.group}` : ''}${p.subresource ? `/${p.subresource}` : ''}`;
  return `kubectl auth can-i ${p.verb} ${resource}${p.namespace === '' ? ' --all-namespaces' : ` -n ${p.namespace}`}`;
}

/** One SelfSubjectAccessReview per permission (authorization.k8s.io/v1), as `kubectl auth can-i` asks. */
export async function reviewAccess(api: KubeApi, permissions: readonly AccessRule[]): Promise<Diagnosis> {
  const answers = await Promise.all(
    permissions.map(async (p) => {
      const body = {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { namespace: p.namespace, verb: p.verb, group: p.group ?? '', resource: p.resource, subresource: p.subresource ?? '' } },
      };
      const review = (await api.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { body })) as { status?: { allowed?: unknown } };
      return { p, allowed: review.status?.allowed === true };
    }),
  );
  const missing = answers.filter((a) => !a.allowed).map((a) => a.p);
  const required = missing.filter((p) => p.optional !== true);
  const details = missing.map((p) => `${p.optional === true ? 'optional' : 'missing'}: ${canILine(p)}  (${p.usedBy})`);
  if (required.length > 0) {
    return { status: 'fail', message: `${required.length} of ${permissions.length} permissions are missing`, details, hint: 'ask a cluster admin for a Role granting these (the README lists the RBAC rules fluxctl needs)', exitCode: 3 };
  }
  if (missing.length > 0) {
    return { status: 'warn', message: `${permissions.length - missing.length} of ${permissions.length} permissions granted; some commands will be refused`, details, hint: 'only the commands named above need these' };
  }
  return { status: 'ok', message: `all ${permissions.length} permissions the commands need are granted` };
}
