import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { openDatabase, type Db } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrations/index.js';
import { requestSubscription } from '../../src/digest/subscribe.js';
import { createLogger } from '../../src/logger.js';
import { runCli } from '../helpers/cli.js';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process.js';
import { looseLimits, postComment, signedUp, storedPaper, type Member } from '../community/fixtures.js';

/** Every row of every table (FTS shadow tables included) as JSON, keyed by table, sorted. */
function everyRow(path: string): Record<string, unknown[]> {
  const db = new SQLite(path, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    const rows = (table: string) =>
      db
        .prepare(`SELECT * FROM "${table}"`)
        .all()
        .map((row) => JSON.stringify(row));
    return Object.fromEntries(tables.map((table) => [table, rows(table).sort()]));
  } finally {
    db.close();
  }
}

describe('dailypapers backup and restore (SQLite)', () => {
  let dir: string;
  let databasePath: string;
  let db: Db;
  let served: ServeProcess;
  let members: Member[];
  const paperIds: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dailypapers-backup-'));
    databasePath = join(dir, 'papers.db');
    db = await openDatabase(databasePath);
    await migrate(db);
    // Batched votes answer fast enough for one member to pass the loose limit while a backup runs.
    const votesUnlimited = { RATE_LIMIT_VOTE: '100000,100000/1m' };
    served = await startServeProcess({
      ...looseLimits,
      ...votesUnlimited,
      DATABASE_URL: databasePath,
      SERVICES: 'web',
    });
    for (let i = 0; i < 3; i++) paperIds.push((await storedPaper(db, { title: `Paper $x^${i}$ <b>${i}</b>` })).id);
    members = [await signedUp(db, served.url), await signedUp(db, served.url)];
    for (const member of members) {
      const vote = await member.json('PUT', `/api/votes/${paperIds[0]}`, undefined, {
        'x-csrf-token': member.csrfToken,
      });
      expect(vote.status).toBe(200);
      await postComment(member, paperIds[1]!, `A comment by ${member.username} with $\\alpha$`);
    }
    const config = loadConfig({ SECRET_KEY: 'backup-test-secret-0123456789', LOG_LEVEL: 'silent' });
    const logger = createLogger('silent');
    const topics = ['cs.CL', 'sparse attention'];
    await requestSubscription(
      { db, config, logger },
      { email: 'r@example.org', frequency: 'daily', includeTop: true, topics, forYou: false },
    );
  }, 60_000);
  afterAll(async () => {
    await served?.stop();
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up while the server takes votes, and the backup is one consistent snapshot', {
    timeout: 60_000,
  }, async () => {
    const [ada] = members;
    let voting = true;
    let votes = 0;
    const load = (async () => {
      for (let i = 0; voting && i < 2000; i++) {
        const method = i % 2 === 0 ? 'PUT' : 'DELETE';
        const answer = await ada!.json(method, `/api/votes/${paperIds[2]}`, undefined, {
          'x-csrf-token': ada!.csrfToken,
        });
        expect(answer.status).toBe(200);
        votes++;
      }
    })();
    while (votes < 5) await new Promise((resolve) => setTimeout(resolve, 10));
    const file = join(dir, 'during-load.backup');
    const run = await runCli(['backup', file], { DATABASE_URL: databasePath });
    voting = false;
    await load;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^backed up \d+ pages to .*during-load\.backup\n$/);
    // The copy is consistent: every paper's count equals its vote rows at the moment it was taken.
    const copy = new SQLite(file, { readonly: true });
    const mismatched = copy
      .prepare(
        'SELECT p.id FROM papers p WHERE p.upvotes <> (SELECT count(*) FROM votes v WHERE v.paper_id = p.id AND v.counted = 1)',
      )
      .all();
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();
    expect(mismatched).toEqual([]);
    expect(votes).toBeGreaterThan(5);
  });

  it('restores every paper, vote, comment, member and subscription into a new database', {
    timeout: 60_000,
  }, async () => {
    const file = join(dir, 'quiet.backup');
    expect((await runCli(['backup', file], { DATABASE_URL: databasePath })).code).toBe(0);
    const restoredPath = join(dir, 'restored.db');
    const run = await runCli(['restore', file], { DATABASE_URL: restoredPath });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`into ${restoredPath}`);

    const before = everyRow(databasePath);
    const after = everyRow(restoredPath);
    for (const table of ['papers', 'votes', 'comments', 'users', 'subscribers']) {
      expect(before[table]!.length, table).toBeGreaterThan(0);
    }
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);

    // A server on the restored file shows what was stored.
    const restored = await startServeProcess({ DATABASE_URL: restoredPath, SERVICES: 'web' });
    try {
      const paper = await (await fetch(`${restored.url}/api/papers/${paperIds[0]}`)).json();
      expect(paper.upvotes).toBe(2);
      const comments = await (await fetch(`${restored.url}/api/comments?paper=${paperIds[1]}`)).json();
      expect(JSON.stringify(comments)).toContain(members[1]!.username);
    } finally {
      await restored.stop();
    }
  });

  it('refuses what would lose data or is not a backup, saying why', { timeout: 60_000 }, async () => {
    const existing = join(dir, 'quiet.backup');
    const again = await runCli(['backup', existing], { DATABASE_URL: databasePath });
    expect([again.code, again.stderr]).toEqual([
      1,
      `dailypapers: ${existing} already exists; choose a new file name\n`,
    ]);

    const overLive = await runCli(['restore', existing], { DATABASE_URL: databasePath });
    expect(overLive.code).toBe(1);
    expect(overLive.stderr).toContain('already holds papers; stop every process using it and pass --force');

    const garbage = join(dir, 'garbage.backup');
    writeFileSync(garbage, `SELECT 1; DROP TABLE papers; ${'x'.repeat(5000)}`);
    const notSqlite = await runCli(['restore', garbage], { DATABASE_URL: join(dir, 'other.db') });
    expect([notSqlite.code, notSqlite.stderr]).toEqual([1, `dailypapers: ${garbage} is not an SQLite database\n`]);

    const foreign = join(dir, 'foreign.db');
    new SQLite(foreign).exec('CREATE TABLE t (x)').close();
    const notOurs = await runCli(['restore', foreign], { DATABASE_URL: join(dir, 'other.db') });
    expect(notOurs.stderr).toContain('is not a dailypapers database');

    const postgres = await runCli(['backup', join(dir, 'pg.backup')], {
      DATABASE_URL: 'postgres://user@127.0.0.1:1/db',
    });
    expect(postgres.code).toBe(1);
    expect(postgres.stderr).toContain('use pg_dump -Fc');
    // Nothing was lost from the live database.
    expect(everyRow(databasePath).papers).toHaveLength(3);
  });
});
