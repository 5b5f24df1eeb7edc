import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/community/accounts.js';
import type { Db } from '../../src/db/connection.js';
import { createUser } from '../../src/store/users.js';
import { countRows, looseLimits, storedPaper } from '../community/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { freshSqlite } from '../helpers/db.js';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process.js';
import { jsonlPapers } from './fixtures.js';

const MEMBERS = 12;
const SUBMISSIONS = 114;
const IMPORTED = 20_000;

const serverEnv = (db: Db) => ({
  ...looseLimits,
  RATE_LIMIT_VOTE: '5000,5000/1m',
  SUBMIT_DAILY_LIMIT: '1000',
  DATABASE_URL: db.location,
  SERVICES: 'web,worker',
});

/** Members with API tokens, made in the store. */
async function membersWithTokens(db: Db): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < MEMBERS; i++) {
    const user = await createUser(db, {
      email: `m${i}@example.org`,
      username: `member${i}`,
      passwordHash: null,
      now: new Date(0),
    });
    tokens.push((await issueApiToken(db, user.id, 'load')).token);
  }
  return tokens;
}

async function send(
  server: ServeProcess,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<number> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

/**
 * Several processes write one SQLite file: an import beside a serving server, two servers side by
 * side. SQLite takes one writer at a time; the others wait their turn (and are told 503 only when
 * they waited too long), so nothing fails with "database is locked" and nothing is lost.
 */
describe('SQLite with writers in several processes', () => {
  let db: Db;
  let tokens: string[];
  const servers: ServeProcess[] = [];

  beforeEach(async () => {
    db = await freshSqlite();
    tokens = await membersWithTokens(db);
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    await db.close();
  });

  it('imports while the server takes comments: the import completes and every comment is stored', async () => {
    const { id: paperId } = await storedPaper(db);
    const server = await startServeProcess(serverEnv(db));
    servers.push(server);
    const file = jsonlPapers(dirname(db.location), IMPORTED);

    let importing = true;
    const importRun = runCli(['import', file], { DATABASE_URL: db.location }).finally(() => (importing = false));
    const statuses: number[] = [];
    await Promise.all(
      tokens.map(async (token, member) => {
        for (let i = 0; importing || i < 5; i++)
          statuses.push(await send(server, token, 'POST', '/api/comments', { paperId, body: `m${member} #${i}` }));
      }),
    );
    const imported = await importRun;

    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(new RegExp(`^imported ${IMPORTED} new`));
    expect(statuses.filter((status) => status !== 201)).toEqual([]);
    expect(await countRows(db, 'comments')).toBe(statuses.length);
    const papers = await db.kysely
      .selectFrom('papers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(papers.n)).toBe(IMPORTED + 1);
  }, 120_000);

  it('two servers on one file take concurrent submissions, comments and votes without a failure or a loss', async () => {
    const papers = await Promise.all(
      Array.from({ length: SUBMISSIONS }, (_, i) => storedPaper(db, { id: `2611.${20000 + i}` }, null)),
    );
    servers.push(await startServeProcess(serverEnv(db)), await startServeProcess(serverEnv(db)));
    const statuses = await Promise.all(
      papers.map(async (paper, i) => {
        const server = servers[i % 2]!;
        const token = tokens[i % MEMBERS]!;
        const submitted = await send(server, token, 'POST', '/api/papers/submit', { id: paper.id });
        const commented = await send(server, token, 'POST', '/api/comments', {
          paperId: paper.id,
          body: `Why ${paper.id} matters`,
        });
        // Every other member upvotes it, half through each server.
        const voters = tokens.filter((other) => other !== token);
        const votes = await Promise.all(
          voters.map((voter, v) => send(servers[v % 2]!, voter, 'PUT', `/api/votes/${paper.id}`)),
        );
        return [submitted, commented, ...votes];
      }),
    );

    expect(statuses.flat().filter((status) => status >= 300)).toEqual([]);
    expect(await countRows(db, 'votes')).toBe(SUBMISSIONS * (MEMBERS - 1));
    const featured = await db.kysely.selectFrom('papers').select('id').where('submitted_by', 'is not', null).execute();
    expect(featured.length).toBe(SUBMISSIONS);
    expect(await countRows(db, 'comments')).toBe(SUBMISSIONS);
  }, 120_000);
});
