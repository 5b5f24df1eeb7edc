import type { Db } from '../db/connection.js';

export interface PendingCodeLink {
  id: number;
  paperId: string;
  url: string;
  proposedBy: string;
  createdAt: string;
}

export interface ApprovedCodeLink {
  url: string;
  /** Stars of an approved GitHub repository, as last checked; null: unknown or not GitHub. */
  stars: number | null;
}

/** Records a member's proposal; false when that link was already proposed for that paper. */
export async function insertCodeLinkProposal(
  db: Db,
  proposal: { paperId: string; url: string; proposedBy: string },
  now = new Date(),
): Promise<boolean> {
  const rows = await db.kysely
    .insertInto('code_link_proposals')
    .values({
      paper_id: proposal.paperId,
      url: proposal.url,
      proposed_by: proposal.proposedBy,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['paper_id', 'url']).doNothing())
    .returning('id')
    .execute();
  return rows.length > 0;
}

/** Withdraws a member's proposals still waiting for a moderator (their account is deleted); decided ones stay. */
export async function deletePendingCodeLinksOf(db: Db, userId: string): Promise<void> {
  await db.kysely
    .deleteFrom('code_link_proposals')
    .where('proposed_by', '=', userId)
    .where('status', '=', 'pending')
    .execute();
}

/** The moderation queue, oldest first. */
export async function listPendingCodeLinks(db: Db, limit = 100): Promise<PendingCodeLink[]> {
  const rows = await db.kysely
    .selectFrom('code_link_proposals')
    .innerJoin('users', 'users.id', 'code_link_proposals.proposed_by')
    .select([
      'code_link_proposals.id',
      'code_link_proposals.paper_id',
      'code_link_proposals.url',
      'users.username',
      'code_link_proposals.created_at',
    ])
    .where('code_link_proposals.status', '=', 'pending')
    .orderBy('code_link_proposals.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    paperId: r.paper_id,
    url: r.url,
    proposedBy: r.username,
    createdAt: r.created_at,
  }));
}

/** Approves or rejects a pending proposal; null when there is no such pending one (decided already). */
export async function decideCodeLinkProposal(
  db: Db,
  id: number,
  status: 'approved' | 'rejected',
  now = new Date(),
): Promise<{ paperId: string; url: string } | null> {
  const row = await db.kysely
    .updateTable('code_link_proposals')
    .set({ status, decided_at: now.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning(['paper_id', 'url'])
    .executeTakeFirst();
  return row ? { paperId: row.paper_id, url: row.url } : null;
}

/** A paper's approved links, oldest first, with the stars of GitHub ones. */
export async function approvedCodeLinks(db: Db, paperId: string): Promise<ApprovedCodeLink[]> {
  return db.kysely
    .selectFrom('code_link_proposals')
    .leftJoin('github_repos', (join) =>
      join.onRef('github_repos.url', '=', 'code_link_proposals.url').on('github_repos.status', '=', 'ok'),
    )
    .select(['code_link_proposals.url', 'github_repos.stars'])
    .where('code_link_proposals.paper_id', '=', paperId)
    .where('code_link_proposals.status', '=', 'approved')
    .orderBy('code_link_proposals.id')
    .execute();
}
