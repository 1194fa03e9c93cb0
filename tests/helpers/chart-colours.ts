/** What the tests read of a chart's spec about its colours. */

/** The label → colour of a chart's scenario colour scale (every `color` on the `label` field). */
export function labelColours(spec: unknown): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      const c = o.color as { field?: string; scale?: { domain: string[]; range: string[] } };
      if (c?.field === 'label' && c.scale)
        c.scale.domain.forEach((d, i) => {
          found[d] = c.scale!.range[i]!;
        });
      Object.values(o).forEach(walk);
    }
  };
  walk(spec);
  return found;
}
