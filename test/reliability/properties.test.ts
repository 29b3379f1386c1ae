// Property tests: random and hostile input to the decoders and parsers never throws anything
// but the module's own error type (a TypeError or RangeError from deep inside would be a bug
// printed as "unexpected error").
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWorkloadId } from '../../src/commands/shared/resource-id.js';
import { parseJson, type Decoder } from '../../src/daemon/decode.js';
import { decodeGitConfig } from '../../src/daemon/git-config.js';
import { decodeJobStatus, decodeString, decodeStringList } from '../../src/daemon/jobs.js';
import { decodeImages, decodeServices } from '../../src/daemon/types.js';
import { CliError, DecodeError, UsageError } from '../../src/errors.js';
import { formatMatchLabels, validateLabelKey, validateLabelValue } from '../../src/kubernetes/label-selector.js';
import { formatGoDuration, GoDurationError, parseGoDuration } from '../../src/util/go-duration.js';
import { ImageRefError, parseImageRef } from '../../src/util/image-ref.js';
import { parseStringToString, StringToStringError } from '../../src/util/string-to-string.js';
import { collector } from './report.js';

const col = collector('properties');
const RUNS = 1000;

/** Runs `fn`; anything thrown must be one of `allowed`. */
function onlyThrows(allowed: Array<abstract new (...args: never[]) => Error>, fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (allowed.some((c) => e instanceof c)) return true;
    throw e;
  }
}

function property<Ts extends [unknown, ...unknown[]]>(name: string, allowed: string, prop: fc.IProperty<Ts>, runs = RUNS): void {
  it(name, () => {
    const started = performance.now();
    fc.assert(prop, { numRuns: runs });
    col.record({ scenario: name, code: `${runs} runs`, ms: performance.now() - started, message: allowed === 'nothing' ? 'never throws' : `throws only ${allowed}` });
  });
}

// The field names the daemon's types use, plus keys that trip naive object handling.
const KEYS = ['ID', 'Containers', 'Name', 'Current', 'LatestFiltered', 'Available', 'Labels', 'CreatedAt', 'LastFetched', 'Digest', 'ImageID', 'Status', 'Rollout', 'Policies', 'ReadOnly', 'SyncError', 'Antecedent', 'Messages', 'Desired', 'Updated', 'Ready', 'Outdated', 'Automated', 'Locked', 'Ignore', 'AvailableImagesCount', 'Result', 'result', 'revision', 'spec', 'Err', 'StatusString', 'Error', 'PerContainer', 'Container', 'Target', 'remote', 'url', 'branch', 'path', 'publicSSHKey', 'key', 'fingerprints', 'hash', 'randomart', 'status', 'errors', 'org.label-schema.build-date', 'org.opencontainers.image.created', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'length'];
const { value: hostile } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, undefined, true, false, 0, -0, 1.5, -1, Number.MAX_SAFE_INTEGER + 2, NaN, Infinity, '', '0001-01-01T00:00:00Z', '2024-05-02T08:15:42.318000Z', 'T00:00:00.'),
    fc.string(),
    fc.double(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string()), tie('value'), { maxKeys: 6 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 6, noNullPrototype: false }),
  ),
}));
/** What JSON.parse can really return (the decoders' actual input), from hostile values. */
const jsonish = hostile.map((v) => {
  try {
    return JSON.parse(JSON.stringify(v) ?? 'null') as unknown;
  } catch {
    return null;
  }
});

const decoders: Array<[string, Decoder<unknown>, fc.Arbitrary<unknown>]> = [
  ['decodeServices (types.ts)', decodeServices, fc.oneof(hostile, fc.array(hostile, { maxLength: 3 }))],
  ['decodeImages (types.ts)', decodeImages, fc.oneof(hostile, fc.array(fc.record({ ID: hostile, Containers: fc.array(hostile, { maxLength: 3 }) }), { maxLength: 3 }))],
  ['decodeJobStatus (jobs.ts)', decodeJobStatus, fc.oneof(hostile, fc.record({ Result: fc.oneof(hostile, fc.record({ result: fc.dictionary(fc.string(), hostile, { maxKeys: 3 }), revision: hostile })), Err: hostile, StatusString: hostile }))],
  ['decodeStringList / decodeString (jobs.ts)', (v, p) => [decodeStringList(v, p), decodeString(v, p)], hostile],
  ['decodeGitConfig (git-config.ts)', decodeGitConfig, fc.oneof(hostile, fc.record({ remote: hostile, publicSSHKey: fc.oneof(hostile, fc.record({ key: hostile, fingerprints: fc.dictionary(fc.string(), hostile, { maxKeys: 3 }) })), status: hostile }))],
];

describe('daemon response decoders', () => {
  for (const [name, decode, arb] of decoders) {
    property(`${name}: hostile values`, 'DecodeError', fc.property(fc.oneof(arb, arb.map((v) => JSON.parse(JSON.stringify(v) ?? 'null') as unknown)), (v) => onlyThrows([DecodeError], () => decode(v, ''))));
  }
  property('parseJson + decodeServices: random text and truncated JSON', 'DecodeError', fc.property(fc.oneof(fc.string(), jsonish.map((v) => JSON.stringify(v) ?? '').chain((s) => fc.nat(s.length).map((n) => s.slice(0, n)))), (text) =>
    onlyThrows([DecodeError], () => decodeServices(parseJson(text, 'GET /v6/services'), '')),
  ));
  it('DecodeError is a CliError: printed as Error: with exit 1', () => {
    expect(new DecodeError('x')).toBeInstanceOf(CliError);
  });
});

const from = (chars: string): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...chars.split('')), maxLength: 24 });

describe('parsers', () => {
  property('parseGoDuration: random text', 'GoDurationError', fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), from('0123456789.+-hmsunµμ '), from('9.')), (s) => onlyThrows([GoDurationError], () => parseGoDuration(s))));
  property('parseGoDuration ∘ formatGoDuration: every int64 nanosecond count round-trips', 'nothing', fc.property(fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n }), (ns) => parseGoDuration(formatGoDuration(ns)) === ns));
  property('parseStringToString (--k8s-fwd-labels, FLUX_FORWARD_LABELS): random text', 'StringToStringError', fc.property(fc.oneof(fc.string(), from('ab=,"\n\r ')), (s) => onlyThrows([StringToStringError], () => parseStringToString(s))));
  property('label selector: validateLabelKey/Value and formatMatchLabels never throw', 'nothing', fc.property(fc.dictionary(fc.oneof(fc.string(), from('a/.-_Z9')), fc.oneof(fc.string(), from('a.-_Z9 ')), { maxKeys: 5 }), (labels) => {
    for (const [k, v] of Object.entries(labels)) {
      const problems = [validateLabelKey(k), validateLabelValue(v)];
      if (problems.some((p) => p !== undefined && typeof p !== 'string')) return false;
    }
    return typeof formatMatchLabels(new Map(Object.entries(labels))) === 'string';
  }));
  property('parseWorkloadId: random text', 'UsageError', fc.property(fc.oneof(fc.string(), from('a:/.-_<>Z')), fc.string(), (s, ns) => onlyThrows([UsageError], () => parseWorkloadId(s, ns))));
  property('parseImageRef: random text', 'ImageRefError', fc.property(fc.oneof(fc.string(), from('a/:.@-_5'), from('sha256:ab@/'), fc.string({ unit: 'binary' })), (s) => onlyThrows([ImageRefError], () => parseImageRef(s))));
});
