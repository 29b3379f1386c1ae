import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { emptyState, gitState, workload, type FluxdState } from '@fluxctl/emulator/fluxd';
import { clearRequestHook, expireOn, nth } from '../helpers/manual-clock.js';
import { stripActivity, stripAnsi, type RunOptions } from '../helpers/run-cli.js';
import { startTestBed, type TestBed } from '../helpers/testbed.js';

const FOO = 'default:deployment/foo';
const JANE = 'Jane Doe <jane@example.com>';
const JANE_JSON = 'Jane Doe \\u003cjane@example.com\\u003e';
const HEADER = 'WORKLOAD   STATUS   UPDATES\n';

function state(): FluxdState {
  return emptyState({
    git: gitState({ branch: 'main' }),
    jobBehaviour: { polls: 1 },
    workloads: [
      workload({ id: FOO, containers: ['bar=library/bar:1.2.0', 'baz=library/baz:2.0.0'], policies: { 'tag.baz': 'glob:2.*' } }),
      workload({ id: 'default:deployment/auto', containers: ['app=library/app:1'], policies: { automated: 'true' } }),
      workload({ id: 'flux:deployment/memcached', containers: ['memcached=memcached:1.5.20'], inRepo: false }),
    ],
  });
}

let bed: TestBed;
beforeAll(async () => {
  bed = await startTestBed();
});
afterAll(() => bed.close());
beforeEach(() => {
  bed.fluxd.state = state();
  bed.fluxd.requests.length = 0;
  clearRequestHook(bed.fluxd.requests);
});

const fwd = ['--k8s-fwd-ns', 'flux'];
const run = (argv: string[], options: RunOptions = {}) => bed.run([...argv, ...fwd], options);
const calls = () => bed.fluxd.requests.map((q) => `${q.method} ${q.path}${q.rawQuery ? `?${q.rawQuery}` : ''}`);
const bodies = () => bed.fluxd.requests.filter((q) => q.path === '/v9/update-manifests').map((q) => q.body);
const pushed = (r: { stderr: string }) => r.stderr.replace(/Commit pushed:\t[0-9a-f]{7}\n/, 'Commit pushed:\t<sha>\n');
const policiesOf = (id: string) => bed.fluxd.state.workloads.find((w) => w.id === id)?.policies;

describe('fluxctl\'s POST /v9/update-manifests bodies, byte for byte', () => {
  it('lock -m freeze: locked, locked_msg and locked_user from the cause', async () => {
    const r = await run(['lock', '-w', FOO, '-m', 'freeze', '--user', JANE]);
    expect(r.code).toBe(0);
    expect(bodies()).toEqual([
      `{"type":"policy","cause":{"Message":"freeze","User":"${JANE_JSON}"},"spec":{"${FOO}":{"add":{"locked":"true","locked_msg":"freeze","locked_user":"${JANE_JSON}"},"remove":{}}}}`,
    ]);
    expect(r.stdout).toBe(`WORKLOAD                STATUS   UPDATES\n${FOO}  success  \n`);
    expect(pushed(r)).toBe('Commit pushed:\t<sha>\n');
    expect(policiesOf(FOO)).toMatchObject({ locked: 'true', locked_msg: 'freeze', locked_user: JANE });
  });

  it('unlock removes locked, locked_msg and locked_user', async () => {
    bed.fluxd.state.workloads[0]!.policies = { locked: 'true', locked_msg: 'freeze', locked_user: JANE };
    const r = await run(['unlock', '-w', FOO, '--user', JANE]);
    expect(r.code).toBe(0);
    expect(bodies()).toEqual([`{"type":"policy","cause":{"Message":"","User":"${JANE_JSON}"},"spec":{"${FOO}":{"add":{},"remove":{"locked":"true","locked_msg":"true","locked_user":"true"}}}}`]);
    expect(policiesOf(FOO)).toEqual({});
  });

  it("policy --tag-all='master-*' --tag='bar=semver:~1.2' --tag='baz=*'", async () => {
    const r = await run(['policy', '-w', FOO, '--tag-all=master-*', '--tag=bar=semver:~1.2', '--tag=baz=*', '--user', JANE]);
    expect(r.code).toBe(0);
    expect(bodies()).toEqual([
      `{"type":"policy","cause":{"Message":"","User":"${JANE_JSON}"},"spec":{"${FOO}":{"add":{"tag.bar":"semver:~1.2","tag_all":"glob:master-*"},"remove":{"tag.baz":"true"}}}}`,
    ]);
    // The daemon expands tag_all over every container, then applies the removal (Appendix A 21).
    expect(policiesOf(FOO)).toEqual({ 'tag.bar': 'glob:master-*' });
  });
});

describe('the other changes', () => {
  it.each([
    [['automate'], '{"automated":"true"}', '{}'],
    [['deautomate'], '{}', '{"automated":"true"}'],
    [['policy', '--automate', '--lock'], `{"automated":"true","locked":"true","locked_msg":"","locked_user":"${JANE_JSON}"}`, '{}'],
    [['policy', '--deautomate', '--unlock'], '{}', '{"automated":"true","locked":"true","locked_msg":"true","locked_user":"true"}'],
    [['policy', '--tag', 'bar=regex:^v\\d+$,baz=glob:2.*', '--tag-all', 'semver:>=1.0'], '{"tag.bar":"regexp:^v\\\\d+$","tag.baz":"glob:2.*","tag_all":"semver:\\u003e=1.0"}', '{}'],
    [['policy', '--tag', 'bar=1.*', '--tag', 'baz=regexp:^2'], '{"tag.bar":"glob:1.*","tag.baz":"regexp:^2"}', '{}'],
  ])('%j', async (argv, add, remove) => {
    const r = await run([...argv, '-w', FOO, '--user', JANE]);
    expect(r.code).toBe(0);
    expect(bodies()).toEqual([`{"type":"policy","cause":{"Message":"","User":"${JANE_JSON}"},"spec":{"${FOO}":{"add":${add},"remove":${remove}}}}`]);
  });

  it('the user defaults to git config user.name <user.email>, so lock records who locked it', async () => {
    const gitconfig = path.join(bed.home, 'policy.gitconfig');
    writeFileSync(gitconfig, '[user]\n\tname = Jane Doe\n\temail = jane@example.com\n');
    const r = await run(['lock', '-w', FOO, '-m', 'freeze'], { env: { GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1' } });
    expect(r.code).toBe(0);
    expect(bodies()[0]).toBe(
      `{"type":"policy","cause":{"Message":"freeze","User":"${JANE_JSON}"},"spec":{"${FOO}":{"add":{"locked":"true","locked_msg":"freeze","locked_user":"${JANE_JSON}"},"remove":{}}}}`,
    );
  });

  it('lock without a user sends only locked', async () => {
    const r = await run(['lock', '-w', FOO, '-m', 'why', '--user', '']);
    expect(r.code).toBe(0);
    expect(bodies()).toEqual([`{"type":"policy","cause":{"Message":"why","User":""},"spec":{"${FOO}":{"add":{"locked":"true"},"remove":{}}}}`]);
  });

  it('qualifies kind/name with -n and lower-cases the kind', async () => {
    const r = await run(['automate', '-n', 'default', '-w', 'Deployment/foo', '--user', '']);
    expect(r.code).toBe(0);
    expect(bodies()[0]).toContain(`"spec":{"${FOO}":`);
  });

  it('posts, polls the job and stops: no sync wait, no "Commit applied"', async () => {
    const r = await run(['automate', '-w', FOO, '--user', '']);
    expect(r.code).toBe(0);
    expect(calls()).toEqual(['POST /v9/update-manifests', expect.stringMatching(/^GET \/v6\/jobs\?id=[0-9a-f-]{36}$/), expect.stringMatching(/^GET \/v6\/jobs\?id=/)]);
    expect(r.stderr).not.toContain('Commit applied');
  });
});

describe('no-op and missing workloads', () => {
  it('a change already in place is skipped: header only, no commit, exit 0 (-v shows the row)', async () => {
    const quiet = await run(['automate', '-w', 'default:deployment/auto', '--user', '']);
    expect(quiet).toMatchObject({ code: 0, stdout: HEADER, stderr: '' });
    const verbose = await run(['automate', '-w', 'default:deployment/auto', '--user', '', '-v']);
    expect(verbose.stdout).toBe('WORKLOAD                 STATUS   UPDATES\ndefault:deployment/auto  skipped  \n');
    expect(calls()).toContain('GET /v11/services?namespace=&services=default%3Adeployment%2Fauto');
  });

  it('policy with no change flags is sent empty and skipped', async () => {
    const r = await run(['policy', '-w', FOO, '--user', '']);
    expect(r.code).toBe(0);
    expect(bodies()).toEqual([`{"type":"policy","cause":{"Message":"","User":""},"spec":{"${FOO}":{"add":{},"remove":{}}}}`]);
  });

  it('a workload that does not exist is an error naming it, with nothing on stdout', async () => {
    const r = await run(['automate', '-w', 'default:deployment/nope', '--user', '', '-v']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('Error: workload default:deployment/nope not found\nhint: nothing was changed; list the workloads with: fluxctl list-workloads --all-namespaces\n');
    expect(calls().at(-1)).toBe('GET /v11/services?namespace=&services=default%3Adeployment%2Fnope');
    for (const argv of [['policy', '--lock'], ['lock'], ['automate']]) {
      const tty = await run([...argv, '-w', 'default:deployment/nope', '--user', ''], { tty: { stdout: true, stderr: true } });
      expect(tty).toMatchObject({ code: 1, stdout: '' });
      expect(tty.stderr).toContain('workload default:deployment/nope not found');
    }
  });

  it('a workload that is only in the cluster is an error too', async () => {
    const r = await run(['lock', '-w', 'flux:deployment/memcached', '--user', '']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toContain('Error: workload flux:deployment/memcached is not defined in the git repo, so its policies cannot be changed\n');
  });
});

describe('daemon failures', () => {
  it('an invalid pattern fails the job with the daemon\'s text and a hint', async () => {
    const r = await run(['policy', '-w', FOO, '--tag', 'bar=semver:not a constraint', '--user', '']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('Error: invalid tag pattern: "semver:not a constraint"\nhint: patterns are glob:<glob> (the default), semver:<constraint> or regexp:<regular expression>\n');
  });

  it('a failed job prints its Err', async () => {
    bed.fluxd.state.jobBehaviour.error = 'git push: permission denied';
    const r = await run(['unlock', '-w', FOO, '--user', '']);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'Error: git push: permission denied\n' });
  });

  it('a job that never finishes stops at --timeout with fluxctl\'s explanation and exit 4', async () => {
    bed.fluxd.state.jobBehaviour.polls = 1_000_000;
    // The --timeout clock runs out as the job is polled a second time.
    const r = await run(['automate', '-w', FOO, '--user', '', '--timeout', '1s'], { clock: expireOn(bed.fluxd.requests, nth('/v6/jobs', 2)) });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /^\nWe timed out waiting for the result of the operation\. This does not\nnecessarily mean it has failed\.[\s\S]*\nError: timed out after 1s \(--timeout\) waiting for job [0-9a-f-]{36}; its outcome is unknown\n/,
    );
  });
});

describe('flag validation, before connecting', () => {
  const usage = (cmd: string, message: string) => new RegExp(`^Error: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\nRun 'fluxctl ${cmd} --help' for usage\\.\n`);
  const DEPRECATED = 'Flag --controller has been deprecated, changed to --workload, use that instead\n';
  it.each([
    ['policy', [], '-w, --workload is required'],
    ['automate', [], '-w, --workload is required'],
    ['lock', ['-n', 'default'], '-w, --workload is required'],
    ['policy', ['-w', FOO, '--automate', '--deautomate'], 'automate and deautomate both specified'],
    ['policy', ['-w', FOO, '--lock', '--unlock'], 'lock and unlock both specified'],
    ['policy', ['-w', 'foo'], 'parsing foo: invalid service ID'],
    ['unlock', ['-w', 'default:deployment/x y'], 'parsing default:deployment/x y: invalid service ID'],
    ['policy', ['-w', 'foo', '--tag', 'bar'], 'parsing foo: invalid service ID'],
    ['policy', ['-w', FOO, '--tag', 'bar'], `invalid container/tag pair: "bar". Expected format is 'container=filter'`],
    ['policy', ['-w', FOO, '--tag', 'bar=semver:>=1.0'], `invalid container/tag pair: "bar=semver:>=1.0". Expected format is 'container=filter'`],
    ['automate', ['-w', FOO, 'extra'], 'expected no (non-flag) arguments'],
  ])('%s %j', async (cmd, argv, message) => {
    const r = await bed.run([cmd, ...argv, '--user', '', '--url', 'http://127.0.0.1:9/unused']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(usage(cmd, message));
    expect(bed.fluxd.requests).toEqual([]);
  });

  it.each([
    ['policy', "can't specify both the controller and workload"],
    ['automate', "can't specify both the controller and workload"],
    ['deautomate', "can't specify both a controller and workload"],
    ['unlock', "can't specify both a controller and workload"],
  ])('%s -w with -c: the deprecation line, then its conflict message', async (cmd, message) => {
    const r = await bed.run([cmd, '-w', FOO, '-c', FOO, '--user', '']);
    expect(r.code).toBe(2);
    expect(r.stderr.startsWith(DEPRECATED)).toBe(true);
    expect(r.stderr.slice(DEPRECATED.length)).toMatch(usage(cmd, message));
  });

  it('-c alone still works, with the deprecation line', async () => {
    const r = await run(['deautomate', '-c', 'default:deployment/auto', '--user', '']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^${DEPRECATED}Commit pushed:\t[0-9a-f]{7}\n$`));
  });

  it('lock: -c just sets the workload, the last of -w/-c wins (Appendix A 14)', async () => {
    const r = await run(['lock', '-w', 'default:deployment/auto', '-c', FOO, '--user', '']);
    expect(r.code).toBe(0);
    expect(r.stderr.startsWith(DEPRECATED)).toBe(true);
    expect(bodies()[0]).toContain(`"spec":{"${FOO}":`);
  });

  it('help hides the deprecated -c and documents the flags', async () => {
    const r = await bed.run(['policy', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--tag-all pattern');
    expect(r.stdout).toContain('-w, --workload workload');
    expect(r.stdout).not.toContain('--controller');
  });
});

describe('--url mode and output modes', () => {
  it('works without Kubernetes', async () => {
    const r = await bed.run(['automate', '-w', FOO, '--user', '', '--url', bed.fluxd.baseUrl], { env: { KUBECONFIG: '/nonexistent' } });
    expect(r.code).toBe(0);
    expect(policiesOf(FOO)).toMatchObject({ automated: 'true' });
  });

  const tty = { tty: { stdout: true, stderr: true } };
  // The spinner redraws its line without newlines; what stays on screen is the text after it.
  const unspin = (s: string) => stripActivity(s).replace(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Waiting for the daemon to commit the change/g, '');
  it.each([
    ['policy', ['policy', '--tag-all', 'master-*', '--tag', 'baz=*', '-m', 'pin tags'], {}],
    ['automate', ['automate'], {}],
    ['deautomate', ['deautomate', '-w', 'default:deployment/auto'], {}],
    ['lock', ['lock', '-m', 'freeze'], {}],
    ['unlock', ['unlock', '-v'], { locked: 'true', locked_msg: 'freeze', locked_user: JANE }],
  ])('%s golden (piped and TTY)', async (command, argv, policies) => {
    const args = [...argv, ...(argv.includes('-w') ? [] : ['-w', FOO]), '--user', JANE];
    const reset = () => {
      bed.fluxd.state = state();
      Object.assign(bed.fluxd.state.workloads[0]!.policies, policies);
    };
    reset();
    const piped = await run(args);
    expect(piped.code).toBe(0);
    await expect(`--- stdout\n${piped.stdout}--- stderr\n${pushed(piped)}`).toMatchFileSnapshot(`../golden/${command}/default.piped.txt`);
    reset();
    const t = await run(args, tty);
    expect(t.code).toBe(0);
    await expect(`--- stdout\n${stripAnsi(t.stdout)}--- stderr\n${pushed({ stderr: unspin(t.stderr) })}`).toMatchFileSnapshot(`../golden/${command}/default.tty.txt`);
  });
});
