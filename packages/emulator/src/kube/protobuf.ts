// Just enough of the Kubernetes protobuf wire format to read a SelfSubjectAccessReview, which
// kubectl's typed clients send as `application/vnd.kubernetes.protobuf` (apimachinery
// runtime/serializer/protobuf: the "k8s\0" magic, then a runtime.Unknown wrapping the object).
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

type Fields = Map<number, Buffer[]>;

function varint(buf: Buffer, at: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at >= buf.length) throw new Error('truncated protobuf varint');
    const b = buf[at++]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return [value, at];
    shift += 7;
  }
}

/** Length-delimited fields by number (varint fields are skipped: the review has only strings and messages). */
function fields(buf: Buffer): Fields {
  const out: Fields = new Map();
  let at = 0;
  while (at < buf.length) {
    const [tag, next] = varint(buf, at);
    at = next;
    const wire = tag & 7;
    if (wire === 0) [, at] = varint(buf, at);
    else if (wire === 2) {
      const [len, start] = varint(buf, at);
      if (!out.has(tag >>> 3)) out.set(tag >>> 3, []);
      out.get(tag >>> 3)!.push(buf.subarray(start, start + len));
      at = start + len;
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return out;
}

const text = (f: Fields, n: number): string => f.get(n)?.[0]?.toString('utf8') ?? '';
const message = (f: Fields, n: number): Fields | undefined => {
  const b = f.get(n)?.[0];
  return b ? fields(b) : undefined;
};

/** The JSON form of a protobuf SelfSubjectAccessReview (authorization/v1 generated.proto field numbers). */
export function decodeAccessReview(body: Buffer): Record<string, unknown> {
  if (!body.subarray(0, 4).equals(MAGIC)) throw new Error('missing protobuf magic');
  const unknown = fields(body.subarray(4));
  const review = fields(unknown.get(2)?.[0] ?? Buffer.alloc(0));
  const spec = message(review, 2) ?? new Map();
  const ra = message(spec, 1);
  const nra = message(spec, 2);
  const out: Record<string, unknown> = {};
  if (ra) {
    const names = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
    out.resourceAttributes = Object.fromEntries(names.map((k, i) => [k, text(ra, i + 1)]).filter(([, v]) => v !== ''));
  }
  if (nra) out.nonResourceAttributes = { path: text(nra, 1), verb: text(nra, 2) };
  return { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: out };
}
