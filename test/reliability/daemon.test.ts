import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiNotFound, coverAll, deprecated, fluxError, sampleState, writeError, type DaemonError, type Fault } from '@fluxctl/emulator/fluxd';
import type { TestBed } from '../helpers/testbed.js';
import type { RunResult } from '../helpers/run-cli.js';
import { builtBin, checkResult, errorLine, fwd, runBin, scenario, startBed } from './harness.js';
import { collector } from './report.js';

const col = collector('daemon');
let bed: TestBed;
beforeAll(async () => {
  builtBin(); // built (or copied from dist/) before any test's clock starts
  bed = await startBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.fluxd.state = sampleState();
  bed.fluxd.clearFaults();
  bed.fluxd.requests.length = 0;
});

const list = () => bed.run(['list-workloads', ...fwd, '-a']);
const ANSWER_BYTES = 200 * 1024 * 1024;
const PRELOAD = fileURLToPath(new URL('./peak-rss.cjs', import.meta.url));
const mib = (kib: number): number => Math.round(kib / 1024);

/** Runs the built binary's list-workloads; its peak RSS in KiB comes from the preloaded peak-rss.cjs. */
async function peakRss(extra: string[]): Promise<{ result: RunResult; kib: number }> {
  const file = path.join(bed.home, `peak-rss-${extra.length}`);
  const env = { HOME: bed.home, KUBECONFIG: bed.kubeconfig, NODE_OPTIONS: `--require ${JSON.stringify(PRELOAD)}`, PEAK_RSS_FILE: file };
  const result = await runBin(['list-workloads', ...fwd, '-a', ...extra], { env });
  return { result, kib: Number(readFileSync(file, 'utf8')) };
}
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

  it('a 200 MB body: refused at 64 MiB, and the CLI process never holds the answer', async () => {
    // Measured in the CLI's own process (its peak RSS), not in this one, where the emulators
    // stream the answer and the garbage collector runs when it likes.
    const baseline = await peakRss([]);
    expect(baseline.result.code).toBe(0);
    bed.fluxd.inject('*', { streamBytes: ANSWER_BYTES });
    const big = await peakRss(['--timeout', '20s']);
    col.record({ scenario: '200 MB answer (client cap 64 MiB), built binary', code: big.result.code, ms: big.result.ms, message: errorLine(big.result.stderr) });
    checkResult(big.result, { code: 1, timeoutMs: 20_000, message: /^Error: the daemon's answer to GET \/v\d+\/services is larger than 64 MiB; stopped reading it$/ });
    const growth = big.kib - baseline.kib;
    col.record({ scenario: '200 MB answer: peak RSS of the CLI process', code: '—', message: `${mib(big.kib)} MiB, ${mib(growth)} MiB above the same command on a normal answer` });
    // Up to the cap as text, plus transport buffers awaiting collection: about 130 MiB on Linux.
    // A client without the cap would hold the whole answer (200 MiB of text, and more), so the
    // line is the answer's size: far from both, whatever the collector's timing.
    expect(growth * 1024).toBeLessThan(ANSWER_BYTES);
  });
});
