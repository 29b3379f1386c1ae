import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiNotFound, coverAll, deprecated, fluxError, writeError, type DaemonError } from '../emulator/fluxd/errors.js';
import { sampleState, type Fault } from '../emulator/fluxd/index.js';
import type { TestBed } from '../helpers/testbed.js';
import { fwd, scenario, startBed } from './harness.js';
import { collector } from './report.js';

const col = collector('daemon');
let bed: TestBed;
beforeAll(async () => {
  bed = await startBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.fluxd.state = sampleState();
  bed.fluxd.clearFaults();
  bed.fluxd.requests.length = 0;
});

const list = () => bed.run(['list-workloads', ...fwd, '-a']);
/** The daemon's own error body for `err` with status `code`, as negotiated for fluxctl's Accept header. */
function fluxFault(code: number, err: DaemonError, times = 1): Fault {
  const reply = writeError(['application/json'], code, err);
  return { status: reply.status, body: reply.body, contentType: reply.headers['Content-Type'], times };
}

describe('daemon answers', () => {
  it('500 with a flux JSON error: fluxctl\'s == Error == and the help text', async () => {
    bed.fluxd.inject('*', fluxFault(500, fluxError('server', 'git repo not ready', 'Git repository ssh://git@github.com/acme/cluster-config is not ready to sync.\n\nCheck the daemon logs.\n')));
    const r = await scenario(col, '500 with a flux JSON error', list, { code: 1, message: '== Error == Git repository ssh://git@github.com/acme/cluster-config is not ready to sync.' });
    expect(r.stderr).toBe('== Error ==\n\nGit repository ssh://git@github.com/acme/cluster-config is not ready to sync.\n\nCheck the daemon logs.\n\n');
  });

  it('422 cover-all error (any non-flux handler error)', async () => {
    bed.fluxd.inject('*', fluxFault(422, coverAll('reading manifests: open /tmp/flux-working/clusters: no such file or directory')));
    await scenario(col, '422 cover-all flux error', list, { code: 1, message: '== Error == Error: reading manifests: open /tmp/flux-working/clusters: no such file or directory' });
  });

  it('500 with a text body', async () => {
    bed.fluxd.inject('*', { status: 500, body: 'internal error: cluster cache not synced\n', contentType: 'text/plain; charset=utf-8' });
    const r = await scenario(col, '500 with a text body', list, { code: 1, message: 'Error: executing HTTP request: 500 Internal Server Error internal error: cluster cache not synced' });
    expect(r.stderr).toMatch(/\nhint: the daemon's logs may say more \(kubectl logs -n flux flux-[a-z0-9-]+\)\n$/);
  });

  it('400 with Go\'s generic {} body', async () => {
    bed.fluxd.inject('*', { status: 400, body: '{}', contentType: 'application/json; charset=utf-8' });
    await scenario(col, '400 with a {} body (no flux error)', list, { code: 1, message: 'Error: executing HTTP request: 400 Bad Request {}' });
  });

  it('401 (a proxy in front of the daemon): fluxctl\'s token help', async () => {
    bed.fluxd.inject('*', { status: 401, body: 'Unauthorized', contentType: 'text/plain' });
    await scenario(col, '401 from the daemon side', list, { code: 1, message: '== Error == The request failed authentication' });
  });

  it('410 deprecated endpoint', async () => {
    bed.fluxd.inject('*', fluxFault(410, deprecated()));
    await scenario(col, '410 API endpoint deprecated', list, { code: 1, message: '== Error == The API endpoint requested appears to have been deprecated.' });
  });

  it('404 unknown route (an older daemon)', async () => {
    bed.fluxd.inject('*', fluxFault(404, apiNotFound('/v11/services')));
    await scenario(col, '404 API endpoint not found (older daemon)', list, { code: 1, message: '== Error == The API endpoint requested is not supported by this server.' });
  });

  it('404 from something that is not the API (a --url without /api/flux)', async () => {
    const base = bed.fluxd.baseUrl.replace(/\/api\/flux$/, '/flux');
    const r = await scenario(col, '404 page not found (--url without /api/flux)', () => bed.run(['list-workloads', '--url', base]), {
      code: 1,
      message: 'Error: executing HTTP request: 404 Not Found 404 page not found',
    });
    expect(r.stderr).toContain('hint: nothing serves the Flux API there: a --url must end in /api/flux');
  });

  it('malformed JSON in a 200', async () => {
    bed.fluxd.inject('*', { status: 200, body: '[{"ID":"default:deployment/x",', contentType: 'application/json; charset=utf-8' });
    await scenario(col, 'malformed JSON in a 200', list, { code: 1, message: /^Error: malformed JSON from the daemon \(GET \/v\d+\/services\): / });
  });

  it('malformed JSON in an error answer', async () => {
    bed.fluxd.inject('*', { status: 500, body: '{"type":"server",', contentType: 'application/json' });
    await scenario(col, 'malformed JSON in a 500', list, { code: 1, message: /^Error: executing HTTP request: decoding response body of error: / });
  });

  it('a truncated body, twice (the GET is retried once)', async () => {
    bed.fluxd.inject('*', { truncateAfter: 10, times: 2 });
    await scenario(col, 'truncated body (Content-Length not met), on the retry too', list, {
      code: 1,
      message: /^Error: the connection to pod flux\/flux-[a-z0-9-]+ closed in the middle of the answer \(GET \/v\d+\/services, also on the retry over a fresh connection\)$/,
    });
    expect(bed.fluxd.requests).toHaveLength(2);
  });

  it('a truncated body once: the retry succeeds', async () => {
    const clean = await list();
    bed.fluxd.inject('*', { truncateAfter: 10 });
    await scenario(col, 'truncated body once: the GET retry succeeds', list, { code: 0, message: '', stdout: clean.stdout });
  });

  it('wrong field types', async () => {
    bed.fluxd.inject('*', { status: 200, body: '[{"ID":42,"Containers":"nginx"}]', contentType: 'application/json; charset=utf-8' });
    await scenario(col, 'wrong field types ("ID": 42)', list, { code: 1, message: /^Error: unexpected answer from the daemon to GET \/v\d+\/services: \[0\]\.ID: expected a string, got number$/ });
  });

  it('a 200 MB body: refused at 64 MiB with bounded memory', async () => {
    bed.fluxd.inject('*', { streamBytes: 200 * 1024 * 1024 });
    const base = process.memoryUsage();
    let peak = { rss: 0, heapUsed: 0, arrayBuffers: 0 };
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak = { rss: Math.max(peak.rss, m.rss - base.rss), heapUsed: Math.max(peak.heapUsed, m.heapUsed - base.heapUsed), arrayBuffers: Math.max(peak.arrayBuffers, m.arrayBuffers - base.arrayBuffers) };
    }, 5);
    try {
      await scenario(col, '200 MB answer (client cap 64 MiB)', () => bed.run(['list-workloads', ...fwd, '--timeout', '20s']), {
        code: 1,
        timeoutMs: 20_000,
        message: /^Error: the daemon's answer to GET \/v\d+\/services is larger than 64 MiB; refusing to buffer it$/,
      });
    } finally {
      clearInterval(sampler);
    }
    const mib = (n: number): number => Math.round(n / 1024 / 1024);
    col.record({ scenario: '200 MB answer: peak memory growth during the run', code: '—', message: `rss +${mib(peak.rss)} MiB, heap +${mib(peak.heapUsed)} MiB, buffers +${mib(peak.arrayBuffers)} MiB` });
    // The cap is 64 MiB of buffered chunks (plus what is in flight in the emulators, which share
    // this process); a client that read it all would hold 200 MB of buffers, then a string of it.
    expect(peak.arrayBuffers).toBeLessThan(150 * 1024 * 1024);
    expect(peak.heapUsed).toBeLessThan(64 * 1024 * 1024);
    expect(peak.rss).toBeLessThan(190 * 1024 * 1024);
  });
});
