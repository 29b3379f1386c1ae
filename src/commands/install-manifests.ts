// The manifests `fluxctl install` prints: fluxctl 1.25.4's objects, fields, key order and quoting,
// with values spliced in verbatim as its Go templates do. The comments are ours.

export interface InstallParameters {
  gitUrl: string;
  gitBranch: string;
  gitPaths: string[];
  gitLabel: string;
  gitUser: string;
  gitEmail: string;
  gitReadonly: boolean;
  manifestGeneration: boolean;
  namespace: string;
  registryDisableScanning: boolean;
  addSecurityContext: boolean;
}

const FLUX_IMAGE = 'docker.io/fluxcd/flux:1.25.4';
const MEMCACHED_IMAGE = 'memcached:1.6.10-alpine';

const lines = (...parts: Array<string | false>): string => `${parts.filter((p) => p !== false).join('\n')}\n`;

function account(p: InstallParameters): string {
  return lines(
    '---',
    '# Flux reads and applies every kind of object, so it is bound to a ClusterRole allowing all.',
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  labels:',
    '    name: flux',
    '  name: flux',
    `  namespace: ${p.namespace}`,
    '---',
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: ClusterRole',
    'metadata:',
    '  labels:',
    '    name: flux',
    '  name: flux',
    'rules:',
    "  - apiGroups: ['*']",
    "    resources: ['*']",
    "    verbs: ['*']",
    "  - nonResourceURLs: ['*']",
    "    verbs: ['*']",
    '---',
    'apiVersion: rbac.authorization.k8s.io/v1',
    'kind: ClusterRoleBinding',
    'metadata:',
    '  labels:',
    '    name: flux',
    '  name: flux',
    'roleRef:',
    '  apiGroup: rbac.authorization.k8s.io',
    '  kind: ClusterRole',
    '  name: flux',
    'subjects:',
    '  - kind: ServiceAccount',
    '    name: flux',
    `    namespace: ${p.namespace}`,
  );
}

function secret(p: InstallParameters): string {
  return lines('---', 'apiVersion: v1', 'kind: Secret', 'metadata:', '  name: flux-git-deploy', `  namespace: ${p.namespace}`, 'type: Opaque');
}

const probe = (name: string): string[] => [
  `        ${name}:`,
  '          httpGet:',
  '            port: 3030',
  '            path: /api/flux/v6/identity.pub',
  '          initialDelaySeconds: 5',
  '          timeoutSeconds: 5',
];

/** fluxd's arguments, in fluxctl's order; the optional ones only when set. */
export function daemonArgs(p: InstallParameters): string[] {
  return [
    '--memcached-service=',
    '--ssh-keygen-dir=/var/fluxd/keygen',
    `--git-url=${p.gitUrl}`,
    `--git-branch=${p.gitBranch}`,
    ...(p.gitPaths.length > 0 ? [`--git-path=${p.gitPaths.join(',')}`] : []),
    ...(p.gitLabel !== '' ? [`--git-label=${p.gitLabel}`] : []),
    ...(p.gitUser !== '' ? [`--git-user=${p.gitUser}`] : []),
    ...(p.gitEmail !== '' ? [`--git-email=${p.gitEmail}`] : []),
    ...(p.gitReadonly ? ['--git-readonly'] : []),
    ...(p.manifestGeneration ? ['--manifest-generation=true'] : []),
    '--listen-metrics=:3031',
    ...(p.registryDisableScanning ? ['--registry-disable-scanning'] : []),
  ];
}

function deployment(p: InstallParameters): string {
  return lines(
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: flux',
    `  namespace: ${p.namespace}`,
    'spec:',
    '  replicas: 1',
    '  selector:',
    '    matchLabels:',
    '      name: flux',
    '  strategy:',
    '    type: Recreate',
    '  template:',
    '    metadata:',
    '      annotations:',
    '        prometheus.io/port: "3031" # where fluxd serves /metrics (--listen-metrics)',
    '      labels:',
    '        name: flux',
    '    spec:',
    '      nodeSelector:',
    '        beta.kubernetes.io/os: linux',
    '      serviceAccountName: flux',
    '      volumes:',
    '      - name: git-key',
    '        secret:',
    '          secretName: flux-git-deploy',
    '          defaultMode: 0400 # the key must stay private; a read-only mount cannot be chmod-ed later',
    '      # fluxd writes a new SSH key here (secret mounts are read-only)',
    '      - name: git-keygen',
    '        emptyDir:',
    '          medium: Memory',
    '      containers:',
    '      - name: flux',
    '        # flux has no :latest tag; pick a release from https://hub.docker.com/r/fluxcd/flux/tags',
    `        image: ${FLUX_IMAGE}`,
    '        imagePullPolicy: IfNotPresent',
    '        resources:',
    '          requests:',
    '            cpu: 50m',
    '            memory: 64Mi',
    '        ports:',
    '        - containerPort: 3030 # the API fluxctl talks to',
    ...probe('livenessProbe'),
    ...probe('readinessProbe'),
    '        volumeMounts:',
    '        - name: git-key',
    '          mountPath: /etc/fluxd/ssh # the image\'s ssh config looks for the key here',
    '          readOnly: true',
    '        - name: git-keygen',
    '          mountPath: /var/fluxd/keygen',
    '        args:',
    ...daemonArgs(p).map((a) => `        - ${a}`),
  );
}

function memcachedDeployment(p: InstallParameters): string {
  return lines(
    '---',
    '# memcached holds the image metadata fluxd reads from registries.',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: memcached',
    `  namespace: ${p.namespace}`,
    'spec:',
    '  replicas: 1',
    '  selector:',
    '    matchLabels:',
    '      name: memcached',
    '  template:',
    '    metadata:',
    '      labels:',
    '        name: memcached',
    '    spec:',
    '      nodeSelector:',
    '        beta.kubernetes.io/os: linux',
    '      containers:',
    '      - name: memcached',
    `        image: ${MEMCACHED_IMAGE}`,
    '        imagePullPolicy: IfNotPresent',
    '        args:',
    '        - -m 512   # memory limit, in MB',
    '        - -I 5m    # largest item',
    '        - -p 11211 # port',
    '        ports:',
    '        - name: clients',
    '          containerPort: 11211',
    p.addSecurityContext && '        securityContext:',
    p.addSecurityContext && '          runAsUser: 11211',
    p.addSecurityContext && '          runAsGroup: 11211',
    p.addSecurityContext && '          allowPrivilegeEscalation: false',
  );
}

function memcachedService(p: InstallParameters): string {
  return lines(
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: memcached',
    `  namespace: ${p.namespace}`,
    'spec:',
    '  ports:',
    '    - name: memcached',
    '      port: 11211',
    '  selector:',
    '    name: memcached',
  );
}

/** File name → content, in a fixed order (fluxctl's came from a Go map: random). */
export function installManifests(p: InstallParameters): Array<[string, string]> {
  const files: Array<[string, string]> = [
    ['flux-account.yaml', account(p)],
    ['flux-deployment.yaml', deployment(p)],
    ['flux-secret.yaml', secret(p)],
  ];
  // Without registry scanning fluxd needs no cache.
  if (!p.registryDisableScanning) files.push(['memcache-dep.yaml', memcachedDeployment(p)], ['memcache-svc.yaml', memcachedService(p)]);
  return files;
}
