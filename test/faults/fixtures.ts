import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A JSONL import file of `count` new papers (ids 2611.10000 on), written into `dir`. */
export function jsonlPapers(dir: string, count: number): string {
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      id: `2611.${String(10000 + i)}`,
      title: `Imported paper ${i} on concurrent writers`,
      abstract: `Abstract ${i}: a paper imported while other processes use the same database.`,
      authors: [`Author ${i % 97}`, `Second Author ${i % 13}`],
      categories: ['cs.DB'],
      published: '2026-11-02',
    }),
  );
  const file = join(dir, 'papers.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
