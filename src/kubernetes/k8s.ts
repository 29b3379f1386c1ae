// The only module that imports client-node. Loaded lazily (await import) by the kubernetes
// modules, and re-exporting named bindings lets esbuild tree-shake the 20 MB package.
export { KubeConfig, PortForward } from '@kubernetes/client-node';
export type { Cluster, Context, User } from '@kubernetes/client-node';
