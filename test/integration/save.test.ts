import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { goYamlKeyLess, yaml11NonString } from '../../src/commands/save-yaml.js';
import { sampleState } from '@fluxctl/emulator/fluxd';
import { startTestBed, type TestBed } from '../helpers/testbed.js';

let bed: TestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.fluxd.state = sampleState();
  bed.fluxd.requests.length = 0;
  bed.fluxd.clearFaults();
});

const fwd = ['--k8s-fwd-ns', 'flux'];
const golden = (name: string) => `../golden/save/${name}.txt`;
const calls = () => bed.fluxd.requests.map((q) => `${q.method} ${q.path}${q.rawQuery ? `?${q.rawQuery}` : ''}${q.body ? ` ${q.body}` : ''}`);
/** Serves this YAML stream as the daemon's export (a base64 JSON string, as fluxd sends []byte). */
const serveExport = (yaml: string) => bed.fluxd.inject('GET /v6/export', { status: 200, body: JSON.stringify(Buffer.from(yaml).toString('base64')) });
const tempDir = () => mkdtempSync(path.join(tmpdir(), 'fluxctl-save-'));
const listFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();

const MESSY = `---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  uid: 1234
  resourceVersion: "99"
  creationTimestamp: "2021-03-04T10:00:00Z"
  annotations:
    deployment.kubernetes.io/revision: "7"
    kubectl.kubernetes.io/last-applied-configuration: '{"big":"blob"}'
    kubernetes.io/change-cause: kubectl edit
    fluxcd.io/automated: "true"
  labels:
    app: web
spec:
  replicas: 2
  paused: null
  selector: {}
  strategy:
    rollingUpdate: {maxSurge: null}
  template:
    metadata:
      creationTimestamp: null
      labels: {app: web, version: "1.10"}
    spec:
      containers:
      - name: web
        image: nginx:1.21
        args: []
        env:
        - {name: MODE, value: "yes"}
        - {name: EMPTY, value: ""}
        - {name: STAMP, value: 2021-03-04}
        resources: {}
      - {}
      volumes: []
status:
  replicas: 2
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  annotations:
    deployment.kubernetes.io/revision: "1"
spec:
  finalizers: [kubernetes]
`;

describe('fluxctl save', () => {
  it('prints every exported object to stdout, cleaned, after ---', async () => {
    const r = await bed.run(['save', ...fwd]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(calls()).toEqual(['GET /v6/export']);
    expect(r.stdout.startsWith('---\napiVersion: v1\nkind: Namespace\n')).toBe(true);
    expect(r.stdout).not.toMatch(/uid:|resourceVersion:|status:|creationTimestamp:|deployment\.kubernetes\.io\/revision/);
    await expect(r.stdout).toMatchFileSnapshot(golden('stdout.piped'));
  });

  it('keeps only fluxctl\'s fields and cleans spec as it does (emptied maps stay, list items stay)', async () => {
    serveExport(MESSY);
    const r = await bed.run(['save', ...fwd, '-o', '-']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`---
apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    fluxcd.io/automated: "true"
  labels:
    app: web
  name: web
  namespace: shop
spec:
  replicas: 2
  strategy:
    rollingUpdate: {}
  template:
    metadata:
      labels:
        app: web
        version: "1.10"
    spec:
      containers:
      - env:
        - name: MODE
          value: "yes"
        - name: EMPTY
          value: ""
        - name: STAMP
          value: "2021-03-04"
        image: nginx:1.21
        name: web
      - {}
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
spec:
  finalizers:
  - kubernetes
`);
  });

  it('writes one file per object with fluxctl\'s names, saying so on stdout', async () => {
    const dir = tempDir();
    const r = await bed.run(['save', ...fwd, '--out', `${dir}/`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const files = listFiles(dir);
    expect(files).toContain('default-ns.yaml');
    expect(files).toContain(path.join('default', 'helloworld-dep.yaml'));
    expect(files.every((f) => f.endsWith('.yaml'))).toBe(true);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(files.length);
    expect(lines).toContain(`Saving Deployment 'helloworld' to ${path.join(dir, 'default', 'helloworld-dep.yaml')}`);
    expect(lines).toContain(`Saving Namespace 'default' to ${path.join(dir, 'default-ns.yaml')}`);
    const stdout = (await bed.run(['save', ...fwd])).stdout;
    const joined = files.map((f) => readFileSync(path.join(dir, f), 'utf8'));
    for (const content of joined) {
      expect(content.startsWith('---\n')).toBe(true);
      expect(stdout).toContain(content);
    }
    expect(statSync(path.join(dir, 'default-ns.yaml')).mode & 0o777).toBe(0o666 & ~process.umask());
    await expect(r.stdout.replaceAll(dir, '<dir>')).toMatchFileSnapshot(golden('dir.piped'));
  });

  it('uses the Kind itself for kinds other than Deployment', async () => {
    serveExport('---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: ops}\nspec: {x: 1}\n');
    const dir = tempDir();
    const r = await bed.run(['save', ...fwd, '-o', dir]);
    expect(r.code).toBe(0);
    expect(listFiles(dir)).toEqual([path.join('ops', 'agent-DaemonSet.yaml')]);
    expect(readFileSync(path.join(dir, 'ops', 'agent-DaemonSet.yaml'), 'utf8')).toBe('---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\n  namespace: ops\nspec:\n  x: 1\n');
  });

  it.each([
    ['a name with ../', 'kind: Deployment\nmetadata: {name: ../../evil, namespace: shop}', 'name "../../evil"'],
    ['an absolute name', 'kind: Namespace\nmetadata: {name: /tmp/evil}', 'name "/tmp/evil"'],
    ['a namespace of ..', 'kind: Deployment\nmetadata: {name: web, namespace: ..}', 'namespace ".."'],
    ['a namespace of .', 'kind: Deployment\nmetadata: {name: web, namespace: .}', 'namespace "."'],
    ['a namespace with a separator', 'kind: Deployment\nmetadata: {name: web, namespace: a/../../b}', 'namespace "a/../../b"'],
    ['a name of ..', 'kind: Namespace\nmetadata: {name: ..}', 'name ".."'],
    ['a NUL in the name', 'kind: Deployment\nmetadata: {name: "web\\0x", namespace: shop}', 'name "web\\u0000x"'],
    ['a backslash', 'kind: Deployment\nmetadata: {name: "..\\\\..\\\\x", namespace: shop}', 'name "..\\\\..\\\\x"'],
    ['a kind with a separator', 'kind: ../../Evil\nmetadata: {name: web, namespace: shop}', 'kind "../../Evil"'],
    ['no name', 'kind: Deployment\nmetadata: {namespace: shop}', 'name ""'],
  ])('refuses %s and writes nothing at all', async (_what, hostile, field) => {
    serveExport(`---\napiVersion: v1\nkind: Namespace\nmetadata: {name: good}\n---\napiVersion: apps/v1\n${hostile}\nspec: {replicas: 1}\n`);
    const parent = tempDir();
    const dir = path.join(parent, 'out', 'inner');
    mkdirSync(dir, { recursive: true });
    const r = await bed.run(['save', ...fwd, '-o', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`is not a safe file name`);
    expect(r.stderr).toContain(`its ${field}`);
    expect(r.stderr).toContain('hint: nothing was written');
    expect(listFiles(parent)).toEqual([]);
    expect(existsSync('/tmp/evil-ns.yaml')).toBe(false);
  });

  it('prints hostile names harmlessly on stdout (no files are written there)', async () => {
    serveExport('---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ../../evil, namespace: ..}\n');
    const r = await bed.run(['save', ...fwd]);
    expect(r).toMatchObject({ code: 0, stdout: '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ../../evil\n  namespace: ..\n' });
  });

  it('reports a YAML error part-way through (fluxctl exits 0), after saving the documents before it', async () => {
    serveExport('---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n---\nkind: [unclosed\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: never}\n');
    const r = await bed.run(['save', ...fwd]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n');
    expect(r.stderr).toMatch(/^Error: decoding exported config: .+\nhint: 1 document\(s\) before it were saved; the rest of the export was not\n$/);
  });

  it('reports a document yaml.v2 could not decode into fluxctl\'s fields', async () => {
    serveExport('---\napiVersion: v1\nkind: Namespace\nmetadata: [a, b]\n');
    const r = await bed.run(['save', ...fwd]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error: decoding exported config: document 1: metadata: expected a mapping, found a list\n');
  });

  it('checks --out before connecting, with fluxctl\'s texts', async () => {
    const dir = tempDir();
    const missing = path.join(dir, 'nope');
    let r = await bed.run(['save', ...fwd, '-o', missing]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`Error: stat ${missing}: no such file or directory\nhint: --out takes an existing directory (mkdir -p ${missing}), or - for stdout\n`);
    const file = path.join(dir, 'file');
    writeFileSync(file, '');
    r = await bed.run(['save', ...fwd, '--out', file]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(`Error: path ${file} is not a directory`);
    expect(calls()).toEqual([]);
  });

  it('rejects positional arguments', async () => {
    const r = await bed.run(['save', ...fwd, 'extra']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("Error: expected no (non-flag) arguments\nRun 'fluxctl save --help' for usage.\n");
    expect(calls()).toEqual([]);
  });

  it('wraps a transport failure as "exporting config: …" and keeps the daemon\'s help for API errors', async () => {
    bed.fluxd.inject('GET /v6/export', { status: 502, body: 'bad gateway', contentType: 'text/plain' });
    let r = await bed.run(['save', ...fwd]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: exporting config: executing HTTP request: 502 Bad Gateway bad gateway\n/);
    bed.fluxd.inject('GET /v6/export', { status: 500, body: '{"type":"server","help":"Cluster is down.\\n","error":"no cluster"}' });
    r = await bed.run(['save', ...fwd]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('== Error ==\n\nCluster is down.\n\n');
    expect(r.stdout).toBe('');
  });

  it('works over --url too', async () => {
    const r = await bed.run(['save', '--url', bed.fluxd.baseUrl]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe((await bed.run(['save', ...fwd])).stdout);
  });
});

describe('yaml.v2 look-alikes', () => {
  it('orders keys as yaml.v2 does', () => {
    const keys = ['b', 'a10', 'a2', 'A', '_x', 'a-b', 'ab', 'a', 'x~', 'xa'];
    expect([...keys].sort((x, y) => (goYamlKeyLess(x, y) ? -1 : goYamlKeyLess(y, x) ? 1 : 0))).toEqual(['_x', 'A', 'a', 'a-b', 'a2', 'a10', 'ab', 'b', 'x~', 'xa']);
  });

  it('quotes strings a YAML 1.1 reader would take for something else', () => {
    for (const s of ['yes', 'Off', '~', '0400', '1_000', '1e3', '.5', '0x1F', '1:20', '2021-03-04', '']) expect(yaml11NonString(s) || s === '').toBe(true);
    for (const s of ['nginx:1.21', 'v1', 'web', '1.2.3', '-m 512']) expect(yaml11NonString(s)).toBe(false);
  });
});
