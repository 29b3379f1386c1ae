// The Secrets a GitRepository authenticates with, shaped as `flux bootstrap` and
// `flux create secret git` write them (fluxcd/flux2 pkg/manifestgen/sourcesecret).
import type { GenericObject } from '../kube/types.js';
import { generateSshKey, knownHostsHost, type KeyAlgorithm } from './ssh-keys.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

export interface DeployKeyOptions {
  namespace: string;
  name: string;
  /** The ssh:// URL of the repository: known_hosts names its host. */
  url: string;
  /** `<type> <base64>` of the git host's key. */
  hostKey: string;
  algorithm?: KeyAlgorithm;
  rsaBits?: number;
}

/** The SSH deploy key Secret (`identity`, `identity.pub`, `known_hosts`) and its public key line. */
export function deployKeySecret(o: DeployKeyOptions): { secret: GenericObject; publicKey: string } {
  const key = generateSshKey(o.algorithm ?? 'ecdsa-p384', o.rsaBits);
  const secret: GenericObject = {
    metadata: { name: o.name, namespace: o.namespace, uid: '', resourceVersion: '', creationTimestamp: '' },
    type: 'Opaque',
    data: { identity: b64(key.privateKey), 'identity.pub': b64(key.publicKey), known_hosts: b64(`${knownHostsHost(o.url)} ${o.hostKey}`) },
  };
  return { secret, publicKey: key.publicKey };
}

/** A basic-auth Secret for an https:// repository. */
export function basicAuthSecret(namespace: string, name: string, username: string, password: string): GenericObject {
  return {
    metadata: { name, namespace, uid: '', resourceVersion: '', creationTimestamp: '' },
    type: 'Opaque',
    data: { username: b64(username), password: b64(password) },
  };
}
