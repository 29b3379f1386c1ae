import { UsageError } from '../../errors.js';

const FULL = /^(<cluster>|[a-zA-Z0-9_-]+):([a-zA-Z0-9_-]+)\/([a-zA-Z0-9_.:-]+)$/;
const NO_NAMESPACE = /^([a-zA-Z0-9_-]+)\/([a-zA-Z0-9_.:-]+)$/;

/**
 * fluxctl's workload ID parser (fluxcd/flux pkg/resource/id.go): `ns:kind/name`, or `kind/name` qualified
 * with `namespace`; the kind is lower-cased. Returns the canonical `ns:kind/name`.
 */
export function parseWorkloadId(input: string, namespace: string): string {
  const full = FULL.exec(input);
  if (full) return `${full[1]}:${(full[2] ?? '').toLowerCase()}/${full[3]}`;
  const short = NO_NAMESPACE.exec(input);
  if (short) return `${namespace}:${(short[1] ?? '').toLowerCase()}/${short[2]}`;
  throw new UsageError(`parsing ${input}: invalid service ID`, { hint: 'name a workload as <namespace>:<kind>/<name>, e.g. default:deployment/podinfo' });
}

/** pflag's string-slice flags: each value is a CSV record, and repeated uses append. */
export function collectSlice(value: string, previous: string[] = []): string[] {
  return [...previous, ...splitCsv(value)];
}

function splitCsv(value: string): string[] {
  if (value === '') return [];
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '"' && value[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}
