import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { FluxDurationError, fluxDurationPattern, toFluxDuration } from '../../src/backends/toolkit/duration.js';

describe('toFluxDuration', () => {
  it.each([
    ['1m', '1m0s'],
    ['90s', '1m30s'],
    ['1h30m', '1h30m0s'],
    ['1.5h', '1h30m0s'],
    ['500ms', '500ms'],
    ['1.5s', '1.5s'],
    ['10m0s', '10m0s'],
  ])('writes interval %s as Go does: %s', (input, written) => {
    expect(toFluxDuration(input, 'GitRepository', 'interval')).toBe(written);
  });

  it.each(['1d', '1h 30m', '-5m', '10us', '5', '', '1m+30s'])('refuses %j, which the CRD pattern refuses', (input) => {
    expect(() => toFluxDuration(input, 'Kustomization', 'interval')).toThrow(FluxDurationError);
  });

  it('refuses zero: the controllers would never requeue', () => {
    expect(() => toFluxDuration('0s', 'Kustomization', 'interval')).toThrow('invalid Kustomization spec.interval "0s": it must be positive');
    expect(() => toFluxDuration('0m0s', 'GitRepository', 'interval')).toThrow(UsageError);
  });

  it('accepts hours in Kustomization and HelmRelease timeouts only', () => {
    expect(toFluxDuration('1h', 'Kustomization', 'timeout')).toBe('1h0m0s');
    expect(toFluxDuration('2h', 'HelmRelease', 'timeout')).toBe('2h0m0s');
    expect(() => toFluxDuration('1h', 'GitRepository', 'timeout')).toThrow('units ms, s and m (no hours)');
    expect(fluxDurationPattern('ImageRepository', 'timeout').test('1h')).toBe(false);
    expect(fluxDurationPattern('ImageRepository', 'interval').test('1h')).toBe(true);
  });

  it('writes long timeouts of kinds without hours in minutes', () => {
    expect(toFluxDuration('90m', 'GitRepository', 'timeout')).toBe('90m0s');
    expect(toFluxDuration('61m30.5s', 'ImageRepository', 'timeout')).toBe('61m30.5s');
    expect(toFluxDuration('60m', 'Bucket', 'timeout')).toBe('60m0s');
  });

  it('keeps sub-millisecond values as typed (Go would write µs, which the CRD refuses)', () => {
    expect(toFluxDuration('0.5ms', 'GitRepository', 'interval')).toBe('0.5ms');
  });
});
