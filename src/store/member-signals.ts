import type { Db } from '../db/connection.js';

/**
 * What a member's own actions say about their taste, for "For you": the papers they upvoted or
 * saved (liked), the ones they marked "not interested", and which papers they have dealt with
 * already. Read across votes, library_items and paper_dismissals; hidden papers say nothing.
 */

export interface SignalPaper {
  id: string;
  title: string;
  abstract: string;
  /** Saved outranks upvoted: a paper both saved and upvoted is "saved". */
  signal: 'upvoted' | 'saved';
  at: string;
}

/** The member's most recently liked visible papers (upvotes and saves), newest first, at most `limit`. */
export async function likedPapers(db: Db, userId: string, limit: number): Promise<SignalPaper[]> {
  const [saves, votes] = await Promise.all([
    db.kysely
      .selectFrom('library_items as l')
      .innerJoin('papers as p', 'p.id', 'l.paper_id')
      .select(['p.id', 'p.title', 'p.abstract', 'l.saved_at as at'])
      .where('l.user_id', '=', userId)
      .where('p.hidden', '=', 0)
      .orderBy('l.saved_at', 'desc')
      .limit(limit)
      .execute(),
    db.kysely
      .selectFrom('votes as v')
      .innerJoin('papers as p', 'p.id', 'v.paper_id')
      .select(['p.id', 'p.title', 'p.abstract', 'v.created_at as at'])
      .where('v.user_id', '=', userId)
      .where('p.hidden', '=', 0)
      .orderBy('v.created_at', 'desc')
      .limit(limit)
      .execute(),
  ]);
  const liked = new Map<string, SignalPaper>();
  for (const row of saves) liked.set(row.id, { ...row, signal: 'saved' });
  for (const row of votes) if (!liked.has(row.id)) liked.set(row.id, { ...row, signal: 'upvoted' });
  return [...liked.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);
}

/** The member's most recent "not interested" papers, newest first, at most `limit`. */
export async function dismissedPapers(
  db: Db,
  userId: string,
  limit: number,
): Promise<{ id: string; title: string; abstract: string }[]> {
  return db.kysely
    .selectFrom('paper_dismissals as d')
    .innerJoin('papers as p', 'p.id', 'd.paper_id')
    .select(['p.id', 'p.title', 'p.abstract'])
    .where('d.user_id', '=', userId)
    .where('p.hidden', '=', 0)
    .orderBy('d.created_at', 'desc')
    .limit(limit)
    .execute();
}

/** Which of these papers the member has upvoted, saved or marked "not interested" (none of them is recommended). */
export async function papersDealtWith(db: Db, userId: string, paperIds: string[]): Promise<Set<string>> {
  const dealt = new Set<string>();
  for (let start = 0; start < paperIds.length; start += 500) {
    const ids = paperIds.slice(start, start + 500);
    const rows = await db.kysely
      .selectFrom('votes')
      .select('paper_id')
      .where('user_id', '=', userId)
      .where('paper_id', 'in', ids)
      .union((eb) =>
        eb.selectFrom('library_items').select('paper_id').where('user_id', '=', userId).where('paper_id', 'in', ids),
      )
      .union((eb) =>
        eb.selectFrom('paper_dismissals').select('paper_id').where('user_id', '=', userId).where('paper_id', 'in', ids),
      )
      .execute();
    for (const row of rows) dealt.add(row.paper_id);
  }
  return dealt;
}
