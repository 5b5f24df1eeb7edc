import { randomBytes } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/connection.js';
import { withTransaction } from '../db/transaction.js';
import type { Role, UsersTable } from '../db/schema.js';

export interface User {
  id: string;
  email: string;
  username: string;
  role: Role;
  bannedAt: string | null;
  createdAt: string;
}

export interface UserWithPassword extends User {
  passwordHash: string | null;
  emailConfirmedAt: string | null;
}

/** The public read shape: never the password hash. */
function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    role: row.role,
    bannedAt: row.banned_at,
    createdAt: row.created_at,
  };
}

/** The credential read shape, for the checks that need the password (login, changes that ask for it). */
function toUserWithPassword(row: Selectable<UsersTable>): UserWithPassword {
  return { ...toUser(row), passwordHash: row.password_hash, emailConfirmedAt: row.email_confirmed_at };
}

/** Accounts that exist: a deleted account's tombstone row answers no lookup. */
function liveUsers(db: Db) {
  return db.kysely.selectFrom('users').selectAll().where('deleted_at', 'is', null);
}

export class DuplicateUserError extends Error {
  constructor(readonly field: 'email' | 'username') {
    super(field === 'email' ? 'An account with that email address already exists.' : 'That username is taken.');
    this.name = 'DuplicateUserError';
  }
}

export interface NewUser {
  email: string;
  username: string;
  passwordHash: string | null;
  role?: Role;
  now?: Date;
  /** False for a sign-up from the web, until a link mailed to the address is followed. */
  emailConfirmed?: boolean;
}

/** Creates an account; a taken email or username raises DuplicateUserError (checked again by the UNIQUE constraints). */
export async function createUser(db: Db, input: NewUser): Promise<User> {
  const createdAt = (input.now ?? new Date()).toISOString();
  const row = {
    id: `u_${randomBytes(9).toString('base64url')}`,
    email: input.email.toLowerCase(),
    username: input.username,
    password_hash: input.passwordHash,
    role: input.role ?? 'member',
    banned_at: null,
    created_at: createdAt,
    email_confirmed_at: input.emailConfirmed === false ? null : createdAt,
  } as const;
  const inserted = await db.kysely
    .insertInto('users')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return toUser(inserted);
  const clash = await db.kysely.selectFrom('users').select('email').where('email', '=', row.email).executeTakeFirst();
  throw new DuplicateUserError(clash ? 'email' : 'username');
}

/** Records that the owner of an account's address followed a link mailed to it; true the first time. */
export async function confirmEmail(db: Db, userId: string, now = new Date()): Promise<boolean> {
  const result = await db.kysely
    .updateTable('users')
    .set({ email_confirmed_at: now.toISOString() })
    .where('id', '=', userId)
    .where('email_confirmed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function findUserByEmail(db: Db, email: string): Promise<User | null> {
  const row = await liveUsers(db).where('email', '=', email.toLowerCase()).executeTakeFirst();
  return row ? toUser(row) : null;
}

/** An account by address with its password hash, for logging in and changing the password. */
export async function findCredentialsByEmail(db: Db, email: string): Promise<UserWithPassword | null> {
  const row = await liveUsers(db).where('email', '=', email.toLowerCase()).executeTakeFirst();
  return row ? toUserWithPassword(row) : null;
}

/**
 * The members whose confirmed, unbanned accounts use these addresses (lower-cased), by address: whose
 * signals and follows a digest to that address may read.
 */
export async function membersByEmail(db: Db, emails: readonly string[]): Promise<Map<string, string>> {
  const members = new Map<string, string>();
  for (let i = 0; i < emails.length; i += 500) {
    const rows = await db.kysely
      .selectFrom('users')
      .select(['id', 'email'])
      .where('email', 'in', emails.slice(i, i + 500))
      .where('email_confirmed_at', 'is not', null)
      .where('banned_at', 'is', null)
      .execute();
    for (const row of rows) members.set(row.email, row.id);
  }
  return members;
}

export async function findUserByUsername(db: Db, username: string): Promise<User | null> {
  const row = await liveUsers(db).where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function getUser(db: Db, id: string): Promise<User | null> {
  const row = await liveUsers(db).where('id', '=', id).executeTakeFirst();
  return row ? toUser(row) : null;
}

/** An account with its password hash, for checks that need the current password. */
export async function getUserWithPassword(db: Db, id: string): Promise<UserWithPassword | null> {
  const row = await liveUsers(db).where('id', '=', id).executeTakeFirst();
  return row ? toUserWithPassword(row) : null;
}

export async function setRole(db: Db, userId: string, role: Role): Promise<void> {
  await db.kysely.updateTable('users').set({ role }).where('id', '=', userId).execute();
}

/** Sets a new password hash and ends every other session and unused login link of the account. */
export async function setPasswordHash(
  db: Db,
  userId: string,
  hash: string,
  keepSessionHash: string | null,
): Promise<void> {
  await withTransaction(db, async (tx) => {
    await tx.kysely.updateTable('users').set({ password_hash: hash }).where('id', '=', userId).execute();
    let sessions = tx.kysely.deleteFrom('sessions').where('user_id', '=', userId);
    if (keepSessionHash) sessions = sessions.where('token_hash', '!=', keepSessionHash);
    await sessions.execute();
    await tx.kysely.deleteFrom('login_links').where('user_id', '=', userId).where('used_at', 'is', null).execute();
  });
}

/** Bans or unbans; a ban also ends every session and revokes every API token of the account. */
export async function setBanned(db: Db, userId: string, banned: boolean, now = new Date()): Promise<void> {
  await withTransaction(db, async (tx) => {
    await tx.kysely
      .updateTable('users')
      .set({ banned_at: banned ? now.toISOString() : null })
      .where('id', '=', userId)
      .execute();
    if (banned) {
      await tx.kysely.deleteFrom('sessions').where('user_id', '=', userId).execute();
      await tx.kysely.deleteFrom('api_tokens').where('user_id', '=', userId).execute();
    }
  });
}

/** How submissions, comments and log entries of a deleted account are credited; no username can be this (it has a space). */
export const DELETED_MEMBER = 'deleted member';

/** What a member owns that goes with their account; their comments stay (see tombstoneUser). */
const MEMBER_OWNED_TABLES = [
  'sessions',
  'login_links',
  'api_tokens',
  'email_changes',
  'personal_feeds',
  'library_items',
  'collections',
  'follows',
  'paper_dismissals',
] as const;

/**
 * Turns an account into its tombstone, in the caller's transaction: the row stays for the comments and
 * moderation log entries that point at it, with an email and username no sign-up can give (so the real
 * ones are free again) and no password, and everything in MEMBER_OWNED_TABLES of the account is deleted
 * (collections with their papers). False when there is no such live account.
 */
export async function tombstoneUser(tx: Db, userId: string, now = new Date()): Promise<boolean> {
  const result = await tx.kysely
    .updateTable('users')
    .set({
      email: `deleted:${userId}`,
      username: `~${userId}`,
      password_hash: null,
      role: 'member',
      email_confirmed_at: null,
      deleted_at: now.toISOString(),
    })
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  for (const table of MEMBER_OWNED_TABLES) await tx.kysely.deleteFrom(table).where('user_id', '=', userId).execute();
  return true;
}

export interface ApiToken {
  id: number;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export async function createApiToken(
  db: Db,
  userId: string,
  name: string,
  tokenHash: string,
  now = new Date(),
): Promise<ApiToken> {
  const row = await db.kysely
    .insertInto('api_tokens')
    .values({ user_id: userId, name, token_hash: tokenHash, created_at: now.toISOString(), last_used_at: null })
    .returning(['id', 'name', 'created_at', 'last_used_at'])
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at };
}

export async function listApiTokens(db: Db, userId: string): Promise<ApiToken[]> {
  const rows = await db.kysely
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: Number(r.id), name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
}

/** Revokes one of the user's tokens; false when the user has no such token. */
export async function revokeApiToken(db: Db, userId: string, tokenId: number): Promise<boolean> {
  const result = await db.kysely
    .deleteFrom('api_tokens')
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The active (not banned) owner of a token hash, marking the token used. */
export async function userForApiToken(db: Db, tokenHash: string, now = new Date()): Promise<User | null> {
  const row = await db.kysely
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select('api_tokens.last_used_at')
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('users.banned_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  // Record use at most once a minute: a write per scripted request would be wasted work.
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > 60_000) {
    await db.kysely
      .updateTable('api_tokens')
      .set({ last_used_at: now.toISOString() })
      .where('token_hash', '=', tokenHash)
      .execute();
  }
  return toUser(row);
}
