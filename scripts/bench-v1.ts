// The Flux v1 side of `npm run bench`: a daemon listing 10,000 workloads, sync's latency after
// the apply and its polling rate, and the request log of each command.
import { commit, emptyState, gitState, imageInfo, sampleState, workload, type FluxdState } from '@fluxctl/emulator/fluxd';
import type { TestBed } from '../test/helpers/testbed.js';
import { measure, median, pct, RUNS } from './bench-measure.js';

export function bigState(): FluxdState {
  const s = emptyState();
  s.workloads = Array.from({ length: 10_000 }, (_, i) =>
    workload({ id: `ns-${i % 50}:deployment/app-${String(i).padStart(5, '0')}`, containers: ['app=registry.example.com/team/app:v1.2.3', 'sidecar=envoyproxy/envoy:v1.28.0', 'init=busybox:1.36'], policies: i % 3 === 0 ? { automated: 'true' } : {} }),
  );
  return s;
}

export const IMAGE_WORKLOADS = 1_000;
export const IMAGE_TAGS = 50;

/**
 * 1,000 workloads, each running one of the 50 tags of its own repository, as a registry scan
 * leaves them: every tag with its digest, image ID, creation label and fetch time (a 19 MB answer).
 */
export function imagesState(): FluxdState {
  const s = emptyState();
  const hour = (t: number): string => new Date(Date.UTC(2026, 0, 1) + t * 3_600_000).toISOString();
  const hex = (n: number, pad: string): string => n.toString(16).padStart(64, pad);
  for (let i = 0; i < IMAGE_WORKLOADS; i++) {
    const repo = `registry.example.com/team/app-${i}`;
    s.workloads.push(workload({ id: `ns-${i % 10}:deployment/app-${String(i).padStart(4, '0')}`, containers: [`app=${repo}:v1.0.${i % IMAGE_TAGS}`] }));
    s.images[repo] = Array.from({ length: IMAGE_TAGS }, (_, t) =>
      imageInfo(`${repo}:v1.0.${t}`, hour(t), { digest: `sha256:${hex(i * IMAGE_TAGS + t, '0')}`, imageId: `sha256:${hex(i * 77 + t, 'a')}`, labels: { created: hour(t) }, lastFetched: '2026-11-30T10:00:00Z' }),
    );
  }
  return s;
}

/** The size of the daemon's answer to a route, in MB (10^6 bytes), fetched straight from the emulated fluxd. */
export async function answerMB(bed: TestBed, route: string): Promise<number> {
  return (await (await fetch(`${bed.fluxd.baseUrl}${route}`)).arrayBuffer()).byteLength / 1e6;
}

export async function syncLatency(bin: string, bed: TestBed, env: Record<string, string>): Promise<string[]> {
  const stamps: Array<{ t: number; path: string }> = [];
  const push = bed.fluxd.requests.push.bind(bed.fluxd.requests);
  bed.fluxd.requests.push = (...items) => {
    for (const q of items) stamps.push({ t: Date.now(), path: q.path });
    return push(...items);
  };
  const ours: number[] = [];
  const theirs: number[] = [];
  const rates: number[] = [];
  // fluxctl's /v6/sync polls, in seconds after the job is done (await.go: 1, 2, 4, 8, then 10 s).
  const fluxctlPolls = [0, 1, 3, 7, 15, 25, 35, 45, 55];
  for (let i = 0; i < RUNS; i++) {
    const applyMs = 300 + ((i * 797) % 4700);
    const head = commit(`bench ${i}`);
    bed.fluxd.state = emptyState({ git: gitState({ commits: [head, commit('base')] }), sync: { jobPolls: 0, applyMs } });
    bed.fluxd.state.git.syncMarker = bed.fluxd.state.git.commits[1]?.sha ?? null;
    stamps.length = 0;
    await measure(process.execPath, [bin, 'sync', '--k8s-fwd-ns', 'flux'], env);
    const exit = Date.now();
    const jobDone = stamps.find((s) => s.path === '/v6/jobs')?.t ?? exit;
    const applied = jobDone + applyMs;
    ours.push(exit - applied);
    theirs.push((fluxctlPolls.find((p) => p * 1000 >= applyMs) ?? 60) * 1000 - applyMs);
    const syncPolls = stamps.filter((s) => s.path === '/v6/sync');
    const span = ((syncPolls.at(-1)?.t ?? 0) - (syncPolls[0]?.t ?? 0)) / 1000;
    if (span > 0) rates.push((syncPolls.length - 1) / span);
  }
  delete (bed.fluxd.requests as { push?: unknown }).push;
  return [
    `| sync: from "applied" to CLI exit (apply 0.3–5 s after the job) | median ${median(ours).toFixed(0)} ms, p90 ${pct(ours, 90).toFixed(0)} ms | fluxctl's schedule: median ${median(theirs).toFixed(0)} ms, p90 ${pct(theirs, 90).toFixed(0)} ms | | ≤ 500 ms median | ${median(ours) <= 500 ? 'met' : 'not met'} |`,
    `| sync: daemon requests per second while waiting | max ${Math.max(...rates).toFixed(2)}/s | fluxctl: ≤ 1/s, falling to 0.1/s | | ≤ 4/s | ${Math.max(...rates) <= 4.05 ? 'met' : 'not met'} |`,
  ];
}

export async function requestCounts(bin: string, bed: TestBed, env: Record<string, string>): Promise<string[]> {
  const out: string[] = [];
  bed.fluxd.state = sampleState();
  for (const argv of [['identity'], ['list-workloads', '-a'], ['sync'], ['set-interval']]) {
    bed.kube.requests.length = 0;
    bed.fluxd.requests.length = 0;
    await measure(process.execPath, [bin, ...argv, '--k8s-fwd-ns', 'flux'], env);
    const kube = bed.kube.requests;
    const upgrades = kube.filter((q) => q.upgrade).length;
    const daemon = bed.fluxd.requests.map((q) => q.path);
    const byPath = [...new Set(daemon)].map((p) => `${p} ×${daemon.filter((x) => x === p).length}`).join(', ');
    out.push(`| \`fluxctl ${argv.join(' ')}\` | ${kube.length - upgrades} REST (${kube.filter((q) => !q.upgrade).map((q) => `${q.method} ${q.path.replace(/[a-z0-9]+-[a-z0-9]+$/, '…')}`).join(', ')}) | ${upgrades} | ${daemon.length}: ${byPath} |`);
  }
  return out;
}
