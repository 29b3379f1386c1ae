import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { TestBed } from '../helpers/testbed.js';
import { fwd, scenario, SECRETS, startBed } from './harness.js';
import { collector } from './report.js';

const col = collector('kubeconfig');
let bed: TestBed;
beforeAll(async () => {
  bed = await startBed();
});
afterAll(() => bed.close());

const withKubeconfig = (file: string, argv: string[] = []) => () => bed.run(['list-workloads', ...fwd, ...argv], { env: { KUBECONFIG: file } });

describe('kubeconfig', () => {
  it('missing: no file anywhere and not in a cluster', async () => {
    const missing = path.join(bed.home, 'nowhere', 'config');
    await scenario(col, 'KUBECONFIG names a file that does not exist', withKubeconfig(missing), {
      code: 3,
      message: `Error: no kubeconfig found (looked at ${missing})`,
    });
  });

  it('missing: an explicit --kubeconfig that does not exist', async () => {
    const missing = path.join(bed.home, 'absent.yaml');
    await scenario(col, '--kubeconfig names a file that does not exist', withKubeconfig(bed.kubeconfig, ['--kubeconfig', missing]), {
      code: 3,
      message: `Error: cannot read kubeconfig ${missing}: ENOENT`,
    });
  });

  it('unreadable: the path is a directory (tests run as root, so chmod would not stop a read)', async () => {
    const dir = path.join(bed.home, 'config.d');
    mkdirSync(dir, { recursive: true });
    await scenario(col, 'KUBECONFIG is a directory (unreadable)', withKubeconfig(dir), { code: 3, message: `Error: cannot read kubeconfig ${dir}: EISDIR` });
  });

  it('malformed YAML', async () => {
    const file = path.join(bed.home, 'malformed');
    writeFileSync(file, `apiVersion: v1\nclusters: [ {name: x\nusers:\n- name: u\n  user: { token: ${SECRETS.kubeToken} }\n`);
    await scenario(col, 'malformed YAML', withKubeconfig(file), { code: 3, message: new RegExp(`^Error: kubeconfig ${file} is not valid: .+`) });
  });

  it('a kubeconfig that is YAML but not a config (a list at the top)', async () => {
    const file = path.join(bed.home, 'list');
    writeFileSync(file, '- 1\n- 2\n');
    await scenario(col, 'YAML that is not a kubeconfig', withKubeconfig(file), { code: 3, message: new RegExp(`^Error: (kubeconfig ${file} is not valid|kubeconfig ${file} has no current-context)`) });
  });

  it('unknown --context lists the available ones', async () => {
    const r = await scenario(col, 'unknown --context', withKubeconfig(bed.kubeconfig, ['--context', 'prod-eu']), {
      code: 3,
      message: `Error: context "prod-eu" not found in kubeconfig ${bed.kubeconfig}`,
    });
    expectHint(r.stderr, 'hint: available contexts: emulator\n');
  });

  it('several files in KUBECONFIG with duplicates: the first file wins (kubectl)', async () => {
    // The second file redefines the same user with a stale token and another current-context:
    // were it to win, the API server would answer 401.
    const stale = bed.writeKubeconfig({ token: SECRETS.staleToken }, 'stale');
    const other = bed.writeKubeconfig({ token: SECRETS.staleToken, context: 'other' }, 'other');
    const list = [bed.kubeconfig, stale, other].join(path.delimiter);
    await scenario(col, 'KUBECONFIG=good:stale:other, duplicate names (first wins)', withKubeconfig(list), { code: 0, message: '', stdout: 'WORKLOAD  CONTAINER  IMAGE  RELEASE  POLICY\n' });
    const reversed = [stale, bed.kubeconfig].join(path.delimiter);
    await scenario(col, 'KUBECONFIG=stale:good (the stale user wins, so 401)', withKubeconfig(reversed), {
      code: 3,
      message: `Error: the Kubernetes API at ${bed.kube.url} rejected the credentials of context "emulator" (401 Unauthorized)`,
    });
  });
});

function expectHint(stderr: string, line: string): void {
  if (!stderr.includes(line)) throw new Error(`expected ${JSON.stringify(line)} in ${JSON.stringify(stderr)}`);
}
