import { describe, expect, it } from 'vitest';
import {
  fluxFallbackSelector,
  formatMatchLabels,
  validateLabelKey,
  validateLabelValue,
} from '../../src/kubernetes/label-selector.js';

// Messages are k8s.io/apimachinery/pkg/util/validation's (IsQualifiedName, IsValidLabelValue,
// IsDNS1123Subdomain), written from its source; no Go oracle was run for these.
const NAME_REGEX = "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const NAME_ERR = `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character ${NAME_REGEX}`;
const PREFIX_ERR = "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const VALUE_ERR = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('formatMatchLabels', () => {
  it.each<[Record<string, string> | Map<string, string>, string]>([
    [{ app: 'flux' }, 'app=flux'],
    [{ release: 'flux', app: 'flux' }, 'app=flux,release=flux'],
    [new Map([['z', '1'], ['a', '2'], ['m', '']]), 'a=2,m=,z=1'],
    [{}, ''],
    // Byte order: upper case before lower case, '-' and '.' before letters.
    [{ b: '1', B: '2', 'a.b/c': '3', 'a-b': '4' }, 'B=2,a-b=4,a.b/c=3,b=1'],
  ])('%j', (labels, want) => {
    expect(formatMatchLabels(labels)).toBe(want);
  });

  it('is the fluxctl fallback selector text', () => {
    expect(fluxFallbackSelector).toBe('name in (flux,fluxd,weave-flux-agent)');
  });
});

describe('validateLabelKey', () => {
  it.each(['app', 'a', 'A1', 'my.name', 'my_name', '123-abc', 'app.kubernetes.io/name', 'example.com/MyName', 'x'.repeat(63),
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}/n`])('accepts %j', (key) => {
    expect(validateLabelKey(key)).toBeUndefined();
  });

  it.each<[string, string]>([
    ['', `name part must be non-empty; ${NAME_ERR}`],
    ['-app', NAME_ERR],
    ['app-', NAME_ERR],
    ['a b', NAME_ERR],
    ['café', NAME_ERR],
    ['x'.repeat(64), 'name part must be no more than 63 characters'],
    ['/app', 'prefix part must be non-empty'],
    ['example.com/', `name part must be non-empty; ${NAME_ERR}`],
    ['Example.com/app', PREFIX_ERR],
    ['a_b.com/app', PREFIX_ERR],
    // The subdomain regex does not bound label length, so only the overall limit trips here.
    [`${'a'.repeat(254)}/app`, 'prefix part must be no more than 253 characters'],
    [`-${'a'.repeat(253)}/app`, `prefix part must be no more than 253 characters; ${PREFIX_ERR}`],
    ['a/b/c', `a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character ${NAME_REGEX} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`],
  ])('rejects %j', (key, reason) => {
    expect(validateLabelKey(key)).toBe(reason);
  });
});

describe('validateLabelValue', () => {
  it.each(['', 'flux', 'a', 'v1.2.3', 'my_value', '12345', 'A-b_c.D', 'x'.repeat(63)])('accepts %j', (value) => {
    expect(validateLabelValue(value)).toBeUndefined();
  });

  it.each<[string, string]>([
    ['-flux', VALUE_ERR],
    ['flux.', VALUE_ERR],
    ['a/b', VALUE_ERR],
    ['a b', VALUE_ERR],
    ['x'.repeat(64), 'must be no more than 63 characters'],
    [`-${'x'.repeat(63)}`, `must be no more than 63 characters; ${VALUE_ERR}`],
  ])('rejects %j', (value, reason) => {
    expect(validateLabelValue(value)).toBe(reason);
  });
});
