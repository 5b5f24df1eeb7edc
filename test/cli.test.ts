import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connection.js';
import { cliBin as bin, runCli as runCliIn, type CliRun } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dailypapers-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCliIn(args, env, dir);
}

// Every case starts Node processes; on a busy machine each start takes seconds.
const timeout = 120_000;

const line = (fields: Record<string, unknown>) => JSON.stringify(fields);
const good = [
  line({
    id: '2501.00001',
    title: 'Learning representations',
    abstract: 'We apply diffusion models to images.',
    authors: ['Ada Lovelace'],
  }),
  line({
    id: '2501.00002',
    title: 'Diffusion models for audio <script>alert(1)</script>',
    abstract: 'We generate sound.',
    authors: ['Alan Turing'],
  }),
  line({ id: '2501.00003', title: 'Graph networks', abstract: 'Message passing.' }),
];

describe('dailypapers command line', { timeout }, () => {
  const env = { DATABASE_URL: join(dir, 'cli.db') };
  beforeAll(async () => {
    expect((await runCli(['migrate'], env)).code).toBe(0);
  }, timeout);

  it('has --help for every command', async () => {
    const runs = await Promise.all(
      [[], ['serve'], ['migrate'], ['import'], ['search']].map((command) => runCli([...command, '--help'])),
    );
    for (const run of runs) expect(run.code).toBe(0);
    const [root, serve, migrate, importHelp, search] = runs.map((r) => r.stdout);
    for (const command of ['serve', 'migrate', 'import', 'search']) expect(root).toContain(command);
    expect(serve).toContain('--demo');
    expect(migrate).toContain('--status');
    expect(importHelp).toContain('--featured-on <YYYY-MM-DD>');
    expect(search).toMatch(/--limit <n>[\s\S]*--json/);
  });

  it('rejects bad options and arguments with a clear message and a non-zero exit', async () => {
    const [unknown, day, limit, missing] = await Promise.all([
      runCli(['import', 'x.jsonl', '--bogus'], env),
      runCli(['import', 'x.jsonl', '--featured-on', '2026-13-01'], env),
      runCli(['search', 'diffusion', '--limit', 'ten'], env),
      runCli(['search'], env),
    ]);
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining("unknown option '--bogus'") });
    expect(day).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("'2026-13-01' is invalid. expected a date as YYYY-MM-DD"),
    });
    expect(limit).toMatchObject({ code: 1, stderr: expect.stringContaining('expected a whole number from 1 to 100') });
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining("missing required argument 'query'") });
  });

  it('lists every configuration problem at once and exits 2', async () => {
    const run = await runCli(['search', 'x'], { ...env, PORT: 'eighty', WORKER_CONCURRENCY: '0', LOG_LEVEL: 'loud' });
    expect(run.code).toBe(2);
    for (const key of ['PORT', 'WORKER_CONCURRENCY', 'LOG_LEVEL']) expect(run.stderr).toContain(key);
  });

  it('imports good lines, reports bad ones by line number, exits 1, and a re-import changes nothing', async () => {
    const mixed = join(dir, 'mixed.jsonl');
    const hostile = [
      '{"id": "2501.00009", "title": "trunc',
      line({ id: "1'; DROP TABLE papers;--", title: 'x' }),
      line({ id: '2501.00010', title: 'x'.repeat(2 * 1024 * 1024) }),
    ];
    writeFileSync(mixed, [good[0], hostile[0], good[1], hostile[1], hostile[2], good[2]].join('\n'));
    const first = await runCli(['import', mixed], env);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(
      /^imported 3 new, 0 updated, 0 unchanged, 3 bad lines in \d+\.\d s \(\d+ papers\/s\)\n$/,
    );
    expect(first.stderr).toContain(`${mixed}:2: invalid JSON`);
    expect(first.stderr).toContain(`${mixed}:4: malformed id "1'; DROP TABLE papers;--"`);
    expect(first.stderr).toContain(`${mixed}:5: line is 2,097,`);

    const clean = join(dir, 'clean.jsonl.gz');
    writeFileSync(clean, gzipSync(good.join('\n')));
    const again = await runCli(['import', clean], env);
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(again.stdout).toMatch(/^imported 0 new, 0 updated, 3 unchanged, 0 bad lines in /);
    const featured = await runCli(['import', clean, '--featured-on', '2026-11-27'], env);
    expect(featured.stdout).toMatch(/^imported 0 new, 3 updated, 0 unchanged, 0 bad lines in /);

    const db = await openDatabase(env.DATABASE_URL);
    try {
      const rows = await db.kysely.selectFrom('papers').select(['id', 'featured_on']).orderBy('id').execute();
      expect(rows).toEqual(['2501.00001', '2501.00002', '2501.00003'].map((id) => ({ id, featured_on: '2026-11-27' })));
    } finally {
      await db.close();
    }
  });

  it('searches, best first, as JSON or as a table', async () => {
    const json = await runCli(['search', 'diffusion', '--json'], env);
    expect(json.code).toBe(0);
    const results = JSON.parse(json.stdout) as { id: string; title: string; score: number }[];
    expect(results.map((r) => r.id)).toEqual(['2501.00002', '2501.00001']);
    expect(results[0]).toEqual({
      id: '2501.00002',
      title: 'Diffusion models for audio <script>alert(1)</script>',
      score: expect.any(Number),
    });
    expect(results[0]!.score).toBeGreaterThan(results[1]!.score);

    const [table, limited, none] = await Promise.all([
      runCli(['search', 'diffusion'], env),
      runCli(['search', 'diffusion', '--limit', '1', '--json'], env),
      runCli(['search', 'zeppelin'], env),
    ]);
    expect(table.stdout.split('\n')[0]).toMatch(/^#\s+score\s+id\s+title$/);
    expect(table.stdout.split('\n')[1]).toMatch(/^1\s+\d+\.\d{3}\s+2501\.00002\s+Diffusion models for audio/);
    expect(JSON.parse(limited.stdout)).toHaveLength(1);
    expect(none).toMatchObject({ code: 0, stdout: 'no papers match "zeppelin"\n' });
  });

  it('refuses a missing file', async () => {
    const missing = await runCli(['import', join(dir, 'nope.jsonl')], env);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('cannot read') });
  });

  it('sets up a brand-new database on import, but leaves upgrading one with content to `migrate`', async () => {
    const file = join(dir, 'good.jsonl');
    writeFileSync(file, good.join('\n'));
    const fresh = { DATABASE_URL: join(dir, 'fresh.db') };
    const imported = await runCli(['import', file], fresh);
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toMatch(/^imported 3 new, 0 updated, 0 unchanged, 0 bad lines in /);
    expect((await runCli(['search', 'diffusion', '--json'], fresh)).stdout).toContain('2501.00002');

    // A database one migration behind the code, as after an upgrade of the software.
    const db = await openDatabase(fresh.DATABASE_URL);
    try {
      const latest = await db.kysely
        .selectFrom('schema_migrations')
        .select((eb) => eb.fn.max('version').as('v'))
        .executeTakeFirstOrThrow();
      await db.kysely.deleteFrom('schema_migrations').where('version', '=', Number(latest.v)).execute();
    } finally {
      await db.close();
    }
    const behind = await runCli(['import', file], fresh);
    expect(behind).toMatchObject({ code: 1, stderr: expect.stringContaining('run `dailypapers migrate` first') });
  });
});

describe('npm start (serve --migrate --demo)', { timeout }, () => {
  it('migrates a new database, imports the demo feed ending today, serves it, and stops on SIGTERM', async () => {
    const env = { DATABASE_URL: join(dir, 'demo.db'), PORT: '0', LOG_LEVEL: 'info', SERVICES: 'web' };
    const child = spawn(process.execPath, [bin, 'serve', '--migrate', '--demo'], {
      env: { PATH: process.env.PATH, ...env },
      cwd: dir,
    });
    let log = '';
    const address = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        log += d;
        const match = /"address":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(log);
        if (match) resolve(match[1]!);
      });
      child.on('close', (code) => reject(new Error(`serve exited with ${code}: ${log}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      expect(await (await fetch(`${address}/healthz`)).json()).toEqual({ ok: true });
      expect(log).toContain('imported 86 demo papers');
      expect(log).toContain(
        'SMTP_URL is not set: login links and subscription confirmation and manage links go to this log',
      );
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);

    const db = await openDatabase(env.DATABASE_URL);
    try {
      const days = await db.kysely
        .selectFrom('papers')
        .select('featured_on')
        .distinct()
        .orderBy('featured_on')
        .execute();
      const today = new Date().toISOString().slice(0, 10);
      expect(days).toHaveLength(7);
      expect(days.at(-1)?.featured_on).toBe(today);
    } finally {
      await db.close();
    }
  });
});
