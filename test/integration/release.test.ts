import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { commit, emptyState, gitState, imageInfo, workload, type FluxdState } from '@fluxctl/emulator/fluxd';
import { clearRequestHook, expireOn, nth } from '../helpers/manual-clock.js';
import { stripSpinner } from '../helpers/run-cli.js';
import { startTestBed, type TestBed } from '../helpers/testbed.js';

// Jane's identity reaches git through the run's env only, as a user's ~/.gitconfig would.
const JANE = { GIT_CONFIG_COUNT: '2', GIT_CONFIG_KEY_0: 'user.name', GIT_CONFIG_VALUE_0: 'Jane Doe', GIT_CONFIG_KEY_1: 'user.email', GIT_CONFIG_VALUE_1: 'jane@example.com' };
const base = commit('base', { sha: 'bada55e234567890abcdef1234567890abcdef12' });

function releaseState(): FluxdState {
  return emptyState({
    git: gitState({ branch: 'main', commits: [base], syncMarker: base.sha }),
    workloads: [
      workload({ id: 'default:deployment/foo', containers: ['hello=library/hello:v1', 'side=library/side:v1'] }),
      workload({ id: 'default:deployment/bar', containers: ['hello=library/hello:v1'], policies: { locked: 'true' } }),
      workload({ id: 'default:deployment/baz', containers: ['other=library/other:v1'] }),
      workload({ id: 'kube-system:deployment/dns', containers: ['dns=coredns/coredns:1.8.0'] }),
    ],
    images: {
      'library/hello': [imageInfo('library/hello:v2', '2020-01-02'), imageInfo('library/hello:v1', '2020-01-01')],
      'library/side': [imageInfo('library/side:v3', '2020-01-03'), imageInfo('library/side:v1', '2020-01-01')],
      'library/other': [imageInfo('library/other:v1', '2020-01-01')],
      'coredns/coredns': [imageInfo('coredns/coredns:1.8.0', '2020-01-01')],
    },
  });
}

let bed: TestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.fluxd.state = releaseState();
  bed.fluxd.requests.length = 0;
  clearRequestHook(bed.fluxd.requests);
});

const fwd = ['--k8s-fwd-ns', 'flux'];
const calls = () => bed.fluxd.requests.map((q) => `${q.method} ${q.path}${q.rawQuery ? `?${q.rawQuery}` : ''}`);
const bodies = () => bed.fluxd.requests.filter((q) => q.method === 'POST').map((q) => q.body);
const pushed = () => bed.fluxd.state.git.commits[0]!.sha;

describe('fluxctl release', () => {
  it('releases an image: fluxctl\'s body, table on stdout, Commit pushed/applied on stderr', async () => {
    const r = await bed.run(['release', ...fwd, '--workload=default:deployment/foo', '--update-image=library/hello:v2', '-m', 'bump'], { env: JANE });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('WORKLOAD                STATUS   UPDATES\ndefault:deployment/foo  success  hello: library/hello:v1 -> v2\n');
    const rev = pushed().slice(0, 7);
    expect(r.stderr).toBe(`Submitting release ...\nCommit pushed:\t${rev}\nCommit applied:\t${rev}\n`);
    expect(bodies()).toEqual([
      '{"type":"image","cause":{"Message":"bump","User":"Jane Doe \\u003cjane@example.com\\u003e"},"spec":{"ServiceSpecs":["default:deployment/foo"],"ImageSpec":"library/hello:v2","Kind":"execute","Excludes":null,"Force":false}}',
    ]);
    const job = /id=([0-9a-f-]{36})/.exec(calls()[1] ?? '')?.[1];
    // release waits for the job, then fluxctl's await polls it again; the sync waits on the full SHA.
    expect(calls()).toEqual(['POST /v9/update-manifests', `GET /v6/jobs?id=${job}`, `GET /v6/jobs?id=${job}`, `GET /v6/sync?ref=${pushed()}`]);
    expect(bed.fluxd.state.git.commits[0]!.message).toBe('bump');
  });

  it('a dry run of every latest image sends fluxctl\'s body and prints the plan only', async () => {
    const r = await bed.run(['release', ...fwd, '--all', '--update-all-images', '--dry-run', '--exclude=kube-system:deployment/dns'], { env: JANE });
    expect(r).toMatchObject({ code: 0, stderr: 'Submitting dry-run release ...\n' });
    expect(r.stdout).toBe(
      'WORKLOAD                STATUS   UPDATES\n' +
        'default:deployment/foo  success  hello: library/hello:v1 -> v2\n' +
        '                                 side: library/side:v1 -> v3\n',
    );
    expect(bodies()).toEqual([
      '{"type":"image","cause":{"Message":"","User":"Jane Doe \\u003cjane@example.com\\u003e"},"spec":{"ServiceSpecs":["\\u003call\\u003e"],"ImageSpec":"\\u003call latest\\u003e","Kind":"plan","Excludes":["kube-system:deployment/dns"],"Force":false}}',
    ]);
    expect(calls().filter((c) => c.startsWith('GET /v6/sync'))).toEqual([]);
    expect(bed.fluxd.state.git.commits).toHaveLength(1);
  });

  it('-v shows skipped workloads, -vv ignored ones too', async () => {
    const v = await bed.run(['release', ...fwd, '--workload=default:deployment/foo,default:deployment/bar', '-i', 'library/hello:v2', '--dry-run', '-v', '--user', '']);
    expect(v.stdout).toBe(
      'WORKLOAD                STATUS   UPDATES\ndefault:deployment/bar  skipped  locked\ndefault:deployment/foo  success  hello: library/hello:v1 -> v2\n',
    );
    const vv = await bed.run(['release', ...fwd, '--workload', 'default:deployment/foo', '-i', 'library/hello:v2', '--dry-run', '-vv', '--user', '']);
    expect(vv.stdout).toBe(
      'WORKLOAD                    STATUS   UPDATES\n' +
        'default:deployment/bar      ignored  not included\n' +
        'default:deployment/baz      ignored  not included\n' +
        'default:deployment/foo      success  hello: library/hello:v1 -> v2\n' +
        'kube-system:deployment/dns  ignored  not included\n',
    );
  });

  it('qualifies kind/name with -n, appends deprecated --controller values, and sends --force', async () => {
    const r = await bed.run(['release', ...fwd, '-n', 'default', '--workload', 'Deployment/bar', '-c', 'deployment/baz', '-i', 'library/hello:v2', '-f', '--dry-run', '--user', 'ci']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('Flag --controller has been deprecated, changed to --workload, use that instead\nSubmitting dry-run release ...\n');
    expect(bodies()).toEqual([
      '{"type":"image","cause":{"Message":"","User":"ci"},"spec":{"ServiceSpecs":["default:deployment/bar","default:deployment/baz"],"ImageSpec":"library/hello:v2","Kind":"plan","Excludes":null,"Force":true}}',
    ]);
    // --force passes the lock of an explicitly named workload.
    expect(r.stdout).toContain('default:deployment/bar  success  hello: library/hello:v1 -> v2\n');
  });

  it('kind/name IDs default to the kubeconfig context\'s namespace', async () => {
    const kubeconfig = bed.writeKubeconfig({ namespace: 'kube-system' }, 'ns-config');
    await bed.run(['release', ...fwd, '--workload', 'deployment/dns', '--exclude', 'deployment/x', '-i', 'coredns/coredns:1.8.0', '--dry-run', '--user', ''], { env: { KUBECONFIG: kubeconfig } });
    expect(bodies()[0]).toContain('"ServiceSpecs":["kube-system:deployment/dns"],"ImageSpec":"coredns/coredns:1.8.0","Kind":"plan","Excludes":["kube-system:deployment/x"]');
  });

  it('accepts fluxctl\'s literal <all latest> as the image', async () => {
    await bed.run(['release', ...fwd, '--all', '-i', '<all latest>', '--dry-run', '--user', '']);
    expect(bodies()[0]).toContain('"ImageSpec":"\\u003call latest\\u003e"');
  });

  it('warns, as fluxctl does, when --force cannot do everything', async () => {
    const all = await bed.run(['release', ...fwd, '--all', '-i', 'library/hello:v2', '-f', '--dry-run', '--user', '']);
    expect(all.stderr).toBe('Warning: --force will not ignore locked workloads when used with --all\nSubmitting dry-run release ...\n');
    const latest = await bed.run(['release', ...fwd, '--workload', 'default:deployment/foo', '--update-all-images', '-f', '--dry-run', '--user', '']);
    expect(latest.stderr).toBe('Warning: --force will not ignore container image tags when used with --update-all-images\nSubmitting dry-run release ...\n');
  });

  it('says "Nothing to do" (exit 0) when the daemon reports no results', async () => {
    bed.fluxd.state.workloads = [];
    const r = await bed.run(['release', ...fwd, '--all', '--update-all-images', '--user', '']);
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: 'Submitting release ...\nNothing to do\n' });
  });

  it('a release that changes nothing prints the table and no commit', async () => {
    const r = await bed.run(['release', ...fwd, '--workload', 'default:deployment/baz', '-i', 'library/other:v1', '-v', '--user', '']);
    expect(r).toMatchObject({ code: 0, stdout: 'WORKLOAD                STATUS   UPDATES\ndefault:deployment/baz  skipped  image(s) up to date\n', stderr: 'Submitting release ...\n' });
  });

  it.each([60, 120])('on a %i-column terminal the plan shows every ID and `container: from -> to` whole', async (columns) => {
    bed.fluxd.state.workloads[2]!.id = 'default:deployment/a-workload-with-quite-a-long-name-indeed';
    const r = await bed.run(['release', ...fwd, '--all', '--update-all-images', '--dry-run', '-vv', '--user', ''], { tty: { stdout: true, stderr: true }, columns });
    expect(r.code).toBe(0);
    const plain = stripSpinner(r.stdout);
    expect(plain).toMatch(/^default:deployment\/foo +success +hello: library\/hello:v1 -> v2$/m);
    expect(plain).toMatch(/^ +side: library\/side:v1 -> v3$/m);
    expect(plain).toContain('default:deployment/a-workload-with-quite-a-long-name-indeed');
    expect(plain).toMatch(/^default:deployment\/bar +skipped +locked$/m);
  });

  it('a workload the daemon does not know exits 1 naming it, after the results (fluxctl exited 0)', async () => {
    const r = await bed.run(['release', ...fwd, '--workload=default:deployment/nope', '-i', 'library/hello:v2', '-v', '--user', '']);
    expect(r).toMatchObject({ code: 1, stdout: 'WORKLOAD                 STATUS   UPDATES\ndefault:deployment/nope  skipped  not found in repository\n' });
    expect(r.stderr).toBe(
      'Submitting release ...\nError: workload default:deployment/nope (skipped: not found in repository) is not known to the daemon\nhint: check the IDs with: fluxctl list-workloads --all-namespaces\n',
    );
    const dry = await bed.run(['release', ...fwd, '--workload=default:deployment/nope', '--workload=default:deployment/baz', '--update-all-images', '--dry-run', '--user', '']);
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain('Error: workload default:deployment/nope (skipped: not found in repository) is not known to the daemon\n');
  });

  it('with known workloads too, those are released and applied first; the unknown one still fails the run', async () => {
    const r = await bed.run(['release', ...fwd, '--workload=default:deployment/foo,default:deployment/nope', '-i', 'library/hello:v2', '--user', '']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('WORKLOAD                STATUS   UPDATES\ndefault:deployment/foo  success  hello: library/hello:v1 -> v2\n');
    const rev = pushed().slice(0, 7);
    expect(r.stderr).toBe(
      `Submitting release ...\nCommit pushed:\t${rev}\nCommit applied:\t${rev}\nError: workload default:deployment/nope (skipped: not found in repository) is not known to the daemon\nhint: the other workloads were released; check the IDs with: fluxctl list-workloads --all-namespaces\n`,
    );
  });

  it('a failed plan is the HTTP answer itself: the daemon\'s help text, exit 1, no job polled', async () => {
    const r = await bed.run(['release', ...fwd, '--all', '-i', 'library/hello:v9', '--dry-run', '--user', '']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Submitting dry-run release \.\.\.\n== Error ==\n\nError: image "library\/hello:v9" does not exist: invalid image ID\n\nWe don't have a specific help message/);
    expect(calls()).toEqual(['POST /v9/update-manifests']);
  });

  it('a failed job exits 1 with the job\'s error', async () => {
    bed.fluxd.state.jobBehaviour = { polls: 1, error: 'git push: permission denied' };
    const r = await bed.run(['release', ...fwd, '--all', '--update-all-images', '--user', '']);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'Submitting release ...\nError: git push: permission denied\n' });
  });

  it('a job that outlives --timeout exits 4: the outcome is unknown', async () => {
    bed.fluxd.state.jobBehaviour = { ms: 60_000 };
    // The --timeout clock runs out as the job is polled a second time.
    const r = await bed.run(['release', ...fwd, '--all', '--update-all-images', '--user', '', '--timeout', '1s'], { clock: expireOn(bed.fluxd.requests, nth('/v6/jobs', 2)) });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^Submitting release \.\.\.\nError: timed out after 1s \(--timeout\) waiting for release job [0-9a-f-]{36}; its outcome is unknown\nhint: /);
  });

  it('a commit not applied within --timeout gets fluxctl\'s notice and exit 0', async () => {
    bed.fluxd.state.sync = { never: true };
    const r = await bed.run(['release', ...fwd, '--workload=default:deployment/foo', '-i', 'library/hello:v2', '--user', '', '--timeout', '1s'], { clock: expireOn(bed.fluxd.requests, nth('/v6/sync', 2)) });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `Submitting release ...\nCommit pushed:\t${pushed().slice(0, 7)}\n\nThe operation succeeded, but we timed out waiting for the commit to be\napplied. This does not necessarily mean there is a problem. Use\n\n    fluxctl sync\n\nto run a sync interactively.\n`,
    );
  });

  it('works over --url too', async () => {
    const r = await bed.run(['release', '--url', bed.fluxd.baseUrl, '--workload=default:deployment/foo', '-i', 'library/hello:v2', '--dry-run', '--user', '']);
    expect(r).toMatchObject({ code: 0, stdout: 'WORKLOAD                STATUS   UPDATES\ndefault:deployment/foo  success  hello: library/hello:v1 -> v2\n' });
  });
});

describe('fluxctl release: bad input is exit 2 before anything is sent', () => {
  const usage = "Run 'fluxctl release --help' for usage.\n";
  it.each([
    [['extra'], 'expected no (non-flag) arguments'],
    [['--all', '-i', 'a:1', '--update-all-images'], 'please supply only one of --update-image=<image> or --update-all-images'],
    [['--all'], 'please supply exactly one of --update-image=<image> or --update-all-images'],
    [['--all', '-i', ''], 'please supply exactly one of --update-image=<image> or --update-all-images'],
    [['-i', 'a:1'], 'please supply either --all, or at least one --workload=<workload>'],
    [['--workload', '', '-i', 'a:1'], 'please supply either --all, or at least one --workload=<workload>'],
    [['--all', '-i', 'a:1', '--watch', '--dry-run'], 'cannot use --watch with --dry-run'],
    [['--all', '--update-all-images', '-f'], '--force has no effect when used with --all and --update-all-images'],
    [['--all', '-i', 'a:1', '--interactive', '--dry-run'], 'cannot use --interactive with --dry-run\nhint: use --dry-run alone to see the plan'],
    [['--workload', 'foo', '-i', 'a:1'], 'parsing foo: invalid service ID\nhint: name a workload as <namespace>:<kind>/<name>, e.g. default:deployment/podinfo'],
    [['--all', '--exclude', 'a:b', '-i', 'a:1'], 'parsing a:b: invalid service ID\nhint: name a workload as <namespace>:<kind>/<name>, e.g. default:deployment/podinfo'],
    [['--all', '-i', 'library/hello'], 'blank tag (if you want latest, explicitly state the tag :latest): invalid image ID'],
    [['--all', '-i', 'library/hello@sha256:abc'], 'blank tag (if you want latest, explicitly state the tag :latest): invalid image ID'],
    [['--all', '-i', 'a:b:c'], 'expected image name as either <image>:<tag> or just <image>: invalid image ID\nhint: name the image as <image>:<tag>, e.g. library/hello:v2'],
    [['--all', '-i', '/hello:1'], 'parsing "/hello:1": expected image name as either <image>:<tag> or just <image>: invalid image ID\nhint: name the image as <image>:<tag>, e.g. library/hello:v2'],
    [['--all', '-i', 'a:1', '--interactive'], '--interactive needs a terminal, but stdin is not a TTY\nhint: run it from a terminal, or use --dry-run to see the plan and then release with --workload'],
  ])('%j', async (args, message) => {
    const r = await bed.run(['release', ...fwd, ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const [first, ...hint] = message.split('\n');
    expect(r.stderr).toBe(`Error: ${first}\n${usage}${hint.map((h) => `${h}\n`).join('')}`);
    expect(bed.fluxd.requests).toEqual([]);
  });

  it('checks in fluxctl\'s order: the image flags first, then workloads, --watch, --force', async () => {
    expect((await bed.run(['release', ...fwd, '--watch', '--dry-run'])).stderr).toMatch(/^Error: please supply exactly one of/);
    expect((await bed.run(['release', ...fwd, '-i', 'x:1', '--watch', '--dry-run'])).stderr).toMatch(/^Error: please supply either --all/);
    expect((await bed.run(['release', ...fwd, '--all', '--update-all-images', '-f', '--watch', '--dry-run'])).stderr).toMatch(/^Error: cannot use --watch/);
    expect((await bed.run(['release', ...fwd, '--workload', 'bad', '-i', 'x'])).stderr).toMatch(/^Error: parsing bad: invalid service ID/);
  });
});

describe('fluxctl release golden output', () => {
  // ora cannot clear its line on the in-memory stream, so its last frame runs into the next line.
  const normalise = (s: string) =>
    stripSpinner(s.replace(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Waiting for (the release job|[0-9a-f]{7} to be applied)/g, '')).replace(/(Commit (?:pushed|applied):\t)[0-9a-f]{7}/g, '$1abc1234');
  describe.each([
    ['execute_v', ['--workload=default:deployment/foo,default:deployment/bar', '-i', 'library/hello:v2', '-v']],
    ['dryrun_all_vv', ['--all', '--update-all-images', '--dry-run', '-vv']],
  ])('%s', (name, args) => {
    it.each([
      ['piped', {}],
      ['tty', { tty: { stdout: true, stderr: true } }],
    ])('%s', async (mode, options) => {
      const r = await bed.run(['release', ...fwd, '--user', '', ...args], options);
      expect(r.code).toBe(0);
      await expect(`--- stdout\n${stripSpinner(r.stdout)}--- stderr\n${normalise(r.stderr)}`).toMatchFileSnapshot(`../golden/release/${name}.${mode}.txt`);
    });
  });
});
