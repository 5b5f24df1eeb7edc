import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_SECRET_KEY, loadConfig } from '../../src/config/index.js';
import { signedLink } from '../../src/digest/links.js';
import { getSubscriber } from '../../src/store/subscriptions.js';
import { withStoredSecretKey } from '../../src/store/settings.js';
import { testDatabases } from '../helpers/db.js';
import { startTestServer } from '../helpers/server.js';
import { activeSubscriber } from './fixtures.js';

/** Without SECRET_KEY, links in mail are signed with a key each database generates, never with the public default. */
describe.each(testDatabases())('the key that signs links on $dialect', ({ create }) => {
  it('is generated per database at first start and kept across restarts', async () => {
    const [first, second] = [await create(), await create()];
    try {
      const unset = loadConfig({ LOG_LEVEL: 'silent' });
      const [a, b] = [
        (await withStoredSecretKey(first, unset)).SECRET_KEY,
        (await withStoredSecretKey(second, unset)).SECRET_KEY,
      ];
      expect(a).not.toBe(DEVELOPMENT_SECRET_KEY);
      expect(a.length).toBeGreaterThanOrEqual(32);
      expect(a).not.toBe(b);
      // Several processes starting on one database agree on one key.
      const again = await Promise.all([1, 2, 3].map(async () => (await withStoredSecretKey(first, unset)).SECRET_KEY));
      expect(again).toEqual([a, a, a]);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('refuses an unsubscribe link signed with the public default key, and honours its own', async () => {
    const db = await create();
    const server = await startTestServer(db);
    try {
      const id = await activeSubscriber(db, 'reader@example.org');
      const forged = signedLink(server.url, DEVELOPMENT_SECRET_KEY, 'unsubscribe', id);
      const refused = await fetch(forged, { method: 'POST' });
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('This link is not valid');
      expect((await getSubscriber(db, id))!.status).toBe('active');

      const genuine = signedLink(server.url, server.ctx.config.SECRET_KEY, 'unsubscribe', id);
      expect((await fetch(genuine, { method: 'POST' })).status).toBe(200);
      expect((await getSubscriber(db, id))!.status).toBe('unsubscribed');
    } finally {
      await server.close();
      await db.close();
    }
  });

  it('is the configured SECRET_KEY when one is set', async () => {
    const db = await create();
    const server = await startTestServer(db, { SECRET_KEY: 'configured-secret-key-0123456789' });
    try {
      expect(server.ctx.config.SECRET_KEY).toBe('configured-secret-key-0123456789');
      const id = await activeSubscriber(db, 'reader@example.org');
      const link = signedLink(server.url, 'configured-secret-key-0123456789', 'manage', id);
      expect((await fetch(link)).status).toBe(200);
    } finally {
      await server.close();
      await db.close();
    }
  });
});
