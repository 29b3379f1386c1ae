// The sandbox: an EMULATED Kubernetes API server and Flux daemon (the test emulators) with a
// realistic sample, so fluxctl can be tried without a cluster. `--demo` runs a tour and exits.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleState } from '../test/emulator/fluxd/index.js';
import { startTestBed } from '../test/helpers/testbed.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const home = path.join(root, '.sandbox');
mkdirSync(home, { recursive: true });
const demo = process.argv.includes('--demo');

const bed = await startTestBed({ fluxdState: sampleState(), rolloutTickMs: 300, home, contextNamespace: 'default' });
const kubeconfig = bed.kubeconfig;
const tour = [
  ['identity', '--k8s-fwd-ns', 'flux'],
  ['identity', '--k8s-fwd-ns', 'flux', '-l', '-E', 'sha256'],
  ['list-workloads', '--k8s-fwd-ns', 'flux', '--all-namespaces'],
  ['list-workloads', '--k8s-fwd-ns', 'flux', '-n', 'podinfo', '-o', 'json'],
  ['list-images', '--k8s-fwd-ns', 'flux', '-n', 'default', '--limit', '3'],
  ['release', '--k8s-fwd-ns', 'flux', '--workload', 'default:deployment/helloworld', '--update-all-images', '--dry-run'],
  ['sync', '--k8s-fwd-ns', 'flux'],
  ['set-interval', '--k8s-fwd-ns', 'flux'],
  ['set-interval', '--k8s-fwd-ns', 'flux', '1m'],
  ['version'],
];

console.log(`fluxctl sandbox: an EMULATED Kubernetes API server and Flux v1 daemon, for trying
the CLI without a cluster. Nothing here is a real cluster; the daemon's answers follow
the Flux v1 API (see README, "Sandbox").

  API server   ${bed.kube.url}  (TLS with a throwaway test CA)
  kubeconfig   ${kubeconfig}
  daemon       pod in namespace "flux", reached through the port-forward API
`);

if (demo) {
  let failed = 0;
  for (const args of tour) {
    console.log(`\n$ fluxctl ${args.join(' ')}`);
    // Asynchronous on purpose: the emulators live in this process and must keep answering.
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [path.join(root, 'bin/fluxctl.js'), ...args], { stdio: 'inherit', env: { ...process.env, KUBECONFIG: kubeconfig } });
      child.on('close', (c) => resolve(c ?? 1));
    });
    if (code !== 0) failed++;
  }
  await bed.close();
  console.log(failed === 0 ? '\nThe tour ran every command against the sandbox.' : `\n${failed} command(s) failed.`);
  process.exitCode = failed === 0 ? 0 : 1;
} else {
  console.log(`Try, in another terminal:

  export KUBECONFIG=${kubeconfig}
${tour.map((a) => `  npx fluxctl ${a.join(' ')}`).join('\n')}

kubectl works against it too:  kubectl get pods -n flux

Press Ctrl-C to stop.`);
  process.once('SIGINT', () => {
    void bed.close().then(() => console.log('\nsandbox stopped'));
  });
}
