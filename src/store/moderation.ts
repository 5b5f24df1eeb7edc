import type { Db } from '../db/connection.js';

export type ModerationAction =
  | 'hide_paper'
  | 'unhide_paper'
  | 'hide_comment'
  | 'unhide_comment'
  | 'ban_user'
  | 'unban_user'
  | 'discount_votes'
  | 'count_votes'
  | 'set_role'
  | 'approve_code_link'
  | 'reject_code_link';

export interface ModerationEntry {
  id: number;
  /** Null when the moderator's account was deleted. */
  moderator: string | null;
  action: ModerationAction;
  targetType: 'paper' | 'comment' | 'user';
  targetId: string;
  reason: string;
  createdAt: string;
}

/** Appends to the moderation log (the table refuses updates and deletes). */
export async function appendModerationLog(
  db: Db,
  entry: {
    moderatorId: string;
    action: ModerationAction;
    targetType: ModerationEntry['targetType'];
    targetId: string;
    reason: string;
  },
  now = new Date(),
): Promise<void> {
  await db.kysely
    .insertInto('moderation_log')
    .values({
      moderator_id: entry.moderatorId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      reason: entry.reason,
      created_at: now.toISOString(),
    })
    .execute();
}

/** Newest first. */
export async function listModerationLog(
  db: Db,
  options: { limit?: number; offset?: number } = {},
): Promise<ModerationEntry[]> {
  const rows = await db.kysely
    .selectFrom('moderation_log')
    .innerJoin('users', 'users.id', 'moderation_log.moderator_id')
    .select([
      'moderation_log.id',
      'users.username',
      'users.deleted_at',
      'moderation_log.action',
      'moderation_log.target_type',
      'moderation_log.target_id',
      'moderation_log.reason',
      'moderation_log.created_at',
    ])
    .orderBy('moderation_log.id', 'desc')
    .limit(options.limit ?? 100)
    .offset(options.offset ?? 0)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    moderator: r.deleted_at ? null : r.username,
    action: r.action as ModerationAction,
    targetType: r.target_type as ModerationEntry['targetType'],
    targetId: r.target_id,
    reason: r.reason,
    createdAt: r.created_at,
  }));
}
