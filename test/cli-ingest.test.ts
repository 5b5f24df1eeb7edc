import { execFile } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/connection.js';
import { countPapers } from '../src/store/papers.js';
import { OAI_FIXTURES, oaiPages, startArxivServer, xmlFile, type ArxivServer } from './helpers/arxiv-server.js';
import { testDatabases } from './helpers/db.js';

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const listing = (page2 = xmlFile(`${OAI_FIXTURES}/list-page2.xml`)) =>
  oaiPages({
    '': xmlFile(`${OAI_FIXTURES}/list-page1.xml`),
    '7125831|1001': page2,
    '7125831|2001': xmlFile(`${OAI_FIXTURES}/list-page3.xml`),
  });

// Each run starts a fresh node process (a second or two, far more on a busy machine), hence the generous timeout.
describe('dailypapers ingest arxiv', { timeout: 120_000 }, () => {
  const sqlite = testDatabases().find((d) => d.dialect === 'sqlite')!;
  let db: Db;
  let server: ArxivServer;

  beforeEach(async () => {
    db = await sqlite.create();
    server = await startArxivServer(listing());
  });
  afterEach(async () => {
    await server.close();
    await db.close();
  });

  /** Runs the real command (not on a terminal, so it prints summary lines). */
  const cli = (...args: string[]) =>
    new Promise<CliRun>((resolve) => {
      const env = {
        ...process.env,
        BASE_URL: 'http://localhost:3000',
        DATABASE_URL: db.location,
        ARXIV_OAI_URL: server.oaiUrl,
        ARXIV_DELAY_MS: '0',
        ARXIV_RETRIES: '0',
        LOG_LEVEL: 'silent',
      };
      execFile(
        process.execPath,
        ['bin/dailypapers.js', 'ingest', 'arxiv', ...args],
        { env },
        (error, stdout, stderr) => {
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
        },
      );
    });

  it('harvests a window, prints a summary line, and skips it the second time unless --force', async () => {
    const first = await cli('--from', '2025-11-04', '--until', '2025-11-04', '--set', 'cs');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^arxiv cs 2025-11-04\.\.2025-11-04: 5 records \(5 new, 0 updated, 0 unchanged, 0 skipped\) in 3 pages, \d+\.\d s, \d+ records\/s\n$/,
    );
    expect(await countPapers(db)).toBe(5);

    const again = await cli('--from', '2025-11-04', '--until', '2025-11-04', '--set', 'cs');
    expect(again.stdout).toBe('arxiv cs 2025-11-04..2025-11-04: already harvested (use --force to harvest it again)\n');
    const forced = await cli('--from', '2025-11-04', '--until', '2025-11-04', '--set', 'cs', '--force');
    expect(forced.stdout).toMatch(/5 records \(0 new, 0 updated, 5 unchanged, 0 skipped\)/);
    expect(server.requests).toHaveLength(6);
  });

  it('exits non-zero with where it stopped, and the same command resumes', async () => {
    server.respond(listing({ status: 500, body: 'down' }));
    const failed = await cli('--from', '2025-11-04', '--until', '2025-11-04', '--set', 'cs');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /arXiv harvest of cs 2025-11-04\.\.2025-11-04 stopped at page 2: HTTP 500; .*run the same command again to resume/,
    );
    expect(await countPapers(db)).toBe(2);

    server.respond(listing());
    const resumed = await cli('--from', '2025-11-04', '--until', '2025-11-04', '--set', 'cs');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/3 records \(3 new.* in 2 pages.*resumed from checkpoint/);
    expect(await countPapers(db)).toBe(5);
  });

  it.each([
    [['--from', '2025-13-01'], /--from.*expected a day as YYYY-MM-DD, got "2025-13-01"/],
    [['--from', '2025-11-05', '--until', '2025-11-04'], /--from 2025-11-05 is after --until 2025-11-04/],
    [
      ['--from', '2025-11-04', '--set', "cs'; DROP TABLE papers;--"],
      /expected OAI-PMH set specs such as cs or physics:hep-th/,
    ],
    [['--from', '2999-01-01', '--until', '2999-01-02'], /--until 2999-01-02 is in the future/],
  ])('rejects %j with a readable message and asks nothing upstream', async (args, message) => {
    const run = await cli(...args);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(message);
    expect(server.requests).toHaveLength(0);
  });
});
