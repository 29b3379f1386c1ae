import {
  bool, decodeRef, decodeReconcileStatus, fluxParts, int, obj, optObj, str, strList,
  type ObjectMeta, type ObjectRef, type ReconcileStatus,
} from './decode.js';

/*
 * The image-reflector kinds (image.toolkit.fluxcd.io v1beta1, v1beta2, v1). The one field that
 * moved is the policy's selected image: `status.latestImage` (a `name:tag` string, up to
 * image-reflector v0.35) became `status.latestRef {name, tag, digest}` (v0.35 writes both,
 * v1.0 only the latter); both decode to `latestRef`.
 */

// ImageUpdateAutomation lives in decode-automation.ts; re-exported for the image kinds' readers.
export { decodeImageUpdateAutomation, type ImageUpdateAutomation, type LabelSelector, type LabelSelectorRequirement } from './decode-automation.js';

/** An image a policy selected: the string form is `name:tag`, plus `@digest` when reflected. */
export interface PolicyImage {
  name: string;
  tag: string;
  digest: string;
}

export interface ImageRepository {
  metadata: ObjectMeta;
  spec: { image: string; interval: string; timeout: string; suspend: boolean; provider: string; exclusionList: string[] };
  status: ReconcileStatus & {
    /** go-containerregistry's name, e.g. `index.docker.io/library/alpine`; '' before the first scan. */
    canonicalImageName: string;
    lastScanResult: {
      tagCount: number;
      scanTime: string;
      /** At most 10 tags, the first in descending alphabetical order (not by recency). */
      latestTags: string[];
      revision: string;
    } | null;
  };
}

export type PolicyChoice =
  | { kind: 'semver'; range: string }
  | { kind: 'alphabetical'; order: string }
  | { kind: 'numerical'; order: string }
  | { kind: '' };

export interface ImagePolicy {
  metadata: ObjectMeta;
  spec: {
    imageRepositoryRef: ObjectRef | null;
    policy: PolicyChoice;
    filterTags: { pattern: string; extract: string } | null;
    digestReflectionPolicy: string;
    interval: string;
    /** image-reflector ≥ v1.0 only; older controllers ignore it. */
    suspend: boolean;
  };
  status: ReconcileStatus & { latestRef: PolicyImage | null; observedPreviousRef: PolicyImage | null };
}

/** Splits `name:tag[@digest]` (the deprecated latestImage string); the tag colon follows the last `/`. */
export function parsePolicyImage(s: string): PolicyImage {
  const at = s.indexOf('@');
  const digest = at >= 0 ? s.slice(at + 1) : '';
  const ref = at >= 0 ? s.slice(0, at) : s;
  const colon = ref.lastIndexOf(':');
  if (colon <= ref.lastIndexOf('/')) return { name: ref, tag: '', digest };
  return { name: ref.slice(0, colon), tag: ref.slice(colon + 1), digest };
}

/** The string form of a selected image, as flux and the Ready message print it. */
export function formatPolicyImage(i: PolicyImage): string {
  return `${i.name}${i.tag === '' ? '' : `:${i.tag}`}${i.digest === '' ? '' : `@${i.digest}`}`;
}

function decodePolicyImage(ref: unknown, legacy: unknown, path: string, legacyPath: string): PolicyImage | null {
  const r = optObj(ref, path);
  if (r !== null) return { name: str(r.name, `${path}.name`), tag: str(r.tag, `${path}.tag`), digest: str(r.digest, `${path}.digest`) };
  const s = str(legacy, legacyPath);
  return s === '' ? null : parsePolicyImage(s);
}

export function decodeImageRepository(v: unknown, path: string): ImageRepository {
  const { metadata, spec, status } = fluxParts(v, path);
  const scan = optObj(status.lastScanResult, `${path}.status.lastScanResult`);
  const sp = (f: string): string => `${path}.status.lastScanResult.${f}`;
  return {
    metadata,
    spec: {
      image: str(spec.image, `${path}.spec.image`),
      interval: str(spec.interval, `${path}.spec.interval`),
      timeout: str(spec.timeout, `${path}.spec.timeout`),
      suspend: bool(spec.suspend, `${path}.spec.suspend`),
      provider: str(spec.provider, `${path}.spec.provider`),
      exclusionList: strList(spec.exclusionList, `${path}.spec.exclusionList`),
    },
    status: {
      ...decodeReconcileStatus(status, path),
      canonicalImageName: str(status.canonicalImageName, `${path}.status.canonicalImageName`),
      lastScanResult: scan === null ? null : {
        tagCount: int(scan.tagCount, sp('tagCount')), scanTime: str(scan.scanTime, sp('scanTime')),
        latestTags: strList(scan.latestTags, sp('latestTags')), revision: str(scan.revision, sp('revision')),
      },
    },
  };
}

function decodePolicyChoice(v: unknown, path: string): PolicyChoice {
  const p = obj(v, path);
  if (p.semver != null) return { kind: 'semver', range: str(obj(p.semver, `${path}.semver`).range, `${path}.semver.range`) };
  if (p.alphabetical != null) return { kind: 'alphabetical', order: str(obj(p.alphabetical, `${path}.alphabetical`).order, `${path}.alphabetical.order`) || 'asc' };
  if (p.numerical != null) return { kind: 'numerical', order: str(obj(p.numerical, `${path}.numerical`).order, `${path}.numerical.order`) || 'asc' };
  return { kind: '' };
}

export function decodeImagePolicy(v: unknown, path: string): ImagePolicy {
  const { metadata, spec, status } = fluxParts(v, path);
  const filter = optObj(spec.filterTags, `${path}.spec.filterTags`);
  const st = (f: string): string => `${path}.status.${f}`;
  return {
    metadata,
    spec: {
      imageRepositoryRef: decodeRef(spec.imageRepositoryRef, `${path}.spec.imageRepositoryRef`, metadata.namespace),
      policy: decodePolicyChoice(spec.policy, `${path}.spec.policy`),
      filterTags: filter === null ? null : { pattern: str(filter.pattern, `${path}.spec.filterTags.pattern`), extract: str(filter.extract, `${path}.spec.filterTags.extract`) },
      digestReflectionPolicy: str(spec.digestReflectionPolicy, `${path}.spec.digestReflectionPolicy`),
      interval: str(spec.interval, `${path}.spec.interval`),
      suspend: bool(spec.suspend, `${path}.spec.suspend`),
    },
    status: {
      ...decodeReconcileStatus(status, path),
      latestRef: decodePolicyImage(status.latestRef, status.latestImage, st('latestRef'), st('latestImage')),
      observedPreviousRef: decodePolicyImage(status.observedPreviousRef, status.observedPreviousImage, st('observedPreviousRef'), st('observedPreviousImage')),
    },
  };
}
