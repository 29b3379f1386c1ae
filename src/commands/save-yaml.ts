// `fluxctl save`'s document model: what it keeps of each exported object, how it cleans it, and
// YAML written the way gopkg.in/yaml.v2 writes it (as close as js-yaml allows; see README).
import { CORE_SCHEMA, DEFAULT_SCHEMA, dump, loadAll, Type } from 'js-yaml';

type YamlMap = Record<string, unknown>;

/** The fields fluxctl keeps (its `saveObject`); everything else, e.g. status or uid, is dropped. */
export interface SavedObject {
  apiVersion: string;
  kind: string;
  metadata: { annotations: YamlMap; labels: YamlMap; name: string; namespace: string };
  spec: YamlMap | undefined;
}

const DROPPED_ANNOTATIONS = ['deployment.kubernetes.io/revision', 'kubectl.kubernetes.io/last-applied-configuration', 'kubernetes.io/change-cause'];

const isMap = (v: unknown): v is YamlMap => v !== null && typeof v === 'object' && !Array.isArray(v);

function describe(v: unknown): string {
  return Array.isArray(v) ? 'a list' : isMap(v) ? 'a mapping' : typeof v;
}

/** yaml.v2 decodes any scalar into a Go string field; a mapping or list there is an error. */
function scalarText(v: unknown, field: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') throw new Error(`${field}: expected a string, found ${describe(v)}`);
  return String(v);
}

function mapping(v: unknown, field: string): YamlMap | undefined {
  if (v === null || v === undefined) return undefined;
  if (!isMap(v)) throw new Error(`${field}: expected a mapping, found ${describe(v)}`);
  return v;
}

function stringMap(v: unknown, field: string): YamlMap {
  const m = mapping(v, field) ?? {};
  return Object.fromEntries(Object.entries(m).map(([k, x]) => [k, scalarText(x, `${field}.${k}`)]));
}

/** Decodes one exported document into fluxctl's model; throws on a shape yaml.v2 would reject. */
export function toSavedObject(doc: unknown): SavedObject {
  if (!isMap(doc)) throw new Error(`expected a mapping, found ${describe(doc)}`);
  const meta = mapping(doc.metadata, 'metadata') ?? {};
  return {
    apiVersion: scalarText(doc.apiVersion, 'apiVersion'),
    kind: scalarText(doc.kind, 'kind'),
    metadata: {
      annotations: stringMap(meta.annotations, 'metadata.annotations'),
      labels: stringMap(meta.labels, 'metadata.labels'),
      name: scalarText(meta.name, 'metadata.name'),
      namespace: scalarText(meta.namespace, 'metadata.namespace'),
    },
    spec: mapping(doc.spec, 'spec'),
  };
}

/**
 * Drops what should not be version controlled. Inside spec, entries whose value is null or an
 * empty map/list go; a map emptied by that stays (fluxctl checks emptiness before recursing).
 */
export function cleanObject(o: SavedObject): void {
  for (const a of DROPPED_ANNOTATIONS) delete o.metadata.annotations[a];
  const template = o.spec?.template;
  if (isMap(template) && isMap(template.metadata)) delete template.metadata.creationTimestamp;
  if (o.spec !== undefined) dropEmpty(o.spec);
}

function dropEmpty(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (Array.isArray(v)) {
    if (v.length === 0) return true;
    for (const item of v) dropEmpty(item);
    return false;
  }
  if (isMap(v)) {
    if (Object.keys(v).length === 0) return true;
    for (const k of Object.keys(v)) if (dropEmpty(v[k])) delete v[k];
  }
  return false;
}

/** The object as yaml.v2 marshals fluxctl's struct: empty fields are left out (omitempty). */
export function toDocument(o: SavedObject): YamlMap {
  const doc: YamlMap = {};
  const meta: YamlMap = {};
  if (Object.keys(o.metadata.annotations).length > 0) meta.annotations = o.metadata.annotations;
  if (Object.keys(o.metadata.labels).length > 0) meta.labels = o.metadata.labels;
  if (o.metadata.name !== '') meta.name = o.metadata.name;
  if (o.metadata.namespace !== '') meta.namespace = o.metadata.namespace;
  if (o.apiVersion !== '') doc.apiVersion = o.apiVersion;
  if (o.kind !== '') doc.kind = o.kind;
  if (Object.keys(meta).length > 0) doc.metadata = meta;
  if (o.spec !== undefined && Object.keys(o.spec).length > 0) doc.spec = o.spec;
  return doc;
}

/**
 * Splits the export stream at `---` lines and decodes each document on its own, so a broken
 * document stops the save after the good ones before it (as fluxctl's streaming decoder does).
 * Timestamps stay strings, as yaml.v2 leaves them when decoding into interface{}.
 */
export function decodeStream(text: string): { docs: unknown[]; error: Error | undefined } {
  const docs: unknown[] = [];
  for (const chunk of text.split(/^---[ \t]*(?:\r?\n|$)/m)) {
    try {
      for (const doc of loadAll(chunk, undefined, { schema: CORE_SCHEMA })) if (doc !== null && doc !== undefined) docs.push(doc);
    } catch (e) {
      return { docs, error: new Error((e as Error).message.split('\n')[0] ?? '') };
    }
  }
  return { docs, error: undefined };
}

const YAML11_WORDS = new Set(
  'y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF ~ null Null NULL .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF .nan .NaN .NAN <<'.split(' '),
);

/** Would a YAML 1.1 reader (yaml.v2, kubectl) take this plain scalar for something other than a string? */
export function yaml11NonString(s: string): boolean {
  if (YAML11_WORDS.has(s)) return true;
  if (!/^[-+.0-9]/.test(s)) return false;
  const plain = s.replace(/_/g, '');
  return (
    /^[-+]?(?:0b[01]+|0x[0-9a-fA-F]+|0o?[0-7]+|[0-9]+)$/.test(plain) ||
    /^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/.test(plain) ||
    /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s) ||
    /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?$/.test(s)
  );
}

// Never matches on load (the dump schema only): it makes js-yaml quote YAML 1.1 look-alikes.
const yaml11Lookalike = new Type('tag:fluxctl,2024:yaml11-lookalike', { kind: 'scalar', resolve: (s: unknown) => typeof s === 'string' && yaml11NonString(s) });
const DUMP_SCHEMA = DEFAULT_SCHEMA.extend({ implicit: [yaml11Lookalike] });

const isLetter = (c: string): boolean => /\p{L}/u.test(c);
const isDigit = (c: string): boolean => /\p{Nd}/u.test(c);

/** yaml.v2's key order: runs of digits compare as numbers, and letters sort after other characters. */
export function goYamlKeyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i] ?? '';
    const y = br[i] ?? '';
    if (x === y) continue;
    const xl = isLetter(x);
    const yl = isLetter(y);
    if (xl && yl) return x < y;
    if (xl || yl) return yl;
    let an = 0;
    let bn = 0;
    // Zeros inside a number that started earlier still count as digits of that number.
    if (x === '0' || y === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j] ?? ''); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai] ?? ''); ai++) an = an * 10 + ((ar[ai] ?? '0').codePointAt(0) ?? 48) - 48;
    let bi = i;
    for (; bi < br.length && isDigit(br[bi] ?? ''); bi++) bn = bn * 10 + ((br[bi] ?? '0').codePointAt(0) ?? 48) - 48;
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return x < y;
  }
  return ar.length < br.length;
}

const compareKeys = (a: string, b: string): number => (goYamlKeyLess(a, b) ? -1 : goYamlKeyLess(b, a) ? 1 : 0);

/** YAML in yaml.v2's layout: sorted keys, 2-space indent, list items level with their key. */
export function goYaml(value: unknown): string {
  return dump(value, { schema: DUMP_SCHEMA, sortKeys: compareKeys, noArrayIndent: true, lineWidth: -1, quotingType: '"', noRefs: true });
}
