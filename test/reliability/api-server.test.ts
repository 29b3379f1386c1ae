import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { TestBed } from '../helpers/testbed.js';
import { fwd, scenario, startBed } from './harness.js';
import { collector } from './report.js';

const col = collector('api-server');
let bed: TestBed;
beforeAll(async () => {
  bed = await startBed();
});
afterAll(() => bed.close());

const identity = (file: string) => () => bed.run(['identity', ...fwd, '--timeout', '2s'], { env: { KUBECONFIG: file } });

function serverAt(server: string, name: string): string {
  const file = path.join(bed.home, name);
  writeFileSync(file, bed.kube.kubeconfig().replace(/server: https:\/\/127\.0\.0\.1:\d+/, `server: ${server}`));
  return file;
}

describe('API server', () => {
  it('connection refused', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    await scenario(col, 'connection refused', identity(serverAt(`https://127.0.0.1:${port}`, 'refused')), {
      code: 3,
      timeoutMs: 2000,
      message: `Error: cannot reach the Kubernetes API at https://127.0.0.1:${port} (context "emulator"): ECONNREFUSED`,
    });
  });

  it('DNS failure (a .invalid host never resolves)', async () => {
    await scenario(col, 'DNS failure (cluster.invalid)', identity(serverAt('https://cluster.invalid:6443', 'dns')), {
      code: 3,
      timeoutMs: 2000,
      message: /^Error: cannot reach the Kubernetes API at https:\/\/cluster\.invalid:6443 \(context "emulator"\): (ENOTFOUND|EAI_AGAIN)$/,
    });
  });

  it('TLS: a server certificate from an unknown CA is refused', async () => {
    const r = await scenario(col, 'TLS: no certificate-authority (self-signed CA unknown)', identity(bed.writeKubeconfig({ withCa: false }, 'no-ca')), {
      code: 3,
      timeoutMs: 2000,
      message: /^Error: cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:\d+ \(context "emulator"\): TLS verification failed: /,
    });
    if (!r.stderr.includes('hint: the server certificate is not trusted')) throw new Error(r.stderr);
  });

  it('TLS: certificate-authority-data is accepted', async () => {
    await scenario(col, 'TLS: certificate-authority-data', identity(bed.writeKubeconfig({}, 'ca')), { code: 0, message: '', stdout: key() });
  });

  it('TLS: insecure-skip-tls-verify is honoured', async () => {
    await scenario(col, 'TLS: insecure-skip-tls-verify: true', identity(bed.writeKubeconfig({ insecure: true }, 'insecure')), { code: 0, message: '', stdout: key() });
  });

  it('an API server that answers with something that is not JSON', async () => {
    // A proxy or a wrong port: an HTML page where the pod list should be.
    const server = net.createServer((s) => {
      const html = '<html>login</html>\n';
      s.once('data', () => s.end(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${html.length}\r\nConnection: close\r\n\r\n${html}`));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const file = path.join(bed.home, 'html');
    writeFileSync(file, bed.kube.kubeconfig({ insecure: true }).replace(/server: https:\/\/127\.0\.0\.1:\d+/, `server: http://127.0.0.1:${port}`));
    try {
      await scenario(col, 'plain-http server answering HTML, not JSON', identity(file), { code: 1, timeoutMs: 2000, message: /^Error: the Kubernetes API at http:\/\/127\.0\.0\.1:\d+ \(context "emulator"\) answered GET \/api\/v1\/namespaces\/flux\/pods with something that is not JSON/ });
    } finally {
      server.close();
    }
  });
});

function key(): string {
  return bed.fluxd.state.git.publicKey?.key ?? '';
}
