import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../../src/community/accounts.js';
import { openDatabase, type Db } from '../../src/db/connection.js';
import { migrate } from '../../src/db/migrations/index.js';
import { createUser } from '../../src/store/users.js';
import { countRows, looseLimits, storedPaper } from '../community/fixtures.js';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process.js';

/** Room for the migrated database and its WAL, and little more. */
const TMPFS_SIZE = '4m';

/** Mounts a small tmpfs (root only: CI runs as root); throws saying why when it cannot. */
function mountSmallDisk(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dailypapers-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const why = String((error as { stderr?: Buffer }).stderr ?? error).trim();
    throw new Error(`The disk-full fault needs a small tmpfs, which only root can mount (CI runs as root): ${why}`);
  }
  return dir;
}

/** Fills the disk under `dir` to the last byte; returns the file that holds the space. */
function fillDisk(dir: string): string {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'w');
  try {
    for (const size of [65536, 4096, 1]) {
      const chunk = Buffer.alloc(size, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
  return file;
}

/**
 * The disk under a SQLite database fills up: the server stays up, writes answer 503 saying so,
 * /readyz says not ready, reads keep working, and once space is freed it takes writes again by
 * itself, with every write it acknowledged still there.
 */
describe('a SQLite database whose disk is full', () => {
  let dir: string;
  let db: Db;
  let server: ServeProcess;
  let token: string;
  let paperId: string;

  beforeAll(async () => {
    dir = mountSmallDisk();
    db = await openDatabase(join(dir, 'full.db'));
    await migrate(db);
    paperId = (await storedPaper(db)).id;
    const member = await createUser(db, {
      email: 'full@example.org',
      username: 'full',
      passwordHash: null,
      now: new Date(0),
    });
    token = (await issueApiToken(db, member.id, 'disk')).token;
    server = await startServeProcess({ ...looseLimits, DATABASE_URL: db.location, SERVICES: 'web' });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.close();
    if (dir) {
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const comment = async (i: number) => {
    const response = await fetch(`${server.url}/api/comments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ paperId, body: `Comment ${i}: ${'a thought worth keeping. '.repeat(40)}` }),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as { error?: string },
    };
  };
  const status = async (path: string) => (await fetch(`${server.url}${path}`)).status;

  it('refuses writes with 503, stays readable and recovers by itself once space is freed', async () => {
    let acknowledged = 0;
    for (let i = 0; i < 5; i++) if ((await comment(i)).status === 201) acknowledged++;
    expect(acknowledged).toBe(5);

    const filler = fillDisk(dir);
    const refused: Awaited<ReturnType<typeof comment>>[] = [];
    // What SQLite already holds in its write-ahead log may still take a few writes; then the disk is the limit.
    for (let i = 5; i < 200 && refused.length < 3; i++) {
      const answer = await comment(i);
      if (answer.status === 201) acknowledged++;
      else refused.push(answer);
    }
    expect(refused.map((a) => a.status)).toEqual([503, 503, 503]);
    expect(refused[0]!.retryAfter).not.toBeNull();
    expect(refused[0]!.body.error).toMatch(/disk is full/);

    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ok: false, reason: expect.stringMatching(/disk is full/) });
    expect([
      await status('/'),
      await status(`/papers/${paperId}`),
      await status(`/api/comments?paper=${paperId}`),
    ]).toEqual([200, 200, 200]);
    expect(server.exit(), server.output()).toBeNull();

    unlinkSync(filler);
    expect(await status('/readyz')).toBe(200);
    for (let i = 200; i < 205; i++) expect((await comment(i)).status).toBe(201);
    expect(await countRows(db, 'comments')).toBe(acknowledged + 5);
    expect(server.exit()).toBeNull();
  }, 60_000);
});
