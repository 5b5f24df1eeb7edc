import type { Db } from '../db/connection.js';
import { withTransaction } from '../db/transaction.js';

/** A paper's text as the summary and keyphrases are computed from it. */
export interface TextToEnrich {
  id: string;
  title: string;
  abstract: string;
  modifiedAt: string;
}

export interface Enrichment {
  id: string;
  summary: string | null;
  keywords: string[];
  /** The modifiedAt of the text they were computed from. */
  from: string;
}

/** Papers never enriched, or edited since. */
function staleEnrichments(db: Db) {
  return db.kysely
    .selectFrom('papers')
    .where((eb) => eb.or([eb('enriched_from', 'is', null), eb('enriched_from', '<>', eb.ref('modified_at'))]));
}

/** The next papers to enrich in id order after `afterId` (paging by key: each batch reads only its own rows). */
export async function papersToEnrich(db: Db, limit: number, afterId = ''): Promise<TextToEnrich[]> {
  const rows = await staleEnrichments(db)
    .where('id', '>', afterId)
    .select(['id', 'title', 'abstract', 'modified_at'])
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, abstract: r.abstract, modifiedAt: r.modified_at }));
}

export async function countPapersToEnrich(db: Db): Promise<number> {
  const row = await staleEnrichments(db)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The title and abstract of up to `limit` papers, the most recently added ids first: the corpus statistics' sample. */
export async function sampleTexts(db: Db, limit: number): Promise<string[]> {
  const rows = await db.kysely
    .selectFrom('papers')
    .select(['title', 'abstract'])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => `${r.title}\n${r.abstract}`);
}

/**
 * Stores summaries and keyphrases in one transaction. A paper edited after its text was read keeps
 * its newer modified_at, so the write does not mark it done and the next run computes it again.
 */
export async function writeEnrichments(db: Db, enrichments: Enrichment[]): Promise<void> {
  await withTransaction(db, async ({ kysely }) => {
    for (const e of enrichments) {
      await kysely
        .updateTable('papers')
        .set({ ai_summary: e.summary, ai_keywords: JSON.stringify(e.keywords), enriched_from: e.from })
        .where('id', '=', e.id)
        .where('modified_at', '=', e.from)
        .execute();
    }
  });
}

/** Marks every paper to be computed again (`enrich --all`). */
export async function forgetEnrichments(db: Db): Promise<void> {
  await db.kysely.updateTable('papers').set({ enriched_from: null }).execute();
}

/**
 * The newest papers whose summary the chat model has not been asked for since they last changed,
 * once their extractive summary is in (it stays if the model fails).
 */
export async function papersToSummarizeWithLlm(db: Db, limit: number): Promise<TextToEnrich[]> {
  const rows = await db.kysely
    .selectFrom('papers')
    .select(['id', 'title', 'abstract', 'modified_at'])
    .whereRef('enriched_from', '=', 'modified_at')
    .where((eb) => eb.or([eb('llm_summary_from', 'is', null), eb('llm_summary_from', '<>', eb.ref('modified_at'))]))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, abstract: r.abstract, modifiedAt: r.modified_at }));
}

/**
 * Stores the chat model's summary of a paper's text as of `from` (null: its answer was unusable, the
 * extractive one stays). A paper edited meanwhile is left to be asked about again.
 */
export async function writeLlmSummary(db: Db, id: string, from: string, summary: string | null): Promise<void> {
  await db.kysely
    .updateTable('papers')
    .set({ llm_summary: summary, llm_summary_from: from })
    .where('id', '=', id)
    .where('modified_at', '=', from)
    .execute();
}
