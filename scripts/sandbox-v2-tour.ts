// The demo tour on a cluster running both generations: the Flux v1 daemon in `flux`, Flux v2 in
// `flux-system`. It shows how fluxctl picks one, every command on Flux v2 (release refusing by
// design), a sync that starts a rollout and follows it, and `check` finding a problem and the fix.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Flux2Bed } from '../test/helpers/testbed-v2.js';
import { addDeployKey, pushApiRelease } from './sandbox-git.js';
import { runTour, type TourStep } from './sandbox-tour.js';
import { startV2Sandbox } from './sandbox-v2.js';

const V2 = ['--flux-version', 'v2'];

/** The generations side by side, then the read-only commands on Flux v2. */
function lookAround(): TourStep[] {
  return [
    { args: ['check', '--k8s-fwd-ns', 'flux'] },
    { args: ['check', '--k8s-fwd-ns', 'flux-system'] },
    { args: ['identity', ...V2, '-l', '-E', 'sha256'] },
    { args: ['list-workloads', ...V2, '--all-namespaces'] },
    { args: ['list-images', ...V2, '-n', 'frontend', '--limit', '4'] },
    { args: ['version', ...V2, '--server'] },
  ];
}

/** Commands that change the cluster (set-interval, policies) or refuse to on Flux v2. */
function change(exportDir: string): TourStep[] {
  // Shown relative to where the tour runs, as a user would type it.
  const shown = path.relative(process.cwd(), exportDir) || '.';
  return [
    { args: ['set-interval', ...V2, '--git-poll-interval', '30s'] },
    { args: ['lock', ...V2, '-w', 'frontend:deployment/web'] },
    { args: ['unlock', ...V2, '-w', 'frontend:deployment/web'] },
    { args: ['automate', ...V2, '-w', 'backend:deployment/api'], expect: { code: 1, why: 'no ImagePolicy covers its image; automation on Flux v2 is set up in git' } },
    { args: ['release', ...V2, '--workload', 'backend:deployment/api', '-i', 'ghcr.io/acme/api:2.4.0'], expect: { code: 2, why: 'release is Flux v1 only, by design' } },
    {
      args: ['save', ...V2, '--out', shown],
      before: () => {
        rmSync(exportDir, { recursive: true, force: true });
        mkdirSync(exportDir, { recursive: true });
        return `mkdir ${shown}`;
      },
      after: () => `save wrote ${listFiles(exportDir).join(', ')}`,
    },
  ];
}

/** A new commit synced and its rollout followed; then a new deploy key that git refuses until it is added. */
function syncAndRecover(bed: Flux2Bed): TourStep[] {
  return [
    { args: ['sync', ...V2, '--watch'], before: () => pushApiRelease(bed) },
    { args: ['identity', ...V2, '--regenerate'] },
    { args: ['sync', ...V2], before: () => pushApiRelease(bed), expect: { code: 1, why: 'the git host does not know the new deploy key yet' } },
    { args: ['check', ...V2], expect: { code: 1, why: 'check names the failing layer (git) and the fix' } },
    { args: ['sync', ...V2, '--watch'], before: () => addDeployKey(bed) },
    { args: ['check', ...V2] },
  ];
}

/** Files under a folder, relative to it, sorted. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Starts a sandbox with both generations, runs the tour, stops it; returns the number of failed steps. */
export async function demoV2(root: string, home: string): Promise<number> {
  const bed = await startV2Sandbox('both', home);
  try {
    console.log(`\n== Flux v1 and Flux v2 in one EMULATED cluster (${bed.kube.url}): the v1 daemon in "flux", Flux ${bed.flux.version} in "flux-system" ==`);
    const steps = [...lookAround(), ...change(path.join(home, 'fleet-export')), ...syncAndRecover(bed)];
    return await runTour(steps, { root, kubeconfig: bed.kubeconfig });
  } finally {
    await bed.close();
  }
}
