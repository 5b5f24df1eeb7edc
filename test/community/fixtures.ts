import { afterAll, beforeAll, expect } from 'vitest';
import { startSession } from '../../src/community/accounts.js';
import { SESSION_COOKIE } from '../../src/http/cookies.js';
import { hashPassword } from '../../src/community/passwords.js';
import type { Db } from '../../src/db/connection.js';
import type { Role } from '../../src/db/schema.js';
import { upsertPapers, type PaperRecord } from '../../src/store/papers.js';
import { createUser } from '../../src/store/users.js';
import { paperRecord } from '../factories/papers.js';
import type { TestDatabase } from '../helpers/db.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { WebClient, member } from '../helpers/web-client.js';

/** Limits loose enough that only the tests about limits meet them. */
export const looseLimits = {
  RATE_LIMIT_LOGIN: '1000,1000/1m',
  RATE_LIMIT_SIGNUP: '1000,1000/1m',
  RATE_LIMIT_SUBMIT: '1000,1000/1m',
  RATE_LIMIT_VOTE: '1000,1000/1m',
  RATE_LIMIT_COMMENT: '1000,1000/1m',
  NEW_ACCOUNT_DELAY_MINUTES: '0',
};

export function startCommunityServer(db: Db, env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer(db, { ...looseLimits, ...env });
}

export const TEST_PASSWORD = 'test-password-1';
let testPasswordHash: Promise<string> | undefined;

/** Stores a paper and, unless told otherwise, features it today. */
export async function storedPaper(
  db: Db,
  overrides: Partial<PaperRecord> = {},
  featuredOn: string | null = new Date().toISOString().slice(0, 10),
): Promise<PaperRecord> {
  const record = paperRecord({ publishedOn: new Date().toISOString().slice(0, 10), ...overrides });
  await upsertPapers(db, [record], { featuredOn });
  return record;
}

export type Member = WebClient & { id: string; username: string; email: string; password: string };

/**
 * A member with a live session, made directly in the store (the sign-up and login forms have their
 * own tests; hashing a password per test would only slow the suite down).
 */
export async function signedUp(
  db: Db,
  baseUrl: string,
  role: Role = 'member',
  options: { createdAt?: Date } = {},
): Promise<Member> {
  const identity = member(role);
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  const user = await createUser(db, {
    email: identity.email,
    username: identity.username,
    passwordHash: await testPasswordHash,
    role,
    now: options.createdAt,
  });
  const session = await startSession(db, { SESSION_TTL_DAYS: 1 } as Parameters<typeof startSession>[1], user.id);
  const client = new WebClient(baseUrl);
  client.setCookie(SESSION_COOKIE, session.token);
  client.csrfToken = session.csrfToken;
  return Object.assign(client, { id: user.id, username: user.username, email: user.email, password: TEST_PASSWORD });
}

export async function paperRow(db: Db, id: string) {
  return db.kysely.selectFrom('papers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function countRows(
  db: Db,
  table: 'users' | 'sessions' | 'votes' | 'comments' | 'moderation_log' | 'api_tokens' | 'login_links',
): Promise<number> {
  const row = await db.kysely
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A fresh database and the real app over loopback (with loose limits plus `env`, which may be a
 * function read when the suite starts) for the enclosing suite. Read `db` and `server` inside tests: they are set in beforeAll.
 */
export function serveCommunity(
  create: TestDatabase['create'],
  env: Record<string, string> | (() => Record<string, string>) = {},
): { db: Db; server: TestServer } {
  const context = {} as { db: Db; server: TestServer };
  beforeAll(async () => {
    context.db = await create();
    context.server = await startCommunityServer(context.db, typeof env === 'function' ? env() : env);
  });
  afterAll(async () => {
    await context.server?.close();
    await context.db?.close();
  });
  return context;
}

/** Creates an API token through the account page, as a member would, and returns it. */
export async function apiTokenFor(client: Member, name = 'script'): Promise<string> {
  const created = await client.post('/account/tokens', { name });
  return /<code class="new-token">(dp_[\w-]+)<\/code>/.exec(await created.text())![1]!;
}

/** Posts a comment (or a reply) through the paper page's form and returns its id; the post must succeed. */
export async function postComment(client: Member, paperId: string, body: string, parent?: number): Promise<number> {
  const response = await client.post('/comments', {
    paper: paperId,
    body,
    ...(parent ? { parent: String(parent) } : {}),
  });
  expect(response.status, await response.clone().text()).toBe(303);
  return Number(/#comment-(\d+)$/.exec(response.headers.get('location')!)![1]);
}
