/**
 * The judged corpora of ../shared/data (corpus.jsonl, queries.jsonl, qrels.tsv), read the same way by
 * every eval, and the fresh embedded site each eval ranks them in.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { AppContext } from '../src/app/context.js';
import type { Db } from '../src/db/connection.js';
import { embedPendingPapers } from '../src/search/embed-job.js';
import { upsertPapers } from '../src/store/papers.js';
import { testContext } from '../test/helpers/context.js';
import { freshPostgres, freshSqlite } from '../test/helpers/db.js';

export interface JudgedPaper {
  id: string;
  title: string;
  abstract: string;
}

export interface JudgedCorpus<Query> {
  /** Each paper with its id as `PREFIX:id`. */
  papers: JudgedPaper[];
  queries: Query[];
  /** Query id → paper id (`PREFIX:id`) → grade, as qrels.tsv gives them (zeros included). */
  grades: Map<string, Map<string, number>>;
}

/** Reads `../shared/data/DATASET`, naming its papers `PREFIX:id`. */
export function readJudgedCorpus<Query extends { qid: string }>(dataset: string, prefix: string): JudgedCorpus<Query> {
  const data = new URL(`../../shared/data/${dataset}/`, import.meta.url);
  const lines = (file: string) =>
    readFileSync(new URL(file, data), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
  const papers = lines('corpus.jsonl').map((l) => {
    const d = JSON.parse(l) as JudgedPaper;
    return { id: `${prefix}:${d.id}`, title: d.title, abstract: d.abstract };
  });
  const grades = new Map<string, Map<string, number>>();
  for (const line of lines('qrels.tsv')) {
    const [qid, docId, grade] = line.split('\t');
    if (!grades.has(qid!)) grades.set(qid!, new Map());
    grades.get(qid!)!.set(`${prefix}:${docId}`, Number(grade));
  }
  return { papers, queries: lines('queries.jsonl').map((l) => JSON.parse(l) as Query), grades };
}

export interface EmbeddedSite {
  db: Db;
  ctx: AppContext;
  /** The embedding run: its model, and how long it took. */
  embedding: Awaited<ReturnType<typeof embedPendingPapers>>;
  embedSeconds: number;
  close(): Promise<void>;
}

/**
 * A fresh database holding the papers (no authors, categories or dates), every one embedded: SQLite, or a new
 * database on the PostgreSQL server EVAL_DATABASE_URL names (dropped at the end).
 */
export async function embeddedSite(papers: JudgedPaper[]): Promise<EmbeddedSite> {
  const postgres = process.env.EVAL_DATABASE_URL;
  const db = postgres ? await freshPostgres(postgres) : await freshSqlite();
  const ctx = testContext(db);
  await upsertPapers(
    db,
    papers.map((p) => ({ ...p, authors: [], categories: [], publishedOn: null })),
  );
  // As autovacuum leaves a live site: statistics, and the full-text index's pending entries merged.
  if (postgres) await sql`VACUUM ANALYZE papers`.execute(db.kysely);
  const started = performance.now();
  const embedding = await embedPendingPapers(ctx);
  const embedSeconds = (performance.now() - started) / 1000;
  const close = async () => {
    await ctx.close();
    await db.close();
  };
  return { db, ctx, embedding, embedSeconds, close };
}
