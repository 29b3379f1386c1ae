import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emptyState, gitState } from '@fluxctl/emulator/fluxd';
import { startTestBed, type TestBed } from '../helpers/testbed.js';

const KEY = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQC7test+key/for&identity<> fluxd@cluster\n';
const MD5_ART = '+---[RSA 3072]----+\n|        .o+.     |\n|       . =o.     |\n|        +.=      |\n|       o +.o     |\n|      . S.+ .    |\n|       ..= o     |\n|      .o+ E      |\n|      .o.o       |\n|      ..         |\n+------[MD5]------+\n';
const SHA_ART = MD5_ART.replace('+------[MD5]------+', '+----[SHA256]-----+');
const publicKey = {
  key: KEY,
  md5: { hash: '3f:2a:9c:11:0b:7e:55:d1:86:af:03:c4:e2:19:7b:60', randomart: MD5_ART },
  sha256: { hash: 'q7hG0k2xJm4f2xvN0T2kVbL3p3yR8e0aQmZ7c9wS1uE', randomart: SHA_ART },
};

let bed: TestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.fluxd.state = emptyState({ git: gitState({ url: 'ssh://git@github.com/acme/cluster-config', publicKey }) });
  bed.fluxd.requests.length = 0;
  bed.kube.requests.length = 0;
});

const fwd = ['--k8s-fwd-ns', 'flux'];

describe('fluxctl identity', () => {
  it('prints the key as the daemon sends it, through one tunnel and one request', async () => {
    const r = await bed.run(['identity', ...fwd]);
    expect(r).toMatchObject({ code: 0, stdout: KEY, stderr: '' });
    expect(bed.fluxd.requests.map((q) => `${q.method} ${q.path} ${q.body}`)).toEqual(['POST /v9/git-repo-config false']);
    expect(bed.fluxd.requests[0]?.accept).toBe('application/json');
    const kube = bed.kube.requests.map((q) => `${q.method} ${q.path}${q.upgrade ? ' (upgrade)' : ''}`);
    expect(kube).toEqual(['GET /api/v1/namespaces/flux/pods', 'GET /api/v1/namespaces/flux/pods/' + kube[1]?.split('/pods/')[1]]);
    expect(kube[1]).toMatch(/\/portforward \(upgrade\)$/);
  });

  it('-l prints the md5 fingerprint; -v adds the randomart (fluxctl)', async () => {
    expect((await bed.run(['identity', ...fwd, '-l'])).stdout).toBe(`${publicKey.md5.hash}\n`);
    expect((await bed.run(['identity', ...fwd, '-v'])).stdout).toBe(`${publicKey.md5.hash}\n${MD5_ART}`);
  });

  it('-E sha256 shows the sha256 fingerprint as GitHub does', async () => {
    expect((await bed.run(['identity', ...fwd, '-l', '-E', 'sha256'])).stdout).toBe(`SHA256:${publicKey.sha256.hash}\n`);
    expect((await bed.run(['identity', ...fwd, '-v', '--fingerprint-hash=sha256'])).stdout).toBe(`SHA256:${publicKey.sha256.hash}\n${SHA_ART}`);
  });

  it('-r asks the daemon for a new key', async () => {
    const r = await bed.run(['identity', ...fwd, '-r']);
    expect(r.code).toBe(0);
    expect(bed.fluxd.requests.map((q) => q.body)).toEqual(['true']);
    expect(r.stdout).toMatch(/^ssh-rsa \S+/);
    expect(r.stdout).not.toBe(KEY);
  });

  it('-o json prints the key and both fingerprints as Go JSON', async () => {
    const r = await bed.run(['identity', ...fwd, '-o', 'json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `{"key":${JSON.stringify(KEY).replace(/&/g, '\\u0026').replace(/</g, '\\u003c').replace(/>/g, '\\u003e')},"fingerprints":{"md5":{"hash":"${publicKey.md5.hash}","randomart":${JSON.stringify(MD5_ART)}},"sha256":{"hash":"${publicKey.sha256.hash}","randomart":${JSON.stringify(SHA_ART)}}}}\n`,
    );
  });

  it('with no key prints nothing on stdout and says why on stderr', async () => {
    bed.fluxd.state.git.publicKey = null;
    const r = await bed.run(['identity', ...fwd]);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toBe('Warning: the daemon has no SSH key (its git URL is not SSH, or it does not run in a cluster)\n');
    expect((await bed.run(['identity', ...fwd, '-l'])).stdout).toBe('\n');
  });

  it('rejects a bad -E or -o before connecting', async () => {
    for (const argv of [['-E', 'sha1'], ['-o', 'xml']]) {
      const r = await bed.run(['identity', ...fwd, ...argv]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^Error: invalid (fingerprint hash "sha1"|output format specified)\nRun 'fluxctl identity --help' for usage\.\nhint: /);
    }
    expect(bed.kube.requests).toEqual([]);
  });

  it('-E without -l or -v is a usage error saying what it goes with', async () => {
    for (const argv of [['-E', 'sha256'], ['--fingerprint-hash=md5', '-o', 'json']]) {
      const r = await bed.run(['identity', ...fwd, ...argv]);
      expect(r).toMatchObject({ code: 2, stdout: '' });
      expect(r.stderr).toMatch(/^Error: -E\/--fingerprint-hash goes with -l\/--fingerprint or -v\/--visual\nRun 'fluxctl identity --help' for usage\.\nhint: e\.g\. fluxctl identity -l -E (sha256|md5)\n$/);
    }
    expect(bed.kube.requests).toEqual([]);
  });
});
