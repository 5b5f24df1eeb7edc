import { z } from 'zod';
import type { Config } from '../config/index.js';
import type { Db } from '../db/connection.js';
import type { Role } from '../db/schema.js';
import { createLoginLink, createSession, consumeLoginLink, sessionStartedAt } from '../store/sessions.js';
import { consumeEmailChange, createEmailChange } from '../store/email-changes.js';
import {
  confirmEmail,
  createApiToken,
  createUser,
  DuplicateUserError,
  findCredentialsByEmail,
  findUserByEmail,
  findUserByUsername,
  getUserWithPassword,
  setPasswordHash,
  type ApiToken,
  type User,
  type UserWithPassword,
} from '../store/users.js';
import { clearLoginFailures, loginFailures, recordLoginFailure } from '../store/login-failures.js';
import { FAILURE_MEMORY_MS, proofKey, secondsToWait, throttleKeys } from './login-throttle.js';
import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, verifyPasswordOrNothing } from './passwords.js';
import { hashToken, newToken } from './tokens.js';
import { HttpError, invalidInput } from '../errors.js';

export const emailSchema = z
  .string()
  .trim()
  .max(254, 'That email address is too long.')
  .pipe(z.email('Enter a valid email address.'))
  .transform((v) => v.toLowerCase());

export const usernameSchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$/,
    'Usernames are 2–32 letters, digits, "-" or "_", starting with a letter or digit.',
  );

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Passwords need at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(MAX_PASSWORD_LENGTH, `Passwords are limited to ${MAX_PASSWORD_LENGTH} characters.`);

export const signupSchema = z.object({ email: emailSchema, username: usernameSchema, password: passwordSchema });

/** What a sign-up from the web mails: a link to a new account, or to the account that already uses the address. */
export type SignUpLink = IssuedLink & { account: 'created' | 'existing' };

/**
 * A sign-up from the web. It answers alike whether the address is new or taken, so it does not
 * tell who has an account: a new address gets an account waiting for confirmation, a taken one
 * nothing new, and either way the address is mailed a login link (its owner learns which case it
 * was). A password is hashed either way, so the time taken tells nothing either. Null: nothing is
 * mailed (a banned account, or a sign-up that raced another for the address).
 */
export async function requestSignUp(
  db: Db,
  config: Config,
  input: unknown,
  now = new Date(),
): Promise<SignUpLink | null> {
  const parsed = signupSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  const { email, username, password } = parsed.data;
  // Usernames are public (profiles, comments), so a taken one is said plainly, and before the address
  // is looked at: otherwise a taken username would be refused for new addresses only.
  if (await findUserByUsername(db, username)) throw new HttpError(409, new DuplicateUserError('username').message);
  const existing = await findUserByEmail(db, email);
  if (existing) {
    await hashPassword(password);
    return existing.bannedAt ? null : { account: 'existing', ...(await loginLinkFor(db, config, existing, now)) };
  }
  try {
    const passwordHash = await hashPassword(password);
    const user = await createUser(db, { email, username, passwordHash, emailConfirmed: false, now });
    return { account: 'created', ...(await loginLinkFor(db, config, user, now)) };
  } catch (error) {
    if (!(error instanceof DuplicateUserError)) throw error;
    if (error.field === 'username') throw new HttpError(409, error.message);
    return null;
  }
}

/** Creates an account at once, its address taken as confirmed (the command line's `user create`). */
export async function signUp(db: Db, input: unknown, role: Role = 'member'): Promise<User> {
  const parsed = signupSchema.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error);
  const { email, username, password } = parsed.data;
  // Checked before the (deliberately slow) hashing; the UNIQUE constraints still settle races.
  if (await findUserByEmail(db, email)) throw new HttpError(409, new DuplicateUserError('email').message);
  if (await findUserByUsername(db, username)) throw new HttpError(409, new DuplicateUserError('username').message);
  try {
    return await createUser(db, { email, username, passwordHash: await hashPassword(password), role });
  } catch (error) {
    if (error instanceof DuplicateUserError) throw new HttpError(409, error.message);
    throw error;
  }
}

/** The one answer to a failed login, whatever failed, so it does not tell whether an account exists. */
export const LOGIN_REFUSAL =
  'Wrong email or password. ' +
  '(A new account logs in once the link we mailed is opened; one without a password, by email link.)';

/**
 * Checks an email and password. An unknown email, an account without a password or not yet
 * confirmed, and a wrong password get the same answer after the same work (a password hash is
 * checked in every case); only the owner, with the right password, learns that it is banned.
 */
export async function authenticate(db: Db, email: string, password: string): Promise<User> {
  const user = await findCredentialsByEmail(db, email.trim());
  const verified = await verifyPasswordOrNothing(password, user?.passwordHash);
  // An unconfirmed sign-up answers like a wrong password: anyone may sign up with any address.
  if (!verified || !user?.emailConfirmedAt) throw new HttpError(401, LOGIN_REFUSAL);
  if (user.bannedAt) throw new HttpError(403, 'This account is banned.');
  return user;
}

function inWords(seconds: number): string {
  const [amount, unit] = seconds < 90 ? [seconds, 'second'] : [Math.ceil(seconds / 60), 'minute'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}

/**
 * A password login from `ip`, slowed down after repeated failures (login-throttle.ts) rather than
 * locked: the wait is a 429 with Retry-After, the same for known and unknown emails.
 */
export async function logIn(db: Db, email: string, password: string, ip: string, now = new Date()): Promise<User> {
  const keys = throttleKeys(email, ip);
  const failures = await loginFailures(db, [keys.pair, keys.account]);
  const wait = Math.max(
    secondsToWait('pair', failures.get(keys.pair), now),
    secondsToWait('account', failures.get(keys.account), now),
  );
  if (wait > 0) {
    const message = `Too many failed logins. Try again in ${inWords(wait)}, or log in with an email link.`;
    throw new HttpError(429, message, { retryAfterSeconds: wait });
  }
  try {
    const user = await authenticate(db, email, password);
    if (failures.has(keys.pair)) await clearLoginFailures(db, keys.pair);
    return user;
  } catch (error) {
    if (error instanceof HttpError && error.statusCode === 401) {
      await recordLoginFailure(db, [keys.pair, keys.account], now, new Date(now.getTime() - FAILURE_MEMORY_MS));
    }
    throw error;
  }
}

export interface NewSession {
  /** The cookie value; only its hash is stored. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function startSession(db: Db, config: Config, userId: string, now = new Date()): Promise<NewSession> {
  const session = {
    token: newToken(),
    csrfToken: newToken(),
    expiresAt: new Date(now.getTime() + config.SESSION_TTL_DAYS * 86_400_000),
  };
  await createSession(
    db,
    { tokenHash: hashToken(session.token), userId, csrfToken: session.csrfToken, expiresAt: session.expiresAt },
    now,
  );
  return session;
}

/**
 * Creates a one-time login link for an existing, active account and returns its URL; null for any
 * other address, which the caller answers alike, so the form does not tell who has an account.
 */
export async function issueLoginLink(
  db: Db,
  config: Config,
  email: string,
  now = new Date(),
): Promise<IssuedLink | null> {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) throw invalidInput(parsed.error);
  const user = await findUserByEmail(db, parsed.data);
  return user && !user.bannedAt ? loginLinkFor(db, config, user, now) : null;
}

export interface IssuedLink {
  user: User;
  url: string;
}

async function loginLinkFor(db: Db, config: Config, user: User, now: Date): Promise<IssuedLink> {
  const token = newToken();
  await createLoginLink(
    db,
    {
      tokenHash: hashToken(token),
      userId: user.id,
      expiresAt: new Date(now.getTime() + config.LOGIN_LINK_TTL_MINUTES * 60_000),
    },
    now,
  );
  return { user, url: `${config.BASE_URL}/login/link?token=${encodeURIComponent(token)}` };
}

const LINK_REFUSALS = {
  unknown: 'That login link is not valid. Ask for a new one.',
  expired: 'That login link has expired. Ask for a new one.',
  used: 'That login link was already used. Each link works once; ask for a new one.',
  banned: 'This account is banned.',
} as const;

export function loginLinkRefusal(reason: keyof typeof LINK_REFUSALS): HttpError {
  return new HttpError(reason === 'banned' ? 403 : 400, LINK_REFUSALS[reason]);
}

/** Spends a login link and returns whose it was; following it proves the address, confirming a sign-up. */
export async function redeemLoginLink(
  db: Db,
  token: string,
  now = new Date(),
): Promise<{ userId: string; signedUp: boolean }> {
  const outcome = await consumeLoginLink(db, hashToken(token), now);
  if (!outcome.ok) throw loginLinkRefusal(outcome.reason);
  // The first link an account follows finishes its sign-up.
  const signedUp = await confirmEmail(db, outcome.userId, now);
  return { userId: outcome.userId, signedUp };
}

export const apiTokenNameSchema = z
  .string()
  .trim()
  .min(1, 'Name the token.')
  .max(80, 'Token names are limited to 80 characters.');

/** Creates an API token; the token itself is returned once and never stored. */
export async function issueApiToken(
  db: Db,
  userId: string,
  name: string,
): Promise<{ token: string; record: ApiToken }> {
  const parsed = apiTokenNameSchema.safeParse(name);
  if (!parsed.success) throw invalidInput(parsed.error);
  const token = newToken('dp_');
  return { token, record: await createApiToken(db, userId, parsed.data, hashToken(token)) };
}

/**
 * Changes a member's password: the current one must be given (an account that logs in only by email link sets
 * its first without). Every other session and unused login link of the account ends; the one asking stays in.
 */
export async function changePassword(
  db: Db,
  email: string,
  input: { current: string; next: string },
  keepSessionHash: string | null,
): Promise<void> {
  const user = await findCredentialsByEmail(db, email);
  if (!user) throw new HttpError(404, 'There is no such account.');
  if (user.passwordHash !== null) await proveCurrentPassword(db, user.id, user.passwordHash, input.current);
  const next = passwordSchema.safeParse(input.next);
  if (!next.success) throw invalidInput(next.error);
  await setPasswordHash(db, user.id, await hashPassword(next.data), keepSessionHash);
}

/**
 * Checks the current password a signed-in member typed again. Wrong ones are counted per account
 * (login-throttle.ts, `proof`): past a few, the next try waits, answered 429 with Retry-After.
 */
async function proveCurrentPassword(
  db: Db,
  userId: string,
  passwordHash: string,
  password: string,
  now = new Date(),
): Promise<void> {
  const key = proofKey(userId);
  const failures = (await loginFailures(db, [key])).get(key);
  const wait = secondsToWait('proof', failures, now);
  if (wait > 0) {
    const message = `Too many wrong passwords. Try again in ${inWords(wait)}.`;
    throw new HttpError(429, message, { retryAfterSeconds: wait });
  }
  if (await verifyPasswordOrNothing(password, passwordHash)) {
    if (failures) await clearLoginFailures(db, key);
    return;
  }
  await recordLoginFailure(db, [key], now, new Date(now.getTime() - FAILURE_MEMORY_MS));
  throw new HttpError(400, 'The current password is not right.');
}

/** Who asks for a change that needs proof it is them: the signed-in account, and how it signed in. */
export interface AskingMember {
  userId: string;
  /** The session's hash; null for an API token. */
  sessionHash: string | null;
}

/**
 * The asking member's account, once they proved it is them: with the current password, or, for an
 * account without one, by a session started from a login link within the link's lifetime.
 */
export async function provenMember(
  db: Db,
  config: Config,
  member: AskingMember,
  password: string,
  doing: string,
  now = new Date(),
): Promise<UserWithPassword> {
  const user = await getUserWithPassword(db, member.userId);
  if (!user) throw new HttpError(404, 'There is no such account.');
  if (user.passwordHash !== null) {
    await proveCurrentPassword(db, user.id, user.passwordHash, password, now);
    return user;
  }
  const started = member.sessionHash ? await sessionStartedAt(db, member.sessionHash) : null;
  const freshFor = config.LOGIN_LINK_TTL_MINUTES * 60_000;
  if (!started || now.getTime() - started.getTime() > freshFor)
    throw new HttpError(
      400,
      `Your account has no password: log in again with an email link, then ${doing} within ${config.LOGIN_LINK_TTL_MINUTES} minutes.`,
    );
  return user;
}

/** A change of address asked for on /account: the link goes to the new address, the notice to the old. */
export interface IssuedEmailChange {
  oldEmail: string;
  newEmail: string;
  url: string;
}

const EMAIL_CHANGE_REFUSALS = {
  unknown: 'That confirmation link is not valid. Ask for the change again on your account page.',
  expired: 'That confirmation link has expired. Ask for the change again on your account page.',
  used: 'That confirmation link was already used.',
  // Says only that the address cannot be used, never whose it is.
  taken: 'That email address cannot be used. Choose another.',
} as const;

/**
 * Asks to move an account to a new address. The member proves it is them with the current password, or,
 * for an account without one, by a session started from a login link within the link's lifetime. The
 * account keeps its address until the link mailed to the new one is followed (confirmEmailChange).
 */
export async function requestEmailChange(
  db: Db,
  config: Config,
  member: AskingMember,
  input: { password: string; email: string },
  now = new Date(),
): Promise<IssuedEmailChange> {
  const user = await provenMember(db, config, member, input.password, 'change the address', now);
  const parsed = emailSchema.safeParse(input.email);
  if (!parsed.success) throw invalidInput(parsed.error);
  const newEmail = parsed.data;
  if (newEmail === user.email) throw new HttpError(400, 'That is already your email address.');
  if (await findUserByEmail(db, newEmail)) throw new HttpError(409, EMAIL_CHANGE_REFUSALS.taken);
  const token = newToken();
  const expiresAt = new Date(now.getTime() + config.LOGIN_LINK_TTL_MINUTES * 60_000);
  await createEmailChange(db, { tokenHash: hashToken(token), userId: user.id, newEmail, expiresAt }, now);
  return {
    oldEmail: user.email,
    newEmail,
    url: `${config.BASE_URL}/account/email/confirm?token=${encodeURIComponent(token)}`,
  };
}

/** Spends a link mailed to a new address and moves the account there; its sessions stay logged in. */
export async function confirmEmailChange(
  db: Db,
  token: string,
  now = new Date(),
): Promise<{ userId: string; oldEmail: string; newEmail: string }> {
  const outcome = await consumeEmailChange(db, hashToken(token), now);
  if (!outcome.ok) throw new HttpError(outcome.reason === 'taken' ? 409 : 400, EMAIL_CHANGE_REFUSALS[outcome.reason]);
  return outcome;
}
