import type { Fingerprint, PublicSSHKey } from '../model/identity.js';
import { record, str, type Decoder } from './decode.js';

export type { Fingerprint, PublicSSHKey };

/** The answer of POST /v9/git-repo-config (`GitConfig` in fluxcd/flux pkg/api/v6/api.go): note the plural `errors`. */
export type GitConfig = {
  remote: { url: string; branch: string; path: string };
  publicSSHKey: PublicSSHKey;
  status: string;
  errors: string;
};

export const decodeGitConfig: Decoder<GitConfig> = (v, path) => {
  const o = record(v, path);
  const remote = record(o.remote, `${path}.remote`);
  const key = record(o.publicSSHKey, `${path}.publicSSHKey`);
  let fingerprints: Map<string, Fingerprint> | null = null;
  if (key.fingerprints !== undefined && key.fingerprints !== null) {
    fingerprints = new Map();
    for (const [alg, fp] of Object.entries(record(key.fingerprints, `${path}.publicSSHKey.fingerprints`))) {
      const f = record(fp, `${path}.publicSSHKey.fingerprints.${alg}`);
      fingerprints.set(alg, {
        hash: str(f.hash, `${path}.publicSSHKey.fingerprints.${alg}.hash`),
        randomart: str(f.randomart, `${path}.publicSSHKey.fingerprints.${alg}.randomart`),
      });
    }
  }
  return {
    remote: {
      url: str(remote.url, `${path}.remote.url`),
      branch: str(remote.branch, `${path}.remote.branch`),
      path: str(remote.path, `${path}.remote.path`),
    },
    publicSSHKey: { key: str(key.key, `${path}.publicSSHKey.key`), fingerprints },
    status: str(o.status, `${path}.status`),
    errors: str(o.errors, `${path}.errors`),
  };
};

