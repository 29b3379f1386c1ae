// Request routing in the order fluxd's stack applies it: Go's ServeMux (path cleaning, the
// /api/flux/ subtree, plain 404s), then gorilla/mux inside the prefix (exact paths, methods,
// required query keys, the /v1/-/v5/ 410s and the catch-all API 404).
import { posix } from 'node:path';
import { apiNotFound, deprecated, writeError, TEXT_TYPE, type Reply } from './errors.js';
import * as read from './handlers.js';
import * as write from './mutations.js';
import type { Ctx } from './handlers.js';

interface Route {
  methods: string[];
  path: string;
  /** keys that must be present (any value, even empty) for the route to match */
  queries?: string[];
  handle: (ctx: Ctx) => Reply;
}

const ROUTES: Route[] = [
  { methods: ['GET'], path: '/v11/ping', handle: read.ping },
  { methods: ['GET'], path: '/v11/version', handle: read.version },
  { methods: ['POST'], path: '/v11/notify', handle: write.notify },
  { methods: ['GET'], path: '/v6/services', handle: read.services },
  { methods: ['GET'], path: '/v11/services', handle: read.services },
  { methods: ['GET'], path: '/v6/images', handle: read.images },
  { methods: ['GET'], path: '/v10/images', handle: read.images },
  { methods: ['POST'], path: '/v9/update-manifests', handle: write.updateManifests },
  { methods: ['GET'], path: '/v6/jobs', queries: ['id'], handle: read.jobStatus },
  { methods: ['GET'], path: '/v6/sync', queries: ['ref'], handle: read.sync },
  { methods: ['GET', 'HEAD'], path: '/v6/export', handle: read.exportConfig },
  { methods: ['POST'], path: '/v9/git-repo-config', handle: write.gitRepoConfig },
  { methods: ['POST'], path: '/v6/update-images', queries: ['service', 'image', 'kind'], handle: write.updateImages },
  { methods: ['PATCH'], path: '/v6/policies', handle: write.updatePolicies },
  { methods: ['GET'], path: '/v6/identity.pub', handle: read.getPublicKey },
  { methods: ['POST'], path: '/v6/identity.pub', handle: write.regenerateKey },
];

export const PREFIX = '/api/flux';

/** url.ParseQuery: `+` is a space; undecodable pairs and pairs with `;` are dropped. */
export function parseQuery(raw: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of raw.split('&')) {
    if (part === '' || part.includes(';')) continue;
    const eq = part.indexOf('=');
    const [k, v] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
    try {
      const key = decodeURIComponent(k.replace(/\+/g, ' '));
      (out[key] ??= []).push(decodeURIComponent(v.replace(/\+/g, ' ')));
    } catch {
      // Go skips pairs it cannot unescape
    }
  }
  return out;
}

/** ServeMux's cleanPath: path.Clean, keeping a trailing slash. */
export function cleanPath(p: string): string {
  if (p === '') return '/';
  if (!p.startsWith('/')) p = '/' + p;
  let np = posix.normalize(p);
  if (np.length > 1 && np.endsWith('/')) np = np.slice(0, -1);
  if (p.endsWith('/') && np !== '/') np += '/';
  return np;
}

const htmlEscape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!);

/** http.Redirect with 301, as ServeMux issues it. */
function redirect(method: string, location: string): Reply {
  const headers: Record<string, string> = { Location: location };
  if (method === 'GET' || method === 'HEAD') headers['Content-Type'] = 'text/html; charset=utf-8';
  const body = method === 'GET' ? `<a href="${htmlEscape(location)}">Moved Permanently</a>.\n\n` : '';
  return { status: 301, headers, body };
}

const goNotFound = (): Reply => ({
  status: 404,
  headers: { 'Content-Type': TEXT_TYPE, 'X-Content-Type-Options': 'nosniff' },
  body: '404 page not found\n',
});

/** ServeMux level: returns a reply, or the path inside /api/flux to route further. */
export function outer(method: string, path: string, rawQuery: string): Reply | string {
  const clean = cleanPath(path);
  const withQuery = (p: string) => encodeURI(p) + (rawQuery ? `?${rawQuery}` : '');
  if (clean !== path) return redirect(method, withQuery(clean));
  if (path === PREFIX) return redirect(method, withQuery(PREFIX + '/'));
  if (!path.startsWith(PREFIX + '/')) return goNotFound();
  return path.slice(PREFIX.length);
}

/** gorilla/mux level, given the path with /api/flux stripped. */
export function route(ctx: Ctx): Reply {
  for (const r of ROUTES) {
    if (r.path === ctx.path && r.methods.includes(ctx.method) && (r.queries ?? []).every((k) => k in ctx.query)) return r.handle(ctx);
  }
  if (/^\/v[1-5]\//.test(ctx.path)) return writeError(ctx.accept, 410, deprecated());
  return writeError(ctx.accept, 404, apiNotFound(ctx.path));
}
