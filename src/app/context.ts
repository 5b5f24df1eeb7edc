import type { Logger } from 'pino';
import { CredentialCache, type CredentialRevocation } from '../community/credentials.js';
import { HitCounters } from '../community/hit-counters.js';
import { VoteBatcher } from '../community/vote-batcher.js';
import type { Config } from '../config/index.js';
import { openDatabase, type Db } from '../db/connection.js';
import { dialectOf } from '../db/dialect.js';
import { DatabaseNotifications } from '../db/notifications.js';
import { schemaStatus } from '../db/migrations/index.js';
import { FEED_CACHE_BYTES, FeedService } from '../feeds/service.js';
import { MailPool } from '../mail/transport.js';
import { EmbedderCache } from '../search/embedder.js';
import { embeddingServerOf } from '../search/remote-embedder.js';
import { VectorIndexes } from '../search/vector-index.js';
import { withStoredSecretKey } from '../store/settings.js';
import { createAnswerCache, type AnswerCache } from '../http/page-cache.js';
import { Metrics, type PoolUse } from '../metrics.js';
import { queuedJobsByKind } from '../store/jobs.js';

/**
 * The composition root: the process's services, built once and handed to whatever needs them (the
 * server's routes, every command, the jobs), and closed together on shutdown. Nothing else keeps
 * state keyed on a database handle or a mail server.
 */
export interface AppContext {
  config: Config;
  logger: Logger;
  /** The database background work and commands use. */
  db: Db;
  /**
   * The database web requests use: on PostgreSQL a pool of its own whose statements time out after
   * STATEMENT_TIMEOUT_MS (background work keeps the longer limit); otherwise `db` itself.
   */
  webDb: Db;
  /** Recently verified sessions and API tokens. */
  credentials: CredentialCache;
  /** Rate-limit counters of requests, written to `webDb` in batches. */
  hitCounters: HitCounters;
  /** Votes written to `webDb` in one transaction per paper and batch (group commit). */
  votes: VoteBatcher;
  /** The pooled SMTP transport for login links. */
  mail: MailPool;
  /** The active embedding model and its vector index (one database's, whichever pool reads them). */
  embedders: EmbedderCache;
  vectorIndexes: VectorIndexes;
  /** Whole answers shared among anonymous readers (see web/page-cache.ts). */
  sharedAnswers: AnswerCache | null;
  /** Rendered RSS and Atom feeds. */
  feeds: FeedService;
  /** This process's Prometheus metrics (GET /metrics). */
  metrics: Metrics;
  /** What this process tells the others sharing its PostgreSQL database, and hears from them. */
  cluster: ClusterNotices;
  /** Closes every service, then the databases the context opened (once, however often it is called). */
  close(): Promise<void>;
}

/** What web processes cache and must forget when another process changes it. */
type ClusterMessage = { sharedAnswers: 'changed' } | CredentialRevocation;

export interface ClusterNotices {
  /** Hears the other processes from now on (a web server: it caches what they change). */
  listen(): void;
  /** A write changed what every reader sees: this process's shared answers and every other's are dropped. */
  sharedAnswersChanged(): void;
}

interface Databases {
  config: Config;
  logger: Logger;
  db: Db;
  webDb?: Db;
}

function poolsOf(db: Db, webDb: Db): PoolUse[] {
  const named =
    webDb === db
      ? [{ pool: 'main', db }]
      : [
          { pool: 'jobs', db },
          { pool: 'web', db: webDb },
        ];
  return named.flatMap(({ pool, db }) => {
    const use = db.poolUse?.();
    return use ? [{ pool, ...use }] : [];
  });
}

/**
 * `task` run on each call, except that calls made while it runs are answered by one more run after
 * it: a burst of votes tells the other processes a few times, not once per vote (each NOTIFY is a
 * round trip and PostgreSQL serialises their commits), and the last change is still told after it.
 */
function coalesced(task: () => Promise<unknown>): () => void {
  let running = false;
  let again = false;
  const run = (): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    void task().finally(() => {
      running = false;
      if (again) {
        again = false;
        run();
      }
    });
  };
  return run;
}

/** The services around open databases; `closeDatabases` says whether the context's close() closes them too. */
function assemble({ config, logger, db, webDb = db }: Databases, closeDatabases: boolean): AppContext {
  const notifications: DatabaseNotifications<ClusterMessage> = new DatabaseNotifications(
    webDb,
    (message) => {
      if (message === null || 'sharedAnswers' in message) services.sharedAnswers?.clear();
      if (message === null) services.credentials.clear();
      else if (!('sharedAnswers' in message)) services.credentials.revoked(message);
    },
    (error) => logger.warn({ err: error }, 'lost the session that hears other processes; reconnecting'),
  );
  const tell = (message: ClusterMessage) =>
    notifications
      .publish(message)
      .catch((error: unknown) => logger.warn({ err: error }, 'could not tell the other processes of a change'));
  const announceSharedAnswersChanged = coalesced(() => tell({ sharedAnswers: 'changed' }));
  const services = {
    credentials: new CredentialCache((revocation) => void tell(revocation)),
    hitCounters: new HitCounters(webDb, logger),
    votes: new VoteBatcher(webDb),
    mail: new MailPool(config),
    embedders: new EmbedderCache(embeddingServerOf(config)),
    vectorIndexes: new VectorIndexes(),
    sharedAnswers: createAnswerCache(config),
    feeds: new FeedService(webDb, { recheckMs: config.FEED_RECHECK_MS, maxBytes: FEED_CACHE_BYTES }),
    metrics: new Metrics({ jobQueue: () => queuedJobsByKind(webDb), pools: () => poolsOf(db, webDb) }),
    cluster: {
      listen: () => notifications.listen(),
      sharedAnswersChanged: () => {
        services.sharedAnswers?.clear();
        announceSharedAnswersChanged();
      },
    },
  };
  let closing: Promise<void> | null = null;
  const closeAll = async () => {
    // Counters first: their last hits are written while the database is still open.
    await services.hitCounters.close();
    await notifications.close();
    await services.vectorIndexes.close();
    services.mail.close();
    services.sharedAnswers?.clear();
    if (!closeDatabases) return;
    if (webDb !== db) await webDb.close();
    await db.close();
  };
  return { config, logger, db, webDb, ...services, close: () => (closing ??= closeAll()) };
}

/**
 * A context over databases that are already open and stay their owner's (tests, benches): its
 * close() closes the services only.
 */
export function appContextAround(databases: Databases): AppContext {
  return assemble(databases, false);
}

export interface OpenOptions {
  /** A server: opens the web requests' pool too when SERVICES includes web. */
  serving?: boolean;
}

/** Opens the database (and, for a server, the web pool) and builds every service over it. */
export async function openAppContext(config: Config, logger: Logger, options: OpenOptions = {}): Promise<AppContext> {
  const db = await openDatabase(config.DATABASE_URL, {
    onConnectionLost: warnOfLostConnections(logger),
    statementTimeoutMs: config.JOB_STATEMENT_TIMEOUT_MS,
  });
  try {
    // A database not yet migrated has no settings table; commands that need the key check the schema first.
    if ((await schemaStatus(db)).pending.length === 0) config = await withStoredSecretKey(db, config);
    const webDb = options.serving && config.SERVICES.includes('web') ? await openWebDatabase(config, logger, db) : db;
    return assemble({ config, logger, db, webDb }, true);
  } catch (error) {
    await db.close();
    throw error;
  }
}

function warnOfLostConnections(logger: Logger): (error: Error) => void {
  return (error) => logger.warn({ err: error }, 'lost a database connection; the next query reconnects');
}

/** On PostgreSQL, a pool of its own with the shorter statement timeout; SQLite's one connection is shared. */
async function openWebDatabase(config: Config, logger: Logger, db: Db): Promise<Db> {
  const { STATEMENT_TIMEOUT_MS, JOB_STATEMENT_TIMEOUT_MS } = config;
  if (!dialectOf(db).concurrentWriters || STATEMENT_TIMEOUT_MS === JOB_STATEMENT_TIMEOUT_MS) return db;
  return openDatabase(config.DATABASE_URL, {
    onConnectionLost: warnOfLostConnections(logger),
    statementTimeoutMs: STATEMENT_TIMEOUT_MS,
  });
}
