/** Retrieval quality measures over a ranked list of ids and the set judged relevant (binary judgments) or graded judgments. */

/** Normalised discounted cumulative gain of the first k results. */
export function ndcgAt(ranked: string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return 0;
  let dcg = 0;
  ranked.slice(0, k).forEach((id, rank) => {
    if (relevant.has(id)) dcg += 1 / Math.log2(rank + 2);
  });
  let ideal = 0;
  for (let rank = 0; rank < Math.min(k, relevant.size); rank++) ideal += 1 / Math.log2(rank + 2);
  return dcg / ideal;
}

/** The share of the relevant ids found in the first k results. */
export function recallAt(ranked: string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return 0;
  return new Set(ranked.slice(0, k).filter((id) => relevant.has(id))).size / relevant.size;
}

/**
 * nDCG of the first k results with graded judgments (gain = grade), over the judged papers only:
 * unjudged ids are dropped from the ranking before cutting at k (a condensed list, as CSFCube
 * scores its judged pools), so a system is not punished for papers nobody judged.
 */
export function gradedNdcgAt(ranked: string[], grades: ReadonlyMap<string, number>, k: number): number {
  const ideal = [...grades.values()]
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, grade, rank) => sum + grade / Math.log2(rank + 2), 0);
  if (ideal === 0) return 0;
  const dcg = ranked
    .filter((id) => grades.has(id))
    .slice(0, k)
    .reduce((sum, id, rank) => sum + grades.get(id)! / Math.log2(rank + 2), 0);
  return dcg / ideal;
}
