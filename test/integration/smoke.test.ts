import { afterAll, beforeAll, expect, it } from 'vitest';
import { sampleState } from '../emulator/fluxd/index.js';
import { startTestBed, type TestBed } from '../helpers/testbed.js';
let bed: TestBed;
beforeAll(async () => { bed = await startTestBed({ fluxdState: sampleState() }); });
afterAll(async () => bed.close());
it('smoke', async () => {
  for (const argv of [['identity', '--k8s-fwd-ns', 'flux'], ['identity', '--k8s-fwd-ns', 'flux', '-v'], ['list-workloads', '--k8s-fwd-ns', 'flux', '-a'], ['sync', '--k8s-fwd-ns', 'flux'], ['set-interval', '--k8s-fwd-ns', 'flux'], ['set-interval', '--k8s-fwd-ns', 'flux', '1m'], ['identity']]) {
    const r = await bed.run(argv);
    console.log(argv.join(' '), r.code, Math.round(r.ms), '\n' + r.stdout + '\n--stderr--\n' + r.stderr);
  }
  expect(1).toBe(1);
});
