import type { ContentWord } from '../src/search/lsa.js';

/** A top-ranked paper read as feedback: its content words and its retrieval score. */
export interface FeedbackPaper {
  words: ContentWord[];
  score: number;
}

export interface ExpansionTerm {
  /** The stem's most frequent written form in the feedback papers (what a word search is given). */
  word: string;
  term: string;
  /** Its relevance-model probability, P(term | feedback), over the kept terms. */
  weight: number;
}

/**
 * Pseudo-relevance feedback terms (RM3, Lavrenko & Croft 2001; Abdul-Jaleel et al. 2004): each
 * stem scores Σ over the feedback papers of the paper's share of the scores × the stem's share
 * of the paper's words. The query's own stems are left out (the original query keeps them), and
 * so are stems only one paper uses: on a handful of papers those are that paper's topic, not the
 * query's. The best `count`, with weights summing to 1.
 */
export function expansionTerms(
  feedback: FeedbackPaper[],
  queryTerms: ReadonlySet<string>,
  count: number,
): ExpansionTerm[] {
  const totalScore = feedback.reduce((sum, p) => sum + Math.max(p.score, 0), 0);
  const scores = new Map<string, { score: number; papers: number; forms: Map<string, number> }>();
  for (const paper of feedback) {
    if (paper.words.length === 0) continue;
    const share = totalScore > 0 ? Math.max(paper.score, 0) / totalScore : 1 / feedback.length;
    const seen = new Set<string>();
    for (const { word, term } of paper.words) {
      if (queryTerms.has(term)) continue;
      let entry = scores.get(term);
      if (!entry) {
        entry = { score: 0, papers: 0, forms: new Map() };
        scores.set(term, entry);
      }
      entry.score += share / paper.words.length;
      entry.forms.set(word, (entry.forms.get(word) ?? 0) + 1);
      if (!seen.has(term)) {
        seen.add(term);
        entry.papers++;
      }
    }
  }
  const kept = [...scores]
    .filter(([, e]) => e.papers >= 2 && e.score > 0)
    .sort((x, y) => y[1].score - x[1].score || (x[0] < y[0] ? -1 : 1))
    .slice(0, count);
  const total = kept.reduce((sum, [, e]) => sum + e.score, 0);
  return kept.map(([term, e]) => ({
    term,
    word: [...e.forms].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]![0],
    weight: e.score / total,
  }));
}
