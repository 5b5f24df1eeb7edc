import type { Selectable } from 'kysely';
import type { Db } from '../db/connection.js';
import type { ArxivHarvestsTable } from '../db/schema.js';

/** One harvest window: an OAI-PMH set (null for everything) and an inclusive day range. */
export interface HarvestWindow {
  set: string | null;
  from: string;
  until: string;
}

export interface HarvestCheckpoint extends HarvestWindow {
  status: 'running' | 'failed' | 'done';
  resumptionToken: string | null;
  pages: number;
  records: number;
  completeListSize: number | null;
  lastError: string | null;
  startedAt: string;
  updatedAt: string;
  completedAt: string | null;
}

function toCheckpoint(row: Selectable<ArxivHarvestsTable>): HarvestCheckpoint {
  return {
    set: row.set_spec === '' ? null : row.set_spec,
    from: row.from_day,
    until: row.until_day,
    status: row.status,
    resumptionToken: row.resumption_token,
    pages: row.pages,
    records: row.records,
    completeListSize: row.complete_list_size,
    lastError: row.last_error,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    completedAt: row.completed_at,
  };
}

const key = (window: HarvestWindow) => ({ set_spec: window.set ?? '', from_day: window.from, until_day: window.until });

function whereWindow(db: Db, window: HarvestWindow) {
  const k = key(window);
  return db.kysely
    .updateTable('arxiv_harvests')
    .where('set_spec', '=', k.set_spec)
    .where('from_day', '=', k.from_day)
    .where('until_day', '=', k.until_day);
}

export async function getHarvest(db: Db, window: HarvestWindow): Promise<HarvestCheckpoint | null> {
  const k = key(window);
  const row = await db.kysely
    .selectFrom('arxiv_harvests')
    .selectAll()
    .where('set_spec', '=', k.set_spec)
    .where('from_day', '=', k.from_day)
    .where('until_day', '=', k.until_day)
    .executeTakeFirst();
  return row ? toCheckpoint(row) : null;
}

export async function listHarvests(db: Db): Promise<HarvestCheckpoint[]> {
  const rows = await db.kysely
    .selectFrom('arxiv_harvests')
    .selectAll()
    .orderBy('from_day')
    .orderBy('until_day')
    .orderBy('set_spec')
    .execute();
  return rows.map(toCheckpoint);
}

/**
 * A window is complete once a harvest of it finished after its last day had ended; until then
 * upstream may still add records to it, so it is harvested again.
 */
export function isComplete(checkpoint: HarvestCheckpoint): boolean {
  return (
    checkpoint.status === 'done' &&
    checkpoint.completedAt !== null &&
    checkpoint.completedAt.slice(0, 10) > checkpoint.until
  );
}

/** Marks a window as running; `fresh` starts it over (no token, counts reset), otherwise it continues from its checkpoint. */
export async function startHarvest(db: Db, window: HarvestWindow, fresh: boolean, now = new Date()): Promise<void> {
  const at = now.toISOString();
  const restart = {
    resumption_token: null,
    pages: 0,
    records: 0,
    complete_list_size: null,
    started_at: at,
    completed_at: null,
  };
  await db.kysely
    .insertInto('arxiv_harvests')
    .values({ ...key(window), status: 'running', ...restart, updated_at: at })
    .onConflict((oc) =>
      oc
        .columns(['set_spec', 'from_day', 'until_day'])
        .doUpdateSet({ status: 'running', last_error: null, updated_at: at, ...(fresh ? restart : {}) }),
    )
    .execute();
}

export interface HarvestPageProgress {
  resumptionToken: string | null;
  pages: number;
  records: number;
  completeListSize: number | null;
}

/** Records a stored page: the token for the next one, and the running counts. */
export async function recordHarvestPage(
  db: Db,
  window: HarvestWindow,
  progress: HarvestPageProgress,
  now = new Date(),
): Promise<void> {
  await whereWindow(db, window)
    .set({
      resumption_token: progress.resumptionToken,
      pages: progress.pages,
      records: progress.records,
      complete_list_size: progress.completeListSize,
      updated_at: now.toISOString(),
    })
    .execute();
}

export async function finishHarvest(db: Db, window: HarvestWindow, now = new Date()): Promise<void> {
  const at = now.toISOString();
  await whereWindow(db, window)
    .set({ status: 'done', resumption_token: null, last_error: null, updated_at: at, completed_at: at })
    .execute();
}

/** Records why a harvest stopped; the resumption token stays at the last stored page. */
export async function failHarvest(db: Db, window: HarvestWindow, error: string, now = new Date()): Promise<void> {
  await whereWindow(db, window)
    .set({ status: 'failed', last_error: error.slice(0, 4000), updated_at: now.toISOString() })
    .execute();
}
