import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { storedPaper } from '../community/fixtures.js';
import { databaseUrl, freshPostgres } from '../helpers/db.js';
import { startServeProcess, type ServeProcess } from '../helpers/serve-process.js';

const adminUrl = process.env.TEST_DATABASE_URL;
const TERMINATIONS = 5;
const CLIENTS = 8;

interface Answer {
  path: string;
  /** 0 when no answer came: the connection failed, or the request hung. */
  status: number;
  retryAfter: string | null;
  error?: string;
}

/**
 * The server's connections to PostgreSQL die under it (a restart, a failover, pg_terminate_backend):
 * it must stay up, answer 503 with Retry-After meanwhile, never hang a request, and recover by itself.
 */
describe('PostgreSQL backends terminated under load', () => {
  let db: Db;
  let server: ServeProcess;
  let admin: pg.Client;
  let paperId: string;

  beforeAll(async () => {
    if (!adminUrl) throw new Error('This fault needs a PostgreSQL server: set TEST_DATABASE_URL (.ci/run does).');
    db = await freshPostgres(adminUrl);
    paperId = (await storedPaper(db)).id;
    // The per-address API limit is lifted: on a quiet machine the 8 clients' hundreds of API requests in a
    // minute met it (429 with Retry-After, tested with the limits), which is not what this fault is about.
    server = await startServeProcess({
      DATABASE_URL: databaseUrl(db),
      SERVICES: 'web,worker',
      API_LIMIT_PER_IP: '1000000/1m',
    });
    admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await server?.stop();
    await db?.close();
  });

  const terminateAppBackends = async () => {
    const database = new URL(databaseUrl(db)).pathname.slice(1);
    const { rows } = await admin.query(
      'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    return rows[0].n as number;
  };

  const ask = async (path: string): Promise<Answer> => {
    try {
      // A request that takes longer than this counts as hung.
      const response = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(15_000) });
      await response.arrayBuffer();
      return { path, status: response.status, retryAfter: response.headers.get('retry-after') };
    } catch (error) {
      return { path, status: 0, retryAfter: null, error: String((error as Error).cause ?? error) };
    }
  };

  it('keeps the process alive, answers 200 or 503 with Retry-After, and recovers', async () => {
    const paths = ['/', `/papers/${paperId}`, '/api/daily_papers', `/api/papers/${paperId}`, '/readyz'];
    const answers: Answer[] = [];
    let loading = true;
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      // Every path at least once per client, and on until the terminations are over.
      for (let i = 0; loading || i < paths.length; i++) answers.push(await ask(paths[(c + i) % paths.length]!));
    });
    let terminated = 0;
    for (let round = 0; round < TERMINATIONS; round++) {
      await sleep(300);
      terminated += await terminateAppBackends();
    }
    await sleep(300);
    loading = false;
    await Promise.all(clients);

    expect(terminated, 'backends of the app were terminated').toBeGreaterThan(0);
    expect(server.exit(), server.output()).toBeNull();
    const unexpected = answers.filter((a) => !(a.status === 200 || (a.status === 503 && a.retryAfter !== null)));
    expect(unexpected, server.output()).toEqual([]);

    // Recovered by itself: every path answers 200 again, several times over.
    const after = await Promise.all([...paths, ...paths, ...paths].map(ask));
    expect(after.map((a) => `${a.path} ${a.status}`)).toEqual([...paths, ...paths, ...paths].map((p) => `${p} 200`));
    expect(server.exit()).toBeNull();
  }, 60_000);
});
