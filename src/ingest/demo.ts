/** The demo feed `npm start` shows on an empty database. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/connection.js';
import { addDays } from '../rank/periods.js';
import { countPapers, upsertPapers, type PaperRecord } from '../store/papers.js';
import { readPaperRecords, type BadLine } from './jsonl.js';

/** The demo papers are featured over this many days, ending today, so day and week navigation have content. */
export const DEMO_DAYS = 7;

/** ../shared/data/seed-papers.jsonl beside the checkout when present, otherwise the copy bundled in demo/. */
export function demoPapersFile(): string {
  const shared = fileURLToPath(new URL('../../../shared/data/seed-papers.jsonl', import.meta.url));
  return existsSync(shared) ? shared : fileURLToPath(new URL('../../demo/seed-papers.jsonl', import.meta.url));
}

export interface DemoImport {
  file: string;
  papers: number;
  from: string;
  to: string;
}

/**
 * On a database without papers, imports the demo papers, featuring paper i on day `today - (i mod 7)`
 * (deterministic, so every demo looks the same). Returns null, touching nothing, when papers exist.
 */
export async function importDemoPapersIfEmpty(
  db: Db,
  options: { today: string; file?: string; onBadLine?: (bad: BadLine) => void },
): Promise<DemoImport | null> {
  if ((await countPapers(db)) > 0) return null;
  const file = options.file ?? demoPapersFile();
  const byDay: PaperRecord[][] = Array.from({ length: DEMO_DAYS }, () => []);
  let papers = 0;
  for await (const record of readPaperRecords(file, { onBadLine: options.onBadLine }))
    byDay[papers++ % DEMO_DAYS]!.push(record);
  for (const [daysAgo, records] of byDay.entries()) {
    await upsertPapers(db, records, { featuredOn: addDays(options.today, -daysAgo) });
  }
  return { file, papers, from: addDays(options.today, -(DEMO_DAYS - 1)), to: options.today };
}
