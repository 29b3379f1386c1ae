import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emptyState, imageInfo, sampleState, workload, type FluxdState } from '@fluxctl/emulator/fluxd';
import { stripActivity, stripAnsi } from '../helpers/run-cli.js';
import { startTestBed, type TestBed } from '../helpers/testbed.js';

// The daemon state behind two fluxctl list-images tables (fluxctl 1.25 against fluxd 1.25).
function exampleState(): FluxdState {
  const hw = (tag: string, at: string) => imageInfo(`quay.io/weaveworks/helloworld:${tag}`, at);
  return emptyState({
    workloads: [
      workload({ id: 'default:deployment/none', containers: [] }),
      workload({ id: 'default:deployment/nginx', containers: ['nginx=nginx:1.19'] }),
      workload({
        id: 'default:deployment/helloworld',
        containers: ['helloworld=quay.io/weaveworks/helloworld:master-a000001', 'sidecar=quay.io/weaveworks/sidecar:master-a000002'],
      }),
      workload({ id: 'monitoring:deployment/grafana', containers: ['grafana=grafana/grafana:8.4.5'] }),
    ],
    images: {
      'quay.io/weaveworks/helloworld': [
        hw('master-a000000', '2016-07-11T01:01:00Z'),
        hw('master-9a16ff945b9e', '2016-07-20T13:19:00Z'),
        hw('master-a000001', '2016-07-12T17:16:00Z'),
        hw('master-b31c617a0fe3', '2016-07-20T13:19:00Z'),
        hw('master-a000002', '2016-07-12T17:17:00Z'),
      ],
      'quay.io/weaveworks/sidecar': [imageInfo('quay.io/weaveworks/sidecar:master-a000002', '2016-08-23T10:05:00Z'), imageInfo('quay.io/weaveworks/sidecar:master-a000001')],
      'grafana/grafana': [imageInfo('grafana/grafana:8.4.5', '2022-04-21T00:00:00.5Z')],
    },
  });
}

// fluxctl's output, byte for byte (rows with an empty CREATED cell keep tabwriter's padding).
const EXAMPLE = [
  'WORKLOAD                       CONTAINER   IMAGE                          CREATED',
  'default:deployment/helloworld  helloworld  quay.io/weaveworks/helloworld  ',
  '                                           |   master-9a16ff945b9e        20 Jul 16 13:19 UTC',
  '                                           |   master-b31c617a0fe3        20 Jul 16 13:19 UTC',
  '                                           |   master-a000002             12 Jul 16 17:17 UTC',
  "                                           '-> master-a000001             12 Jul 16 17:16 UTC",
  '                                               master-a000000             11 Jul 16 01:01 UTC',
  '                               sidecar     quay.io/weaveworks/sidecar     ',
  "                                           '-> master-a000002             23 Aug 16 10:05 UTC",
  '                                               master-a000001             ',
  'default:deployment/nginx       nginx                                      image data not available',
  "                                           '-> (untagged)                 ?",
  'default:deployment/none                                                   ',
];
const LIMIT_2_HELLOWORLD = [
  'default:deployment/helloworld  helloworld  quay.io/weaveworks/helloworld  ',
  '                                           |   master-9a16ff945b9e        20 Jul 16 13:19 UTC',
  '                                           |   master-b31c617a0fe3        20 Jul 16 13:19 UTC',
  '                                           : (1 image(s) omitted)         ',
  "                                           '-> master-a000001             12 Jul 16 17:16 UTC",
];
const text = (lines: string[]) => lines.map((l) => `${l}\n`).join('');

let bed: TestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.fluxd.state = exampleState();
  bed.fluxd.requests.length = 0;
  bed.fluxd.clearFaults();
});

const fwd = ['--k8s-fwd-ns', 'flux'];
const queries = (): string[] => bed.fluxd.requests.map((q) => `${q.method} ${q.path}?${q.rawQuery}`);
const ALL_DEFAULT = 'GET /v10/images?containerFields=&namespace=default&service=%3Call%3E';
const HELLOWORLD = 'GET /v10/images?containerFields=&namespace=&service=default%3Adeployment%2Fhelloworld';

describe('fluxctl list-images: tab output', () => {
  it('prints fluxctl\'s table byte for byte (default limit 10, sorted by workload)', async () => {
    const r = await bed.run(['list-images', ...fwd]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(text(EXAMPLE));
    expect(queries()).toEqual([ALL_DEFAULT]);
    expect(bed.fluxd.requests[0]).toMatchObject({ accept: 'application/json', body: '' });
    await expect(r.stdout).toMatchFileSnapshot('../golden/list-images/example.piped.txt');
  });

  it('--limit 2 omits what lies between the limit and the current image, as fluxctl does', async () => {
    const r = await bed.run(['list-images', ...fwd, '--limit', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(text([EXAMPLE[0]!, ...LIMIT_2_HELLOWORLD, ...EXAMPLE.slice(7)]));
    await expect(r.stdout).toMatchFileSnapshot('../golden/list-images/l_2.piped.txt');
  });

  it('-l 0 and a negative limit show every image in tab mode; --no-headers drops the header', async () => {
    for (const limit of ['0', '-1', '-0x10']) {
      const r = await bed.run(['list-images', ...fwd, '-l', limit, '--no-headers']);
      expect(r).toMatchObject({ code: 0, stdout: text(EXAMPLE.slice(1)), stderr: '' });
    }
  });

  it('-w asks for one workload (namespace= sent empty); kind/name is qualified with -n', async () => {
    const full = await bed.run(['list-images', ...fwd, '-w', 'default:Deployment/helloworld', '--no-headers']);
    expect(full).toMatchObject({ code: 0, stdout: text(EXAMPLE.slice(1, 10)) });
    await bed.run(['list-images', ...fwd, '-n', 'default', '--workload', 'deployment/helloworld']);
    await bed.run(['list-images', ...fwd, '-w', 'deployment/helloworld']);
    expect(queries()).toEqual([HELLOWORLD, HELLOWORLD, HELLOWORLD]);
  });

  it('-n confines the listing; -a (our addition) asks for every namespace', async () => {
    const ns = await bed.run(['list-images', ...fwd, '-n', 'monitoring', '--no-headers']);
    expect(ns.stdout).toBe(`monitoring:deployment/grafana  grafana  grafana/grafana  \n${' '.repeat(40)}'-> 8.4.5        21 Apr 22 00:00 UTC\n`);
    const all = await bed.run(['list-images', ...fwd, '-a', '-n', 'ignored']);
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n').filter((l) => /^\S/.test(l)).map((l) => l.split(' ')[0])).toEqual([
      'WORKLOAD', 'default:deployment/helloworld', 'default:deployment/nginx', 'default:deployment/none', 'monitoring:deployment/grafana',
    ]);
    expect(queries()).toEqual([
      'GET /v10/images?containerFields=&namespace=monitoring&service=%3Call%3E',
      'GET /v10/images?containerFields=&namespace=&service=%3Call%3E',
    ]);
  });

  it('defaults to the kubeconfig context namespace', async () => {
    const kubeconfig = bed.writeKubeconfig({ namespace: 'monitoring' }, 'ctx-ns');
    const r = await bed.run(['list-images', ...fwd], { env: { KUBECONFIG: kubeconfig } });
    expect(r.code).toBe(0);
    expect(queries()).toEqual(['GET /v10/images?containerFields=&namespace=monitoring&service=%3Call%3E']);
  });

  it('--controller still works, with fluxctl\'s deprecation line on stderr', async () => {
    const r = await bed.run(['list-images', ...fwd, '-c', 'default:deployment/helloworld', '--no-headers']);
    expect(r).toMatchObject({ code: 0, stdout: text(EXAMPLE.slice(1, 10)) });
    expect(r.stderr).toBe('Flag --controller has been deprecated, changed to --workload, use that instead\n');
    expect(queries()).toEqual([HELLOWORLD]);
  });

  it('prints only the header when nothing matches (piped), and says so on a terminal', async () => {
    const piped = await bed.run(['list-images', ...fwd, '-n', 'empty']);
    expect(piped).toMatchObject({ code: 0, stdout: 'WORKLOAD  CONTAINER  IMAGE  CREATED\n', stderr: '' });
    const tty = await bed.run(['list-images', ...fwd, '-n', 'empty'], { tty: { stdout: true, stderr: true } });
    expect(tty).toMatchObject({ code: 0, stdout: '' });
    expect(stripActivity(tty.stderr)).toBe('No workloads found in namespace "empty".\n');
    const one = await bed.run(['list-images', ...fwd, '-w', 'default:deployment/gone'], { tty: { stdout: true, stderr: true } });
    expect(one).toMatchObject({ code: 0, stdout: '' });
    expect(stripActivity(one.stderr)).toBe('No workload default:deployment/gone found.\n');
  });

  it('draws the same rows on a TTY, colouring the current image', async () => {
    const r = await bed.run(['list-images', ...fwd, '-l', '2'], { tty: { stdout: true, stderr: true }, columns: 100, env: { FORCE_COLOR: '1' } });
    expect(r.code).toBe(0);
    expect(stripActivity(r.stderr)).toBe('');
    expect(r.stdout).toContain("\u001b[32m'-> master-a000001\u001b[39m");
    expect(r.stdout).toContain('\u001b[32m12 Jul 16 17:16 UTC\u001b[39m');
    expect(r.stdout).toContain('\u001b[2m: (1 image(s) omitted)\u001b[22m');
    const plain = stripAnsi(r.stdout);
    await expect(plain).toMatchFileSnapshot('../golden/list-images/l_2.tty.txt');
    expect(plain.split('\n')[0]).toMatch(/^WORKLOAD {3,}CONTAINER {3,}IMAGE {3,}CREATED$/);
    expect(Math.max(...plain.split('\n').map((l) => [...l].length))).toBeLessThanOrEqual(100);
  });

  it.each([60, 120])('at %i columns shows every ID, image name and tag whole; only the no-data message may shorten', async (columns) => {
    const r = await bed.run(['list-images', ...fwd, '-l', '0'], { tty: { stdout: true, stderr: true }, columns });
    const plain = stripAnsi(r.stdout);
    for (const whole of ['default:deployment/helloworld', 'quay.io/weaveworks/helloworld', 'quay.io/weaveworks/sidecar', 'master-9a16ff945b9e', "'-> master-a000001", 'master-a000000', 'default:deployment/none']) {
      expect(plain).toContain(whole);
    }
    expect(plain.includes('image data not available')).toBe(columns === 120);
    if (columns === 60) expect(plain).toMatch(/^default:deployment\/nginx +nginx +image data [a-z ]+…$/m);
  });
});

describe('fluxctl list-images: JSON and YAML', () => {
  async function daemonAnswer(query: string): Promise<string> {
    const res = await fetch(`${bed.fluxd.baseUrl}/v10/images?${query}`, { headers: { Accept: 'application/json' } });
    return res.text();
  }

  it('-l 0 re-encodes the daemon\'s answer to the same bytes', async () => {
    const r = await bed.run(['list-images', ...fwd, '-w', 'default:deployment/helloworld', '-l', '0', '-o', 'json']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`${await daemonAnswer('containerFields=&namespace=&service=default%3Adeployment%2Fhelloworld')}\n`);
  });

  it('cuts each Available list to --limit and leaves the counts alone', async () => {
    const r = await bed.run(['list-images', ...fwd, '-o', 'json', '-l', '2']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    await expect(r.stdout).toMatchFileSnapshot('../golden/list-images/l_2.json.txt');
    const parsed = JSON.parse(r.stdout) as Array<{ ID: string; Containers: Array<{ Available?: Array<{ ID: string }>; AvailableImagesCount?: number }> | null }>;
    expect(parsed.map((w) => w.ID)).toEqual(['default:deployment/helloworld', 'default:deployment/nginx', 'default:deployment/none']);
    const hello = parsed[0]!.Containers![0]!;
    expect(hello.Available!.map((i) => i.ID)).toEqual(['quay.io/weaveworks/helloworld:master-9a16ff945b9e', 'quay.io/weaveworks/helloworld:master-b31c617a0fe3']);
    expect(hello.AvailableImagesCount).toBe(5);
    expect(r.stdout).toContain('"Containers":null');
    expect(r.stdout).toContain('{"Name":"nginx","Current":{"ID":"","Labels":{}},"LatestFiltered":{"ID":"","Labels":{}}}');
  });

  it('keeps Go\'s time encoding (trailing zeros trimmed) and prints null when empty', async () => {
    const r = await bed.run(['list-images', ...fwd, '-n', 'monitoring', '-o', 'json']);
    expect(r.stdout).toContain('"CreatedAt":"2022-04-21T00:00:00.5Z"');
    const empty = await bed.run(['list-images', ...fwd, '-n', 'empty', '-o', 'json']);
    expect(empty).toMatchObject({ code: 0, stdout: 'null\n', stderr: '' });
  });

  it('-o yaml prints the same (limited) model', async () => {
    const r = await bed.run(['list-images', ...fwd, '-w', 'default:deployment/helloworld', '-o', 'yaml', '-l', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^- ID: default:deployment\/helloworld\n {2}Containers:\n {4}- Name: helloworld\n {6}Current:\n {8}ID: quay.io\/weaveworks\/helloworld:master-a000001\n/);
    expect(r.stdout.match(/^ {8}- ID: /gm)).toHaveLength(2); // one Available entry per container
  });

  it('works against the sample daemon too (every namespace)', async () => {
    bed.fluxd.state = sampleState();
    const r = await bed.run(['list-images', ...fwd, '-a', '-o', 'json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(11);
  });
});

describe('fluxctl list-images: bad input (nothing is sent)', () => {
  it.each([
    [['-o', 'xml'], 'invalid output format specified', 'use one of: tab, json, yaml'],
    [['-o', 'json', '-l', '-1'], 'opts.limit cannot be less than 0', 'use --limit 0 to show every image'],
    [['-o', 'yaml', '--limit=-3'], 'opts.limit cannot be less than 0', 'use --limit 0 to show every image'],
    [['-w', 'a:deployment/x', '-c', 'b:deployment/y'], "can't specify both the controller and image", 'use --workload alone; --controller is its deprecated name'],
    [['-a', '-w', 'a:deployment/x'], '--all-namespaces cannot be combined with --workload', 'a workload ID names its namespace: <namespace>:<kind>/<name>'],
    [['-w', 'helloworld'], 'parsing helloworld: invalid service ID', 'name a workload as <namespace>:<kind>/<name>, e.g. default:deployment/podinfo'],
    [['-l', 'ten'], 'invalid argument "ten" for "--limit" flag: strconv.ParseInt: parsing "ten": invalid syntax', undefined],
    [['-l', '99999999999999999999'], 'invalid argument "99999999999999999999" for "--limit" flag: strconv.ParseInt: parsing "99999999999999999999": value out of range', undefined],
    [['extra'], 'expected no (non-flag) arguments', undefined],
  ])('%j', async (args, message, hint) => {
    const r = await bed.run(['list-images', ...fwd, ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const deprecation = args.includes('-c') ? 'Flag --controller has been deprecated, changed to --workload, use that instead\n' : '';
    expect(r.stderr).toBe(`${deprecation}Error: ${message}\nRun 'fluxctl list-images --help' for usage.\n${hint === undefined ? '' : `hint: ${hint}\n`}`);
    expect(bed.fluxd.requests).toEqual([]);
  });

  it('passes a daemon error through in fluxctl\'s form', async () => {
    bed.fluxd.inject('GET /v10/images', { status: 500, body: '{"type":"server","help":"Memcached is down.\\n","error":"memcache: no servers configured"}' });
    const r = await bed.run(['list-images', ...fwd]);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: '== Error ==\n\nMemcached is down.\n\n' });
  });
});
