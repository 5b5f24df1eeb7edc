import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { countOutbox } from '../../src/store/outbox.js';
import { databaseUrl, testDatabases } from '../helpers/db.js';
import { activeSubscriber, featurePapers } from './fixtures.js';

const run = promisify(execFile);

describe('dailypapers digest (command line)', () => {
  let db: Db;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => run(process.execPath, ['bin/dailypapers.js', 'digest', ...args], { env });

  beforeAll(async () => {
    db = await testDatabases()[0]!.create();
    env = {
      ...process.env,
      DATABASE_URL: databaseUrl(db),
      BASE_URL: 'https://papers.example.org',
      LOG_LEVEL: 'silent',
    };
    await featurePapers(db, '2026-11-27', [
      { title: 'Digest <b>preview</b> paper', upvotes: 4, categories: ['cs.CL'] },
    ]);
    await activeSubscriber(db, 'cli@example.org', { topics: ['cs.CL'] });
  });
  afterAll(async () => {
    await db.close();
  });

  it("plans a day once, previews a subscriber's digest, and explains a bad date", async () => {
    const plan = await cli('plan', '--date', '2026-11-27');
    expect(plan.stdout).toBe(
      'planned 1 daily digests for 2026-11-27 (1 subscribers, 0 already planned, 0 with nothing to send)\n',
    );
    expect(await countOutbox(db)).toMatchObject({ pending: 1 });

    const preview = await cli('preview', '--email', 'CLI@example.org', '--date', '2026-11-27');
    expect(preview.stdout).toContain('To: cli@example.org\nSubject: Daily papers for 27 Nov 2026: 1 paper');
    expect(preview.stdout).toContain('1. Digest <b>preview</b> paper');
    expect(preview.stdout).toContain('Unsubscribe: https://papers.example.org/subscriptions/unsubscribe?token=');

    const bad = await cli('plan', '--date', '2026-02-30').catch((error: { code: number; stderr: string }) => error);
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('not a day (YYYY-MM-DD): 2026-02-30') });
  }, 120_000);
});
