// An in-process emulated fluxd 1.25.4 API on 127.0.0.1:<random port>, for integration tests.
// Its behaviour follows fluxcd/flux 1.25: pkg/http (routes, errors), pkg/api (types), pkg/job.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TEXT_TYPE } from './errors.js';
import { emptyState } from './builders.js';
import { advanceJobs } from './jobs.js';
import { faultReply, resetSocket, send, type Fault } from './respond.js';
import { outer, parseQuery, route, PREFIX } from './router.js';
import { advanceSync } from './sync.js';
import type { FluxdState } from './types.js';

export type { Fault } from './respond.js';
export type * from './types.js';
export { workload, container, imageInfo, commit, gitState, emptyState } from './builders.js';
export { generateKey } from './sshkey.js';
export { sampleState } from './sample.js';
export { apiNotFound, coverAll, deprecated, errorResponse, fluxError, writeError } from './errors.js';
export type { DaemonError, FluxError, FluxErrorType, Reply } from './errors.js';

export interface DaemonRequest {
  method: string;
  /** the path after /api/flux (the full path for requests outside it) */
  path: string;
  rawQuery: string;
  query: Record<string, string[]>;
  accept?: string;
  authorization?: string;
  contentType?: string;
  body: string;
}

export interface Fluxd {
  port: number;
  /** http://127.0.0.1:PORT/api/flux */
  baseUrl: string;
  state: FluxdState;
  requests: DaemonRequest[];
  /** spoil the next matching request(s): route is `METHOD /path`, `/path` or `*` */
  inject(route: string, fault: Fault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFluxd(opts: { state?: FluxdState; version?: string } = {}): Promise<Fluxd> {
  let state = opts.state ?? emptyState();
  if (opts.version !== undefined) state.version = opts.version;
  const requests: DaemonRequest[] = [];
  const faults: Array<{ route: string; fault: Fault; left: number }> = [];
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = { timer: setTimeout(() => (timers.delete(entry), resolve()), ms), resolve };
      timers.add(entry);
    });

  function takeFault(method: string, path: string): Fault | undefined {
    const i = faults.findIndex((f) => f.route === '*' || f.route === `${method} ${path}` || f.route === path);
    if (i < 0) return undefined;
    const f = faults[i]!;
    if (--f.left <= 0) faults.splice(i, 1);
    return f.fault;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const qAt = url.indexOf('?');
    const rawPath = qAt < 0 ? url : url.slice(0, qAt);
    const rawQuery = qAt < 0 ? '' : url.slice(qAt + 1);
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      path = rawPath;
    }
    const query = parseQuery(rawQuery);
    const inner = outer(method, path, rawQuery);
    const accept = req.headersDistinct['accept'] ?? [];
    requests.push({
      method,
      path: typeof inner === 'string' ? inner : path,
      rawQuery,
      query,
      ...(req.headers.accept !== undefined && { accept: req.headers.accept }),
      ...(req.headers.authorization !== undefined && { authorization: req.headers.authorization }),
      ...(req.headers['content-type'] !== undefined && { contentType: req.headers['content-type'] }),
      body,
    });
    const fault = takeFault(method, typeof inner === 'string' ? inner : path);
    if (fault?.destroy) return resetSocket(res);
    if (fault?.hang) return; // the socket is destroyed by close()
    if (fault?.delayMs) await sleep(fault.delayMs);
    advanceJobs(state);
    advanceSync(state);
    const reply =
      (fault && faultReply(fault)) ?? (typeof inner === 'string' ? route({ state, method, path: inner, query, body, accept }) : inner);
    send(req, res, reply, fault);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      send(req, res, { status: 500, headers: { 'Content-Type': TEXT_TYPE }, body: `emulator error: ${String(err)}\n` });
    });
  });
  // Go's server never times out idle keep-alive connections, nor announces Keep-Alive.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    baseUrl: `http://127.0.0.1:${port}${PREFIX}`,
    get state() {
      return state;
    },
    set state(next: FluxdState) {
      state = next;
    },
    requests,
    inject(routeKey, fault) {
      faults.push({ route: routeKey, fault, left: fault.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    close() {
      for (const t of timers) {
        clearTimeout(t.timer);
        t.resolve();
      }
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
