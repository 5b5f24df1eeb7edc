import type { Db } from '../db/connection.js';
import { withTransaction } from '../db/transaction.js';

const PAPERS_SETTING = 'term_statistics_papers';
const INSERT_BATCH = 500;

/** Papers per word over a sample, and the sample's size. */
export interface TermStatistics {
  papers: number;
  documents: Map<string, number>;
}

/** How many papers the stored counts were taken over; 0 when there are none yet. */
export async function termStatisticsPapers(db: Db): Promise<number> {
  const row = await db.kysely
    .selectFrom('settings')
    .select('value')
    .where('name', '=', PAPERS_SETTING)
    .executeTakeFirst();
  return row ? Number(row.value) : 0;
}

/** Replaces every stored count in one transaction, so readers see the old counts or the new ones. */
export async function replaceTermStatistics(db: Db, statistics: TermStatistics): Promise<void> {
  const rows = [...statistics.documents].map(([term, documents]) => ({ term, documents }));
  await withTransaction(db, async (tx) => {
    await tx.kysely.deleteFrom('term_statistics').execute();
    for (let i = 0; i < rows.length; i += INSERT_BATCH)
      await tx.kysely
        .insertInto('term_statistics')
        .values(rows.slice(i, i + INSERT_BATCH))
        .execute();
    await tx.kysely
      .insertInto('settings')
      .values({ name: PAPERS_SETTING, value: String(statistics.papers) })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: String(statistics.papers) }))
      .execute();
  });
}

/** The stored counts of these words (those counted) and the sample size. */
export async function termDocumentFrequencies(db: Db, terms: string[]): Promise<TermStatistics> {
  const papers = await termStatisticsPapers(db);
  if (papers === 0 || terms.length === 0) return { papers, documents: new Map() };
  const rows = await db.kysely
    .selectFrom('term_statistics')
    .select(['term', 'documents'])
    .where('term', 'in', terms)
    .execute();
  return { papers, documents: new Map(rows.map((r) => [r.term, Number(r.documents)])) };
}
