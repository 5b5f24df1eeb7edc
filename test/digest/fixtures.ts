import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config/index.js';
import type { Db } from '../../src/db/connection.js';
import { upsertPapers, type PaperRecord } from '../../src/store/papers.js';
import { paperRecord } from '../factories/papers.js';
import { confirmSubscriber, createSubscriber, type SubscriptionChoice } from '../../src/store/subscriptions.js';

export const silentLogger = pino({ level: 'silent' });

/** Settings for digest tests: mail goes to `smtpUrl`, links point at BASE_URL. */
export function digestConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    BASE_URL: 'https://papers.example.org',
    MAIL_FROM: 'dailypapers <digest@papers.example.org>',
    SECRET_KEY: 'digest-test-secret-key-0123456789',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

/** Stores papers featured on `day`, each with the given upvotes. */
export async function featurePapers(
  db: Db,
  day: string,
  papers: (Partial<PaperRecord> & { upvotes?: number })[],
): Promise<string[]> {
  const records = papers.map(({ upvotes: _upvotes, ...overrides }) => paperRecord({ publishedOn: day, ...overrides }));
  await upsertPapers(db, records, { featuredOn: day });
  for (const [i, p] of papers.entries()) {
    if (p.upvotes)
      await db.kysely.updateTable('papers').set({ upvotes: p.upvotes }).where('id', '=', records[i]!.id).execute();
  }
  return records.map((r) => r.id);
}

/** A confirmed subscriber; returns its id. */
export async function activeSubscriber(
  db: Db,
  email: string,
  choice: Partial<SubscriptionChoice> = {},
): Promise<string> {
  const id = randomBytes(12).toString('hex');
  const now = new Date();
  await createSubscriber(
    db,
    { id, email, frequency: 'daily', includeTop: true, topics: [], forYou: false, ...choice },
    now,
  );
  await confirmSubscriber(db, id, now);
  return id;
}
