import http from 'node:http';
import { Duplex, PassThrough, Writable } from 'node:stream';
import WebSocket from 'ws';
import { ConnectionLostError, UnreachableError } from '../errors.js';
import { abortedRequest, statusError, unreachable, type KubeApi } from './api.js';

export interface TunnelTarget {
  api: KubeApi;
  namespace: string;
  pod: string;
  port: number;
  signal: AbortSignal;
  /** Finds the daemon pod again (by selector) when the one we had is gone, e.g. after a rollout. */
  findPod?: () => Promise<string>;
  /** Told when a tunnel is open (the caller then waits for the daemon's answer). */
  onOpen?: () => void;
}

/** The upgrade found no such pod: it was deleted or replaced since we looked it up. */
class PodGoneError extends UnreachableError {}

/**
 * One HTTP connection carried by one port-forward WebSocket: what http.Agent gets from
 * createConnection instead of a TCP socket, so no local port is ever opened.
 */
class TunnelSocket extends Duplex {
  readonly input = new PassThrough();
  override _read(): void {}
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.input.write(chunk, cb);
  }
  override _final(cb: (e?: Error | null) => void): void {
    this.input.end();
    cb();
  }
  // net.Socket methods the http client and agent call; a WebSocket has no such knobs.
  setKeepAlive(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setTimeout(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

function upgradeFailure(status: number, body: string, target: TunnelTarget): Error {
  if (status === 404) {
    return new PodGoneError(`pod ${target.namespace}/${target.pod} no longer exists (deleted, or replaced by a rollout), so no port-forward to it can open`, {
      hint: 'the daemon is probably restarting: run the command again once its new pod is Running',
    });
  }
  const err = statusError(status, body, target.api);
  if (err instanceof UnreachableError) return err;
  return new UnreachableError(`the port-forward to pod ${target.namespace}/${target.pod} was refused: HTTP ${status}: ${err.message}`, {
    hint: `the API server or the kubelet could not open the tunnel: check the pod with kubectl describe pod ${target.pod} -n ${target.namespace}`,
  });
}

/** An http.Agent whose connections are port-forward tunnels to the daemon pod (keep-alive reuses them). */
export class TunnelAgent extends http.Agent {
  private readonly sockets_ = new Set<WebSocket>();
  private relooked = false;

  constructor(private readonly target: TunnelTarget) {
    super({ keepAlive: true, maxSockets: 4 });
  }

  override createConnection(_options: unknown, oncreate: (err: Error | null, socket?: Duplex) => void): undefined {
    this.open().then(
      (socket) => oncreate(null, socket),
      (err: Error) => oncreate(err),
    );
    return undefined;
  }

  private async open(): Promise<TunnelSocket> {
    const { PortForward } = await import('./k8s-portforward.js');
    const socket = new TunnelSocket();
    let remoteError = '';
    const errSink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        remoteError += chunk.toString('utf8');
        cb();
      },
    });
    const output = new Writable({
      write(chunk: Buffer, _enc, cb) {
        if (chunk.length > 0 && !socket.destroyed) socket.push(chunk);
        cb();
      },
    });
    const handler = { connect: (path: string, _text: unknown, binary: ((stream: number, buff: Buffer) => boolean) | null) => this.connect(path, binary) };
    // The config argument only builds a default handler, and we pass our own.
    const pf = new PortForward(undefined as never, true, handler);
    const { namespace, port } = this.target;
    const forward = async (): Promise<WebSocket> => (await pf.portForward(namespace, this.target.pod, [port], output, errSink, socket.input)) as WebSocket;
    let ws: WebSocket;
    try {
      ws = await forward();
    } catch (e) {
      // A pod replaced under us (a rollout, a restart): look it up again once, as kubectl advises.
      if (!(e instanceof PodGoneError) || this.target.findPod === undefined || this.relooked) throw e;
      this.relooked = true;
      this.target.pod = await this.target.findPod();
      ws = await forward();
    }
    const pod = this.target.pod;
    this.target.onOpen?.();
    // client-node never ends the local side when the tunnel closes, and drops the error text
    // unless we keep it: end or fail the socket ourselves so no request hangs.
    ws.on('close', (code: number) => {
      this.sockets_.delete(ws);
      if (socket.destroyed) return;
      if (remoteError !== '') {
        socket.destroy(new UnreachableError(`the daemon in pod ${namespace}/${pod} is not reachable on port ${port}: ${remoteError.trim()}`, {
          hint: 'the daemon may be starting or crashing: check its logs (kubectl logs) and its --listen port',
        }));
      } else if (code === 1000 || code === 1005) {
        socket.push(null);
      } else {
        socket.destroy(new ConnectionLostError(`the port-forward to pod ${namespace}/${pod} closed abnormally (WebSocket code ${code})`));
      }
    });
    socket.on('close', () => {
      if (ws.readyState === WebSocket.OPEN) ws.close();
    });
    return socket;
  }

  private connect(path: string, binary: ((stream: number, buff: Buffer) => boolean) | null): Promise<WebSocket> {
    const { api, signal } = this.target;
    const url = api.server.replace(/^http/, 'ws').replace(/\/+$/, '') + path;
    const { ca, cert, key, rejectUnauthorized, servername, headers } = api.tls;
    return new Promise((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      // Only v4 carries port-forward; offering it alone keeps servers from picking another.
      // client-node has no handshake timeout: the abort signal (--timeout, Ctrl-C) bounds it.
      // ws hands TLS options through to tls.connect, servername included (not in its typings).
      const tlsOptions = { ca, cert, key, rejectUnauthorized, servername } as WebSocket.ClientOptions;
      const ws = new WebSocket(url, ['v4.channel.k8s.io'], { ...tlsOptions, headers, perMessageDeflate: false, agent: api.agent });
      this.sockets_.add(ws);
      let settled = false;
      const fail = (e: Error): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        this.sockets_.delete(ws);
        ws.terminate();
        reject(e);
      };
      const onAbort = (): void => fail(abortedRequest(signal, `the port-forward to pod ${this.target.namespace}/${this.target.pod}`, 'GET'));
      signal.addEventListener('abort', onAbort, { once: true });
      ws.on('unexpected-response', (req, res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => fail(upgradeFailure(res.statusCode ?? 0, body, this.target)));
        res.on('error', () => fail(upgradeFailure(res.statusCode ?? 0, body, this.target)));
        req.on('error', () => undefined);
      });
      ws.on('error', (e) => fail(unreachable(e, api.server, api.contextName)));
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (!isBinary || binary === null || data.length === 0) return;
        if (!binary(data[0] ?? 0, data.subarray(1))) ws.close();
      });
      ws.once('open', () => {
        settled = true;
        signal.removeEventListener('abort', onAbort);
        resolve(ws);
      });
    });
  }

  /** Closes every tunnel: politely first, then abruptly after a short grace period. */
  async closeAll(graceMs = 500): Promise<void> {
    this.destroy();
    const open = [...this.sockets_];
    if (open.length === 0) return;
    await Promise.race([
      Promise.all(open.map((ws) => new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) resolve();
        else {
          ws.once('close', () => resolve());
          if (ws.readyState === WebSocket.OPEN) ws.close();
        }
      }))),
      new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
    ]);
    for (const ws of open) ws.terminate();
    this.sockets_.clear();
  }
}
