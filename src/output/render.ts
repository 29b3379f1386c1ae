import { UsageError } from '../errors.js';
import { encodeGoJson, type GoValue } from './go-json.js';

export type OutputFormat = 'tab' | 'json' | 'yaml';

/** Validates -o/--output-format before anything connects (fluxctl checked it only after). */
export function parseOutputFormat(value: string | undefined, allowed: readonly OutputFormat[] = ['tab', 'json', 'yaml']): OutputFormat {
  const v = value ?? 'tab';
  const normal = v === 'table' ? 'tab' : v;
  if ((allowed as readonly string[]).includes(normal)) return normal as OutputFormat;
  throw new UsageError('invalid output format specified', { hint: `use one of: ${allowed.join(', ')}` });
}

/** Compact Go JSON plus a newline: fluxctl's `-o json` bytes. */
export function jsonDocument(value: GoValue): string {
  return `${encodeGoJson(value)}\n`;
}

/** Go maps (JS Maps) become plain objects with sorted keys; struct fields keep their order. */
function plain(value: unknown): unknown {
  if (value instanceof Map) {
    return Object.fromEntries([...value.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, plain(v)]));
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** YAML (our addition): the same model as the JSON output. js-yaml is loaded only for it. */
export async function yamlDocument(value: unknown): Promise<string> {
  const { dump } = await import('js-yaml');
  return dump(plain(value ?? []), { noRefs: true, lineWidth: -1 });
}
