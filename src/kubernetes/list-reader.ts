import { JsonArrayReader } from '../daemon/json-array-reader.js';
import { MalformedJsonError } from '../daemon/decode.js';

/*
 * Reads a Kubernetes list answer (`{"kind":…,"metadata":{…},"items":[…]}`) as it arrives, handing
 * each item to `each` and keeping only what it returns: a LIST of 10,000 Deployments (24 MB, and
 * several times that as parsed objects) is never held whole. The envelope before and after the
 * items is small and is parsed whole at the end, with `[]` standing for the items; the items go
 * through JsonArrayReader, which JSON.parse-checks every one, so the whole answer is checked as
 * JSON.parse would check it. An answer that is not shaped so (no `"items":[` near its start) is
 * read whole and its items, if it has a list of them, handed over the same way.
 */

const ITEMS = Buffer.from('"items":[');
/** How far into the answer the items may start (its metadata is a few hundred bytes). */
const HEAD_LIMIT = 1 << 16;

/** The answer is not JSON: the API client words it for the user. */
export class NotJsonError extends Error {}

export type EachItem = (item: unknown, index: number) => unknown;

export class KubeListReader {
  private head: Buffer[] = [];
  private whole = false;
  private prefix = '';
  private list: JsonArrayReader<unknown> | undefined;
  private count = 0;

  constructor(private readonly each: EachItem) {}

  push(chunk: Buffer): void {
    if (this.list !== undefined) return notJson(() => this.list?.push(chunk));
    this.head.push(chunk);
    if (this.whole) return;
    const text = Buffer.concat(this.head);
    this.head = [text];
    const at = text.indexOf(ITEMS);
    if (at < 0) {
      this.whole = text.length > HEAD_LIMIT;
      return;
    }
    this.prefix = text.subarray(0, at).toString('utf8');
    if (!opensObject(this.prefix)) {
      this.whole = true;
      return;
    }
    this.head = [];
    this.list = new JsonArrayReader((v) => this.each(v, this.count++), () => null, 'list', { keepTail: true });
    notJson(() => this.list?.push(text.subarray(at + ITEMS.length - 1)));
  }

  /** The answer, its items replaced by what `each` returned for them. */
  end(): unknown {
    if (this.list === undefined) {
      const answer = notJson(() => JSON.parse(Buffer.concat(this.head).toString('utf8')) as unknown);
      const items = (answer as { items?: unknown } | null)?.items;
      if (Array.isArray(items)) (answer as { items: unknown[] }).items = items.map((v, i) => this.each(v, i));
      return answer;
    }
    const list = this.list;
    const items = notJson(() => list.end());
    const envelope = notJson(() => JSON.parse(`${this.prefix}"items":[]${list.tail().toString('utf8')}`) as Record<string, unknown>);
    envelope.items = items;
    return envelope;
  }
}

/** The text before `"items":[` opens the top-level object: `{`, or `{` and fields then a comma. */
function opensObject(prefix: string): boolean {
  const body = prefix.trim();
  try {
    const o: unknown = JSON.parse(body === '{' ? '{}' : `${body.replace(/,$/, '')}}`);
    return typeof o === 'object' && o !== null && !Array.isArray(o) && body.startsWith('{');
  } catch {
    return false;
  }
}

/** Runs a step, turning a JSON syntax error (not an item's own decoding error) into NotJsonError. */
function notJson<T>(step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof SyntaxError || e instanceof MalformedJsonError) throw new NotJsonError(e.message);
    throw e;
  }
}
