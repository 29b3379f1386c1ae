// The shipped bundle is the same program as the sources: for one command line per command, and
// for each start-up path the bundle handles differently (chunks loaded on demand, client-node
// trimmed, commander's child_process stubbed), both give the same exit code, stdout and stderr,
// and send the same requests to the daemon and the API server. The rest of the suite runs the
// sources only; FLUXCTL_TEST_BUNDLE=1 runs all of it through dist/ when a change needs that.
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/commands/index.js';
import { fluxError, sampleState, writeError, type Fault, type FluxdState } from '@fluxctl/emulator/fluxd';
import { stripSpinner, type Run, type RunOptions } from '../helpers/run-cli.js';
import { expectSameProgram, importBundleRun, type Expected } from '../helpers/same-program.js';
import { startTestBed, type TestBed } from '../helpers/testbed.js';

const b64url = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const ID_TOKEN = `${b64url({ alg: 'none' })}.${b64url({ exp: 4102444800, iss: 'https://issuer.example' })}.sig`;
const fwd = ['--k8s-fwd-ns', 'flux'];
const tty = { stdout: true, stderr: true };

interface Case extends Expected {
  name: string;
  /** The registry entry it covers; none for start-up paths that run no command. */
  command?: string;
  argv: string[];
  options?: RunOptions;
  kubeconfig?: 'oidc' | 'exec';
  /** Faults and state changes before each of the two runs. */
  setup?: (bed: TestBed) => void;
}

const cases: Case[] = [
  { name: 'automate', command: 'automate', argv: ['automate', ...fwd, '-w', 'podinfo:deployment/frontend', '--user', 'ci'], code: 0, stdout: /^WORKLOAD/ },
  { name: 'check', command: 'check', argv: ['check', ...fwd], code: 0, stdout: /^\[ok\] {3}kubeconfig: / },
  { name: 'completion bash (builds every command)', command: 'completion', argv: ['completion', 'bash'], code: 0, stdout: /fluxctl/ },
  { name: 'deautomate', command: 'deautomate', argv: ['deautomate', ...fwd, '-w', 'default:deployment/helloworld', '--user', 'ci'], code: 0, stdout: /^WORKLOAD/ },
  { name: 'identity -v', command: 'identity', argv: ['identity', ...fwd, '-v'], code: 0, stdout: /\+---\[/ },
  { name: 'install', command: 'install', argv: ['install', '--git-url', 'git@github.com:acme/config', '--git-email', 'ci@acme.example'], code: 0, stdout: /kind: Deployment/ },
  { name: 'list-images -w', command: 'list-images', argv: ['list-images', ...fwd, '-w', 'default:deployment/helloworld'], code: 0, stdout: /^WORKLOAD/ },
  { name: 'list-workloads -a', command: 'list-workloads', argv: ['list-workloads', ...fwd, '-a'], code: 0, stdout: /^WORKLOAD/ },
  { name: 'lock', command: 'lock', argv: ['lock', ...fwd, '-w', 'podinfo:deployment/frontend', '-m', 'freeze', '--user', 'ci'], code: 0, stdout: /^WORKLOAD/ },
  { name: 'policy --tag-all', command: 'policy', argv: ['policy', ...fwd, '-w', 'podinfo:deployment/frontend', '--tag-all', 'semver:~1', '--user', 'ci'], code: 0, stdout: /^WORKLOAD/ },
  { name: 'release --update-all-images', command: 'release', argv: ['release', ...fwd, '--workload', 'default:deployment/helloworld', '--update-all-images', '--user', 'ci'], code: 0, stdout: /^WORKLOAD/ },
  { name: 'save', command: 'save', argv: ['save', ...fwd], code: 0, stdout: /^---\n/ },
  { name: 'set-interval 2m --dry-run', command: 'set-interval', argv: ['set-interval', ...fwd, '2m', '--dry-run'], code: 0, stdout: /^SETTING/ },
  { name: 'sync', command: 'sync', argv: ['sync', ...fwd], code: 0 },
  { name: 'unlock', command: 'unlock', argv: ['unlock', ...fwd, '-w', 'default:deployment/redis', '--user', 'ci'], code: 0, stdout: /^WORKLOAD/ },
  { name: 'version --server -o yaml', command: 'version', argv: ['version', '--server', ...fwd, '-o', 'yaml'], code: 0, stdout: /^client: / },
  // Start-up paths.
  { name: '--help (the registry, no command loaded)', argv: ['--help'], code: 0, stdout: /set-interval/ },
  { name: 'help sync (one command loaded)', argv: ['help', 'sync'], code: 0, stdout: /--watch/ },
  { name: 'version (no environment read)', argv: ['version'], options: { env: { FLUX_TIMEOUT: 'soon' } }, code: 0, stdout: /^\d+\.\d+\.\d+/ },
  { name: 'an unknown command', argv: ['frobnicate'], code: 2 },
  { name: 'an unknown flag', argv: ['list-workloads', '--all-namespace'], code: 2 },
  { name: '--url (no Kubernetes)', argv: ['list-workloads', '-a', '--url', '<daemon>'], code: 0, stdout: /^WORKLOAD/ },
  { name: 'a terminal: spinner', argv: ['sync', ...fwd], options: { tty }, code: 0 },
  { name: 'a terminal table', argv: ['list-images', ...fwd, '-n', 'default'], options: { tty }, code: 0, stdout: /WORKLOAD/ },
  { name: 'a daemon error answer (== Error ==)', argv: ['list-workloads', ...fwd], setup: (b) => b.fluxd.inject('*', daemonError()), code: 1 },
  { name: 'a failed rollout (--watch)', argv: ['sync', ...fwd, '--watch'], code: 1 },
  { name: 'kubeconfig with an auth provider (client-node\'s KubeConfig)', argv: ['identity', ...fwd], kubeconfig: 'oidc', code: 0, stdout: /^ssh-/ },
  { name: 'kubeconfig with an exec plugin', argv: ['identity', ...fwd], kubeconfig: 'exec', code: 0, stdout: /^ssh-/ },
];

/** A 500 with the daemon's JSON error, as it answers fluxctl. */
function daemonError(): Fault {
  const reply = writeError(['application/json'], 500, fluxError('server', 'git repo not ready', 'The git repository is not ready yet.\n'));
  return { status: reply.status, body: reply.body, contentType: reply.headers['Content-Type'] };
}

/** Random parts of a run: job IDs, commit SHAs. */
const normalise = (s: string): string => s.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>').replace(/\b[0-9a-f]{7,40}\b/g, '<sha>');

let bed: TestBed;
let bundleRun: Run;
/** One sample (its SSH key is random), copied for every run. */
let sample: FluxdState;
const kubeconfigs: Record<NonNullable<Case['kubeconfig']>, string> = { oidc: '', exec: '' };

beforeAll(async () => {
  bundleRun = await importBundleRun();
  sample = sampleState();
  // The sample applies a sync after 1.5 s of wall clock; here after two polls, so runs are alike.
  sample.sync = { jobPolls: 2, applyPolls: 2 };
  bed = await startTestBed({ kubeUsers: { 'test-token': 'jane', [ID_TOKEN]: 'jane' } });
  const plain = bed.kube.kubeconfig();
  kubeconfigs.oidc = path.join(bed.home, 'oidc');
  writeFileSync(kubeconfigs.oidc, plain.replace(/token: .*/, `auth-provider: { name: oidc, config: { client-id: fluxctl, id-token: ${ID_TOKEN}, idp-issuer-url: https://issuer.example } }`));
  const plugin = path.join(bed.home, 'credential.sh');
  writeFileSync(plugin, `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"test-token"}}'\n`);
  chmodSync(plugin, 0o755);
  kubeconfigs.exec = path.join(bed.home, 'exec');
  writeFileSync(kubeconfigs.exec, plain.replace(/token: .*/, `exec: { apiVersion: client.authentication.k8s.io/v1, command: ${plugin} }`));
});
afterAll(() => bed?.close());

/** One run from a fresh daemon state: what it printed and every request it sent, made comparable. */
async function observe(c: Case, main: Run): Promise<{ code: number; stdout: string; stderr: string; daemon: string[]; kube: string[] }> {
  bed.fluxd.state = structuredClone(sample);
  bed.fluxd.clearFaults();
  bed.fluxd.requests.length = 0;
  bed.kube.requests.length = 0;
  c.setup?.(bed);
  const argv = c.argv.map((a) => (a === '<daemon>' ? bed.fluxd.baseUrl : a));
  const env = c.kubeconfig === undefined ? {} : { KUBECONFIG: kubeconfigs[c.kubeconfig] };
  const r = await bed.run(argv, { ...c.options, env: { ...env, ...c.options?.env }, main });
  const text = (s: string): string => normalise(c.options?.tty === undefined ? s : stripSpinner(s));
  return {
    code: r.code,
    stdout: text(r.stdout),
    stderr: text(r.stderr),
    daemon: bed.fluxd.requests.map((q) => normalise(`${q.method} ${q.path}?${q.rawQuery} ${q.body}`)),
    kube: bed.kube.requests.map((q) => `${q.method} ${q.path}${q.upgrade ? ' (upgrade)' : ''}`),
  };
}

describe('the bundle (dist/) behaves as the sources', () => {
  it('covers every command of the registry', () => {
    expect(new Set(cases.flatMap((c) => c.command ?? []))).toEqual(new Set(commands.map((c) => c.name)));
  });

  it.each(cases)('$name', (c) => expectSameProgram(c, observe, bundleRun));
});
