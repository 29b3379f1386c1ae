// The JSONPath subset CRD printer columns use: `.a.b`, `['dotted.key']`, `[0]`, `[*]` and
// filters like `[?(@.type=="Ready")]` (client-go's jsonpath, as apiextensions evaluates them).
import { isPlainObject } from './util.js';

type Step = { field: string } | { index: number } | { all: true } | { filter: { path: string[]; value: string } };

function parse(path: string): Step[] {
  const steps: Step[] = [];
  let rest = path.trim().replace(/^\{(.*)\}$/, '$1').replace(/^\$/, '');
  while (rest.length > 0) {
    let m: RegExpExecArray | null;
    if ((m = /^\.([^.[\]]+)/.exec(rest))) steps.push({ field: m[1]! });
    else if ((m = /^\[['"]([^'"]+)['"]\]/.exec(rest))) steps.push({ field: m[1]! });
    else if ((m = /^\[(\d+)\]/.exec(rest))) steps.push({ index: Number(m[1]) });
    else if ((m = /^\[\*\]/.exec(rest))) steps.push({ all: true });
    else if ((m = /^\[\?\(@((?:\.[^.=!\s]+)+)\s*==\s*(?:"([^"]*)"|'([^']*)')\)\]/.exec(rest))) {
      steps.push({ filter: { path: m[1]!.slice(1).split('.'), value: m[2] ?? m[3] ?? '' } });
    } else throw new Error(`unsupported JSONPath ${path}`);
    rest = rest.slice(m[0].length);
  }
  return steps;
}

function dig(v: unknown, path: string[]): unknown {
  let cur = v;
  for (const k of path) cur = isPlainObject(cur) ? cur[k] : undefined;
  return cur;
}

/** Every value the path selects, in document order (empty when nothing matches). */
export function evaluate(obj: unknown, path: string): unknown[] {
  let current: unknown[] = [obj];
  for (const step of parse(path)) {
    const next: unknown[] = [];
    for (const v of current) {
      if ('field' in step) {
        if (isPlainObject(v) && v[step.field] !== undefined) next.push(v[step.field]);
      } else if ('index' in step) {
        if (Array.isArray(v) && step.index < v.length) next.push(v[step.index]);
      } else if ('all' in step) {
        if (Array.isArray(v)) next.push(...v);
        else if (isPlainObject(v)) next.push(...Object.values(v));
      } else if (Array.isArray(v)) {
        const { path: p, value } = step.filter;
        next.push(...v.filter((e) => String(dig(e, p)) === value));
      }
    }
    current = next;
  }
  return current;
}
