// kubeconfig YAML for the emulator, the shape `kubectl config view --raw` prints.
import yaml from 'js-yaml';

export interface KubeconfigOptions {
  /** Bearer token (default: the first configured token). */
  token?: string;
  /** Use the committed client certificate (CN=jane) instead of a token. */
  clientCert?: boolean;
  namespace?: string;
  /** Context, cluster and user name (default "emulator"). */
  context?: string;
  /** insecure-skip-tls-verify instead of the CA (always so for http). */
  insecure?: boolean;
  /** Embed certificate-authority-data (default true unless insecure). */
  withCa?: boolean;
}

export interface KubeconfigInputs {
  url: string;
  tls: boolean;
  caData: string;
  defaultToken: string | undefined;
  clientCertData: string;
  clientKeyData: string;
}

export function renderKubeconfig(s: KubeconfigInputs, o: KubeconfigOptions = {}): string {
  const name = o.context ?? 'emulator';
  // client-node refuses http:// without insecure-skip-tls-verify; kubectl forbids it with a CA.
  const insecure = o.insecure === true || !s.tls;
  const cluster: Record<string, unknown> = { server: s.url };
  if (insecure) cluster['insecure-skip-tls-verify'] = true;
  else if (o.withCa !== false) cluster['certificate-authority-data'] = s.caData;
  const user: Record<string, unknown> = o.clientCert
    ? { 'client-certificate-data': s.clientCertData, 'client-key-data': s.clientKeyData }
    : { token: o.token ?? s.defaultToken ?? '' };
  const context: Record<string, unknown> = { cluster: name, user: name };
  if (o.namespace) context.namespace = o.namespace;
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name, user }],
    contexts: [{ name, context }],
    'current-context': name,
    preferences: {},
  }, { lineWidth: -1 });
}
