import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBed } from '../helpers/testbed.js';
import { fwd, scenario, script, SECRETS, startBed } from './harness.js';
import { collector } from './report.js';

const col = collector('auth');
let bed: TestBed;
beforeAll(async () => {
  bed = await startBed({ kubeUsers: { [SECRETS.kubeToken]: 'jane', [SECRETS.execToken]: 'jane' } });
});
afterAll(() => bed.close());

function execKubeconfig(name: string, plugin: string): string {
  const file = path.join(bed.home, name);
  const exec = `exec: { apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, args: [get-token], env: [{ name: CRED_MODE, value: sso }] }`;
  writeFileSync(file, bed.kube.kubeconfig().replace(/token: .*/, exec));
  return file;
}
const run = (file: string, extra: string[] = []) => () => bed.run(['list-workloads', ...fwd, ...extra], { env: { KUBECONFIG: file } });

describe('authentication', () => {
  it('401: an expired token', async () => {
    const r = await scenario(col, '401 Unauthorized (expired token)', run(bed.writeKubeconfig({ token: SECRETS.staleToken }, 'stale')), {
      code: 3,
      message: `Error: the Kubernetes API at ${bed.kube.url} rejected the credentials of context "emulator" (401 Unauthorized)`,
    });
    expect(r.stderr).toContain('hint: the token or certificate has expired or is wrong: log in to the cluster again\n');
  });

  it('401 with --verbose still shows no token', async () => {
    await scenario(col, '401 Unauthorized with --verbose', run(bed.writeKubeconfig({ token: SECRETS.staleToken }, 'stale'), ['--verbose']), {
      code: 3,
      message: `Error: the Kubernetes API at ${bed.kube.url} rejected the credentials of context "emulator" (401 Unauthorized)`,
    });
  });

  it('an exec plugin that works: its token is used and never shown', async () => {
    // It answers only with the kubeconfig's env and args, as a real plugin's flags would demand.
    const plugin = script(bed, 'cred-ok.sh', `[ "$CRED_MODE/$1" = sso/get-token ] || exit 9\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${SECRETS.execToken}"}}'`);
    await scenario(col, 'exec plugin returns a token (--verbose)', run(execKubeconfig('exec-ok', plugin), ['--verbose']), {
      code: 0,
      message: /^\[debug\] kubeconfig /,
      stdout: 'WORKLOAD  CONTAINER  IMAGE  RELEASE  POLICY\n',
    });
  });

  it('an exec plugin that fails: its stderr and exit code are shown', async () => {
    const plugin = script(bed, 'cred-fail.sh', 'echo "error: the SSO session has expired; run: sso login" >&2\nexit 7');
    const r = await scenario(col, 'exec plugin fails (exit 7)', run(execKubeconfig('exec-fail', plugin)), {
      code: 3,
      message: 'Error: exec credential plugin "cred-fail.sh" exited with code 7:',
    });
    expect(r.stderr).toBe('Error: exec credential plugin "cred-fail.sh" exited with code 7:\nerror: the SSO session has expired; run: sso login\nhint: run the plugin (or kubectl) once by hand to log in again\n');
  });

  it('an exec plugin that is not installed', async () => {
    const r = await scenario(col, 'exec plugin not found', run(execKubeconfig('exec-missing', path.join(bed.home, 'no-such-plugin'))), {
      code: 3,
      message: `Error: exec credential plugin "${path.join(bed.home, 'no-such-plugin')}" was not found`,
    });
    expect(r.stderr).toMatch(/\nhint: install it/);
  });

  it('an exec plugin that prints garbage', async () => {
    await scenario(col, 'exec plugin prints no ExecCredential', run(execKubeconfig('exec-garbage', script(bed, 'cred-garbage.sh', 'echo "Please open https://login.example/ in a browser"'))), {
      code: 3,
      message: 'Error: exec credential plugin "cred-garbage.sh" printed something that is not an ExecCredential JSON',
    });
  });

  it('an exec plugin that hangs is bounded by --timeout', async () => {
    const plugin = script(bed, 'cred-hang.sh', 'exec sleep 30');
    const r = await scenario(col, 'exec plugin hangs (--timeout 500ms)', run(execKubeconfig('exec-hang', plugin), ['--timeout', '500ms']), {
      code: 4,
      timeoutMs: 500,
      message: 'Error: exec credential plugin "cred-hang.sh" did not finish within --timeout',
    });
    expect(r.ms).toBeGreaterThanOrEqual(450);
  });
});
