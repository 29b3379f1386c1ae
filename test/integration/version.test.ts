import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiNotFound, errorResponse } from '@fluxctl/emulator/fluxd';
import { startTestBed, type TestBed } from '../helpers/testbed.js';
import { VERSION } from '../../src/version.js';

let bed: TestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.fluxd.state.version = '1.25.4';
  bed.fluxd.requests.length = 0;
  bed.fluxd.clearFaults();
});

const fwd = ['--k8s-fwd-ns', 'flux'];
// Env values fluxctl would choke on: plain `version` must not even read them.
const hostileEnv = { FLUX_URL: 'http://127.0.0.1:1/api/flux', FLUX_TIMEOUT: 'soon', FLUX_FORWARD_LABELS: '=' };
const queries = (): string[] => bed.fluxd.requests.map((q) => `${q.method} ${q.path}?${q.rawQuery}`);

describe('fluxctl version', () => {
  it('prints only the client version, as fluxctl does, without reading env or connecting', async () => {
    bed.kube.requests.length = 0;
    const r = await bed.run(['version'], { env: { ...hostileEnv, KUBECONFIG: '/nonexistent' } });
    expect(r).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    const json = await bed.run(['version', '-o', 'json'], { env: hostileEnv });
    expect(json).toMatchObject({ code: 0, stdout: `{"client":"${VERSION}"}\n`, stderr: '' });
    expect(bed.fluxd.requests).toEqual([]);
    expect(bed.kube.requests).toEqual([]);
  });

  it('--server asks the daemon through the tunnel: client and server lines', async () => {
    const r = await bed.run(['version', '--server', ...fwd]);
    expect(r).toMatchObject({ code: 0, stdout: `client: ${VERSION}\nserver: 1.25.4\n`, stderr: '' });
    expect(queries()).toEqual(['GET /v11/version?']);
    expect(bed.fluxd.requests[0]).toMatchObject({ accept: 'application/json', body: '' });
  });

  it('--server -o json / yaml print one document', async () => {
    bed.fluxd.state.version = 'unversioned';
    const json = await bed.run(['version', '--server', ...fwd, '-o', 'json']);
    expect(json).toMatchObject({ code: 0, stdout: `{"client":"${VERSION}","server":"unversioned"}\n`, stderr: '' });
    const yaml = await bed.run(['version', ...fwd, '--server', '-o', 'yaml']);
    expect(yaml).toMatchObject({ code: 0, stdout: `client: ${VERSION}\nserver: unversioned\n`, stderr: '' });
  });

  it('--server reads the global flags and env (FLUX_URL, --url)', async () => {
    const env = await bed.run(['version', '--server'], { env: { FLUX_URL: bed.fluxd.baseUrl } });
    expect(env).toMatchObject({ code: 0, stdout: `client: ${VERSION}\nserver: 1.25.4\n` });
    const flag = await bed.run(['--url', bed.fluxd.baseUrl, 'version', '--server']);
    expect(flag).toMatchObject({ code: 0, stdout: `client: ${VERSION}\nserver: 1.25.4\n` });
    expect(queries()).toEqual(['GET /v11/version?', 'GET /v11/version?']);
  });

  it('a daemon without /v11/version (404) gets a clear error and no partial output', async () => {
    const reply = errorResponse(['application/json'], apiNotFound('/v11/version'));
    bed.fluxd.inject('GET /v11/version', { status: reply.status, body: reply.body, times: 2 });
    const r = await bed.run(['version', '--server', ...fwd]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'Error: the Flux daemon does not report its version (GET /v11/version: API endpoint not found)\n' +
        "hint: this fluxd predates the /v11 API: upgrade it (its image tag shows its version: kubectl get deployment -o wide in the daemon's namespace)\n",
    );
    const json = await bed.run(['version', '--server', ...fwd, '-o', 'json']);
    expect(json).toMatchObject({ code: 1, stdout: '' });
  });

  it('an unreachable daemon is exit 3', async () => {
    const r = await bed.run(['version', '--server', '--url', 'http://127.0.0.1:1/api/flux']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
  });

  it('rejects stray arguments and a bad -o without connecting', async () => {
    const extra = await bed.run(['version', 'now']);
    expect(extra).toMatchObject({ code: 2, stdout: '', stderr: "Error: expected no (non-flag) arguments\nRun 'fluxctl version --help' for usage.\n" });
    const bad = await bed.run(['version', '--server', ...fwd, '-o', 'xml']);
    expect(bad).toMatchObject({ code: 2, stdout: '', stderr: "Error: invalid output format specified\nRun 'fluxctl version --help' for usage.\nhint: use one of: tab, json, yaml\n" });
    expect(bed.fluxd.requests).toEqual([]);
  });
});
