// The Flux v2 sandbox: an EMULATED Kubernetes API server running EMULATED Flux v2 controllers
// over a bootstrapped sample fleet (`--flux v2`), optionally beside the emulated Flux v1 daemon
// in namespace `flux` (`--flux both`). Nothing here is a real cluster.
import { createInterface } from 'node:readline';
import { sampleState } from '@fluxctl/emulator/fluxd';
import { startFlux2Bed, type Flux2Bed } from '../test/helpers/testbed-v2.js';
import { addDeployKey, letRolloutsOutliveSync, pushApiRelease } from './sandbox-git.js';
import { quote } from './sandbox-tour.js';

export type SandboxFlux = 'v1' | 'v2' | 'both';

/** `--flux v1|v2|both` (or `--flux=…`) from the script's arguments; undefined when not given, null (said on stderr) when wrong. */
export function sandboxFlux(argv: readonly string[]): SandboxFlux | undefined | null {
  const i = argv.findIndex((a) => a === '--flux' || a.startsWith('--flux='));
  if (i < 0) return undefined;
  const value = argv[i]!.includes('=') ? argv[i]!.slice('--flux='.length) : argv[i + 1];
  if (value === 'v1' || value === 'v2' || value === 'both') return value;
  console.error(`Error: --flux takes v1, v2 or both, not ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  return null;
}

/**
 * Starts the cluster and bootstraps the sample at full speed, then slows the emulated
 * controllers down (a Deployment rollout step every 700 ms, a Flux status write every 80 ms)
 * so a sync and the rollout it starts can be watched.
 */
export async function startV2Sandbox(flux: 'v2' | 'both', home: string): Promise<Flux2Bed> {
  const bed = await startFlux2Bed({ home, contextNamespace: 'default', withV1Daemon: flux === 'both' ? { fluxdState: sampleState() } : false });
  await letRolloutsOutliveSync(bed);
  bed.kube.cluster.controller.tickMs = 700;
  bed.flux.engine.options.stepMs = 80;
  return bed;
}

/** The flags that pick Flux v2: none when it is alone (fluxctl finds it), --flux-version v2 beside a v1 daemon. */
export const v2Flags = (flux: 'v2' | 'both'): string[] => (flux === 'both' ? ['--flux-version', 'v2'] : []);

/** Commands to try on Flux v2, with what each shows. */
function v2Commands(flux: 'v2' | 'both'): Array<[string[], string]> {
  const f = v2Flags(flux);
  return [
    [['check', ...f], 'each layer, from kubeconfig to the Kustomizations'],
    [['identity', ...f, '-l', '-E', 'sha256'], 'the deploy key, as GitHub shows it'],
    [['list-workloads', ...f, '--all-namespaces'], 'workloads, rollout state and image automation'],
    [['list-images', ...f, '-n', 'frontend'], 'what image-reflector-controller scanned'],
    [['sync', ...f, '--watch'], 'press Enter here first: the sandbox pushes a new api image to git'],
    [['set-interval', ...f, '--git-poll-interval', '30s'], 'spec.interval of the GitRepository'],
    [['lock', ...f, '-w', 'frontend:deployment/web'], 'suspends its ImagePolicy (unlock resumes it)'],
    [['save', ...f], 'the Flux objects as YAML (--out DIR: one file each)'],
    [['version', ...f, '--server'], 'the Flux distribution version'],
    [['identity', ...f, '--regenerate'], 'a new deploy key: sync fails until you press k here'],
  ];
}

/** The banner, the commands to try and the kubectl lines, for the chosen mode. */
function printHelp(bed: Flux2Bed, flux: 'v2' | 'both', v1Tour: readonly (readonly string[])[]): void {
  const ns = bed.flux.namespace;
  console.log(`fluxctl sandbox: an EMULATED Kubernetes API server running EMULATED Flux ${bed.flux.version} controllers
(${bed.flux.components.join(', ')})${flux === 'both' ? ' beside an EMULATED Flux v1 daemon' : ''}, for trying the CLI without a cluster.
Nothing here is a real cluster; the controllers follow the Flux v2 APIs (see README, "Sandbox").

  API server   ${bed.kube.url}  (TLS with a throwaway test CA)
  kubeconfig   ${bed.kubeconfig}
  Flux v2      namespace "${ns}": GitRepository ${ns}/${ns} (${bed.sample!.url}, on an emulated git host)
               and the Kustomizations ${ns}/${ns} and ${ns}/apps${flux === 'both' ? `
  Flux v1      daemon pod in namespace "flux": fluxctl finds it with --k8s-fwd-ns flux` : ''}

Try, in another terminal:

  export KUBECONFIG=${bed.kubeconfig}`);
  const width = Math.max(...v2Commands(flux).map(([a]) => a.map(quote).join(' ').length));
  for (const [args, what] of v2Commands(flux)) console.log(`  npx fluxctl ${args.map(quote).join(' ').padEnd(width)}  # ${what}`);
  if (flux === 'both') {
    console.log('\nFlux v1, in namespace "flux":\n');
    for (const args of v1Tour) console.log(`  npx fluxctl ${args.map(quote).join(' ')}`);
  }
  console.log(`
kubectl works against it too:  kubectl get gitrepositories,kustomizations -A
                               kubectl get pods -n ${ns}${flux === 'both' ? '\n                               kubectl get pods -n flux' : ''}

Here: Enter pushes a commit (a new backend/api image) to the git repository; k adds the
Secret's current key (after identity --regenerate) to the git host. Ctrl-C stops.`);
}

/** Runs the sandbox until Ctrl-C, doing the git host's side on request. */
export async function runV2Sandbox(flux: 'v2' | 'both', home: string, v1Tour: readonly (readonly string[])[]): Promise<void> {
  const bed = await startV2Sandbox(flux, home);
  printHelp(bed, flux, v1Tour);
  const sync = ['fluxctl', 'sync', ...v2Flags(flux)].join(' ');
  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    const action = line.trim().toLowerCase();
    if (action === '') console.log(`${pushApiRelease(bed)}; now run ${sync} --watch`);
    else if (action === 'k') console.log(`${addDeployKey(bed)}; now run ${sync}`);
    else console.log('Enter pushes a commit, k adds the deploy key, Ctrl-C stops.');
  });
  // A stdin that ends (not a terminal) must not stop the sandbox; Ctrl-C does.
  input.on('close', () => undefined);
  process.once('SIGINT', () => {
    input.close();
    void bed.close().then(() => console.log('\nsandbox stopped'));
  });
}
