/* What a run leaves open in this process: the lifecycle tests compare handle counts before and after. */

/** Live handles by type, leaving out the ones the test runner itself owns. */
export function handles(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const h of process.getActiveResourcesInfo()) if (h !== 'TTYWrap' && h !== 'FSReqCallback') counts.set(h, (counts.get(h) ?? 0) + 1);
  return counts;
}

/** Handle types with more live handles than `before`, once closing ones had up to 2 s to go. */
export async function leftOver(before: Map<string, number>): Promise<string[]> {
  const excess = (): string[] => [...handles()].filter(([t, n]) => n > (before.get(t) ?? 0)).map(([t, n]) => `${t} ×${n - (before.get(t) ?? 0)}`);
  for (let i = 0; i < 100 && excess().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  return excess();
}
