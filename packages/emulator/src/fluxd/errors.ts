// fluxd's error responses (pkg/http/transport.go WriteError/ErrorResponse, pkg/errors).
import { goJson, type GoError } from './gojson.js';

export type FluxErrorType = 'server' | 'missing' | 'user';

/** A *fluxerr.Error. */
export interface FluxError {
  flux: true;
  type: FluxErrorType;
  help: string;
  error: string;
}

export type DaemonError = FluxError | GoError;

export const isFlux = (e: DaemonError): e is FluxError => 'flux' in e;

/** What Go's err.Error() returns. */
export const errorText = (e: DaemonError): string => (isFlux(e) ? e.error : e.message);

export const fluxError = (type: FluxErrorType, error: string, help: string): FluxError => ({ flux: true, type, error, help });

/** fluxerr.CoverAllError: what any non-flux handler error becomes (422). */
export function coverAll(message: string): FluxError {
  return fluxError(
    'user',
    message,
    `Error: ${message}

We don't have a specific help message for the error above.

It would help us remedy this if you log an issue at

    https://github.com/fluxcd/flux/issues

saying what you were doing when you saw this, and quoting the message
at the top.
`,
  );
}

export const deprecated = (): FluxError =>
  fluxError(
    'missing',
    'API endpoint deprecated',
    `The API endpoint requested appears to have been deprecated.

This indicates your client (fluxctl) needs to be updated: please see

    https://github.com/fluxcd/flux/releases

If you still have this problem after upgrading, please file an issue at

    https://github.com/fluxcd/flux/issues

mentioning what you were attempting to do.
`,
  );

export const apiNotFound = (path: string): FluxError =>
  fluxError(
    'missing',
    'API endpoint not found',
    `The API endpoint requested is not supported by this server.

This indicates that your client (probably fluxctl) is either out of
date, or faulty. Please see

    https://github.com/fluxcd/flux/releases

for releases of fluxctl.

If you still have problems, please file an issue at

    https://github.com/fluxcd/flux/issues

mentioning what you were attempting to do, and include this path:

    ${path}
`,
  );

export const unknownJob = (id: string): FluxError =>
  fluxError(
    'missing',
    `unknown job ${JSON.stringify(id)}`,
    `Job not found

This is often because the job did not result in committing changes,
and therefore had no lasting effect. A release dry-run is an example
of a job that does not result in a commit.

If you were expecting changes to be committed, this may mean that the
job failed, but its status was lost.

In both of the above cases it is OK to retry the operation that
resulted in this error.

If you get this error repeatedly, it's probably a bug. Please log an
issue describing what you were attempting, and posting logs from the
daemon if possible:

    https://github.com/fluxcd/flux/issues

`,
  );

/** The 401 a proxy (never fluxd itself) might send; offered for fault injection. */
export const unauthorized = (): FluxError =>
  fluxError(
    'user',
    'request failed authentication',
    `The request failed authentication

This most likely means you have a missing or incorrect token. Please
make sure you supply a service token, either by setting the
environment variable FLUX_SERVICE_TOKEN, or using the argument --token
with fluxctl.

`,
  );

// ---- Accept negotiation (gddo header.ParseAccept + fluxd's negotiateContentType) ----

interface AcceptSpec {
  value: string;
  q: number;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z/]*/;
const skipSpace = (s: string) => s.replace(/^[ \t\r\n]+/, '');

/** An entry with a parameter other than q ends the parse of that header line. */
export function parseAccept(values: string[]): AcceptSpec[] {
  const specs: AcceptSpec[] = [];
  for (let s of values) {
    for (;;) {
      const value = TOKEN.exec(s)![0];
      if (value === '') break;
      s = skipSpace(s.slice(value.length));
      let q = 1;
      if (s.startsWith(';')) {
        s = skipSpace(s.slice(1));
        if (!s.startsWith('q=')) break;
        const m = /^([01])(?:\.([0-9]*))?/.exec(s.slice(2));
        if (!m) break;
        q = Number(m[1]) + (m[2] ? Number(m[2]) / 10 ** m[2].length : 0);
        s = s.slice(2 + m[0].length);
      }
      specs.push({ value, q });
      s = skipSpace(s);
      if (!s.startsWith(',')) break;
      s = skipSpace(s.slice(1));
    }
  }
  return specs;
}

const OFFERS = ['application/json', 'text/plain'];

/** 'application/json' | 'text/plain' | '' (nothing acceptable). */
export function negotiate(acceptValues: string[]): string {
  const specs = parseAccept(acceptValues);
  if (specs.length === 0) return OFFERS[0]!;
  const preferred = specs.filter((s) => OFFERS.includes(s.value));
  preferred.sort((a, b) => (a.q === b.q ? OFFERS.indexOf(a.value) - OFFERS.indexOf(b.value) : b.q - a.q));
  return preferred[0]?.value ?? '';
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const JSON_TYPE = 'application/json; charset=utf-8';
export const TEXT_TYPE = 'text/plain; charset=utf-8';

function encodeError(err: DaemonError): string {
  if (!isFlux(err)) return goJson(err.json);
  return goJson({ type: err.type, help: err.help, error: err.error || undefined });
}

/** transport.WriteError: status `code`, body chosen by the Accept header. */
export function writeError(acceptValues: string[], code: number, err: DaemonError): Reply {
  if ((acceptValues[0] ?? '') !== '') {
    const chosen = negotiate(acceptValues);
    if (chosen === 'application/json') return { status: code, headers: { 'Content-Type': JSON_TYPE }, body: encodeError(err) };
    if (chosen === 'text/plain') {
      return { status: code, headers: { 'Content-Type': TEXT_TYPE }, body: isFlux(err) ? err.help : err.message };
    }
  }
  return { status: code, headers: { 'Content-Type': TEXT_TYPE }, body: isFlux(err) ? err.error : err.message };
}

/** transport.ErrorResponse: a flux error's type picks the code; anything else is a 422. */
export function errorResponse(acceptValues: string[], err: DaemonError): Reply {
  const flux = isFlux(err) ? err : coverAll(err.message);
  const code = flux.type === 'missing' ? 404 : flux.type === 'user' ? 422 : 500;
  return writeError(acceptValues, code, flux);
}
