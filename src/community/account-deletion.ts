import type { AppContext } from '../app/context.js';
import { withTransaction } from '../db/transaction.js';
import { HttpError } from '../errors.js';
import { deletePendingCodeLinksOf } from '../store/code-link-proposals.js';
import { recreditSubmissions } from '../store/papers.js';
import { deleteSubscriberByEmail } from '../store/subscriptions.js';
import { DELETED_MEMBER, getUser, tombstoneUser } from '../store/users.js';
import { deleteVotesOf } from '../store/votes.js';
import { provenMember, type AskingMember } from './accounts.js';

/** What a member types to delete their account: the current password and, to confirm, their username. */
export interface AccountDeletion {
  password: string;
  confirm: string;
}

/**
 * Deletes the asking member's account, in one transaction: their votes go (the papers' upvotes and
 * trending scores re-derived from the remaining rows), their submissions stay featured and their
 * comments stay, both credited to DELETED_MEMBER, and everything else they own goes (library,
 * collections, follows, "not interested" marks, private feed, API tokens, sessions, login links,
 * pending email changes, code links still waiting for a moderator, and the digest subscription of their
 * address). Their email and username are free again. Every process forgets their credentials at once. Returns the username that was deleted.
 */
export async function deleteAccount(
  { db, config, credentials }: Pick<AppContext, 'db' | 'config' | 'credentials'>,
  member: AskingMember,
  input: AccountDeletion,
  now = new Date(),
): Promise<string> {
  // The typed username first: it costs nothing, where checking the password costs a deliberately slow hash.
  const named = await getUser(db, member.userId);
  if (named && input.confirm.trim().toLowerCase() !== named.username.toLowerCase())
    throw new HttpError(400, `To confirm, type your username, ${named.username}.`);
  const user = await provenMember(db, config, member, input.password, 'delete the account', now);
  await withTransaction(db, async (tx) => {
    if (!(await tombstoneUser(tx, user.id, now))) throw new HttpError(404, 'There is no such account.');
    await recreditSubmissions(tx, user.username, DELETED_MEMBER, now);
    await deleteSubscriberByEmail(tx, user.email);
    await deletePendingCodeLinksOf(tx, user.id);
    await deleteVotesOf(tx, user.id);
  });
  credentials.forgetAccount(user.id);
  return user.username;
}
