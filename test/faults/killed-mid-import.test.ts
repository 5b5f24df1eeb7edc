import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { cliBin, runCli } from '../helpers/cli.js';
import { databaseUrl, testDatabases } from '../helpers/db.js';
import { jsonlPapers } from './fixtures.js';

const PAPERS = 10_000;
/** The import's transaction size (importJsonl's default): what a kill can cut short. */
const BATCH = 1000;

describe.each(testDatabases())('an import killed mid-file on $dialect', ({ create }) => {
  let db: Db;
  let dir: string;
  beforeEach(async () => {
    db = await create();
    dir = mkdtempSync(join(tmpdir(), 'dailypapers-kill-'));
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const storedCounts = async () => {
    const { rows } = await sql<{ papers: number; without_authors: number }>`
      SELECT (SELECT COUNT(*) FROM papers) AS papers,
             (SELECT COUNT(*) FROM papers WHERE NOT EXISTS (SELECT 1 FROM paper_authors a WHERE a.paper_id = papers.id)) AS without_authors`.execute(
      db.kysely,
    );
    return { papers: Number(rows[0]!.papers), withoutAuthors: Number(rows[0]!.without_authors) };
  };

  it('keeps every batch committed before SIGKILL, whole, and a re-run completes the file', async () => {
    const file = jsonlPapers(dir, PAPERS);
    const env = { PATH: process.env.PATH, LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl(db) };
    const child = spawn(process.execPath, [cliBin, 'import', file], { env, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    while ((await storedCounts()).papers < 2 * BATCH) {
      if (child.exitCode !== null)
        throw new Error(`import ended (exit ${child.exitCode}) before two batches were stored`);
      await sleep(20);
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const afterKill = await storedCounts();
    expect(afterKill.papers).toBeLessThan(PAPERS);
    // Whole batches only, each paper with its authors: a kill never leaves half a transaction.
    expect(afterKill.papers % BATCH).toBe(0);
    expect(afterKill.withoutAuthors).toBe(0);

    const rerun = await runCli(['import', file], { DATABASE_URL: databaseUrl(db) });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(
      new RegExp(`^imported ${PAPERS - afterKill.papers} new, 0 updated, ${afterKill.papers} unchanged, 0 bad`),
    );
    expect(await storedCounts()).toEqual({ papers: PAPERS, withoutAuthors: 0 });
  }, 120_000);
});
