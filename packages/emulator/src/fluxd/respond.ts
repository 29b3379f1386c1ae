// Writing replies with Go net/http framing, and the fault injection that can spoil them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { JSON_TYPE, TEXT_TYPE, type Reply } from './errors.js';

/** Go buffers 2048 bytes before it must choose: smaller bodies get a Content-Length. */
const GO_BUFFER = 2048;

export interface Fault {
  /** answer with this status (default 500 when `body` is set) instead of the real handler */
  status?: number;
  body?: string;
  /** default: JSON when the body looks like JSON, else text/plain */
  contentType?: string;
  /** wait before answering (the real or the injected reply) */
  delayMs?: number;
  /** never answer */
  hang?: boolean;
  /** send Content-Length of the full body but reset the connection after N body bytes */
  truncateAfter?: number;
  /** reset the connection without any response */
  destroy?: boolean;
  /**
   * answer 200 with a JSON array of this many bytes, chunked and generated as the client reads
   * it (backpressure respected), so a huge body never sits in the emulator's memory
   */
  streamBytes?: number;
  /** how many matching requests it applies to (default 1) */
  times?: number;
}

export function faultReply(fault: Fault): Reply | undefined {
  if (fault.status === undefined && fault.body === undefined) return undefined;
  const body = fault.body ?? '';
  const contentType = fault.contentType ?? (/^\s*[[{"]/.test(body) ? JSON_TYPE : TEXT_TYPE);
  return { status: fault.status ?? 500, headers: body === '' && !fault.contentType ? {} : { 'Content-Type': contentType }, body };
}

const noBody = (status: number) => status === 204 || status === 304 || (status >= 100 && status < 200);

export const jsonReply = (body: string, status = 200): Reply => ({ status, headers: { 'Content-Type': JSON_TYPE }, body });

export const emptyReply = (status: number): Reply => ({ status, headers: {}, body: '' });

export function resetSocket(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket) return;
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

/** A JSON array of `total` bytes of padded workloads, written as the client takes it; stops if it goes away. */
export function streamJson(res: ServerResponse, total: number): void {
  // A well-formed workload whose one unknown field pads it to 1024 bytes (plus a comma), so a
  // client that reads the list as it arrives keeps going until its own limit stops it.
  const item = `{"ID":"default:deployment/padding","Padding":"${'x'.repeat(976)}"}`;
  const chunk = Buffer.from(`${item},`.repeat(64)); // ~64 KiB
  res.writeHead(200, { 'Content-Type': JSON_TYPE });
  let sent = 0;
  const pump = (): void => {
    if (res.destroyed) return;
    if (sent === 0) sent += (res.write('['), 1);
    while (sent + chunk.length < total - item.length - 2) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end(`${item}]`);
  };
  pump();
}

/** Send `reply` the way Go's server would frame it. */
export function send(req: IncomingMessage, res: ServerResponse, reply: Reply, fault?: Fault): void {
  if (fault?.streamBytes !== undefined) return streamJson(res, fault.streamBytes);
  const body = Buffer.from(reply.body, 'utf8');
  res.statusCode = reply.status;
  for (const [k, v] of Object.entries(reply.headers)) res.setHeader(k, v);
  if (noBody(reply.status)) {
    res.end();
    return;
  }
  if (fault?.truncateAfter !== undefined) {
    res.setHeader('Content-Length', body.length);
    res.write(body.subarray(0, fault.truncateAfter), () => resetSocket(res));
    return;
  }
  if (req.method === 'HEAD') {
    // Go sets Content-Length on HEAD only when the would-be body fit its buffer.
    if (body.length > 0 && body.length <= GO_BUFFER) res.setHeader('Content-Length', body.length);
    res.end();
    return;
  }
  if (body.length <= GO_BUFFER) {
    res.setHeader('Content-Length', body.length);
    res.end(body);
    return;
  }
  res.write(body); // no Content-Length: Node frames it chunked, as Go does past its buffer
  res.end();
}
