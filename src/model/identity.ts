/** A fingerprint as `ssh-keygen -l [-v] -E <alg>` shows it: the hash and its randomart. */
export type Fingerprint = {
  hash: string;
  randomart: string;
};

/**
 * A deploy key's public half with its fingerprints by hash algorithm (md5, sha256), in the
 * shape of the Flux v1 API's git-repo-config answer (fluxcd/flux pkg/ssh PublicKey).
 */
export type PublicSSHKey = {
  key: string;
  fingerprints: Map<string, Fingerprint> | null;
};
