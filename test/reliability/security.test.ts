import { writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sampleState } from '@fluxctl/emulator/fluxd';
import { testPem } from '@fluxctl/emulator/kube';
import type { TestBed } from '../helpers/testbed.js';
import { fwd, scenario, script, SECRETS, startBed } from './harness.js';
import { collector } from './report.js';

const col = collector('security');
let bed: TestBed;
beforeAll(async () => {
  bed = await startBed({ kubeUsers: { [SECRETS.kubeToken]: 'jane', [SECRETS.execToken]: 'jane' } });
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.fluxd.state = sampleState();
  bed.fluxd.clearFaults();
  bed.kube.faults.reset();
});

const V = ['--verbose'];
const withUrl = (host: string) => `http://admin:${SECRETS.urlPassword}@${host}/api/flux`;

function execKubeconfig(): string {
  const plugin = script(bed, 'cred.sh', `echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${SECRETS.execToken}"}}'`);
  const file = path.join(bed.home, 'exec');
  writeFileSync(file, bed.kube.kubeconfig().replace(/token: .*/, `exec: { apiVersion: client.authentication.k8s.io/v1, command: ${plugin} }`));
  return file;
}

describe('secrets never reach the output (every scenario of the suite checks this too)', () => {
  it('--verbose through the tunnel with a bearer token', async () => {
    await scenario(col, '--verbose, bearer token (kubeconfig)', () => bed.run(['identity', ...fwd, ...V]), { code: 0, verbose: true, message: /^\[debug\] kubeconfig /, stdout: bed.fluxd.state.git.publicKey?.key ?? '' });
  });

  it('--verbose with a client certificate and key', async () => {
    const kc = bed.writeKubeconfig({ clientCert: true }, 'cert');
    await scenario(col, '--verbose, client certificate + key (kubeconfig)', () => bed.run(['identity', ...fwd, ...V], { env: { KUBECONFIG: kc } }), { code: 0, verbose: true, message: /^\[debug\] kubeconfig /, stdout: bed.fluxd.state.git.publicKey?.key ?? '' });
  });

  it('--verbose with an exec plugin credential, then a failure with its cause', async () => {
    const kc = execKubeconfig();
    await scenario(col, '--verbose, exec plugin token', () => bed.run(['list-workloads', ...fwd, ...V], { env: { KUBECONFIG: kc } }), { code: 0, verbose: true, message: /^\[debug\] kubeconfig /, stdout: /^WORKLOAD +CONTAINER/ });
  });

  it('--verbose on a 401 and a 403 (error causes printed)', async () => {
    const stale = bed.writeKubeconfig({ token: SECRETS.staleToken }, 'stale');
    await scenario(col, '--verbose, 401 with a stale token', () => bed.run(['identity', ...fwd, ...V], { env: { KUBECONFIG: stale } }), { code: 3, verbose: true, message: /rejected the credentials/ });
    bed.kube.faults.deny({ verb: 'get', resource: 'pods', subresource: 'portforward' });
    await scenario(col, '--verbose, 403 on pods/portforward', () => bed.run(['identity', ...fwd, ...V]), { code: 3, verbose: true, message: /is forbidden/ });
  });

  it('--url with credentials and a daemon token: masked when unreachable, on error answers and in --verbose', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const r = await scenario(col, '--url user:password@ (refused), --token, --verbose', () => bed.run(['identity', '--url', withUrl(`127.0.0.1:${closed}`), '--token', SECRETS.daemonToken, ...V]), {
      code: 3,
      verbose: true,
      message: `Error: cannot reach the daemon at http://***@127.0.0.1:${closed}/api/flux: ECONNREFUSED`,
    });
    expect(r.stderr).toContain('[debug] daemon at http://***@127.0.0.1:');
    bed.fluxd.inject('*', { status: 500, body: 'boom', contentType: 'text/plain' });
    await scenario(col, '--url user:password@ (500 answer), FLUX_SERVICE_TOKEN', () => bed.run(['list-workloads', ...V], { env: { FLUX_URL: withUrl(`127.0.0.1:${bed.fluxd.port}`), FLUX_SERVICE_TOKEN: SECRETS.daemonToken } }), {
      code: 1,
      verbose: true,
      message: 'Error: executing HTTP request: 500 Internal Server Error boom',
    });
    await scenario(col, '--url that is not a URL (with a password in it)', () => bed.run(['identity', '--url', `http://admin:${SECRETS.urlPassword}@[bad`]), {
      code: 2,
      message: 'Error: parsing URL: invalid URL "http://***@[bad"',
    });
  });
});

describe('the network surface', () => {
  it('no listening socket is ever opened, on success or failure', async () => {
    const listen = net.Server.prototype.listen;
    const opened: string[] = [];
    net.Server.prototype.listen = function counted(this: net.Server, ...args: unknown[]) {
      opened.push(JSON.stringify(args[0]));
      return (listen as (...a: unknown[]) => net.Server).apply(this, args);
    } as typeof listen;
    const runs: Array<[string, string[]]> = [
      ['identity', ['identity', ...fwd]],
      ['list-workloads -a', ['list-workloads', ...fwd, '-a']],
      ['sync (job polled)', ['sync', ...fwd]],
      ['list-images', ['list-images', ...fwd]],
      ['set-interval', ['set-interval', ...fwd]],
      ['nothing on 3030', ['identity', ...fwd]],
    ];
    const codes: number[] = [];
    // The sample's sync lands by the clock; here it lands after a few polls, so sync ends with 0.
    bed.fluxd.state.sync = { jobPolls: 2, applyPolls: 2 };
    try {
      for (const [name, argv] of runs) {
        if (name === 'nothing on 3030') bed.kube.cluster.setBackend(() => null);
        codes.push((await bed.run(argv)).code);
      }
    } finally {
      net.Server.prototype.listen = listen;
      bed.kube.cluster.setBackend((pod, port) => (pod.labels.app === 'flux' && port === 3030 ? { host: '127.0.0.1', port: bed.fluxd.port } : null));
    }
    col.record({ scenario: `no listen() during ${runs.map(([n]) => n).join(', ')}`, code: codes.join(','), message: `${opened.length} listening sockets opened` });
    expect(opened).toEqual([]);
    expect(codes).toEqual([0, 0, 0, 0, 0, 3]);
  });

  it('TLS is verified for --url https too: an unknown CA is refused', async () => {
    const server = https.createServer({ key: testPem('server-key.pem'), cert: testPem('server.pem') }, (_req, res) => res.end('"x"'));
    server.on('tlsClientError', () => {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const r = await scenario(col, '--url https:// with a certificate from an unknown CA', () => bed.run(['list-workloads', '--url', `https://127.0.0.1:${port}/api/flux`]), {
        code: 3,
        message: `Error: cannot reach the daemon at https://127.0.0.1:${port}/api/flux: TLS verification failed: unable to verify the first certificate`,
      });
      expect(r.stderr).toContain('hint: ');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
