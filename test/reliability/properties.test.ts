// Property tests: random and hostile input to the decoders and parsers never throws anything
// but the module's own error type (a TypeError or RangeError from deep inside would be a bug
// printed as "unexpected error").
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWorkloadId } from '../../src/commands/shared/resource-id.js';
import { parseJson, type Decoder } from '../../src/daemon/decode.js';
import { decodeGitConfig } from '../../src/daemon/git-config.js';
import { decodeJobStatus, decodeString, decodeStringList } from '../../src/daemon/jobs.js';
import { decodeImageTable } from '../../src/daemon/image-table.js';
import { decodeImages, decodeServices } from '../../src/daemon/types.js';
import { decodeWorkloadRows } from '../../src/daemon/workload-rows.js';
import { CliError, DecodeError, ExitCode, UsageError } from '../../src/errors.js';
import { formatMatchLabels, validateLabelKey, validateLabelValue } from '../../src/kubernetes/label-selector.js';
import { formatGoDuration, GoDurationError, parseGoDuration } from '../../src/util/go-duration.js';
import { formatImageRef, ImageRefError, parseImageRef, type ImageRef } from '../../src/util/image-ref.js';
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
  // The lean readings of the large lists must accept and refuse exactly what the full decoders do.
  const outcome = (decode: Decoder<unknown>, v: unknown): string => {
    try {
      decode(structuredClone(v), '');
      return 'accepted';
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      return e.message;
    }
  };
  // Daemon-shaped values whose every field is now and then of the wrong type.
  const or = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: jsonish });
  const text = or(fc.string({ maxLength: 4 }));
  const count = or(fc.nat(3));
  const flag = or(fc.boolean());
  const map = or(fc.dictionary(fc.string({ maxLength: 3 }), text, { maxKeys: 2 }));
  const some = { requiredKeys: [] as never[] };
  const info = or(fc.record({ ID: text, Digest: text, ImageID: text, Labels: or(fc.record({ 'org.label-schema.build-date': text, 'org.opencontainers.image.created': text }, some)), CreatedAt: text, LastFetched: text }, some));
  const container = or(fc.record({ Name: text, Current: info, LatestFiltered: info, Available: or(fc.array(info, { maxLength: 2 })), AvailableError: text, AvailableImagesCount: count, NewAvailableImagesCount: count, FilteredImagesCount: count, NewFilteredImagesCount: count }, some));
  const rollout = or(fc.record({ Desired: count, Updated: count, Ready: count, Available: count, Outdated: count, Messages: or(fc.array(text, { maxLength: 2 })) }, some));
  const workload = or(fc.record({ ID: text, Containers: or(fc.array(container, { maxLength: 2 })), ReadOnly: text, Status: text, Rollout: rollout, SyncError: text, Antecedent: text, Labels: map, Automated: flag, Locked: flag, Ignore: flag, Policies: map }, some));
  const lists = fc.oneof(jsonish, fc.array(workload, { maxLength: 3 }));
  property('decodeWorkloadRows and decodeImageTable fail exactly where decodeServices and decodeImages fail', 'nothing', fc.property(lists, (v) => {
    expect(outcome(decodeWorkloadRows, v)).toBe(outcome(decodeServices, v));
    expect(outcome(decodeImageTable, v)).toBe(outcome(decodeImages, v));
    return true;
  }));
  property('parseJson + decodeServices: random text and truncated JSON', 'DecodeError', fc.property(fc.oneof(fc.string(), jsonish.map((v) => JSON.stringify(v) ?? '').chain((s) => fc.nat(s.length).map((n) => s.slice(0, n)))), (text) =>
    onlyThrows([DecodeError], () => decodeServices(parseJson(text, 'GET /v6/services'), '')),
  ));
  it('DecodeError is a CliError: printed as Error: with exit 1', () => {
    const e = new DecodeError('x');
    expect(e).toBeInstanceOf(CliError);
    expect(e.exitCode).toBe(ExitCode.Failure);
  });
});

const from = (chars: string): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...chars.split('')), maxLength: 24 });

// Kubernetes' label grammar (k8s.io/apimachinery validation.IsQualifiedName, IsValidLabelValue),
// written independently of src/ as the oracle for validateLabelKey/Value.
const NAME = '[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?';
const DNS_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const bytes = (s: string): number => Buffer.byteLength(s);
function isLabelKey(k: string): boolean {
  const m = new RegExp(`^(?:(${DNS_LABEL}(?:\\.${DNS_LABEL})*)/)?(${NAME})$`).exec(k);
  return m !== null && bytes(m[5] ?? '') <= 63 && (m[1] === undefined || bytes(m[1]) <= 253);
}
const isLabelValue = (v: string): boolean => new RegExp(`^(${NAME})?$`).test(v) && bytes(v) <= 63;
const validKey = fc.oneof(fc.stringMatching(new RegExp(`^${NAME}$`)), fc.stringMatching(new RegExp(`^${DNS_LABEL}(\\.${DNS_LABEL})*/${NAME}$`))).filter(isLabelKey);
const validValue = fc.stringMatching(new RegExp(`^(${NAME})?$`)).filter(isLabelValue);
const byBytes = (a: [string, string], b: [string, string]): number => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0]));

describe('parsers', () => {
  property('parseGoDuration: random text', 'GoDurationError', fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), from('0123456789.+-hmsunµμ '), from('9.')), (s) => onlyThrows([GoDurationError], () => parseGoDuration(s))));
  property('parseGoDuration ∘ formatGoDuration: every int64 nanosecond count round-trips', 'nothing', fc.property(fc.bigInt({ min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n }), (ns) => parseGoDuration(formatGoDuration(ns)) === ns));
  property('parseGoDuration: whatever text it accepts, its formatted value means the same duration', 'nothing', fc.property(fc.oneof(from('0123456789.hmsunµ'), from('1.5hms-+')), (s) => {
    let ns: bigint;
    try {
      ns = parseGoDuration(s);
    } catch (e) {
      if (e instanceof GoDurationError) return true;
      throw e;
    }
    return parseGoDuration(formatGoDuration(ns)) === ns;
  }));
  property('parseStringToString (--k8s-fwd-labels, FLUX_FORWARD_LABELS): random text', 'StringToStringError', fc.property(fc.oneof(fc.string(), from('ab=,"\n\r ')), (s) => onlyThrows([StringToStringError], () => parseStringToString(s))));
  property('parseStringToString: k=v pairs joined by commas read back as the same pairs, in order', 'nothing', fc.property(fc.array(fc.tuple(from('abZ9._/-'), from('abZ9._/-= ')), { minLength: 1, maxLength: 5 }), (pairs) => {
    expect(parseStringToString(pairs.map(([k, v]) => `${k}=${v}`).join(','))).toEqual(pairs);
  }));
  property('label keys and values are accepted exactly when Kubernetes\' grammar accepts them', 'nothing', fc.property(fc.oneof(fc.string(), from('a/.-_Z9'), validKey), fc.oneof(fc.string(), from('a.-_Z9 '), validValue), (k, v) => {
    const keyProblem = validateLabelKey(k);
    const valueProblem = validateLabelValue(v);
    expect(keyProblem === undefined).toBe(isLabelKey(k));
    expect(valueProblem === undefined).toBe(isLabelValue(v));
    // A rejection always says why.
    for (const problem of [keyProblem, valueProblem]) if (problem !== undefined) expect(problem).toMatch(/\S/);
  }));
  property('formatMatchLabels: valid labels come back from the selector text, sorted by key', 'nothing', fc.property(fc.dictionary(validKey, validValue, { minKeys: 1, maxKeys: 5 }), (labels) => {
    const entries = Object.entries(labels);
    expect(parseStringToString(formatMatchLabels(new Map(entries)))).toEqual([...entries].sort(byBytes));
  }));
  property('parseWorkloadId: random text', 'UsageError', fc.property(fc.oneof(fc.string(), from('a:/.-_<>Z')), fc.string(), (s, ns) => onlyThrows([UsageError], () => parseWorkloadId(s, ns))));
  property('parseWorkloadId: an accepted ID is canonical (<ns>:<lower-case kind>/<name>) and parses to itself', 'nothing', fc.property(fc.oneof(from('a:/.-_<>Z'), from('aZ9/_-.:')), fc.stringMatching(/^[a-z0-9-]{1,12}$/), (s, ns) => {
    let id: string;
    try {
      id = parseWorkloadId(s, ns);
    } catch (e) {
      if (e instanceof UsageError) return true;
      throw e;
    }
    expect(id).toMatch(/^[^:/]+:[a-z0-9_-]+\/.+$/);
    expect(parseWorkloadId(id, 'elsewhere')).toBe(id);
    return true;
  }));
  property('parseImageRef: random text', 'ImageRefError', fc.property(fc.oneof(fc.string(), from('a/:.@-_5'), from('sha256:ab@/'), fc.string({ unit: 'binary' })), (s) => onlyThrows([ImageRefError], () => parseImageRef(s))));
  property('parseImageRef ∘ formatImageRef: a parsed reference written back parses to the same name, tag and digest', 'nothing', fc.property(fc.oneof(from('a/:.@-_5'), from('lhost.io:5/ab:@sha256')), (s) => {
    let ref: ImageRef;
    try {
      ref = parseImageRef(s);
    } catch (e) {
      if (e instanceof ImageRefError) return true;
      throw e;
    }
    // Flux writes a pinned reference without its tag: the digest names the image.
    expect(parseImageRef(formatImageRef(ref))).toEqual(ref.digest === '' ? ref : { ...ref, tag: '' });
    return true;
  }));
});
