// metav1.Status bodies, built field by field in the order the API server writes them
// (kind, apiVersion, metadata, status, message, reason, details, code) with zero fields left out.
import { groupOf, pluralOf } from './resources.js';
import type { Resource } from './types.js';

export interface StatusCause {
  reason: string;
  message: string;
  field: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export function status(code: number, reason: string, message: string, details?: StatusDetails): Status {
  const s: Partial<Status> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure' };
  if (message) s.message = message;
  if (reason) s.reason = reason;
  if (details) s.details = details;
  s.code = code; // last, so JSON.stringify keeps the real field order
  return s as Status;
}

/** Thrown by handlers; the router turns it into a JSON Status response. */
export class HttpError extends Error {
  constructor(readonly body: Status) {
    super(body.message ?? body.reason);
  }
}

function details(resource: Resource, name?: string): StatusDetails {
  const group = groupOf(resource);
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (group) d.group = group;
  d.kind = pluralOf(resource);
  return d;
}

/** `deployments.apps` for grouped resources, `pods` for core ones. */
export function qualified(resource: Resource): string {
  const group = groupOf(resource);
  return group ? `${pluralOf(resource)}.${group}` : resource;
}

export const unauthorized = (): Status => status(401, 'Unauthorized', 'Unauthorized');

export function notFound(resource: Resource, name: string): Status {
  return status(404, 'NotFound', `${qualified(resource)} "${name}" not found`, details(resource, name));
}

export const pathNotFound = (): Status =>
  status(404, 'NotFound', 'the server could not find the requested resource', {});

export function conflict(resource: Resource, name: string): Status {
  return status(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    details(resource, name),
  );
}

export interface ForbiddenInput {
  user: string;
  verb: string;
  resource: Resource;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export function forbidden(f: ForbiddenInput): Status {
  const group = groupOf(f.resource);
  const plural = pluralOf(f.resource);
  const res = f.subresource ? `${plural}/${f.subresource}` : plural;
  const subject = f.name ? `${qualified(f.resource)} "${f.name}"` : qualified(f.resource);
  const scope = f.namespace ? `in the namespace "${f.namespace}"` : 'at the cluster scope';
  const message = `${subject} is forbidden: User "${f.user}" cannot ${f.verb} resource "${res}" in API group "${group}" ${scope}`;
  return status(403, 'Forbidden', message, details(f.resource, f.name));
}

export const badRequest = (message: string): Status => status(400, 'BadRequest', message);

export function invalid(kind: string, group: string, name: string, causes: StatusCause[]): Status {
  const lines = causes.map((c) => `${c.field}: ${c.message}`);
  const summary = lines.length === 1 ? lines[0]! : `[${lines.join(', ')}]`;
  const d: StatusDetails = { name };
  if (group) d.group = group;
  d.kind = kind;
  d.causes = causes;
  return status(422, 'Invalid', `${kind}${group ? `.${group}` : ''} "${name}" is invalid: ${summary}`, d);
}

/** What a failed JSON-patch `test` (or bad path) produces: a 422 with no details. */
export const patchRejected = (): Status =>
  status(422, 'Invalid', 'the server rejected our request due to an error in our request', {});

/** The patch types a resource accepts: custom resources have no strategic merge (no Go struct tags). */
export function unsupportedMediaType(custom: boolean): Status {
  const accepted = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];
  if (!custom) accepted.push('application/strategic-merge-patch+json');
  return status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`, {});
}

export const methodNotAllowed = (): Status =>
  status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});

export const expired = (message: string): Status => status(410, 'Expired', message);

export function alreadyExists(resource: Resource, name: string): Status {
  return status(409, 'AlreadyExists', `${qualified(resource)} "${name}" already exists`, details(resource, name));
}

/** A POST or PUT body in a serialization this server does not decode (protobuf, CBOR). */
export const unsupportedBody = (): Status =>
  status(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml', {});
