// Emulated Flux v2 (GitOps Toolkit) for tests: install it into the kube emulator's cluster,
// push commits to its git host, and its controllers reconcile the custom resources with the
// status protocol of the real ones. See README.md.
export { installFlux2, Flux2 } from './flux.js';
export type { DeployKeyOptions, Flux2Options } from './flux.js';
export { sampleFlux2 } from './sample.js';
export type { Sample, SampleOptions } from './sample.js';
export type { Outcome, ReconcileRecord, ScriptedFailure, Trigger } from './engine.js';
export { GitRepo, GitServer } from './git.js';
export type { CommitOptions, GitFile, GitRef } from './git.js';
export { ChartRepository, ImageRegistry, canonicalImageName } from './registries.js';
export type { ChartVersion, ReleaseInput } from './registries.js';
export { FLUX_KINDS, crdFor, kindInfo, resourceOf, servedVersions } from './kinds.js';
export type { FluxKind, FluxKindName } from './kinds.js';
export { COMPONENTS, DEFAULT_COMPONENTS, FLUX_VERSIONS, LATEST_FLUX, componentTag, fluxMinor } from './releases.js';
export type { Component, FluxVersion } from './releases.js';
export { authorizedKey, generateSshKey, knownHostsHost } from './ssh-keys.js';
export type { KeyAlgorithm, KeyPair } from './ssh-keys.js';
export { apiVersionOf, podinfoChart } from './sample-manifests.js';
export type { FluxCondition } from './conditions.js';
export type { FluxObject, FluxStatus, Manifest } from './types.js';
