// The bundle on Flux v2: each toolkit feature is a chunk loaded on demand (identity, sync,
// listing, intervals, export, version, automation, diagnostics), so one command line per
// feature runs through the sources and through dist/, with the same output and requests.
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Run } from '../helpers/run-cli.js';
import { expectSameProgram, importBundleRun, type Expected } from '../helpers/same-program.js';
import { startFlux2Bed, type Flux2Bed } from '../helpers/testbed-v2.js';

interface Case extends Expected {
  name: string;
  argv: string[];
}

const cases: Case[] = [
  { name: 'identity -l', argv: ['identity', '-l'], code: 0, stdout: /^[0-9a-f]{2}(:[0-9a-f]{2}){15}\n$/ },
  { name: 'sync', argv: ['sync'], code: 0 },
  { name: 'list-workloads -a', argv: ['list-workloads', '-a'], code: 0, stdout: /^WORKLOAD/ },
  { name: 'list-images -a', argv: ['list-images', '-a'], code: 0, stdout: /^WORKLOAD/ },
  { name: 'set-interval (show)', argv: ['set-interval'], code: 0, stdout: /^SETTING/ },
  { name: 'save', argv: ['save'], code: 0, stdout: /^---\n/ },
  { name: 'version --server', argv: ['version', '--server'], code: 0, stdout: /^client: .*\nserver: v2\.9\.4\n$/ },
  { name: 'lock (a workload no policy covers)', argv: ['lock', '-w', 'backend:deployment/debug'], code: 1 },
  { name: 'check', argv: ['check'], code: 0, stdout: /^\[ok\]/ },
  { name: 'release (refused on Flux v2)', argv: ['release', '--all', '--update-all-images'], code: 2 },
];

/** Tokens, times and hashes differ between two runs. */
const normalise = (s: string): string =>
  s
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>')
    .replace(/\b[0-9a-f]{7,64}\b/g, '<sha>')
    .replace(/\(\d+\.\d+s\)/g, '(<s>)');

let bed: Flux2Bed;
let bundleRun: Run;
beforeAll(async () => {
  bundleRun = await importBundleRun();
  bed = await startFlux2Bed();
});
afterAll(() => bed?.close());

async function observe(c: Case, main: Run): Promise<{ code: number; stdout: string; stderr: string; kube: string[] }> {
  bed.kube.requests.length = 0;
  const r = await bed.run(c.argv, { main });
  return {
    code: r.code,
    stdout: normalise(r.stdout),
    stderr: normalise(r.stderr),
    // How many polls a wait takes depends on timing: each distinct request counts once, in order of first use.
    kube: [...new Set(bed.kube.requests.map((q) => `${q.method} ${q.path}`))],
  };
}

describe('the bundle (dist/) behaves as the sources on Flux v2', () => {
  it.each(cases)('$name', (c) => expectSameProgram(c, observe, bundleRun));
});
