// Test-side helpers for talking to the emulator without client-node: raw HTTP(S) requests
// (to assert exact Status bodies) and real kubectl runs against a temporary kubeconfig.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeconfigOptions, KubeEmulator } from '@fluxctl/emulator/kube';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json(): unknown;
}

export interface RawRequest {
  method?: string;
  path: string;
  /** Bearer token; null sends no Authorization header. Default: test-token. */
  token?: string | null;
  body?: unknown;
  contentType?: string;
  accept?: string;
}

export function rawRequest(emu: KubeEmulator, r: RawRequest): Promise<RawResponse> {
  const url = new URL(r.path, emu.url);
  const body = r.body === undefined ? undefined : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const headers: Record<string, string> = { Accept: r.accept ?? 'application/json' };
  const token = r.token === undefined ? 'test-token' : r.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    headers['Content-Type'] = r.contentType ?? 'application/strategic-merge-patch+json';
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  const ca = Buffer.from(emu.caData, 'base64');
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { method: r.method ?? 'GET', headers, ca, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const KUBECTL = '/usr/bin/kubectl';
export const hasKubectl = existsSync(KUBECTL);

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs real kubectl (asynchronously: the emulator lives in this process) with a temp kubeconfig and HOME. */
export async function kubectl(emu: KubeEmulator, args: string[], kc: KubeconfigOptions = {}): Promise<KubectlResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kube-emu-'));
  const config = join(dir, 'config');
  writeFileSync(config, emu.kubeconfig(kc));
  try {
    return await new Promise((resolve) => {
      execFile(KUBECTL, ['--kubeconfig', config, ...args], { env: { PATH: process.env.PATH ?? '', HOME: dir }, timeout: 30_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
