// npm run bench: fluxctl side by side with its anchors (node -e 0, kubectl) on the emulated
// cluster, alternating runs in one session, and BENCHMARKS.md written from the medians.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commit, emptyState, gitState, sampleState, workload, type FluxdState } from '../test/emulator/fluxd/index.js';
import { startTestBed, type TestBed } from '../test/helpers/testbed.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(root, 'bin/fluxctl.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const WARMUP = 3;
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const KUBECTL = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));

interface Sample {
  ms: number;
  rssMiB?: number;
}

/** Runs a command (asynchronously: the emulators live in this process) and measures it. */
function measure(cmd: string, args: string[], env: Record<string, string>): Promise<Sample> {
  const argv = TIME ? [TIME, '-f', '%M', cmd, ...args] : [cmd, ...args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(argv[0] ?? cmd, argv.slice(1), { env: { PATH: process.env.PATH ?? '', HOME: env.HOME ?? os.tmpdir(), ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) return reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(-400)}`));
      const kb = Number(stderr.trim().split('\n').at(-1));
      resolve({ ms, rssMiB: Number.isFinite(kb) ? kb / 1024 : undefined });
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

interface Pair {
  ours: Sample[];
  anchor: Sample[];
}

/** Alternates ours and the anchor run by run, after a warm-up of both. */
async function sideBySide(ours: [string, string[]], anchor: [string, string[]], env: Record<string, string>): Promise<Pair> {
  for (let i = 0; i < WARMUP; i++) {
    await measure(...ours, env);
    await measure(...anchor, env);
  }
  const out: Pair = { ours: [], anchor: [] };
  for (let i = 0; i < RUNS; i++) {
    out.ours.push(await measure(...ours, env));
    out.anchor.push(await measure(...anchor, env));
  }
  return out;
}

const rows: string[] = [];
function row(name: string, pair: Pair, anchorName: string, target: number, rssTargetMiB?: number): void {
  const o = median(pair.ours.map((s) => s.ms));
  const a = median(pair.anchor.map((s) => s.ms));
  const ratio = o / a;
  rows.push(`| ${name} | ${o.toFixed(0)} ms | ${anchorName}: ${a.toFixed(0)} ms | ${ratio.toFixed(2)}× | ≤ ${target}× | ${ratio <= target ? 'met' : 'not met'} |`);
  if (rssTargetMiB !== undefined) {
    const rss = median(pair.ours.map((s) => s.rssMiB ?? 0));
    const anchorRss = median(pair.anchor.map((s) => s.rssMiB ?? 0));
    rows.push(`| ${name}: peak RSS | ${rss.toFixed(0)} MiB | ${anchorName}: ${anchorRss.toFixed(0)} MiB | | ≤ ${rssTargetMiB} MiB | ${rss <= rssTargetMiB ? 'met' : 'not met'} |`);
  }
  console.log(rows.slice(rssTargetMiB === undefined ? -1 : -2).join('\n'));
}

function bigState(): FluxdState {
  const s = emptyState();
  s.workloads = Array.from({ length: 10_000 }, (_, i) =>
    workload({ id: `ns-${i % 50}:deployment/app-${String(i).padStart(5, '0')}`, containers: ['app=registry.example.com/team/app:v1.2.3', 'sidecar=envoyproxy/envoy:v1.28.0', 'init=busybox:1.36'], policies: i % 3 === 0 ? { automated: 'true' } : {} }),
  );
  return s;
}

async function syncLatency(bed: TestBed, env: Record<string, string>): Promise<string[]> {
  const stamps: Array<{ t: number; path: string }> = [];
  const push = bed.fluxd.requests.push.bind(bed.fluxd.requests);
  bed.fluxd.requests.push = (...items) => {
    for (const q of items) stamps.push({ t: Date.now(), path: q.path });
    return push(...items);
  };
  const ours: number[] = [];
  const theirs: number[] = [];
  const rates: number[] = [];
  // fluxctl's /v6/sync polls, in seconds after the job is done (await.go: 1, 2, 4, 8, then 10 s).
  const fluxctlPolls = [0, 1, 3, 7, 15, 25, 35, 45, 55];
  for (let i = 0; i < RUNS; i++) {
    const applyMs = 300 + ((i * 797) % 4700);
    const head = commit(`bench ${i}`);
    bed.fluxd.state = emptyState({ git: gitState({ commits: [head, commit('base')] }), sync: { jobPolls: 0, applyMs } });
    bed.fluxd.state.git.syncMarker = bed.fluxd.state.git.commits[1]?.sha ?? null;
    stamps.length = 0;
    await measure(process.execPath, [BIN, 'sync', '--k8s-fwd-ns', 'flux'], env);
    const exit = Date.now();
    const jobDone = stamps.find((s) => s.path === '/v6/jobs')?.t ?? exit;
    const applied = jobDone + applyMs;
    ours.push(exit - applied);
    theirs.push((fluxctlPolls.find((p) => p * 1000 >= applyMs) ?? 60) * 1000 - applyMs);
    const syncPolls = stamps.filter((s) => s.path === '/v6/sync');
    const span = ((syncPolls.at(-1)?.t ?? 0) - (syncPolls[0]?.t ?? 0)) / 1000;
    if (span > 0) rates.push((syncPolls.length - 1) / span);
  }
  delete (bed.fluxd.requests as { push?: unknown }).push;
  return [
    `| sync: from "applied" to CLI exit (apply 0.3–5 s after the job) | median ${median(ours).toFixed(0)} ms, p90 ${pct(ours, 90).toFixed(0)} ms | fluxctl's schedule: median ${median(theirs).toFixed(0)} ms, p90 ${pct(theirs, 90).toFixed(0)} ms | | ≤ 500 ms median | ${median(ours) <= 500 ? 'met' : 'not met'} |`,
    `| sync: daemon requests per second while waiting | max ${Math.max(...rates).toFixed(2)}/s | fluxctl: ≤ 1/s, falling to 0.1/s | | ≤ 4/s | ${Math.max(...rates) <= 4.05 ? 'met' : 'not met'} |`,
  ];
}

async function requestCounts(bed: TestBed, env: Record<string, string>): Promise<string[]> {
  const out: string[] = [];
  bed.fluxd.state = sampleState();
  for (const argv of [['identity'], ['list-workloads', '-a'], ['sync'], ['set-interval']]) {
    bed.kube.requests.length = 0;
    bed.fluxd.requests.length = 0;
    await measure(process.execPath, [BIN, ...argv, '--k8s-fwd-ns', 'flux'], env);
    const kube = bed.kube.requests;
    const upgrades = kube.filter((q) => q.upgrade).length;
    const daemon = bed.fluxd.requests.map((q) => q.path);
    const byPath = [...new Set(daemon)].map((p) => `${p} ×${daemon.filter((x) => x === p).length}`).join(', ');
    out.push(`| \`fluxctl ${argv.join(' ')}\` | ${kube.length - upgrades} REST (${kube.filter((q) => !q.upgrade).map((q) => `${q.method} ${q.path.replace(/[a-z0-9]+-[a-z0-9]+$/, '…')}`).join(', ')}) | ${upgrades} | ${daemon.length}: ${byPath} |`);
  }
  return out;
}

const small = await startTestBed({ fluxdState: sampleState() });
const env = { KUBECONFIG: small.kubeconfig, HOME: small.home };
console.log(`${RUNS} runs each after ${WARMUP} warm-up runs, alternating`);
row('`fluxctl --help`', await sideBySide([process.execPath, [BIN, '--help']], [process.execPath, ['-e', '0']], env), '`node -e 0`', 1.3);
row('`fluxctl version`', await sideBySide([process.execPath, [BIN, 'version']], [process.execPath, ['-e', '0']], env), '`node -e 0`', 1.3);
if (KUBECTL) {
  row('`fluxctl identity --k8s-fwd-ns flux`', await sideBySide([process.execPath, [BIN, 'identity', '--k8s-fwd-ns', 'flux']], [KUBECTL, ['get', 'pods', '-n', 'flux', '-l', 'app=flux']], env), '`kubectl get pods -n flux -l app=flux`', 2.5);
} else rows.push('| `fluxctl identity` | skipped: kubectl is not installed | | | | |');
const syncRows = await syncLatency(small, env);
const counts = await requestCounts(small, env);
await small.close();

const big = await startTestBed({ fluxdState: bigState() });
if (KUBECTL) {
  for (let i = 0; i < 10; i++) big.kube.cluster.addNamespace(`ns-${i}`);
  big.kube.cluster.addDeployments('ns-0', 10_000, (i) => ({ name: `app-${i}`, containers: [{ name: 'app', image: 'registry.example.com/team/app:v1.2.3' }] }));
  const bigEnv = { KUBECONFIG: big.kubeconfig, HOME: big.home };
  row('`fluxctl list-workloads -a` (10,000 × 3, piped)', await sideBySide([process.execPath, [BIN, 'list-workloads', '-a', '--k8s-fwd-ns', 'flux']], [KUBECTL, ['get', 'deployments', '-A']], bigEnv), '`kubectl get deployments -A` (10,000)', 1.0, 150);
} else rows.push('| `fluxctl list-workloads -a` | skipped: kubectl is not installed | | | | |');
await big.close();

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const md = `# Benchmarks

Generated by \`npm run bench\` (scripts/bench.ts) on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB,
Node ${process.version}, ${KUBECTL ? 'kubectl at ' + KUBECTL : 'no kubectl'}. Each row runs ours and its anchor alternately in the same session,
${RUNS} runs after ${WARMUP} warm-up runs of each, against the in-process emulated cluster and daemon; figures are medians
(peak RSS from /usr/bin/time). These machines are noisy: compare within a row, not across runs of the script.

| What | fluxctl | Anchor | Ratio | Target | Result |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
${syncRows.join('\n')}

## Where the remaining time goes

- **Start-up (\`--help\`, \`version\`).** A run loads only \`dist/main.mjs\` (8 KB), commander (40 KB) and the
  chunk of the command being run; client-node, ws, ora, cli-table3 and js-yaml are not loaded. What is
  left over \`node -e 0\` is Node's ESM loader resolving and linking a handful of modules and commander
  building the program, about 20–30 ms on this machine (CPU profile: no single user-land frame above 5 ms).
  A V8 start-up snapshot (\`node --build-snapshot\`) would remove most of it, but Node 20.20's snapshot
  builder cannot load \`node:http\` (\`TypeError: methods.toSorted is not a function\` inside
  \`node:http\`), which the transport, ws and client-node need, and using a snapshot also needs a node
  flag the npm bin shim cannot pass portably. We kept the gap rather than ship a fragile launcher.
- **Through the tunnel (\`identity\`).** Two TLS exchanges on one keep-alive connection (the pod list, then
  the WebSocket upgrade), the upgrade and one daemon request: network-bound on the emulator. kubectl's
  \`get pods\` is a single Go request with a warm discovery cache.
- **Large lists.** 10,000 workloads × 3 containers is a ~6 MB answer; peak RSS is Node's baseline
  (~40 MiB), the parsed answer and its typed copy (decoding releases each raw element as it goes) and
  the table text. kubectl's \`get deployments -A\` spends its time on a 10,000-row server-side Table.

## Requests per command (from the emulators' request logs)

| Command | Kubernetes REST | Port-forward upgrades | Daemon requests |
| --- | --- | --- | --- |
${counts.join('\n')}
`;
writeFileSync(path.join(root, 'BENCHMARKS.md'), md);
console.log(md);
