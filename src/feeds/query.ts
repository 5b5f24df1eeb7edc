import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import { nameKey } from '../store/paper-text.js';
import { searchLexical } from '../search/lexical.js';
import type { FeedParams } from './params.js';

/**
 * A feed's papers in order, with only the columns that decide what the feed shows: the feed's
 * fingerprint (version.ts), read again whenever the cached feed is due for a check (service.ts).
 * Only a changed fingerprint makes the full papers load and the feed render again.
 */
export interface FeedEntry {
  id: string;
  featured_on: string | null;
  published_on: string | null;
  modified_at: string;
  upvotes: number;
  num_comments: number;
}

/** How many best search matches a search feed orders by date or trend. */
const SEARCH_CANDIDATES = 1000;

export async function selectFeedEntries(db: Db, params: FeedParams): Promise<FeedEntry[]> {
  let query = db.kysely
    .selectFrom('papers')
    .select(['id', 'featured_on', 'published_on', 'modified_at', 'upvotes', 'num_comments'])
    .where('hidden', '=', 0);
  if (params.q) {
    const hits = await searchLexical(db, { text: params.q, limit: SEARCH_CANDIDATES });
    if (hits.length === 0) return [];
    query = query.where(
      'id',
      'in',
      hits.map((h) => h.id),
    );
  } else {
    query = query.where('featured_on', 'is not', null);
  }
  if (params.categories.length > 0) {
    query = query.where(
      'id',
      'in',
      db.kysely.selectFrom('paper_categories').select('paper_id').where('category', 'in', params.categories),
    );
  }
  if (params.excludedCategories.length > 0) {
    query = query.where(
      'id',
      'not in',
      db.kysely.selectFrom('paper_categories').select('paper_id').where('category', 'in', params.excludedCategories),
    );
  }
  if (params.author) {
    query = query.where(
      'id',
      'in',
      db.kysely.selectFrom('paper_authors').select('paper_id').where('name_key', '=', nameKey(params.author)),
    );
  }
  if (params.minUpvotes > 0) query = query.where('upvotes', '>=', params.minUpvotes);

  if (params.view === 'trending') {
    query = query
      .orderBy('trending_score', 'desc')
      .orderBy('upvotes', 'desc')
      .orderBy('featured_on', (o) => (params.q ? o.desc().nullsLast() : o.desc()));
  } else if (params.q) {
    // A search spans papers never featured: those count from their publication day.
    query = query
      .orderBy(sql`coalesce(featured_on, published_on)`, (o) => o.desc().nullsLast())
      .orderBy('upvotes', 'desc');
  } else {
    // The day lists' own order, newest day first: most upvoted, ties to the earlier submission.
    query = query.orderBy('featured_on', 'desc').orderBy('upvotes', 'desc').orderBy('submitted_at', 'asc');
  }
  return query.orderBy('id', 'asc').limit(params.limit).execute();
}
