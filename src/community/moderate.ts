import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import type { Db } from '../db/connection.js';
import type { Role } from '../db/schema.js';
import { withTransaction } from '../db/transaction.js';
import { parsePaperId } from '../ingest/normalize.js';
import { getComment, setCommentHidden } from '../store/comments.js';
import { appendModerationLog } from '../store/moderation.js';
import { getPaper, setPaperHidden } from '../store/papers.js';
import { findUserByUsername, setBanned, setRole } from '../store/users.js';
import { setVotesCounted } from '../store/votes.js';
import type { Auth } from './credentials.js';
import { HttpError, invalidInput } from '../errors.js';

type Moderator = Auth['user'];

export const reasonSchema = z.string().trim().max(500, 'Keep the reason under 500 characters.').default('');

export function parseReason(reason: unknown): string {
  const parsed = reasonSchema.safeParse(reason ?? '');
  if (!parsed.success) throw invalidInput(parsed.error);
  return parsed.data;
}

/** Hides a paper from every list and its page (or shows it again), and logs it. */
export async function setPaperVisibility(
  db: Db,
  moderator: Moderator,
  rawPaperId: string,
  hidden: boolean,
  reason: unknown,
): Promise<void> {
  const why = parseReason(reason);
  const id = parsePaperId(rawPaperId)?.id;
  const paper = id ? await getPaper(db, id) : null;
  if (!paper) throw new HttpError(404, `There is no paper ${rawPaperId.slice(0, 100)}.`);
  if (paper.hidden === hidden) throw new HttpError(409, `That paper is already ${hidden ? 'hidden' : 'visible'}.`);
  await withTransaction(db, async (tx) => {
    await setPaperHidden(tx, paper.id, hidden);
    await appendModerationLog(tx, {
      moderatorId: moderator.id,
      action: hidden ? 'hide_paper' : 'unhide_paper',
      targetType: 'paper',
      targetId: paper.id,
      reason: why,
    });
  });
}

/** Hides a comment's text from readers (or shows it again), and logs it; returns its paper's id. */
export async function setCommentVisibility(
  db: Db,
  moderator: Moderator,
  commentId: number,
  hidden: boolean,
  reason: unknown,
): Promise<string> {
  const why = parseReason(reason);
  const comment = await getComment(db, commentId);
  if (!comment) throw new HttpError(404, 'There is no such comment.');
  if (comment.hidden === hidden) throw new HttpError(409, `That comment is already ${hidden ? 'hidden' : 'visible'}.`);
  await withTransaction(db, async (tx) => {
    await setCommentHidden(tx, comment, hidden);
    await appendModerationLog(tx, {
      moderatorId: moderator.id,
      action: hidden ? 'hide_comment' : 'unhide_comment',
      targetType: 'comment',
      targetId: String(comment.id),
      reason: why,
    });
  });
  return comment.paperId;
}

const rank: Record<Role, number> = { member: 0, moderator: 1, admin: 2 };

/** How many paper ids a vote recount lists in the log before "and N more". */
const LOGGED_PAPERS = 20;

function papersList(ids: string[]): string {
  const more = ids.length - LOGGED_PAPERS;
  return ids.slice(0, LOGGED_PAPERS).join(', ') + (more > 0 ? ` and ${more} more` : '');
}

/**
 * Bans (ending every session and API token) or unbans an account. A ban also stops the account's
 * votes from counting, and an unban counts them again: the affected papers' upvotes and trending
 * scores are re-derived in the same transaction, and the log says which. Moderators can ban members;
 * only admins can ban moderators; admins cannot be banned and nobody can ban themselves.
 */
export async function setUserBan(
  { db, credentials }: Pick<AppContext, 'db' | 'credentials'>,
  moderator: Moderator,
  username: string,
  banned: boolean,
  reason: unknown,
): Promise<void> {
  const why = parseReason(reason);
  const target = await findUserByUsername(db, username.trim());
  if (!target) throw new HttpError(404, `There is no user ${username.slice(0, 40)}.`);
  if (target.id === moderator.id) throw new HttpError(403, 'You cannot ban yourself.');
  if (target.role === 'admin' || rank[target.role] >= rank[moderator.role])
    throw new HttpError(403, `Only an admin can ban a ${target.role}; admins cannot be banned.`);
  if ((target.bannedAt !== null) === banned)
    throw new HttpError(409, `${target.username} is already ${banned ? 'banned' : 'not banned'}.`);
  await withTransaction(db, async (tx) => {
    await setBanned(tx, target.id, banned);
    await appendModerationLog(tx, {
      moderatorId: moderator.id,
      action: banned ? 'ban_user' : 'unban_user',
      targetType: 'user',
      targetId: target.username,
      reason: why,
    });
    const recounted = await setVotesCounted(tx, target.id, !banned);
    if (recounted.length > 0) {
      const reason = `votes on ${recounted.length} paper${recounted.length === 1 ? '' : 's'} recounted: ${papersList(recounted)}`;
      await appendModerationLog(tx, {
        moderatorId: moderator.id,
        action: banned ? 'discount_votes' : 'count_votes',
        targetType: 'user',
        targetId: target.username,
        reason,
      });
    }
  });
  credentials.forgetAccount(target.id);
}

export const roleSchema = z.enum(['member', 'moderator', 'admin'], {
  error: 'The role must be member, moderator or admin.',
});

/** Admins appoint and remove moderators and admins. */
export async function changeRole(
  { db, credentials }: Pick<AppContext, 'db' | 'credentials'>,
  admin: Moderator,
  username: string,
  role: unknown,
  reason: unknown,
): Promise<void> {
  if (admin.role !== 'admin') throw new HttpError(403, 'Only admins can change roles.');
  const parsedRole = roleSchema.safeParse(role);
  if (!parsedRole.success) throw invalidInput(parsedRole.error);
  const why = parseReason(reason);
  const target = await findUserByUsername(db, username.trim());
  if (!target) throw new HttpError(404, `There is no user ${username.slice(0, 40)}.`);
  if (target.id === admin.id) throw new HttpError(403, 'You cannot change your own role.');
  if (target.role === parsedRole.data) throw new HttpError(409, `${target.username} is already a ${target.role}.`);
  await withTransaction(db, async (tx) => {
    await setRole(tx, target.id, parsedRole.data);
    await appendModerationLog(tx, {
      moderatorId: admin.id,
      action: 'set_role',
      targetType: 'user',
      targetId: target.username,
      reason: why ? `${parsedRole.data}: ${why}` : parsedRole.data,
    });
  });
  credentials.forgetAccount(target.id);
}
