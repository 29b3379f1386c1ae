/** A `--k8s-fwd-labels`-style value pflag's stringToString would reject; the message is pflag's. */
export class StringToStringError extends Error {
  override name = 'StringToStringError';
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const NL = 0x0a;

/** Go's csv.Reader line reads: up to and including "\n", "\r\n" folded to "\n", a final "\r" dropped. */
function splitCsvLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  while (start < bytes.length) {
    const nl = bytes.indexOf(NL, start);
    let line = bytes.subarray(start, nl < 0 ? bytes.length : nl + 1);
    start += line.length;
    const n = line.length;
    if (nl < 0 && line[n - 1] === 0x0d) line = line.subarray(0, n - 1);
    else if (n >= 2 && line[n - 2] === 0x0d && line[n - 1] === NL) line = Buffer.concat([line.subarray(0, n - 2), Buffer.from('\n')]);
    lines.push(line);
  }
  return lines;
}

const lengthNL = (b: Buffer): number => (b.length > 0 && b[b.length - 1] === NL ? 1 : 0);

// Go's csv.ParseError text; the record's first line is named only when the error is on a later one.
function parseError(recLine: number, line: number, column: number, what: string): StringToStringError {
  const where = recLine === line ? '' : `record on line ${recLine}; `;
  return new StringToStringError(`${where}parse error on line ${line}, column ${column}: ${what}`);
}

/**
 * The first record of Go's encoding/csv Reader with default settings (RFC 4180 quoting, no
 * lazy quotes). Columns are 1-based byte offsets, as Go 1.17+ reports them.
 */
function readCsvRecord(value: string): string[] {
  const lines = splitCsvLines(Buffer.from(value, 'utf8'));
  let lineNo = 0;
  let line: Buffer | undefined;
  // Empty lines before the record are skipped.
  while ((line = lines[lineNo++]) !== undefined && line.length === lengthNL(line));
  if (line === undefined) throw new StringToStringError('EOF');
  const recLine = lineNo;
  const fields: string[] = [];
  let field: Buffer[] = [];
  let col = 1;
  for (;;) {
    if (line.length === 0 || line[0] !== QUOTE) {
      const i = line.indexOf(COMMA);
      const text = i >= 0 ? line.subarray(0, i) : line.subarray(0, line.length - lengthNL(line));
      const q = text.indexOf(QUOTE);
      if (q >= 0) throw parseError(recLine, lineNo, col + q, 'bare " in non-quoted-field');
      fields.push(text.toString('utf8'));
      if (i < 0) return fields;
      line = line.subarray(i + 1);
      col += i + 1;
      continue;
    }
    line = line.subarray(1);
    col += 1;
    for (;;) {
      const i = line.indexOf(QUOTE);
      if (i >= 0) {
        field.push(line.subarray(0, i));
        line = line.subarray(i + 1);
        col += i + 1;
        if (line[0] === QUOTE) {
          field.push(line.subarray(0, 1));
          line = line.subarray(1);
          col += 1;
        } else if (line[0] === COMMA) {
          line = line.subarray(1);
          col += 1;
          fields.push(Buffer.concat(field).toString('utf8'));
          field = [];
          break;
        } else if (lengthNL(line) === line.length) {
          fields.push(Buffer.concat(field).toString('utf8'));
          return fields;
        } else {
          throw parseError(recLine, lineNo, col - 1, 'extraneous or missing " in quoted-field');
        }
      } else if (line.length > 0) {
        // A quoted field may run on over the next lines.
        field.push(line);
        col += line.length;
        const next = lines[lineNo];
        // A lone final "\r" reads as an empty line, which Go treats like end of input.
        if (next === undefined || next.length === 0) {
          line = Buffer.alloc(0);
        } else {
          lineNo++;
          line = next;
          col = 1;
        }
      } else {
        throw parseError(recLine, lineNo, col, 'extraneous or missing " in quoted-field');
      }
    }
  }
}

const malformed = (element: string): StringToStringError =>
  new StringToStringError(`${element} must be formatted as key=value`);

/** Pairs from one use of a pflag stringToString flag (`k=v`, or a CSV record `k=v,k2=v2`). */
export function parseStringToString(value: string): Array<[string, string]> {
  const equals = value.split('=').length - 1;
  let elements: string[];
  if (equals === 0) throw malformed(value);
  if (equals === 1) {
    // pflag trims quotes off the whole element, so `a="b"` keeps the `"` inside.
    elements = [value.replace(/^"+|"+$/g, '')];
  } else {
    elements = readCsvRecord(value);
  }
  return elements.map((element) => {
    const eq = element.indexOf('=');
    if (eq < 0) throw malformed(element);
    return [element.slice(0, eq), element.slice(eq + 1)];
  });
}

/**
 * Applies one more use of the flag: the first use (`existing` undefined) replaces the default,
 * later uses merge into the map built so far. Returns a new Map.
 */
export function mergeStringToString(
  existing: ReadonlyMap<string, string> | undefined,
  value: string,
): Map<string, string> {
  const next = new Map(existing ?? []);
  for (const [k, v] of parseStringToString(value)) next.set(k, v);
  return next;
}
