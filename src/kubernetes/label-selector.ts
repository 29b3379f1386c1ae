/** fluxctl's second pod selector, in the form Kubernetes prints it (values sorted). */
export const fluxFallbackSelector = 'name in (flux,fluxd,weave-flux-agent)';

const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** A MatchLabels selector as Kubernetes' Selector.String() prints it: `k=v` sorted by key, comma-joined. */
export function formatMatchLabels(labels: ReadonlyMap<string, string> | Readonly<Record<string, string>>): string {
  const entries = labels instanceof Map ? [...labels.entries()] : Object.entries(labels);
  return entries
    .sort(([a], [b]) => byBytes(a, b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

// Texts and patterns from k8s.io/apimachinery/pkg/util/validation.
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME = new RegExp(`^${QUALIFIED_NAME_FMT}$`);
const LABEL_VALUE = new RegExp(`^(${QUALIFIED_NAME_FMT})?$`);
const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  // Kubernetes really does write "'MyName',  or 'my.name', " with the doubled space.
  const eg = examples.map((e) => `'${e}', `).join(' or ');
  return `${msg} (e.g. ${eg}regex used for validation is '${fmt}')`;
}

const maxLen = (n: number): string => `must be no more than ${n} characters`;
const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLen(253));
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errs.push(regexError(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
      DNS1123_SUBDOMAIN_FMT, 'example.com'));
  }
  return errs;
}

const NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/** Kubernetes' IsQualifiedName check for a label key: undefined when valid, else its reasons joined by "; ". */
export function validateLabelKey(key: string): string | undefined {
  const parts = key.split('/');
  const errs: string[] = [];
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix === '') errs.push('prefix part must be non-empty');
    else errs.push(...dns1123SubdomainErrors(prefix).map((e) => `prefix part ${e}`));
  } else {
    return `a qualified name ${regexError(NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`;
  }
  if (name === '') errs.push('name part must be non-empty');
  else if (byteLength(name) > 63) errs.push(`name part ${maxLen(63)}`);
  if (!QUALIFIED_NAME.test(name)) {
    errs.push(`name part ${regexError(NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs.length === 0 ? undefined : errs.join('; ');
}

/** Kubernetes' IsValidLabelValue: undefined when valid (empty is valid), else its reasons joined by "; ". */
export function validateLabelValue(value: string): string | undefined {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLen(63));
  if (!LABEL_VALUE.test(value)) {
    errs.push(regexError(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      `(${QUALIFIED_NAME_FMT})?`, 'MyValue', 'my_value', '12345'));
  }
  return errs.length === 0 ? undefined : errs.join('; ');
}
