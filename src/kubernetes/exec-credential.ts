import { spawn } from 'node:child_process';
import path from 'node:path';
import { TimeoutError, UnreachableError } from '../errors.js';

export interface ExecConfig {
  command?: string;
  args?: string[];
  env?: Array<{ name: string; value: string }> | null;
  apiVersion?: string;
  installHint?: string;
}

export interface ExecCredential {
  token?: string;
  /** base64 of the PEM, the form client-node's kubeconfig user expects. */
  certData?: string;
  keyData?: string;
}

const STDERR_TAIL = 4096;

/**
 * Runs a kubeconfig exec credential plugin ourselves instead of through client-node, which
 * cannot bound it (an interactive plugin hangs forever) and runs it again for every request.
 * The abort signal (--timeout, Ctrl-C) kills it; on failure its stderr and exit code are shown.
 */
export function runExecPlugin(exec: ExecConfig, options: { signal: AbortSignal; env: Readonly<Record<string, string | undefined>> }): Promise<ExecCredential> {
  const command = exec.command ?? '';
  const name = path.basename(command);
  return new Promise((resolve, reject) => {
    if (command === '') {
      reject(new UnreachableError('the kubeconfig user has an exec plugin without a command', { hint: 'set users[].user.exec.command in the kubeconfig' }));
      return;
    }
    const env: Record<string, string | undefined> = { ...options.env };
    for (const e of exec.env ?? []) env[e.name] = e.value;
    env.KUBERNETES_EXEC_INFO = JSON.stringify({
      apiVersion: exec.apiVersion ?? 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      spec: { interactive: false },
    });
    const child = spawn(command, exec.args ?? [], { env, stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-STDERR_TAIL)));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (options.signal.aborted) {
        reject(abortReason(options.signal, name));
      } else if (e.code === 'ENOENT') {
        reject(new UnreachableError(`exec credential plugin "${command}" was not found`, { hint: exec.installHint?.trim() || 'install it or fix users[].user.exec.command in the kubeconfig' }));
      } else {
        reject(new UnreachableError(`exec credential plugin "${command}" could not run: ${e.message}`, { hint: 'check that users[].user.exec.command in the kubeconfig is an executable' }));
      }
    });
    child.on('close', (code) => {
      if (options.signal.aborted) return;
      if (code !== 0) {
        const detail = stderr.trim() === '' ? '' : `:\n${stderr.trimEnd()}`;
        reject(new UnreachableError(`exec credential plugin "${name}" exited with code ${code}${detail}`, { hint: 'run the plugin (or kubectl) once by hand to log in again' }));
        return;
      }
      try {
        resolve(parseCredential(stdout, name));
      } catch (e) {
        reject(e);
      }
    });
  });
}

function abortReason(signal: AbortSignal, name: string): Error {
  if (!(signal.reason instanceof TimeoutError)) return signal.reason as Error;
  return new TimeoutError(`exec credential plugin "${name}" did not finish within --timeout`, {
    hint: 'it may be waiting for an interactive login: run it (or kubectl) once by hand',
  });
}

function parseCredential(stdout: string, name: string): ExecCredential {
  let status: Record<string, unknown> | undefined;
  try {
    status = (JSON.parse(stdout) as { status?: Record<string, unknown> }).status;
  } catch {
    throw new UnreachableError(`exec credential plugin "${name}" printed something that is not an ExecCredential JSON`, {
      hint: 'it may want an interactive login: run it (or kubectl) once by hand',
    });
  }
  const token = typeof status?.token === 'string' ? status.token : undefined;
  const cert = typeof status?.clientCertificateData === 'string' ? status.clientCertificateData : undefined;
  const key = typeof status?.clientKeyData === 'string' ? status.clientKeyData : undefined;
  if (token === undefined && (cert === undefined || key === undefined)) {
    throw new UnreachableError(`exec credential plugin "${name}" returned neither a token nor a client certificate and key`, {
      hint: 'run it (or kubectl) once by hand to see what it prints',
    });
  }
  return {
    token,
    certData: cert === undefined ? undefined : Buffer.from(cert).toString('base64'),
    keyData: key === undefined ? undefined : Buffer.from(key).toString('base64'),
  };
}
