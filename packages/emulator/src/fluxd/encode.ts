// Wire shapes, built in Go struct field order (see gojson.ts for the encoding rules).
import { goMap, rfc3339Nano } from './gojson.js';
import type { FluxdState, ImageInfo, PublicKey, ReadOnlyReason, Workload } from './types.js';

/** image.Info: ID and Labels always present, the rest omitted when empty. */
export function encodeInfo(info: ImageInfo | undefined): Record<string, unknown> {
  if (!info) return { ID: '', Labels: {} };
  return {
    ID: info.id,
    Digest: info.digest || undefined,
    ImageID: info.imageId || undefined,
    Labels: {
      'org.label-schema.build-date': rfc3339Nano(info.labels?.buildDate),
      'org.opencontainers.image.created': rfc3339Nano(info.labels?.created),
    },
    CreatedAt: rfc3339Nano(info.createdAt),
    LastFetched: rfc3339Nano(info.lastFetched),
  };
}

/** Regular containers first, then init containers. */
export const orderedContainers = (w: Workload) => [...w.containers.filter((c) => !c.init), ...w.containers.filter((c) => c.init)];

export function readOnlyOf(state: FluxdState, w: Workload): ReadOnlyReason {
  if (w.readOnly !== undefined) return w.readOnly;
  if (!w.inRepo || state.git.status !== 'ready') {
    if (state.git.url === '' || state.git.status === 'unconfigured') return 'NoRepo';
    return state.git.status === 'ready' ? 'NotInRepo' : 'NotReady';
  }
  return state.gitReadonly ? 'ReadOnlyMode' : '';
}

/** Policies come from the manifests in git, so none are known without the workload in a ready repo. */
export function policiesOf(state: FluxdState, w: Workload): Record<string, string> {
  return w.inRepo && state.git.status === 'ready' ? w.policies : {};
}

/** v6.ControllerStatus as /v6/services and /v11/services send it. */
export function encodeControllerStatus(state: FluxdState, w: Workload): Record<string, unknown> {
  const policies = policiesOf(state, w);
  return {
    ID: w.id,
    Containers: orderedContainers(w).map((c) => ({
      Name: c.name || undefined,
      Current: { ID: c.image, Labels: {} },
      LatestFiltered: { ID: '', Labels: {} },
    })),
    ReadOnly: readOnlyOf(state, w),
    Status: w.status,
    Rollout: {
      Desired: w.rollout.desired,
      Updated: w.rollout.updated,
      Ready: w.rollout.ready,
      Available: w.rollout.available,
      Outdated: w.rollout.outdated,
      Messages: w.rollout.messages,
    },
    SyncError: w.syncError,
    Antecedent: w.antecedent,
    Labels: goMap(w.labels),
    Automated: policies['automated'] === 'true',
    Locked: policies['locked'] === 'true',
    Ignore: policies['ignore'] === 'true',
    Policies: goMap(policies),
  };
}

/** ssh.PublicKey: `{"key":"","fingerprints":null}` without a keyring. */
export function encodePublicKey(key: PublicKey | null): Record<string, unknown> {
  if (!key) return { key: '', fingerprints: null };
  return { key: key.key, fingerprints: goMap({ md5: key.md5, sha256: key.sha256 }) };
}

export function encodeGitConfig(state: FluxdState): Record<string, unknown> {
  const g = state.git;
  return {
    remote: { url: g.url, branch: g.branch, path: g.path },
    publicSSHKey: encodePublicKey(g.publicKey),
    status: g.status,
    errors: g.errors,
  };
}

/** The zero v9.GitConfig, written after a failed key regeneration. */
export const zeroGitConfig = () => ({
  remote: { url: '', branch: '', path: '' },
  publicSSHKey: { key: '', fingerprints: null },
  status: '',
  errors: '',
});
