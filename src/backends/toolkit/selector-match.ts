import type { LabelSelector } from './decode-automation.js';

/*
 * metav1.LabelSelector matching (apimachinery LabelSelectorAsSelector): every matchLabels pair
 * and every expression must hold; an empty selector matches everything. An unknown operator
 * makes the selector invalid, which the controllers treat as an error, so nothing matches.
 */

function requirementHolds(labels: ReadonlyMap<string, string> | null, key: string, operator: string, values: readonly string[]): boolean {
  const value = labels?.get(key);
  switch (operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      return false;
  }
}

/** Whether `labels` satisfy `selector`; a null selector matches everything. */
export function selectorMatches(selector: LabelSelector | null, labels: ReadonlyMap<string, string> | null): boolean {
  if (selector === null) return true;
  for (const [k, v] of selector.matchLabels ?? []) if (labels?.get(k) !== v) return false;
  return selector.matchExpressions.every((r) => requirementHolds(labels, r.key, r.operator, r.values));
}
