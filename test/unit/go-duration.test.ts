import { describe, expect, it } from 'vitest';
import { formatGoDuration, GoDurationError, nsToMs, parseGoDuration } from '../../src/util/go-duration.js';

// Every expected value below is what Go 1.19's time.ParseDuration / Duration.String() returned
// for the same input. Note "5 minutes" is an unknown unit (" minutes"), not an invalid duration:
// Go reads the number, then takes every following byte up to a digit or '.' as the unit.
describe('parseGoDuration', () => {
  it.each<[string, bigint]>([
    ["0", 0n],
    ["+0", 0n],
    ["-0", 0n],
    ["1ns", 1n],
    ["1us", 1000n],
    ["1\u00b5s", 1000n], // micro sign
    ["1\u03bcs", 1000n], // Greek mu
    ["1ms", 1000000n],
    ["1s", 1000000000n],
    ["1m", 60000000000n],
    ["1h", 3600000000000n],
    ["1m0s", 60000000000n],
    ["90s", 90000000000n],
    ["1m30s", 90000000000n],
    ["1.5h", 5400000000000n],
    ["1.5s", 1500000000n],
    [".5s", 500000000n],
    ["5.s", 5000000000n],
    ["-1.5h", -5400000000000n],
    ["+5m", 300000000000n],
    ["1h1h", 7200000000000n],
    ["2h45m", 9900000000000n],
    ["1h0.5m", 3630000000000n],
    ["0.1ns", 0n],
    ["0.9ns", 0n],
    ["1.0000000001s", 1000000000n],
    ["0.333333333333333333333h", 1200000000000n],
    ["100.00000000000000000001ms", 100000000n],
    ["9223372036854775807ns", 9223372036854775807n],
    ["-9223372036854775808ns", -9223372036854775808n],
    ["2562047h47m16.854775807s", 9223372036854775807n],
    ["2562047h47m16.854775807999s", 9223372036854775807n],
    ["-2562047h47m16.854775808s", -9223372036854775808n],
    ["01s", 1000000000n],
  ])('%j is %s ns', (input, want) => {
    expect(parseGoDuration(input)).toBe(want);
  });

  // Go's time package quotes with its own quote(): non-ASCII and control bytes as \xNN.
  it.each<[string, string]>([
    ["9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\""],
    ["-9223372036854775809ns", "time: invalid duration \"-9223372036854775809ns\""],
    ["2562047h47m16.854775808s", "time: invalid duration \"2562047h47m16.854775808s\""],
    ["2562048h", "time: invalid duration \"2562048h\""],
    ["18446744073709551616ns", "time: invalid duration \"18446744073709551616ns\""],
    ["", "time: invalid duration \"\""],
    ["-", "time: invalid duration \"-\""],
    ["+", "time: invalid duration \"+\""],
    ["5 minutes", "time: unknown unit \" minutes\" in duration \"5 minutes\""],
    ["5", "time: missing unit in duration \"5\""],
    ["1d", "time: unknown unit \"d\" in duration \"1d\""],
    ["1.5", "time: missing unit in duration \"1.5\""],
    ["s", "time: invalid duration \"s\""],
    ["h5", "time: invalid duration \"h5\""],
    [".s", "time: invalid duration \".s\""],
    ["-.s", "time: invalid duration \"-.s\""],
    ["1h5", "time: missing unit in duration \"1h5\""],
    ["1 h", "time: unknown unit \" h\" in duration \"1 h\""],
    [" 1h", "time: invalid duration \" 1h\""],
    ["1h ", "time: unknown unit \"h \" in duration \"1h \""],
    ["1e3s", "time: unknown unit \"e\" in duration \"1e3s\""],
    ["0x10s", "time: unknown unit \"x\" in duration \"0x10s\""],
    ["--1s", "time: invalid duration \"--1s\""],
    ["1hh", "time: unknown unit \"hh\" in duration \"1hh\""],
    ["1sm", "time: unknown unit \"sm\" in duration \"1sm\""],
    ["1é", "time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\""],
    ["5\"x", "time: unknown unit \"\\\"x\" in duration \"5\\\"x\""],
    ["1\\s", "time: unknown unit \"\\\\s\" in duration \"1\\\\s\""],
    ["1\tm", "time: unknown unit \"\\x09m\" in duration \"1\\x09m\""],
    ["1µ", "time: unknown unit \"\\xc2\\xb5\" in duration \"1\\xc2\\xb5\""],
    ["NaN", "time: invalid duration \"NaN\""],
    ["1..5s", "time: missing unit in duration \"1..5s\""],
    ["1.2.3s", "time: missing unit in duration \"1.2.3s\""],
    ["1m-1s", "time: unknown unit \"m-\" in duration \"1m-1s\""],
    ["00", "time: missing unit in duration \"00\""],
  ])('%j fails with Go\'s message', (input, message) => {
    let caught: unknown;
    try {
      parseGoDuration(input);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(GoDurationError);
    expect((caught as Error).message).toBe(message);
  });
});

describe('formatGoDuration', () => {
  it.each<[bigint, string]>([
    [0n, "0s"],
    [1n, "1ns"],
    [999n, "999ns"],
    [1000n, "1µs"],
    [1001n, "1.001µs"],
    [1500n, "1.5µs"],
    [999999n, "999.999µs"],
    [1000000n, "1ms"],
    [1500000n, "1.5ms"],
    [1234567n, "1.234567ms"],
    [999999999n, "999.999999ms"],
    [1000000000n, "1s"],
    [1000000001n, "1.000000001s"],
    [1500000000n, "1.5s"],
    [59999999999n, "59.999999999s"],
    [60000000000n, "1m0s"],
    [90000000000n, "1m30s"],
    [3599999999999n, "59m59.999999999s"],
    [3600000000000n, "1h0m0s"],
    [5400000000000n, "1h30m0s"],
    [86400000000000n, "24h0m0s"],
    [-1n, "-1ns"],
    [-1500n, "-1.5µs"],
    [-1500000000n, "-1.5s"],
    [-5400000000000n, "-1h30m0s"],
    [9223372036854775807n, "2562047h47m16.854775807s"],
    [-9223372036854775808n, "-2562047h47m16.854775808s"],
    [100000000n, "100ms"],
    [1100n, "1.1µs"],
  ])('%s ns is %j', (ns, want) => {
    expect(formatGoDuration(ns)).toBe(want);
  });

  it('rejects values outside int64', () => {
    expect(() => formatGoDuration(1n << 63n)).toThrow(RangeError);
    expect(() => formatGoDuration(-(1n << 63n) - 1n)).toThrow(RangeError);
  });

  it('round-trips through parseGoDuration', () => {
    let seed = 99n;
    for (let n = 0; n < 1000; n++) {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) % (1n << 64n);
      const ns = BigInt.asIntN(64, seed) >> BigInt(n % 60);
      expect(parseGoDuration(formatGoDuration(ns))).toBe(ns);
    }
  });
});

describe('nsToMs', () => {
  it.each<[bigint, number]>([
    [0n, 0],
    [60_000_000_000n, 60_000],
    [1_999_999n, 1],
    [-1_999_999n, -1],
    [999_999n, 0],
  ])('%s ns is %s ms', (ns, ms) => {
    expect(nsToMs(ns)).toBe(ms);
  });
});
