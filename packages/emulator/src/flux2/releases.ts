// Flux v2 releases and the controller versions each one ships, as fluxcd/flux2's
// manifests/bases/<component>/kustomization.yaml pin them at every release tag.

export const COMPONENTS = [
  'source-controller',
  'kustomize-controller',
  'helm-controller',
  'notification-controller',
  'image-reflector-controller',
  'image-automation-controller',
] as const;
export type Component = (typeof COMPONENTS)[number];

/** What `flux install` installs without `--components-extra`. */
export const DEFAULT_COMPONENTS: readonly Component[] = ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller'];

// Image tags in COMPONENTS order.
const TAGS = {
  'v2.0.0': ['v1.0.0', 'v1.0.0', 'v0.35.0', 'v1.0.0', 'v0.29.0', 'v0.35.0'],
  'v2.0.1': ['v1.0.1', 'v1.0.1', 'v0.35.0', 'v1.0.0', 'v0.29.1', 'v0.35.0'],
  'v2.1.0': ['v1.1.0', 'v1.1.0', 'v0.36.0', 'v1.1.0', 'v0.30.0', 'v0.36.0'],
  'v2.1.1': ['v1.1.1', 'v1.1.0', 'v0.36.1', 'v1.1.0', 'v0.30.0', 'v0.36.1'],
  'v2.1.2': ['v1.1.2', 'v1.1.1', 'v0.36.2', 'v1.1.0', 'v0.30.0', 'v0.36.1'],
  'v2.2.0': ['v1.2.2', 'v1.2.0', 'v0.37.0', 'v1.2.2', 'v0.31.1', 'v0.37.0'],
  'v2.2.1': ['v1.2.3', 'v1.2.1', 'v0.37.1', 'v1.2.3', 'v0.31.1', 'v0.37.0'],
  'v2.2.2': ['v1.2.3', 'v1.2.1', 'v0.37.2', 'v1.2.3', 'v0.31.1', 'v0.37.0'],
  'v2.2.3': ['v1.2.4', 'v1.2.2', 'v0.37.4', 'v1.2.4', 'v0.31.2', 'v0.37.1'],
  'v2.3.0': ['v1.3.0', 'v1.3.0', 'v1.0.1', 'v1.3.0', 'v0.32.0', 'v0.38.0'],
  'v2.4.0': ['v1.4.1', 'v1.4.0', 'v1.1.0', 'v1.4.0', 'v0.33.0', 'v0.39.0'],
  'v2.5.0': ['v1.5.0', 'v1.5.0', 'v1.2.0', 'v1.5.0', 'v0.34.0', 'v0.40.0'],
  'v2.5.1': ['v1.5.0', 'v1.5.1', 'v1.2.0', 'v1.5.0', 'v0.34.0', 'v0.40.0'],
  'v2.6.0': ['v1.6.0', 'v1.6.0', 'v1.3.0', 'v1.6.0', 'v0.35.0', 'v0.41.0'],
  'v2.6.1': ['v1.6.0', 'v1.6.0', 'v1.3.0', 'v1.6.0', 'v0.35.1', 'v0.41.0'],
  'v2.6.2': ['v1.6.1', 'v1.6.0', 'v1.3.0', 'v1.6.0', 'v0.35.2', 'v0.41.1'],
  'v2.6.3': ['v1.6.2', 'v1.6.0', 'v1.3.0', 'v1.6.0', 'v0.35.2', 'v0.41.2'],
  'v2.6.4': ['v1.6.2', 'v1.6.1', 'v1.3.0', 'v1.6.0', 'v0.35.2', 'v0.41.2'],
  'v2.7.0': ['v1.7.0', 'v1.7.0', 'v1.4.0', 'v1.7.1', 'v1.0.1', 'v1.0.1'],
  'v2.7.1': ['v1.7.1', 'v1.7.0', 'v1.4.1', 'v1.7.2', 'v1.0.1', 'v1.0.1'],
  'v2.7.2': ['v1.7.2', 'v1.7.1', 'v1.4.2', 'v1.7.3', 'v1.0.2', 'v1.0.2'],
  'v2.7.3': ['v1.7.3', 'v1.7.2', 'v1.4.3', 'v1.7.4', 'v1.0.3', 'v1.0.3'],
  'v2.7.4': ['v1.7.4', 'v1.7.3', 'v1.4.4', 'v1.7.5', 'v1.0.4', 'v1.0.4'],
  'v2.7.5': ['v1.7.4', 'v1.7.3', 'v1.4.5', 'v1.7.5', 'v1.0.4', 'v1.0.4'],
  'v2.8.0': ['v1.8.0', 'v1.8.0', 'v1.5.0', 'v1.8.0', 'v1.1.0', 'v1.1.0'],
  'v2.8.1': ['v1.8.0', 'v1.8.1', 'v1.5.1', 'v1.8.1', 'v1.1.0', 'v1.1.0'],
  'v2.8.2': ['v1.8.1', 'v1.8.2', 'v1.5.2', 'v1.8.2', 'v1.1.1', 'v1.1.1'],
  'v2.8.3': ['v1.8.1', 'v1.8.2', 'v1.5.3', 'v1.8.2', 'v1.1.1', 'v1.1.1'],
  'v2.8.4': ['v1.8.1', 'v1.8.2', 'v1.5.3', 'v1.8.2', 'v1.1.1', 'v1.1.1'],
  'v2.8.5': ['v1.8.2', 'v1.8.3', 'v1.5.3', 'v1.8.3', 'v1.1.1', 'v1.1.1'],
  'v2.8.6': ['v1.8.3', 'v1.8.4', 'v1.5.4', 'v1.8.4', 'v1.1.1', 'v1.1.2'],
  'v2.8.7': ['v1.8.4', 'v1.8.5', 'v1.5.4', 'v1.8.4', 'v1.1.1', 'v1.1.3'],
  'v2.8.8': ['v1.8.5', 'v1.8.5', 'v1.5.5', 'v1.8.4', 'v1.1.2', 'v1.1.4'],
  'v2.9.0': ['v1.9.1', 'v1.9.1', 'v1.6.1', 'v1.9.1', 'v1.2.1', 'v1.2.1'],
  'v2.9.1': ['v1.9.2', 'v1.9.2', 'v1.6.2', 'v1.9.2', 'v1.2.2', 'v1.2.2'],
  'v2.9.2': ['v1.9.3', 'v1.9.3', 'v1.6.2', 'v1.9.2', 'v1.2.3', 'v1.2.3'],
  'v2.9.3': ['v1.9.3', 'v1.9.4', 'v1.6.3', 'v1.9.2', 'v1.2.3', 'v1.2.3'],
  'v2.9.4': ['v1.9.4', 'v1.9.4', 'v1.6.3', 'v1.9.3', 'v1.2.4', 'v1.2.4'],
} as const;

export type FluxVersion = keyof typeof TAGS;
export const FLUX_VERSIONS = Object.keys(TAGS) as FluxVersion[];
export const LATEST_FLUX: FluxVersion = 'v2.9.4';

/** The controller image tag a release ships, e.g. `v1.9.4` for source-controller in v2.9.4. */
export function componentTag(version: FluxVersion, component: Component): string {
  return TAGS[version][COMPONENTS.indexOf(component)]!;
}

/** The minor release number (0 for v2.0.x … 9 for v2.9.x): API versions change per minor. */
export function fluxMinor(version: FluxVersion): number {
  return Number(version.split('.')[1]);
}
