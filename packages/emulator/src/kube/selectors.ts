// Label and field selectors, parsed the way apimachinery's pkg/labels and pkg/fields do.
// Syntax errors throw SelectorError; the router answers them with 400 BadRequest.
import type { Labels } from './types.js';

export class SelectorError extends Error {}

type Op = 'in' | 'notin' | '=' | '!=' | 'exists' | '!' | 'gt' | 'lt';
interface Requirement {
  key: string;
  op: Op;
  values: string[];
}
export type Matcher = (labels: Labels | undefined) => boolean;

type Token = { t: 'id' | '!' | '=' | '==' | '!=' | '(' | ')' | ',' | '>' | '<' | 'end'; v: string };

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) { i++; continue; }
    const two = input.slice(i, i + 2);
    if (two === '==' || two === '!=') { tokens.push({ t: two, v: two }); i += 2; continue; }
    if ('!=(),<>'.includes(c)) { tokens.push({ t: c as Token['t'], v: c }); i++; continue; }
    let j = i;
    while (j < input.length && !/\s/.test(input[j]!) && !'!=(),<>'.includes(input[j]!)) j++;
    tokens.push({ t: 'id', v: input.slice(i, j) });
    i = j;
  }
  tokens.push({ t: 'end', v: 'end of string' });
  return tokens;
}

// [prefix/]name: a DNS-subdomain prefix and a 63-character qualified name.
const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const PREFIX = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

function checkKey(key: string): void {
  const parts = key.split('/');
  const ok = parts.length === 1 ? NAME.test(key) : parts.length === 2 && PREFIX.test(parts[0]!) && NAME.test(parts[1]!);
  if (!ok) throw new SelectorError(`unable to parse requirement: key: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
}

function checkValue(value: string): void {
  if (!VALUE.test(value)) throw new SelectorError(`unable to parse requirement: values[0]: Invalid value: "${value}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`);
}

function parseLabels(input: string): Requirement[] {
  const toks = lex(input);
  let pos = 0;
  const peek = (): Token => toks[pos]!;
  const next = (): Token => toks[pos++]!;
  const fail = (tok: Token, expected: string): never => {
    throw new SelectorError(`unable to parse requirement: found '${tok.v}', expected: ${expected}`);
  };
  const reqs: Requirement[] = [];
  if (peek().t === 'end') return reqs;
  for (;;) {
    let tok = next();
    if (tok.t === '!') {
      const key = next();
      if (key.t !== 'id') fail(key, 'identifier');
      checkKey(key.v);
      reqs.push({ key: key.v, op: '!', values: [] });
    } else {
      if (tok.t !== 'id') fail(tok, 'identifier');
      const key = tok.v;
      checkKey(key);
      const op = peek();
      if (op.t === ',' || op.t === 'end') {
        reqs.push({ key, op: 'exists', values: [] });
      } else if (op.t === 'id' && (op.v === 'in' || op.v === 'notin')) {
        next();
        const open = next();
        if (open.t !== '(') fail(open, "'('");
        const values: string[] = [];
        for (;;) {
          tok = peek();
          if (tok.t === 'id') { checkValue(tok.v); values.push(tok.v); next(); tok = peek(); }
          else values.push('');
          if (tok.t === ')') { next(); break; }
          if (tok.t !== ',') fail(tok, "',', ')' or identifier");
          next();
        }
        reqs.push({ key, op: op.v, values: [...new Set(values)] });
      } else if (op.t === '=' || op.t === '==' || op.t === '!=') {
        next();
        const value = peek().t === 'id' ? next().v : '';
        checkValue(value);
        reqs.push({ key, op: op.t === '!=' ? '!=' : '=', values: [value] });
      } else if (op.t === '>' || op.t === '<') {
        next();
        const value = next();
        if (value.t !== 'id' || !/^-?\d+$/.test(value.v)) fail(value, 'integer');
        reqs.push({ key, op: op.t === '>' ? 'gt' : 'lt', values: [value.v] });
      } else {
        fail(op, "'=', '!=', '==', 'in', notin'");
      }
    }
    const sep = next();
    if (sep.t === 'end') return reqs;
    if (sep.t !== ',') fail(sep, "',' or 'end of string'");
  }
}

function matches(r: Requirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, r.key);
  const v = labels[r.key];
  switch (r.op) {
    case 'exists': return has;
    case '!': return !has;
    case '=':
    case 'in': return has && r.values.includes(v!);
    case '!=':
    case 'notin': return !has || !r.values.includes(v!);
    case 'gt':
    case 'lt': {
      if (!has || !/^-?\d+$/.test(v!)) return false;
      const n = Number(v);
      const limit = Number(r.values[0]);
      return r.op === 'gt' ? n > limit : n < limit;
    }
  }
}

/** Parses a label selector; an empty or absent one matches everything. */
export function labelSelector(input: string | null | undefined): Matcher {
  const reqs = parseLabels(input ?? '');
  return (labels) => reqs.every((r) => matches(r, labels ?? {}));
}

/** Field selectors: `a=b`, `a==b`, `a!=b`, comma-separated; keys limited per resource. */
export function fieldSelector(input: string | null | undefined, supported: readonly string[]): (fields: Record<string, string>) => boolean {
  const terms: Array<{ key: string; neg: boolean; value: string }> = [];
  for (const part of (input ?? '').split(',')) {
    if (part.trim() === '') continue;
    const m = /^\s*([^!=\s]+)\s*(==|!=|=)\s*(.*?)\s*$/.exec(part);
    if (!m) throw new SelectorError(`invalid selector: '${input}'; can't understand '${part}'`);
    const [, key, op, value] = m as unknown as [string, string, string, string];
    if (!supported.includes(key)) throw new SelectorError(`field label not supported: ${key}`);
    terms.push({ key, neg: op === '!=', value });
  }
  return (fields) => terms.every((t) => (fields[t.key] === t.value) !== t.neg);
}
