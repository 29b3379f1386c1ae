// Tests never reach beyond loopback: any other destination fails loudly.
import net from 'node:net';

// Files share a worker process one after another (vitest.config.ts): patch it only once.
const PATCHED = Symbol.for('fluxctl.test.loopbackOnly');
const proto = net.Socket.prototype as net.Socket & { [PATCHED]?: true };
const originalConnect = net.Socket.prototype.connect;
if (proto[PATCHED] !== true) proto.connect = function patchedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string; path?: string } | number | string | undefined;
  const host = typeof first === 'object' && first !== null ? first.host : typeof args[1] === 'string' ? args[1] : undefined;
  const isPath = typeof first === 'object' && first !== null && typeof first.path === 'string';
  // RFC 6761: *.invalid never resolves. Answer as getaddrinfo would, without asking a resolver.
  if (!isPath && host?.endsWith('.invalid')) {
    const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', errno: -3008, syscall: 'getaddrinfo', hostname: host });
    process.nextTick(() => this.destroy(err));
    return this;
  }
  if (!isPath && host !== undefined && !['127.0.0.1', 'localhost', '::1'].includes(host)) {
    throw new Error(`test tried to reach ${host}: tests only talk to loopback`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
proto[PATCHED] = true;
