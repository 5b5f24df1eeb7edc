/**
 * Which of the offered media types an Accept header prefers (RFC 9110 §12.5.1): the highest q,
 * exact types over wildcards of the same q, and the first offered on a tie (so a browser's `*∕*`
 * gets the first). Null when none is acceptable (an unreadable q counts as 0); no header accepts the first.
 */
export function preferredType(accept: string | undefined, offered: readonly string[]): string | null {
  if (!accept?.trim()) return offered[0] ?? null;
  const ranges = accept
    .slice(0, 2000)
    .split(',')
    .map((part) => {
      const [range = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      const weight = q ? Number(q.slice(2)) : 1;
      return { range, weight: Number.isFinite(weight) ? Math.min(Math.max(weight, 0), 1) : 0 };
    });
  let best: { type: string; weight: number; exact: boolean } | null = null;
  for (const type of offered) {
    const [major] = type.split('/');
    for (const { range, weight } of ranges) {
      const exact = range === type;
      if (!exact && range !== '*/*' && range !== `${major}/*`) continue;
      if (weight <= 0) continue;
      if (!best || weight > best.weight || (weight === best.weight && exact && !best.exact))
        best = { type, weight, exact };
    }
  }
  return best?.type ?? null;
}
