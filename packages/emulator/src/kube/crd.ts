// CustomResourceDefinitions: what a test declares, the apiextensions.k8s.io/v1 object the
// API server stores for it (so `kubectl get crd` and label reads work), and the resource
// entry that makes its URLs, discovery and tables appear.
import type { PrinterColumn, ResourceInfo, ResourceVersion } from './resources.js';
import type { GenericObject, Labels } from './types.js';
import { isPlainObject, timestamp } from './util.js';

export interface CustomResourceVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  /** The Warning header text; default `<group>/<version> <Kind> is deprecated`. */
  deprecationWarning?: string;
  /** Overrides the definition-wide `subresources` for this version (Flux's Alert v1beta3 has none). */
  subresources?: { status?: unknown };
  additionalPrinterColumns?: PrinterColumn[];
}

export interface CustomResourceDefinitionInput {
  group: string;
  kind: string;
  plural: string;
  singular?: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
  /** Default true. */
  namespaced?: boolean;
  versions: CustomResourceVersion[];
  /** Default `{ status: {} }`: a status subresource. `{}` means none. */
  subresources?: { status?: unknown };
  /** Labels and annotations of the stored CustomResourceDefinition object. */
  labels?: Labels;
  annotations?: Labels;
}

const CR_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];
// apiextensions defaults a definition without printer columns to one Age column.
const DEFAULT_COLUMNS: PrinterColumn[] = [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }];

function hasStatus(def: CustomResourceDefinitionInput, v: CustomResourceVersion): boolean {
  const sub = v.subresources ?? def.subresources ?? { status: {} };
  return sub.status !== undefined && sub.status !== null && sub.status !== false;
}

export function crdName(def: Pick<CustomResourceDefinitionInput, 'plural' | 'group'>): string {
  return `${def.plural}.${def.group}`;
}

export function crdInfo(def: CustomResourceDefinitionInput): ResourceInfo {
  if (def.versions.filter((v) => v.storage).length !== 1) {
    throw new Error(`CRD ${crdName(def)}: exactly one version must be the storage version`);
  }
  const versions: ResourceVersion[] = def.versions.map((v) => ({
    name: v.name, served: v.served, storage: v.storage, status: hasStatus(def, v),
    additionalPrinterColumns: v.additionalPrinterColumns ?? DEFAULT_COLUMNS,
    ...(v.deprecated ? { deprecated: true, deprecationWarning: v.deprecationWarning ?? `${def.group}/${v.name} ${def.kind} is deprecated` } : {}),
  }));
  return {
    key: crdName(def), plural: def.plural, group: def.group, versions, kind: def.kind,
    listKind: def.listKind ?? `${def.kind}List`, singular: def.singular ?? def.kind.toLowerCase(),
    namespaced: def.namespaced ?? true, shortNames: def.shortNames ?? [], categories: def.categories ?? [],
    verbs: CR_VERBS, generation: true, custom: true,
  };
}

function versionSpec(v: ResourceVersion): Record<string, unknown> {
  return {
    name: v.name, served: v.served, storage: v.storage,
    ...(v.deprecated ? { deprecated: true, deprecationWarning: v.deprecationWarning } : {}),
    schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    ...(v.status ? { subresources: { status: {} } } : {}),
    additionalPrinterColumns: v.additionalPrinterColumns,
  };
}

/** The stored CustomResourceDefinition, Established and NamesAccepted. */
export function crdObject(def: CustomResourceDefinitionInput, info: ResourceInfo, uid: string): GenericObject {
  const names = {
    plural: info.plural, singular: info.singular, kind: info.kind, listKind: info.listKind,
    ...(info.shortNames.length ? { shortNames: info.shortNames } : {}),
    ...(info.categories.length ? { categories: info.categories } : {}),
  };
  const now = timestamp();
  const cond = (type: string, reason: string, message: string): object => ({ type, status: 'True', lastTransitionTime: now, reason, message });
  return {
    metadata: {
      name: info.key, uid, resourceVersion: '', generation: 1, creationTimestamp: now,
      ...(def.labels ? { labels: { ...def.labels } } : {}),
      ...(def.annotations ? { annotations: { ...def.annotations } } : {}),
    },
    spec: {
      group: info.group, names, scope: info.namespaced ? 'Namespaced' : 'Cluster',
      versions: info.versions.map(versionSpec), conversion: { strategy: 'None' },
    },
    status: {
      conditions: [
        cond('NamesAccepted', 'NoConflicts', 'no conflicts found'),
        cond('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
      ],
      acceptedNames: names,
      storedVersions: info.versions.filter((v) => v.storage).map((v) => v.name),
    },
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const rec = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});

/** The definition a CustomResourceDefinition object (apiextensions.k8s.io/v1) describes. */
export function crdInputFromObject(obj: Record<string, unknown>): CustomResourceDefinitionInput {
  const spec = rec(obj.spec);
  const names = rec(spec.names);
  const meta = rec(obj.metadata);
  const group = str(spec.group);
  const kind = str(names.kind);
  const plural = str(names.plural);
  if (!group || !kind || !plural || !Array.isArray(spec.versions)) throw new Error('spec.group, spec.names.kind, spec.names.plural and spec.versions are required');
  const versions = spec.versions.map(rec).map((v): CustomResourceVersion => ({
    name: String(v.name), served: v.served === true, storage: v.storage === true,
    ...(v.deprecated === true ? { deprecated: true } : {}),
    ...(str(v.deprecationWarning) ? { deprecationWarning: str(v.deprecationWarning)! } : {}),
    subresources: rec(v.subresources),
    ...(Array.isArray(v.additionalPrinterColumns) ? { additionalPrinterColumns: v.additionalPrinterColumns as PrinterColumn[] } : {}),
  }));
  return {
    group, kind, plural, versions, namespaced: spec.scope !== 'Cluster',
    ...(str(names.singular) ? { singular: str(names.singular)! } : {}),
    ...(str(names.listKind) ? { listKind: str(names.listKind)! } : {}),
    ...(Array.isArray(names.shortNames) ? { shortNames: names.shortNames.map(String) } : {}),
    ...(Array.isArray(names.categories) ? { categories: names.categories.map(String) } : {}),
    ...(isPlainObject(meta.labels) ? { labels: meta.labels as Labels } : {}),
    ...(isPlainObject(meta.annotations) ? { annotations: meta.annotations as Labels } : {}),
  };
}
