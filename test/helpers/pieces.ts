/** `body` cut at `cuts` (byte offsets, in any order, out of range ones ignored), as a socket might deliver it. */
export function pieces(body: string | Buffer, cuts: readonly number[] = []): Buffer[] {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b)) {
    out.push(bytes.subarray(from, cut));
    from = cut;
  }
  out.push(bytes.subarray(from));
  return out;
}
