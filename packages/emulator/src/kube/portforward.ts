// `GET …/pods/{pod}/portforward` over WebSocket, framed like the kubelet's CRI streaming
// server (v4.channel.k8s.io): port prefixes on every channel first, then channel-0 data,
// error text on channel 1, close 1000 when the pod side ends.
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { authenticate, authorize, parseTarget, rawResponse, record, type Target } from './http.js';
import type { ServerContext } from './rest.js';
import * as S from './status.js';
import type { Pod } from './types.js';
import { hexFor } from './util.js';

const PROTOCOLS = ['v4.channel.k8s.io', 'v4.base64.channel.k8s.io'];
const RELAY_HIGH = 1 << 20;
const RELAY_LOW = 256 << 10;

/** API-server checks shared by upgrade and non-upgrade requests, in the real order (after 401). */
export function portForwardChecks(ctx: ServerContext, user: string, t: Target, verb: string): Pod {
  authorize(ctx.faults, user, verb, t);
  const pod = ctx.cluster.get<Pod>('pods', t.namespace, t.name!);
  if (!pod) throw new S.HttpError(S.notFound('pods', t.name!));
  if (!pod.spec.nodeName) throw new S.HttpError(S.badRequest(`pod ${t.name} does not have a host assigned`));
  return pod;
}

export function createWebSocketServer(): WebSocketServer {
  return new WebSocketServer({
    noServer: true,
    perMessageDeflate: false, // the real server never negotiates compression
    // ws's default picks the client's FIRST offer (v5); the kubelet only speaks v4.
    handleProtocols: (offered) => [...offered].find((p) => PROTOCOLS.includes(p)) ?? false,
  });
}

export interface UpgradeState {
  wss: WebSocketServer;
  podSockets: Set<net.Socket>;
  hung: Set<Duplex>;
}

export function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, ctx: ServerContext, st: UpgradeState): void {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const rec = record(req, url, true);
  ctx.requests.push(rec);
  socket.on('error', () => {});
  const reply = (code: number, body: string, contentType?: string): void => {
    rec.status = code;
    socket.end(rawResponse(code, STATUS_CODES[code] ?? 'Error', body, contentType));
  };

  let pod: Pod;
  try {
    rec.user = authenticate(req, ctx.users, ctx.faults);
    const t = parseTarget(url.pathname, ctx.cluster.resources);
    if (!t || t.subresource !== 'portforward' || t.name === undefined) throw new S.HttpError(S.pathNotFound());
    pod = portForwardChecks(ctx, rec.user, t, req.method === 'POST' ? 'create' : 'get');
    // kubectl's legacy SPDY fallback (POST, Upgrade: SPDY/3.1) is not emulated.
    if (req.method !== 'GET') throw new S.HttpError(S.badRequest('the emulator supports only WebSocket port-forward (v4.channel.k8s.io)'));
  } catch (e) {
    const s = e instanceof S.HttpError ? e.body : S.status(500, 'InternalError', String(e));
    return reply(s.code, JSON.stringify(s), 'application/json');
  }

  // From here on the answers come from the kubelet / container runtime: plain text.
  const ports: number[] = [];
  for (const p of url.searchParams.getAll('ports').flatMap((v) => v.split(','))) {
    const n = Number(p);
    if (!/^\d+$/.test(p.trim()) || n < 1 || n > 65535) return reply(400, `invalid port "${p}"`, 'text/plain; charset=utf-8');
    ports.push(n);
  }
  if (ports.length === 0) return reply(400, 'query parameter "port" is required', 'text/plain; charset=utf-8');
  if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') {
    return reply(500, 'rpc error: code = Unknown desc = sandbox container is not running', 'text/plain; charset=utf-8');
  }
  const rejection = ctx.faults.upgradeRejection;
  if (rejection) return reply(rejection.status, rejection.body, rejection.contentType);
  if (ctx.faults.hangHandshake) {
    st.hung.add(socket);
    socket.on('close', () => st.hung.delete(socket));
    return;
  }
  const offered = req.headers['sec-websocket-protocol'];
  if (offered !== undefined && !offered.split(',').some((p) => PROTOCOLS.includes(p.trim()))) {
    rec.status = 403;
    return void socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'); // what x/net/websocket answers
  }
  st.wss.handleUpgrade(req, socket, head, (ws) => {
    rec.status = 101;
    tunnel(ws, pod, ports, ctx, st);
  });
}

function tunnel(ws: WebSocket, pod: Pod, ports: number[], ctx: ServerContext, st: UpgradeState): void {
  const base64 = ws.protocol === 'v4.base64.channel.k8s.io';
  const frame = (channel: number, data: Buffer): Buffer | string =>
    base64 ? `${channel}${data.toString('base64')}` : Buffer.concat([Buffer.from([channel]), data]);
  const sandbox = hexFor(`sandbox/${pod.metadata.uid}`); // CRI runtimes name the sandbox, and leave uid empty
  const sockets: Array<net.Socket | undefined> = [];
  let budget = ctx.faults.takeTunnelBudget();
  ws.on('error', () => {});

  ports.forEach((port, i) => {
    const prefix = Buffer.from([port & 0xff, port >> 8]); // uint16 little-endian
    ws.send(frame(2 * i, prefix));
    ws.send(frame(2 * i + 1, prefix));
  });

  ports.forEach((port, i) => {
    const fail = (reason: string): void => {
      ws.send(frame(2 * i + 1, Buffer.from(`error forwarding port ${port} to pod ${sandbox}, uid : ${reason}`)));
      ws.close(1000);
    };
    const target = ctx.cluster.backendFor(pod, port);
    if (!target) {
      return fail(`failed to connect to localhost:${port} inside namespace "${sandbox}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused`);
    }
    const sock = net.connect(target.port, target.host);
    sockets[i] = sock;
    st.podSockets.add(sock);
    let connected = false;
    sock.on('connect', () => (connected = true));
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (!connected) fail(`failed to connect to localhost:${port} inside namespace "${sandbox}", IPv4: dial tcp4 127.0.0.1:${port}: connect: ${e.code === 'ECONNREFUSED' ? 'connection refused' : e.message}`);
      else fail(`read tcp4 127.0.0.1:${port}: ${e.code === 'ECONNRESET' ? 'read: connection reset by peer' : e.message}`);
    });
    sock.on('close', () => {
      st.podSockets.delete(sock);
      if (ws.readyState === ws.OPEN) ws.close(1000);
    });
    // Backpressure, as the kubelet's io.Copy has: stop reading the pod while the client lags.
    const relay = (chunk: Buffer): void => {
      ws.send(frame(2 * i, chunk), () => {
        if (sock.isPaused() && budget === undefined && ws.bufferedAmount < RELAY_LOW) sock.resume();
      });
      if (ws.bufferedAmount > RELAY_HIGH) sock.pause();
    };
    sock.on('data', (chunk: Buffer) => {
      if (budget === undefined) return relay(chunk);
      // Fault: relay exactly `budget` bytes, then drop the TCP connection without a close frame.
      const part = chunk.subarray(0, budget);
      budget -= part.length;
      if (budget > 0) return void ws.send(frame(2 * i, part));
      sock.pause();
      if (part.length > 0) ws.send(frame(2 * i, part), () => ws.terminate());
      else ws.terminate();
    });
  });

  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    let buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (!isBinary) {
      // base64 mode: an ASCII channel digit, then base64 payload.
      const text = buf.toString('utf8');
      buf = Buffer.concat([Buffer.from([Number(text[0])]), Buffer.from(text.slice(1), 'base64')]);
    }
    const channel = buf[0]!;
    if (buf.length < 2 || channel % 2 !== 0) return; // empty frames and error channels are ignored
    sockets[channel / 2]?.write(buf.subarray(1));
  });
  // Deleting the pod stops its container: the daemon's connections end, and the kubelet closes
  // the stream with 1000 (apimachinery pkg/util/httpstream/wsstream, which the kubelet's port-forward streams use).
  const unwatch = ctx.cluster.addWatcher({
    resource: 'pods',
    send: (ev, raw) => {
      if (ev.type !== 'DELETED' || raw.metadata.uid !== pod.metadata.uid) return;
      for (const s of sockets) s?.destroy();
      if (ws.readyState === ws.OPEN) ws.close(1000);
    },
  });
  ws.on('close', () => {
    unwatch();
    for (const s of sockets) s?.destroy();
  });
}
