// Stands in for node-fetch inside the bundle (see build.mjs): client-node's code paths that
// fluxctl uses never fetch, so anything beyond the classes fails loudly instead of silently.
export const Headers = globalThis.Headers;
export class FetchError extends Error {}
export class AbortError extends Error {}
export default function fetch() {
  throw new Error('node-fetch is not bundled with fluxctl');
}
