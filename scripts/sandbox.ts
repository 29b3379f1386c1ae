// The sandbox: an EMULATED Kubernetes API server and Flux daemon (the test emulators) with a
// realistic sample, so fluxctl can be tried without a cluster. `--demo` runs a tour and exits.
// `--flux v2` runs emulated Flux v2 instead, `--flux both` the two side by side (sandbox-v2.ts).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleState } from '@fluxctl/emulator/fluxd';
import { startTestBed } from '../test/helpers/testbed.js';
import { watchableSample } from './sandbox-rollouts.js';
import { runTour } from './sandbox-tour.js';
import { demoV2 } from './sandbox-v2-tour.js';
import { runV2Sandbox, sandboxFlux } from './sandbox-v2.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const home = path.join(root, '.sandbox');
mkdirSync(home, { recursive: true });
const demo = process.argv.includes('--demo');
// Default v1, so the README's commands keep working; the demo tours both unless told otherwise.
const flux = sandboxFlux(process.argv.slice(2));

const tour = [
  ['identity', '--k8s-fwd-ns', 'flux'],
  ['identity', '--k8s-fwd-ns', 'flux', '-l', '-E', 'sha256'],
  ['list-workloads', '--k8s-fwd-ns', 'flux', '--all-namespaces'],
  ['list-workloads', '--k8s-fwd-ns', 'flux', '-n', 'podinfo', '-o', 'json'],
  ['list-images', '--k8s-fwd-ns', 'flux', '-n', 'default', '--limit', '3'],
  ['release', '--k8s-fwd-ns', 'flux', '--workload', 'default:deployment/helloworld', '--update-all-images', '--dry-run'],
  ['list-workloads', '--k8s-fwd-ns', 'flux', '-n', 'podinfo'],
  ['sync', '--k8s-fwd-ns', 'flux', '--watch'],
  ['list-workloads', '--k8s-fwd-ns', 'flux', '-n', 'podinfo'],
  ['set-interval', '--k8s-fwd-ns', 'flux'],
  ['set-interval', '--k8s-fwd-ns', 'flux', '1m'],
  ['check', '--k8s-fwd-ns', 'flux'],
  ['version'],
];

/** The Flux v1 sandbox: the chart's Deployment in `flux`, tunnelling to the emulated fluxd. */
async function startV1() {
  const bed = await startTestBed({ fluxdState: watchableSample(), rolloutTickMs: 300, home, contextNamespace: 'default' });
  console.log(`fluxctl sandbox: an EMULATED Kubernetes API server and Flux v1 daemon, for trying
the CLI without a cluster. Nothing here is a real cluster; the daemon's answers follow
the Flux v1 API (see README, "Sandbox").

  API server   ${bed.kube.url}  (TLS with a throwaway test CA)
  kubeconfig   ${bed.kubeconfig}
  daemon       pod in namespace "flux", reached through the port-forward API
`);
  return bed;
}

/** The v1 tour on the v1 sandbox; returns the number of failed steps. */
async function demoV1(): Promise<number> {
  const bed = await startV1();
  try {
    return await runTour(tour.map((args) => ({ args })), { root, kubeconfig: bed.kubeconfig });
  } finally {
    await bed.close();
  }
}

async function sandboxV1(): Promise<void> {
  const bed = await startV1();
  console.log(`Try, in another terminal:

  export KUBECONFIG=${bed.kubeconfig}
${tour.map((a) => `  npx fluxctl ${a.join(' ')}`).join('\n')}

kubectl works against it too:  kubectl get pods -n flux

Flux v2 instead: npm run sandbox -- --flux v2 (or --flux both, for the two side by side).

Press Ctrl-C to stop.`);
  process.once('SIGINT', () => {
    void bed.close().then(() => console.log('\nsandbox stopped'));
  });
}

if (flux === null) {
  process.exitCode = 2;
} else if (demo) {
  const failed = (flux === 'v2' || flux === 'both' ? 0 : await demoV1()) + (flux === 'v1' ? 0 : await demoV2(root, home));
  console.log(failed === 0 ? '\nThe tour ran every command against the sandbox.' : `\n${failed} command(s) failed.`);
  process.exitCode = failed === 0 ? 0 : 1;
} else if (flux === 'v2' || flux === 'both') {
  await runV2Sandbox(flux, home, tour);
} else {
  await sandboxV1();
}
