import { sql } from 'kysely';
import type { Db, DialectName } from '../connection.js';
import { papers } from './001_papers.js';
import { arxivHarvests } from './010_arxiv_harvests.js';
import { community } from './020_community.js';
import { embeddings } from './030_embeddings.js';
import { titleSearchIndex } from './031_title_search_index.js';
import { subscriptions } from './040_subscriptions.js';
import { feedIndexes } from './050_feed_indexes.js';
import { paperCompression } from './060_paper_compression.js';
import { voteStanding } from './070_vote_standing.js';
import { security } from './081_security.js';
import { commentHtml } from './082_comment_html.js';
import { trendingArguments } from './084_trending_arguments.js';
import { healthCheck } from './090_health_check.js';
import { feedPagingIndexes } from './091_feed_paging_indexes.js';
import { yourPapers } from './100_your_papers.js';
import { personalFeeds } from './110_personal_feeds.js';
import { paperEnrichment } from './120_paper_enrichment.js';
import { githubStars } from './121_github_stars.js';
import { termStatistics } from './130_term_statistics.js';
import { thumbnails } from './140_thumbnails.js';
import { emailChanges } from './150_email_changes.js';
import { accountDeletion } from './160_account_deletion.js';
import { digestForYou } from './170_digest_for_you.js';
import { voteBatches } from './190_vote_batches.js';
import { castVotesFunction } from './191_cast_votes_function.js';
import { unscoredPapers } from './200_unscored_papers.js';
import { llmSummaries } from './220_llm_summaries.js';
import { codeLinkProposals } from './221_code_link_proposals.js';
import { votesOfDeletedAccounts } from './256_votes_of_deleted_accounts.js';

/** One schema step: plain SQL per dialect, applied in order inside a transaction. */
export interface Migration {
  version: number;
  name: string;
  sql: Record<DialectName, string[]>;
}

/** The ordered list of every migration. Append only; never edit one that has shipped. */
export const migrations: Migration[] = [
  papers,
  arxivHarvests,
  community,
  embeddings,
  titleSearchIndex,
  subscriptions,
  feedIndexes,
  paperCompression,
  voteStanding,
  security,
  commentHtml,
  trendingArguments,
  healthCheck,
  feedPagingIndexes,
  yourPapers,
  personalFeeds,
  paperEnrichment,
  githubStars,
  termStatistics,
  thumbnails,
  emailChanges,
  accountDeletion,
  digestForYou,
  voteBatches,
  castVotesFunction,
  unscoredPapers,
  llmSummaries,
  codeLinkProposals,
  votesOfDeletedAccounts,
];

export const latestVersion = Math.max(...migrations.map((m) => m.version));

async function ensureMigrationsTable(db: Db): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`.execute(db.kysely);
}

export async function appliedVersions(db: Db): Promise<number[]> {
  await ensureMigrationsTable(db);
  const rows = await db.kysely.selectFrom('schema_migrations').select('version').orderBy('version').execute();
  return rows.map((r) => r.version);
}

export interface SchemaStatus {
  current: number;
  latest: number;
  pending: Migration[];
}

export async function schemaStatus(db: Db): Promise<SchemaStatus> {
  const applied = new Set(await appliedVersions(db));
  const pending = migrations.filter((m) => !applied.has(m.version));
  return { current: Math.max(0, ...applied), latest: latestVersion, pending };
}

/** Applies every pending migration, each in its own transaction; returns what was applied. */
export async function migrate(db: Db): Promise<Migration[]> {
  const { pending } = await schemaStatus(db);
  for (const migration of pending) {
    await db.kysely.transaction().execute(async (trx) => {
      for (const statement of migration.sql[db.dialect]) {
        await sql.raw(statement).execute(trx);
      }
      await trx
        .insertInto('schema_migrations')
        .values({ version: migration.version, name: migration.name, applied_at: new Date().toISOString() })
        .execute();
    });
  }
  return pending;
}
