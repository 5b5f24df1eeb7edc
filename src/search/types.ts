/** The shapes every search mode shares, so callers (API, pages, CLI, feeds) don't depend on how a mode works. */
import type { Db } from '../db/connection.js';
import type { EmbedderCache } from './embedder.js';
import type { VectorIndexes } from './vector-index.js';

/** What a search needs: the database, and the loaded models of it that its app context keeps. */
export interface SearchContext {
  db: Db;
  embedders: EmbedderCache;
  vectorIndexes: VectorIndexes;
}

export type SearchMode = 'lexical' | 'semantic' | 'hybrid';
export const SEARCH_MODES: readonly SearchMode[] = ['lexical', 'semantic', 'hybrid'];

/** How a result list is ordered: best match, newest, or most upvoted. */
export const SEARCH_SORTS = ['relevance', 'date', 'upvotes'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export interface SearchHit {
  id: string;
  /** Higher is better; only comparable within one result list. */
  score: number;
}

/** Narrows the candidates; every mode honours all of them. */
export interface SearchFilters {
  /** Published on or after this day (YYYY-MM-DD). */
  from?: string;
  /** Published on or before this day (YYYY-MM-DD). */
  to?: string;
  /** arXiv categories such as `cs.CL`; a paper matches when it has any of them. */
  categories?: string[];
  /** arXiv categories whose papers are left out (`-cs.CY`). */
  excludedCategories?: string[];
  /** Words and phrases (letters and digits, space-separated) no matching paper has (`-word`), by the full-text index. */
  excludedWords?: string[];
  /** A name (or part of one) that must appear among the paper's authors. */
  author?: string;
}

export interface SearchRequest {
  text: string;
  mode?: SearchMode;
  filters?: SearchFilters;
  limit: number;
  offset?: number;
  /** False (a server answering requests): semantic ranking only once the vector index is ready, never waiting for it. */
  waitForIndex?: boolean;
}

export interface SearchOptions {
  /** The words to look for, without the `au:` and `cat:` parts (those are in the filters). */
  text: string;
  mode: SearchMode | undefined;
  filters: SearchFilters;
  sort: SearchSort;
}
