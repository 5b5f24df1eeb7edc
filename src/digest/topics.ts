import { queryTerms } from '../search/lexical.js';
import type { Follow } from '../store/follows.js';

/**
 * What a subscriber follows besides the day's top papers: arXiv categories (`cs.CL`, `hep-th`)
 * and saved searches ("efficient attention") typed into the subscription, and a member's follows made
 * digest topics, which add authors (by normalised name, as follows keep them). A saved search uses the
 * search box's terms (queryTerms) and matches a paper whose title or abstract contains every term as a
 * word or word prefix, so "attention" also finds "attentional".
 */
export type Topic =
  | { kind: 'category'; value: string }
  | { kind: 'search'; value: string; terms: string[] }
  | { kind: 'author'; value: string };

export const MAX_TOPICS = 25;
export const MAX_TOPIC_LENGTH = 100;

const DOTTED_ARCHIVES = 'cs|math|stat|eess|econ|q-bio|q-fin|physics|astro-ph|cond-mat|nlin';
const PLAIN_ARCHIVES = 'hep-th|hep-ph|hep-ex|hep-lat|quant-ph|gr-qc|nucl-th|nucl-ex|math-ph|astro-ph|cond-mat|nlin';
const CATEGORY = new RegExp(`^(?:(?:${DOTTED_ARCHIVES})\\.[a-z][a-z-]{0,15}|${PLAIN_ARCHIVES})$`, 'i');

export function parseTopic(text: string): Topic | null {
  const value = text.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (value === '' || value.length > MAX_TOPIC_LENGTH) return null;
  if (CATEGORY.test(value)) return { kind: 'category', value };
  const terms = queryTerms(value);
  return terms.length > 0 ? { kind: 'search', value, terms } : null;
}

/** A follow as a digest topic; null for a followed search without a word to match. */
export function followTopic(follow: Pick<Follow, 'kind' | 'target'>): Topic | null {
  if (follow.kind !== 'search') return { kind: follow.kind, value: follow.target };
  const terms = queryTerms(follow.target);
  return terms.length > 0 ? { kind: 'search', value: follow.target, terms } : null;
}

/** One key per topic whatever its case, so a topic typed and followed makes one section. */
export function topicKey(topic: Topic): string {
  return `${topic.kind}:${topic.value.toLowerCase()}`;
}

export type TopicsResult = { ok: true; topics: Topic[] } | { ok: false; error: string };

/** Validates a subscriber's topic list: at most MAX_TOPICS, each meaningful; duplicates collapse. */
export function parseTopics(input: readonly string[]): TopicsResult {
  if (input.length > MAX_TOPICS)
    return { ok: false, error: `at most ${MAX_TOPICS} topics per subscription (got ${input.length})` };
  const topics: Topic[] = [];
  const seen = new Set<string>();
  for (const text of input) {
    const topic = parseTopic(text);
    if (!topic)
      return {
        ok: false,
        error: `not a topic: ${JSON.stringify(text.slice(0, 120))} (use an arXiv category such as cs.CL or search words, up to ${MAX_TOPIC_LENGTH} characters)`,
      };
    const key = topicKey(topic);
    if (!seen.has(key)) topics.push(topic);
    seen.add(key);
  }
  return { ok: true, topics };
}

/** A paper as topic matching sees it. */
export interface CandidatePaper {
  id: string;
  title: string;
  abstract: string;
  categories: string[];
  /** The authors' normalised names (nameKey). */
  authorKeys: string[];
  upvotes: number;
  publishedOn: string | null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles a topic into a predicate and a relevance score (higher: terms in the title). */
function compile(topic: Topic): (paper: CandidatePaper) => number {
  if (topic.kind === 'category') {
    const category = topic.value.toLowerCase();
    return (paper) => (paper.categories.some((c) => c.toLowerCase() === category) ? 1 : 0);
  }
  if (topic.kind === 'author') return (paper) => (paper.authorKeys.includes(topic.value) ? 1 : 0);
  const patterns = topic.terms.map((t) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(t)}`, 'iu'));
  return (paper) => {
    const title = paper.title.normalize('NFKC');
    const abstract = paper.abstract.normalize('NFKC');
    let score = 1;
    for (const pattern of patterns) {
      if (pattern.test(title)) score += 2;
      else if (!pattern.test(abstract)) return 0;
    }
    return score;
  };
}

/** The papers matching a topic, best first: most upvoted, then most relevant, then newest. */
export function matchTopic(topic: Topic, papers: readonly CandidatePaper[]): CandidatePaper[] {
  const relevance = compile(topic);
  return papers
    .map((paper) => ({ paper, score: relevance(paper) }))
    .filter((m) => m.score > 0)
    .sort(
      (a, b) =>
        b.paper.upvotes - a.paper.upvotes ||
        b.score - a.score ||
        (b.paper.publishedOn ?? '').localeCompare(a.paper.publishedOn ?? '') ||
        a.paper.id.localeCompare(b.paper.id),
    )
    .map((m) => m.paper);
}
