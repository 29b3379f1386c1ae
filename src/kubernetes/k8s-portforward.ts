// client-node's port-forward framing alone, by its module path: going through the package
// index would put the whole client into the chunk every tunnel loads.
export { PortForward } from '@kubernetes/client-node/dist/portforward.js';
