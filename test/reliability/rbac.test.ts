import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import type { TestBed } from '../helpers/testbed.js';
import { fwd, scenario, startBed } from './harness.js';
import { collector } from './report.js';

const col = collector('rbac');
let bed: TestBed;
beforeAll(async () => {
  bed = await startBed();
});
afterAll(() => bed.close());
beforeEach(() => bed.kube.faults.reset());

const HINT = 'hint: ask a cluster admin for this permission (the README lists the RBAC rules fluxctl needs)';

describe('RBAC', () => {
  it('403 on listing pods names the verb, resource and namespace', async () => {
    bed.kube.faults.deny({ verb: 'list', resource: 'pods', namespace: 'flux' });
    const r = await scenario(col, '403 list pods', () => bed.run(['list-workloads', ...fwd]), {
      code: 3,
      message: 'Error: pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "flux"',
    });
    if (!r.stderr.endsWith(`${HINT}\n`)) throw new Error(r.stderr);
  });

  it('403 on pods/portforward names the subresource', async () => {
    bed.kube.faults.deny({ verb: 'get', resource: 'pods', subresource: 'portforward' });
    await scenario(col, '403 get pods/portforward', () => bed.run(['list-workloads', ...fwd]), {
      code: 3,
      message: /^Error: pods "flux-[a-z0-9-]+" is forbidden: User "jane" cannot get resource "pods\/portforward" in API group "" in the namespace "flux"$/,
    });
  });

  it('403 on reading the daemon Deployment (set-interval)', async () => {
    bed.kube.faults.deny({ verb: 'get', resource: 'deployments', namespace: 'flux' });
    await scenario(col, '403 get deployments (set-interval)', () => bed.run(['set-interval', ...fwd]), {
      code: 3,
      message: 'Error: deployments.apps "flux" is forbidden: User "jane" cannot get resource "deployments" in API group "apps" in the namespace "flux"',
    });
  });

  it('403 on patching the daemon Deployment (set-interval)', async () => {
    bed.kube.faults.deny({ verb: 'patch', resource: 'deployments', namespace: 'flux' });
    await scenario(col, '403 patch deployments (set-interval 1m)', () => bed.run(['set-interval', ...fwd, '1m']), {
      code: 3,
      message: 'Error: deployments.apps "flux" is forbidden: User "jane" cannot patch resource "deployments" in API group "apps" in the namespace "flux"',
    });
  });
});
