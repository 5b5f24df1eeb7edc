import type { Db } from '../db/connection.js';
import type { FollowKind } from '../db/schema.js';

export type { FollowKind };

/** What a member can follow: an author (by normalised name), an arXiv category, or a saved search. */
export const FOLLOW_KINDS: readonly FollowKind[] = ['author', 'category', 'search'];

/** A member follows at most this many things: each follow is a query when their recommendations are ranked. */
export const MAX_FOLLOWS = 100;

export interface Follow {
  kind: FollowKind;
  target: string;
  createdAt: string;
  /** Also a topic of the member's email digest. */
  inDigest: boolean;
}

export class TooManyFollowsError extends Error {
  constructor() {
    super(`you follow ${MAX_FOLLOWS} things already; unfollow one first`);
    this.name = 'TooManyFollowsError';
  }
}

/** Follows something (again: no change). Refuses a follow past MAX_FOLLOWS. */
export async function addFollow(
  db: Db,
  userId: string,
  kind: FollowKind,
  target: string,
  now = new Date(),
): Promise<void> {
  const existing = await db.kysely
    .selectFrom('follows')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  if (Number(existing.n) >= MAX_FOLLOWS && !(await isFollowing(db, userId, kind, target)))
    throw new TooManyFollowsError();
  await db.kysely
    .insertInto('follows')
    .values({ user_id: userId, kind, target, created_at: now.toISOString() })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Stops following; false when it was not followed. */
export async function removeFollow(db: Db, userId: string, kind: FollowKind, target: string): Promise<boolean> {
  const result = await db.kysely
    .deleteFrom('follows')
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('target', '=', target)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function isFollowing(db: Db, userId: string, kind: FollowKind, target: string): Promise<boolean> {
  const row = await db.kysely
    .selectFrom('follows')
    .select('target')
    .where('user_id', '=', userId)
    .where('kind', '=', kind)
    .where('target', '=', target)
    .executeTakeFirst();
  return row !== undefined;
}

/** A member's follows, newest first. */
export async function listFollows(db: Db, userId: string): Promise<Follow[]> {
  const rows = await db.kysely
    .selectFrom('follows')
    .select(['kind', 'target', 'created_at', 'in_digest'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('target')
    .limit(MAX_FOLLOWS)
    .execute();
  return rows.map(toFollow);
}

function toFollow(row: { kind: FollowKind; target: string; created_at: string; in_digest: number }): Follow {
  return { kind: row.kind, target: row.target, createdAt: row.created_at, inDigest: row.in_digest !== 0 };
}

/** Makes a follow a digest topic, or stops it being one; false when it is not followed. */
export async function setFollowInDigest(
  db: Db,
  userId: string,
  follow: { kind: FollowKind; target: string },
  inDigest: boolean,
): Promise<boolean> {
  const result = await db.kysely
    .updateTable('follows')
    .set({ in_digest: inDigest ? 1 : 0 })
    .where('user_id', '=', userId)
    .where('kind', '=', follow.kind)
    .where('target', '=', follow.target)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The follows these members made digest topics, oldest first (the order their sections come in), by member. */
export async function digestFollowsOf(db: Db, userIds: readonly string[]): Promise<Map<string, Follow[]>> {
  const byMember = new Map<string, Follow[]>();
  for (let i = 0; i < userIds.length; i += 500) {
    const rows = await db.kysely
      .selectFrom('follows')
      .select(['user_id', 'kind', 'target', 'created_at', 'in_digest'])
      .where('user_id', 'in', userIds.slice(i, i + 500))
      .where('in_digest', '=', 1)
      .orderBy('created_at')
      .orderBy('target')
      .execute();
    for (const row of rows) byMember.set(row.user_id, [...(byMember.get(row.user_id) ?? []), toFollow(row)]);
  }
  return byMember;
}
