import type { Db } from '../db/connection.js';
import { searchLexical } from './lexical.js';
import type { SearchHit, SearchRequest } from './types.js';

/** Asked for a mode this installation cannot serve (e.g. no vectors computed yet). */
export class SearchModeUnavailable extends Error {}

/** One entry point for every caller: dispatches on the mode, best hits first. */
export async function searchPapers(db: Db, request: SearchRequest): Promise<SearchHit[]> {
  const mode = request.mode ?? 'lexical';
  if (mode === 'lexical') return searchLexical(db, request);
  throw new SearchModeUnavailable(`${mode} search is not available`);
}
