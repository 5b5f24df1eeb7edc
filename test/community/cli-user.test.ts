import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { findUserByEmail } from '../../src/store/users.js';
import { runCli } from '../helpers/cli.js';
import { testDatabases } from '../helpers/db.js';
import type { TestServer } from '../helpers/server.js';
import { WebClient } from '../helpers/web-client.js';
import { startCommunityServer } from './fixtures.js';

/** The URL the CLI needs to reach the same database (with the user name the test server connects as). */
function databaseUrl(db: Db): string {
  if (db.dialect === 'sqlite') return db.location;
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = new URL(db.location).pathname;
  return url.toString();
}

describe.each(testDatabases())('dailypapers user on $dialect', { timeout: 120_000 }, ({ create }) => {
  let db: Db;
  let server: TestServer;
  const dir = mkdtempSync(join(tmpdir(), 'dailypapers-user-'));
  beforeAll(async () => {
    db = await create();
    server = await startCommunityServer(db);
  });
  afterAll(async () => {
    await server.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates an admin from a password file, who can then log in, and prints API tokens', async () => {
    const passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, 'correct horse battery\n');
    const env = { DATABASE_URL: databaseUrl(db) };
    const created = await runCli(
      ['user', 'create', '--email', 'Root@Example.org', '--password-file', passwordFile, '--admin'],
      env,
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^created admin Root <root@example.org> \(u_[\w-]+\)\n$/);
    expect((await findUserByEmail(db, 'root@example.org'))?.role).toBe('admin');

    const browser = new WebClient(server.url);
    await browser.page('/login');
    expect(
      (await browser.post('/login', { email: 'root@example.org', password: 'correct horse battery' })).status,
    ).toBe(303);
    expect((await browser.page('/moderation')).html).toContain('Set role');

    const token = await runCli(['user', 'token', '--email', 'root@example.org', '--name', 'backup script'], env);
    expect(token.code).toBe(0);
    const me = await new WebClient(server.url, { authorization: `Bearer ${token.stdout.trim()}` }).json(
      'GET',
      '/api/me',
    );
    expect(me.body).toMatchObject({ username: 'Root', role: 'admin' });
  });

  it('refuses a duplicate account, a short password and an unknown email with a message and exit 1', async () => {
    const env = { DATABASE_URL: databaseUrl(db) };
    const shortFile = join(dir, 'short');
    writeFileSync(shortFile, 'abc\n');
    const longFile = join(dir, 'long');
    writeFileSync(longFile, 'long enough password');
    const [duplicate, short, unknown] = await Promise.all([
      runCli(
        ['user', 'create', '--email', 'root@example.org', '--username', 'other', '--password-file', longFile],
        env,
      ),
      runCli(['user', 'create', '--email', 'new@example.org', '--password-file', shortFile], env),
      runCli(['user', 'token', '--email', 'ghost@example.org'], env),
    ]);
    expect(duplicate).toMatchObject({
      code: 1,
      stderr: 'dailypapers: An account with that email address already exists.\n',
    });
    expect(short).toMatchObject({ code: 1, stderr: 'dailypapers: Passwords need at least 8 characters.\n' });
    expect(unknown).toMatchObject({ code: 1, stderr: 'dailypapers: No account uses ghost@example.org.\n' });
    expect(await findUserByEmail(db, 'new@example.org')).toBeNull();
  });
});
