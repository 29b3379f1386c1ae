// Enough of the apps/v1 Deployment validation to produce realistic 422 causes.
import type { StatusCause } from './status.js';
import { isPlainObject } from './util.js';

const required = (field: string): StatusCause => ({ reason: 'FieldValueRequired', message: 'Required value', field });
const invalidValue = (field: string, value: unknown, why: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
  field,
});
const wrongType = (field: string, value: unknown, type: string): StatusCause => ({
  reason: 'FieldValueTypeInvalid',
  message: `Invalid value: ${JSON.stringify(value)}: must be of type ${type}`,
  field,
});

export function validateDeployment(obj: unknown): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = isPlainObject(obj) ? obj.spec : undefined;
  if (!isPlainObject(spec)) return [required('spec')];
  const { replicas } = spec;
  if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas))) causes.push(wrongType('spec.replicas', replicas, 'int32'));
  else if (typeof replicas === 'number' && replicas < 0) causes.push(invalidValue('spec.replicas', replicas, 'must be greater than or equal to 0'));

  const template = spec.template;
  const podSpec = isPlainObject(template) ? template.spec : undefined;
  const containers = isPlainObject(podSpec) ? podSpec.containers : undefined;
  const base = 'spec.template.spec.containers';
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push(required(base));
  } else {
    const seen = new Set<string>();
    containers.forEach((c: unknown, i) => {
      const at = `${base}[${i}]`;
      if (!isPlainObject(c)) return void causes.push(wrongType(at, c, 'object'));
      if (typeof c.name !== 'string' || c.name === '') causes.push(required(`${at}.name`));
      else if (seen.has(c.name)) causes.push({ reason: 'FieldValueDuplicate', message: `Duplicate value: "${c.name}"`, field: `${at}.name` });
      else seen.add(c.name);
      if (c.image === undefined || c.image === '') causes.push(required(`${at}.image`));
      else if (typeof c.image !== 'string') causes.push(wrongType(`${at}.image`, c.image, 'string'));
      for (const list of ['args', 'command'] as const) {
        const v = c[list];
        if (v === undefined) continue;
        if (!Array.isArray(v)) causes.push(wrongType(`${at}.${list}`, v, 'array'));
        else v.forEach((a: unknown, j) => { if (typeof a !== 'string') causes.push(wrongType(`${at}.${list}[${j}]`, a, 'string')); });
      }
    });
  }

  // The selector must select the template's labels.
  const selector = isPlainObject(spec.selector) ? spec.selector.matchLabels : undefined;
  const labels = isPlainObject(template) && isPlainObject(template.metadata) ? template.metadata.labels : undefined;
  if (isPlainObject(selector)) {
    const ok = isPlainObject(labels) && Object.entries(selector).every(([k, v]) => labels[k] === v);
    if (!ok) causes.push(invalidValue('spec.template.metadata.labels', labels ?? {}, '`selector` does not match template `labels`'));
  }
  return causes;
}

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** metadata.name of a new object: a DNS subdomain (apimachinery's NameIsDNSSubdomain). */
export function validateName(name: string): StatusCause[] {
  if (name === '') return [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }];
  if (name.length <= 253 && SUBDOMAIN.test(name)) return [];
  return [invalidValue('metadata.name', name, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")];
}
