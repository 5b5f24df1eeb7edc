import { randomBytes } from 'node:crypto';
import { DEVELOPMENT_SECRET_KEY, type Config } from '../config/index.js';
import type { Db } from '../db/connection.js';

/**
 * A setting this deployment keeps in its database, made by `create` the first time it is asked for.
 * Processes starting together agree: the first insert wins, and everyone reads what it stored.
 */
export async function storedSetting(db: Db, name: string, create: () => string): Promise<string> {
  const read = () => db.kysely.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst();
  const existing = await read();
  if (existing) return existing.value;
  await db.kysely
    .insertInto('settings')
    .values({ name, value: create() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return (await read())!.value;
}

/**
 * The settings with SECRET_KEY filled in: as configured, or else a random key generated at first
 * start and kept in the database, so links in mail cannot be forged with the public default.
 */
export async function withStoredSecretKey(db: Db, config: Config): Promise<Config> {
  if (config.SECRET_KEY !== DEVELOPMENT_SECRET_KEY) return config;
  return { ...config, SECRET_KEY: await storedSetting(db, 'secret_key', () => randomBytes(32).toString('base64url')) };
}
