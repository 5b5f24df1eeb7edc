import { describe, expect, it } from 'vitest';
import { latestVersion } from '../../src/db/migrations/index.js';
import { testDatabases } from '../helpers/db.js';
import { serveFreshDatabase } from '../helpers/server.js';

describe.each(testDatabases())('/healthz and /readyz on $dialect', ({ create }) => {
  const web = serveFreshDatabase(create);
  const ready = async () => {
    const response = await fetch(`${web.server.url}/readyz`);
    return { status: response.status, body: await response.json(), retryAfter: response.headers.get('retry-after') };
  };

  it('is ready on a current schema, and not ready while the schema is behind or ahead of the code', async () => {
    expect(await ready()).toEqual({ status: 200, body: { ok: true }, retryAfter: null });
    const last = await web.db.kysely
      .selectFrom('schema_migrations')
      .selectAll()
      .where('version', '=', latestVersion)
      .executeTakeFirstOrThrow();
    await web.db.kysely.deleteFrom('schema_migrations').where('version', '=', latestVersion).execute();
    const behind = await ready();
    expect(behind.status).toBe(503);
    expect(behind.retryAfter).toBe('30');
    expect(behind.body.reason).toContain(`this release needs ${latestVersion}`);
    await web.db.kysely.insertInto('schema_migrations').values(last).execute();
    await web.db.kysely
      .insertInto('schema_migrations')
      .values({ version: latestVersion + 1, name: 'from a newer release', applied_at: new Date().toISOString() })
      .execute();
    const ahead = await ready();
    expect(ahead.status).toBe(503);
    expect(ahead.body.reason).toContain(`at version ${latestVersion + 1}`);
    await web.db.kysely
      .deleteFrom('schema_migrations')
      .where('version', '=', latestVersion + 1)
      .execute();
    expect((await ready()).status).toBe(200);
    // /healthz says only that the process answers.
    expect(await (await fetch(`${web.server.url}/healthz`)).json()).toEqual({ ok: true });
  });
});
