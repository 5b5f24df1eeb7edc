import type { Db } from '../db/connection.js';

/** The outcome of rendering one paper's first page: the WebP image, or why there is none. */
export type ThumbnailOutcome = { image: Buffer } | { error: string };

/** A paper's WebP thumbnail, or null while it has none (not rendered yet, or failed). */
export async function thumbnailImage(db: Db, paperId: string): Promise<Buffer | null> {
  const row = await db.kysely
    .selectFrom('paper_thumbnails')
    .select('image')
    .where('paper_id', '=', paperId)
    .where('status', '=', 'ready')
    .executeTakeFirst();
  return row?.image ? Buffer.from(row.image) : null;
}

/** Records a render: a new image or failure replaces what was there. */
export async function saveThumbnail(
  db: Db,
  paperId: string,
  outcome: ThumbnailOutcome,
  now = new Date(),
): Promise<void> {
  const row =
    'image' in outcome
      ? { status: 'ready' as const, image: outcome.image, error: null }
      : { status: 'failed' as const, image: null, error: outcome.error.slice(0, 500) };
  const renderedAt = now.toISOString();
  await db.kysely
    .insertInto('paper_thumbnails')
    .values({ paper_id: paperId, ...row, rendered_at: renderedAt })
    .onConflict((oc) => oc.column('paper_id').doUpdateSet({ ...row, rendered_at: renderedAt }))
    .execute();
}

/** Featured, visible papers the thumbnail job has not tried yet, most recently featured first. */
export async function papersWithoutThumbnails(db: Db, limit: number): Promise<string[]> {
  const rows = await db.kysely
    .selectFrom('papers')
    .leftJoin('paper_thumbnails', 'paper_thumbnails.paper_id', 'papers.id')
    .select('papers.id')
    .where('papers.featured_on', 'is not', null)
    .where('papers.hidden', '=', 0)
    .where('paper_thumbnails.paper_id', 'is', null)
    .orderBy('papers.featured_on', 'desc')
    .orderBy('papers.id', 'asc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}
