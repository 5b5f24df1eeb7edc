import type { Db } from '../db/connection.js';
import { withTransaction } from '../db/transaction.js';

export interface DueRepo {
  url: string;
  etag: string | null;
}

/** What a check found: a count (new, or the same as before: 304), no such repository, or a failure to retry sooner. */
export type RepoCheck =
  | { kind: 'stars'; stars: number; etag: string | null }
  | { kind: 'unchanged' }
  | { kind: 'missing' }
  | { kind: 'error' };

/**
 * Adds the repositories papers link to, and those moderators approved for papers, that are not
 * tracked yet (each checked first on the next run).
 */
export async function trackLinkedRepos(db: Db): Promise<void> {
  await db.kysely
    .insertInto('github_repos')
    .columns(['url'])
    .expression((eb) => eb.selectFrom('papers').select('github_url').distinct().where('github_url', 'is not', null))
    .onConflict((oc) => oc.column('url').doNothing())
    .execute();
  await db.kysely
    .insertInto('github_repos')
    .columns(['url'])
    .expression((eb) =>
      eb
        .selectFrom('code_link_proposals')
        .select('url')
        .distinct()
        .where('status', '=', 'approved')
        .where('url', 'like', 'https://github.com/%'),
    )
    .onConflict((oc) => oc.column('url').doNothing())
    .execute();
}

/** The repositories whose check is due at `now`, never checked first, then the longest waiting. */
export async function dueRepos(db: Db, now: Date, limit: number): Promise<DueRepo[]> {
  return db.kysely
    .selectFrom('github_repos')
    .select(['url', 'etag'])
    .where('next_check_at', '<=', now.toISOString())
    .orderBy('next_check_at')
    .orderBy('url')
    .limit(limit)
    .execute();
}

/**
 * Records a check and when the next is due, and copies the count to the papers linking there
 * (a repository that is gone leaves them without one).
 */
export async function recordRepoCheck(db: Db, url: string, check: RepoCheck, now: Date, nextAt: Date): Promise<void> {
  const times = { checked_at: now.toISOString(), next_check_at: nextAt.toISOString() };
  await withTransaction(db, async ({ kysely }) => {
    if (check.kind === 'unchanged' || check.kind === 'error') {
      const status = check.kind === 'error' ? 'error' : 'ok';
      await kysely
        .updateTable('github_repos')
        .set({ ...times, status })
        .where('url', '=', url)
        .execute();
      return;
    }
    const stars = check.kind === 'stars' ? check.stars : null;
    const etag = check.kind === 'stars' ? check.etag : null;
    const status = check.kind === 'stars' ? 'ok' : 'missing';
    await kysely
      .updateTable('github_repos')
      .set({ ...times, stars, etag, status })
      .where('url', '=', url)
      .execute();
    await kysely.updateTable('papers').set({ github_stars: stars }).where('github_url', '=', url).execute();
  });
}

/** Gives papers that link to an already-checked repository its count (a paper stored after the check). */
export async function copyKnownStars(db: Db): Promise<void> {
  await db.kysely
    .updateTable('papers')
    .set((eb) => ({
      github_stars: eb
        .selectFrom('github_repos')
        .select('stars')
        .whereRef('github_repos.url', '=', 'papers.github_url')
        .where('github_repos.status', '=', 'ok'),
    }))
    .where('github_url', 'is not', null)
    .where('github_stars', 'is', null)
    .execute();
}

/** Moves every check due before `until` to then: the API's rate limit is spent until that moment. */
export async function deferChecksUntil(db: Db, until: Date): Promise<void> {
  await db.kysely
    .updateTable('github_repos')
    .set({ next_check_at: until.toISOString() })
    .where('next_check_at', '<', until.toISOString())
    .execute();
}
