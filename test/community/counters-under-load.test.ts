import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { getComment, insertComment, setCommentHidden, softDeleteComment } from '../../src/store/comments.js';
import { createUser } from '../../src/store/users.js';
import { papersWithDriftedCounts, setVote } from '../../src/store/votes.js';
import { testDatabases } from '../helpers/db.js';
import { paperRow, storedPaper } from './fixtures.js';

const WRITERS = 1000;

/** Every denormalised counter (papers.upvotes, papers.num_comments) equals its rows after 1,000 concurrent writers. */
describe.each(testDatabases({ poolSize: 20 }))('counters under 1,000 concurrent writers on $dialect', ({ create }) => {
  let db: Db;
  let users: string[];
  beforeAll(async () => {
    db = await create();
    users = [];
    for (let i = 0; i < WRITERS; i++) {
      users.push((await createUser(db, { email: `w${i}@example.org`, username: `writer${i}`, passwordHash: null })).id);
    }
  }, 120_000);
  afterAll(async () => db?.close());

  const visibleComments = async (paperId: string) =>
    Number(
      (
        await db.kysely
          .selectFrom('comments')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('paper_id', '=', paperId)
          .where('deleted_at', 'is', null)
          .where('hidden', '=', 0)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('counts every comment written, hidden and deleted at once', async () => {
    const { id: paperId } = await storedPaper(db);
    const ids = await Promise.all(
      users.map((userId, i) =>
        insertComment(db, { paperId, userId, parentId: null, body: `comment ${i}`, html: `<p>comment ${i}</p>` }),
      ),
    );
    expect((await paperRow(db, paperId)).num_comments).toBe(WRITERS);

    const comments = await Promise.all(ids.map((id) => getComment(db, id)));
    await Promise.all(
      comments.map((comment, i) => {
        if (i % 3 === 0) return softDeleteComment(db, comment!);
        if (i % 3 === 1) return setCommentHidden(db, comment!, true);
        return insertComment(db, {
          paperId,
          userId: users[i]!,
          parentId: comment!.id,
          body: 'a reply',
          html: '<p>a reply</p>',
        });
      }),
    );
    // A third deleted, a third hidden, and the last third kept with one reply each.
    const expected = 2 * comments.filter((_, i) => i % 3 === 2).length;
    expect(await visibleComments(paperId)).toBe(expected);
    expect((await paperRow(db, paperId)).num_comments).toBe(expected);
  }, 120_000);

  it('counts every vote cast and withdrawn at once', async () => {
    const { id: paperId } = await storedPaper(db);
    await Promise.all(users.map((userId) => setVote(db, userId, paperId, true)));
    expect((await paperRow(db, paperId)).upvotes).toBe(WRITERS);
    await Promise.all(users.filter((_, i) => i % 4 === 0).map((userId) => setVote(db, userId, paperId, false)));
    expect((await paperRow(db, paperId)).upvotes).toBe(WRITERS - WRITERS / 4);
    expect(await papersWithDriftedCounts(db)).toEqual([]);
  }, 120_000);
});
