// client-node's KubeConfig, for the credentials we do not handle ourselves (auth providers,
// proxies). Loaded lazily, by its module path, so the rest of the client stays out of the bundle.
export { KubeConfig } from '@kubernetes/client-node/dist/config.js';
