// npm run bench: fluxctl side by side with its anchors (node -e 0, kubectl) on the emulated
// clusters (Flux v1 and Flux v2), alternating runs in one session, and BENCHMARKS.md written
// from the medians and the emulators' request logs.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { commit, emptyState, gitState, sampleState } from '@fluxctl/emulator/fluxd';
import { startFlux2Bed } from '../test/helpers/testbed-v2.js';
import { startTestBed } from '../test/helpers/testbed.js';
import { measure, measurePty, median, PYTHON, RUNS, ratioRows, sideBySide, WARMUP, type Pair } from './bench-measure.js';
import { answerMB, bigState, IMAGE_TAGS, IMAGE_WORKLOADS, imagesState, requestCounts, syncLatency } from './bench-v1.js';
import { checkFleet, FLEET_SIZE, fleetFacts, requestCountsV2, startFleetBed, type FleetFacts } from './bench-v2.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(root, 'bin/fluxctl.js');
const KUBECTL = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));
// The 10,000-object rows take seconds a run: one warm-up run of each side is enough there.
const BIG_WARMUP = 1;
// The start-up rows compare commands a few milliseconds apart: more runs steady their medians.
const STARTUP_RUNS = 3 * RUNS;
const started = performance.now();
const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const skipped = (what: string): string => `| ${what} | skipped: kubectl is not installed | | | | |`;

/** The test bed's cluster CA as a PEM file, for the NODE_EXTRA_CA_CERTS rows. */
function extraCaFile(kubeconfig: string, dir: string): string {
  const data = /certificate-authority-data: (\S+)/.exec(readFileSync(kubeconfig, 'utf8'))?.[1];
  if (data === undefined) throw new Error('bench: the test bed kubeconfig has no certificate-authority-data');
  const file = path.join(dir, 'extra-ca.pem');
  writeFileSync(file, Buffer.from(data, 'base64'));
  return file;
}

const rows: string[] = [];
const v2Rows: string[] = [];
// Kept for the explanations under the table: CPU medians of ours and the anchor.
let identityPair: Pair | undefined;
let listPair: Pair | undefined;
let imagesPair: Pair | undefined;
const cpu = (pair: Pair | undefined, side: 'ours' | 'anchor'): number => median((pair?.[side] ?? []).map((x) => x.cpuMs ?? 0));
const small = await startTestBed({ fluxdState: sampleState() });
const env = { KUBECONFIG: small.kubeconfig, HOME: small.home };
console.log(`${RUNS} runs each after ${WARMUP} warm-up runs, alternating`);
const node0: [string, string[]] = [process.execPath, ['-e', '0']];
rows.push(...ratioRows('`fluxctl --help`', await sideBySide([process.execPath, [BIN, '--help']], node0, env, { runs: STARTUP_RUNS }), '`node -e 0`', 1.1));
rows.push(...ratioRows('`fluxctl version`', await sideBySide([process.execPath, [BIN, 'version']], node0, env, { runs: STARTUP_RUNS }), '`node -e 0`', 1.1));
if (PYTHON) {
  rows.push(...ratioRows('`fluxctl --help`, on a terminal (pty)', await sideBySide([process.execPath, [BIN, '--help']], node0, env, { runs: STARTUP_RUNS, run: measurePty }), '`node -e 0`, on a terminal', 1.1));
  rows.push(...ratioRows('`fluxctl version`, on a terminal (pty)', await sideBySide([process.execPath, [BIN, 'version']], node0, env, { runs: STARTUP_RUNS, run: measurePty }), '`node -e 0`, on a terminal', 1.1));
} else rows.push('| `fluxctl --help` and `version` on a terminal | skipped: python3 (for its pty module) is not installed | | | | |');
// NODE_EXTRA_CA_CERTS makes Node load its bundled root store at start-up, in every process.
const caEnv = { ...env, NODE_EXTRA_CA_CERTS: extraCaFile(small.kubeconfig, small.home) };
rows.push(...ratioRows('`fluxctl --help`, NODE_EXTRA_CA_CERTS set', await sideBySide([process.execPath, [BIN, '--help']], node0, caEnv, { runs: STARTUP_RUNS }), '`node -e 0`', 1.1));
if (KUBECTL) {
  const kubectlPods: [string, string[]] = [KUBECTL, ['get', 'pods', '-n', 'flux', '-l', 'app=flux']];
  const identity: [string, string[]] = [process.execPath, [BIN, 'identity', '--k8s-fwd-ns', 'flux']];
  identityPair = await sideBySide(identity, kubectlPods, env, { runs: 2 * RUNS });
  rows.push(...ratioRows('`fluxctl identity --k8s-fwd-ns flux`', identityPair, '`kubectl get pods -n flux -l app=flux`', 1.8));
  rows.push(...ratioRows('`fluxctl identity --k8s-fwd-ns flux`, NODE_EXTRA_CA_CERTS set', await sideBySide(identity, kubectlPods, caEnv, { runs: 2 * RUNS }), '`kubectl get pods -n flux -l app=flux`', 1.8));
  const setInterval: [string, string[]] = [process.execPath, [BIN, 'set-interval', '--k8s-fwd-ns', 'flux']];
  const kubectlDeploy: [string, string[]] = [KUBECTL, ['get', 'deployment', '-n', 'flux', 'flux']];
  rows.push(...ratioRows('`fluxctl set-interval --k8s-fwd-ns flux` (shows the intervals)', await sideBySide(setInterval, kubectlDeploy, env), '`kubectl get deployment -n flux flux`', null));
  // A sync with nothing new in git: the daemon applies at once, so the row is start-up and requests.
  small.fluxd.state = emptyState({ git: gitState({ commits: [commit('bench head')] }), sync: { jobPolls: 0, applyMs: 0 } });
  small.fluxd.state.git.syncMarker = small.fluxd.state.git.commits[0]?.sha ?? null;
  rows.push(...ratioRows('`fluxctl sync --k8s-fwd-ns flux` (nothing new in git)', await sideBySide([process.execPath, [BIN, 'sync', '--k8s-fwd-ns', 'flux']], kubectlPods, env), '`kubectl get pods -n flux -l app=flux`', null));
  small.fluxd.state = sampleState();
} else rows.push(skipped('`fluxctl identity`'));
const syncRows = await syncLatency(BIN, small, env);
const counts = await requestCounts(BIN, small, env);
await small.close();
console.log(`Flux v1 small rows done at ${elapsed()}`);

let servicesMB = 0;
let imagesMB = 0;
const big = await startTestBed({ fluxdState: bigState() });
if (KUBECTL) {
  for (let i = 0; i < 10; i++) big.kube.cluster.addNamespace(`ns-${i}`);
  big.kube.cluster.addDeployments('ns-0', 10_000, (i) => ({ name: `app-${i}`, containers: [{ name: 'app', image: 'registry.example.com/team/app:v1.2.3' }] }));
  const bigEnv = { KUBECONFIG: big.kubeconfig, HOME: big.home };
  servicesMB = await answerMB(big, '/v6/services?namespace=');
  listPair = await sideBySide([process.execPath, [BIN, 'list-workloads', '-a', '--k8s-fwd-ns', 'flux']], [KUBECTL, ['get', 'deployments', '-A']], bigEnv, { warmup: BIG_WARMUP });
  rows.push(...ratioRows('`fluxctl list-workloads -a` (10,000 × 3, piped)', listPair, '`kubectl get deployments -A` (10,000)', null, { rssTargetMiB: 120, cpuTarget: 0.6 }));
} else rows.push(skipped('`fluxctl list-workloads -a`'));
await big.close();
console.log(`Flux v1 list done at ${elapsed()}`);

const registry = await startTestBed({ fluxdState: imagesState() });
if (KUBECTL) {
  for (let i = 0; i < 10; i++) registry.kube.cluster.addNamespace(`ns-${i}`);
  registry.kube.cluster.addDeployments('ns-0', IMAGE_WORKLOADS, (i) => ({ name: `app-${i}`, containers: [{ name: 'app', image: `registry.example.com/team/app-${i}:v1.0.${i % IMAGE_TAGS}` }] }));
  const registryEnv = { KUBECONFIG: registry.kubeconfig, HOME: registry.home };
  imagesMB = await answerMB(registry, '/v10/images?containerFields=&namespace=&service=%3Call%3E');
  imagesPair = await sideBySide([process.execPath, [BIN, 'list-images', '-a', '--k8s-fwd-ns', 'flux']], [KUBECTL, ['get', 'deployments', '-A']], registryEnv, { warmup: BIG_WARMUP });
  rows.push(...ratioRows(`\`fluxctl list-images -a\` (${IMAGE_WORKLOADS.toLocaleString('en')} × ${IMAGE_TAGS} tags, piped)`, imagesPair, `\`kubectl get deployments -A\` (${IMAGE_WORKLOADS.toLocaleString('en')})`, null, { rssTargetMiB: 120, cpuTarget: 0.6 }));
} else rows.push(skipped('`fluxctl list-images -a`'));
await registry.close();
console.log(`Flux v1 images done at ${elapsed()}`);

const v2Small = await startFlux2Bed();
const v2Env = { KUBECONFIG: v2Small.kubeconfig, HOME: v2Small.home };
const countsV2 = await requestCountsV2(v2Small, (argv) => measure(process.execPath, [BIN, ...argv], v2Env));
await v2Small.close();
console.log(`Flux v2 request counts done at ${elapsed()}`);

const fleet = await startFleetBed();
const fleetEnv = { KUBECONFIG: fleet.kubeconfig, HOME: fleet.home };
await checkFleet(BIN, fleetEnv);
let facts: FleetFacts | undefined;
if (KUBECTL) {
  const ours: [string, string[]] = [process.execPath, [BIN, 'list-workloads', '-a']];
  const anchor: [string, string[]] = [KUBECTL, ['get', 'deploy', '-A']];
  const pair = await sideBySide(ours, anchor, fleetEnv, { warmup: BIG_WARMUP });
  v2Rows.push(...ratioRows(`Flux v2: \`fluxctl list-workloads -a\` (${FLEET_SIZE.toLocaleString('en')} managed Deployments × 3, piped)`, pair, '`kubectl get deploy -A`', 1.0, { rssTargetMiB: null }));
  facts = await fleetFacts(fleet, () => measure(...ours, fleetEnv), () => measure(...anchor, fleetEnv));
} else v2Rows.push(skipped('Flux v2: `fluxctl list-workloads -a`'));
await fleet.close();
console.log(`Flux v2 list done at ${elapsed()}`);

/** The Flux v2 list bullet: what each side asks of the API server, from one logged run of each. */
function fleetBullet(f: FleetFacts | undefined): string {
  if (f === undefined) return '';
  return `- **Large lists on Flux v2.** fluxctl makes ${f.oursRequests} requests whatever the number of workloads: auto-detection
  (two v1 pod lists, one group probe), discovery, then nine lists at once (the four workload kinds,
  Kustomizations, HelmReleases, the three image automation kinds). The Deployment list is one
  ${f.deploymentListMB.toFixed(1)} MB answer. fluxctl reads it as it arrives (\`src/kubernetes/list-reader.ts\`, over the same reader as
  Flux v1's lists: each Deployment is parsed, decoded into a typed object and dropped), which brought
  peak RSS from about 244 MiB to about 158 MiB and saved about a tenth of the CPU (nine alternating runs
  each, same bytes); then it joins each Deployment to its
  Kustomization (inventory map) and to the ImagePolicies covering its images, and writes ${(FLEET_SIZE * 3).toLocaleString('en')} table lines:
  about 0.5 s of CPU on this machine when profiled (parse, decode and join 0.1–0.2 s each, the table
  0.1 s; garbage collection is spread over all four), the rest of the wall time is the emulated API
  server answering nine lists and the machine's load. kubectl makes ${f.kubectlRequests} requests: discovery, then ${f.kubectlPages} pages of
  500 rows of a server-side Table (each row carries the object's metadata, managedFields included),
  one after the other, and parses and prints those. The fleet is written into the emulator's store
  directly, not applied from git: ${FLEET_SIZE.toLocaleString('en')} Deployments in 10 namespaces, labelled as
  kustomize-controller labels what it applies and listed in the \`fleet\` Kustomization's inventory, with the
  managedFields of kustomize-controller and of the Deployment controller; the app images of three teams
  are covered by ImagePolicies, so POLICY reads \`automated\` for 3,000 of them. The emulator does not
  fill the pod template defaults a real API server adds, so a real cluster's answer is larger per object.
`;
}

const cpuModel = os.cpus()[0]?.model ?? 'unknown CPU';
const md = `# Benchmarks

Generated by \`npm run bench\` (scripts/bench.ts) on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} × ${cpuModel}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB,
Node ${process.version}, ${KUBECTL ? 'kubectl at ' + KUBECTL : 'no kubectl'}. Each row runs ours and its anchor alternately in the same session,
${RUNS} runs after ${WARMUP} warm-up runs of each (${STARTUP_RUNS} runs for \`--help\` and \`version\`, ${2 * RUNS} for \`identity\`; ${BIG_WARMUP} warm-up run
for the large lists), against the in-process emulated clusters
and daemon; figures are medians (peak RSS from /usr/bin/time). These machines are noisy: compare within a row, not across
runs of the script.

| What | fluxctl | Anchor | Ratio | Target | Result |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
${syncRows.join('\n')}
${v2Rows.join('\n')}

## Where the remaining time goes

- **Start-up (\`--help\`, \`version\`).** \`bin/fluxctl.js\` is CommonJS (\`bin/package.json\`), which Node
  starts at the cost of \`node -e 0\` (an ES module entry costs about a fifth more). When the command line is
  exactly a help or version request (\`--help\`/\`-h\`, \`help [command]\`, \`<command> --help\`, \`version\`,
  \`--version\`/\`-V\`, every command and alias), it prints the text \`npm run build\` took from the real
  commander program (\`dist/fast-paths.txt\`, found through the small index \`dist/fast-paths.json\`) with one
  write to fd 1, loading nothing else;
  test/integration/fast-paths.test.ts holds every one of those texts to the normal path's bytes, piped and
  on a terminal (help is wrapped at 80 columns whatever the width, so one text serves both). The terminal
  rows run both sides with stdin, stdout and stderr on a pseudo-terminal that a small Python helper opens
  (Node has no pty of its own), timed from inside that helper, so its own start is not counted.
- **Every other command's start-up.** \`bin/fluxctl.js\` runs \`dist/main.cjs\`, the whole program as one
  CommonJS file, through \`vm.Script\` with a V8 code cache in \`$XDG_CACHE_HOME/fluxctl\` (else
  \`~/.cache/fluxctl\`), one file per Node version, architecture and bundle hash, written after the first
  run of a build; this skips Node's ES module loader (resolving, linking, its own module reads) and the
  compile. The first run after a build or a Node upgrade has no cache and compiles the ~0.9 MB file in
  full (about 40 ms more than a cached run on this machine, and about 30 ms more than the ES module bundle takes); a cache that is missing, stale, corrupt or
  cannot be written falls back to that compile, silently. \`child_process\` (and \`dgram\` with it) now
  loads only for kubeconfig exec plugins, and \`zlib\` only if ws ever deflates (the tunnel turns
  permessage-deflate off). The bundle is ASCII (the build checks), so it is read as latin1: no UTF-8
  decoding, and V8 gets a one-byte source.
  **Node's own compile cache is not used.** \`module.enableCompileCache\` first appears in Node 22.8 (not
  22.1; \`flushCompileCache\` in 22.10). We built that path and measured it against the \`vm.Script\` cache,
  \`fluxctl version -o json\`, medians of 21–31 alternating runs over several rounds: on Node 22.23.5,
  36 ms above \`node -e 0\` with Node's compile cache, 29 ms with ours, 62 ms with none; on Node 24.22.3
  the gap was the same, about 7 ms. Node writes its entry as soon as the script is compiled (266 KB),
  so it never holds the functions a run compiles lazily; ours is written after the command ran (400 KB).
  So the \`vm.Script\` cache serves every Node; \`NODE_DISABLE_COMPILE_CACHE\` turns it off.
- **Through the tunnel (\`identity\`).** Two TLS exchanges on one keep-alive connection (the pod list, then
  the WebSocket upgrade), the upgrade and one daemon request. The first TLS secure context costs
  24–33 ms: Node 20 parses all ~140 bundled root certificates even when the kubeconfig gives its own
  CA (see nodejs/node PR #56301). We do not skip or replace
  certificate verification to save that time. With \`NODE_EXTRA_CA_CERTS\` set, every Node process
  (\`node -e 0\` included) builds the root store at start-up instead, which is why those rows are shown
  apart. kubectl's \`get pods\` is a single Go request with a warm discovery cache.
- **Large lists on Flux v1 (\`list-workloads\`, \`list-images\`).** The daemon's answers are large: ${servicesMB.toFixed(1)} MB for
  10,000 workloads × 3 containers, ${imagesMB.toFixed(1)} MB for ${IMAGE_WORKLOADS.toLocaleString('en')} workloads with ${IMAGE_TAGS} tags each (50,000 image records, each
  with digest, image ID, labels and times). For the table, fluxctl reads such a list as it arrives
  (\`src/daemon/json-array-reader.ts\`), parses the items complete so far with one \`JSON.parse\`, keeps
  only the cells the table shows, and drops the rest; neither the whole answer's text nor its parsed
  tree is ever held (read whole, the image list peaked near 190 MiB and the workload list near 117 MiB).
  Where the items end is guessed for the workload list: Go writes \`},{"ID":\` between items and no
  object inside a workload opens with \`ID\`, and \`JSON.parse\` confirms each guess. The image list nests
  such objects in every container, so after its first failed guess the structure is scanned (quote to
  quote, through a latin1 view of each chunk). Every field is still checked as the full decoder checks
  it, and a bad answer fails with the same message (a property test holds both readings to the same
  outcomes); \`-o json\`/\`-o yaml\` decode the full Go-shaped model. Past \`--limit\`, an image whose tag
  cannot be the running one is not even parsed.
  **CPU.** In this run fluxctl used ${cpu(listPair, 'ours').toFixed(0)} ms against kubectl's ${cpu(listPair, 'anchor').toFixed(0)} ms for the workload list, and
  ${cpu(imagesPair, 'ours').toFixed(0)} ms against ${cpu(imagesPair, 'anchor').toFixed(0)} ms for the image list; in the sessions run while the reader was written, on this
  shared 2-core machine, the workload list's ratio moved between 0.56× and 0.68×, so its verdict can
  go either way from one run of this script to the next. About ${cpu(identityPair, 'ours').toFixed(0)} ms of fluxctl's is the floor every
  command through the tunnel pays (the \`identity\` row). The main thread's profile of the workload list
  (\`--cpu-prof\`, eight runs, taken apart from this table) splits the rest as: \`JSON.parse\` 40–50 ms,
  the row checks and cells about 20 ms, sorting and drawing 30,000 table lines 30–45 ms, garbage
  collection about 35 ms, finding the items' ends under 5 ms; in the floor, Node's root certificate store
  about 30 ms (Node 20 parses its ~140 bundled roots when the first TLS context is made, see below) and
  loading the code-cached bundle about 30 ms. \`/usr/bin/time\` also counts V8's helper threads
  (parallel scavenges, concurrent marking). What is left to take would be \`JSON.parse\` itself, by
  picking the cells out of the bytes; but then the answer's syntax would no longer be checked in full,
  which we do not trade for speed. kubectl's \`get deployments -A\` over the same ${IMAGE_WORKLOADS.toLocaleString('en')} Deployments
  reads a 1,000-row Table, under 1 MB, so against it the \`list-images\` CPU target cannot be met: 0.6×
  of its CPU is less than the floor above, before a byte of the ${imagesMB.toFixed(0)} MB answer is read. The row keeps
  the anchor the issue set, with its verdict; its RSS target is met.
${fleetBullet(facts)}
## Requests per command on Flux v1 (from the emulators' request logs)

| Command | Kubernetes REST | Port-forward upgrades | Daemon requests |
| --- | --- | --- | --- |
${counts.join('\n')}

## Requests per command on Flux v2 (from the emulator's request log)

Against the emulated bootstrapped cluster of the Flux v2 tests (\`startFlux2Bed\`: Flux v2.9, the \`flux-system\`
GitRepository with a deploy key, the \`flux-system\` and \`apps\` Kustomizations), with no \`--k8s-fwd-ns\`, so the
v1 lookup runs in the kubeconfig context's namespace. Auto-detection adds fluxctl's two v1 pod lists and one probe
of the Flux v2 group; \`--flux-version v2\` skips all three. Before each \`sync\` a new commit changes a ConfigMap, so
its polls are those of a real change: how many depends on how long the controllers take (the last row gives each
run's wall time), at most 2 requests a second. No command watches, and none reads a workload one by one.

${countsV2.join('\n')}
`;
writeFileSync(path.join(root, 'BENCHMARKS.md'), md);
console.log(md);
console.log(`bench done in ${elapsed()}`);
