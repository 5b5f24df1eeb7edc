import type { Db } from '../../src/db/connection.js';
import { upsertPapers } from '../../src/store/papers.js';
import { featurePapers, paperRecord } from './papers.js';

/** The searchable corpus both the page and the API suites use. */
export async function seedSearchCorpus(db: Db): Promise<void> {
  await featurePapers(db, [
    {
      day: '2026-11-20',
      upvotes: 3,
      record: {
        id: '2611.00001',
        title: 'Efficient linear attention for long documents',
        abstract: 'We make transformers cheaper.',
        authors: [{ name: 'Geoffrey Hinton' }],
        categories: ['cs.CL'],
        publishedOn: '2026-11-18',
      },
    },
    {
      day: '2026-11-21',
      upvotes: 9,
      record: {
        id: '2611.00002',
        title: 'Recurrent networks revisited',
        abstract: 'Attention is compared with linear recurrences; efficient too.',
        authors: [{ name: 'Ada Lovelace' }],
        categories: ['cs.LG'],
        publishedOn: '2026-11-19',
      },
    },
    {
      day: '2026-11-22',
      record: {
        id: '2611.00003',
        title: 'Sparse <script>alert(1)</script> attention & $O(n^2)$ costs',
        abstract:
          'Attention heads are pruned <b>hard</b>, keeping $top$-1 accuracy at a 118\\times lower cost (\\$1,890).',
        categories: ['cs.CL'],
        publishedOn: '2026-11-10',
      },
    },
    {
      day: '2026-11-22',
      hidden: true,
      record: {
        id: '2611.00004',
        title: 'Withdrawn attention paper',
        abstract: 'Linear attention.',
        categories: ['cs.CL'],
      },
    },
  ]);
  // Enough matches for a second page.
  await upsertPapers(
    db,
    Array.from({ length: 25 }, (_, i) =>
      paperRecord({
        id: `2610.${String(i + 1).padStart(5, '0')}`,
        title: `Graph study number ${i + 1}`,
        abstract: 'Graphs.',
        categories: ['math.CO'],
        publishedOn: `2026-10-${String(i + 1).padStart(2, '0')}`,
      }),
    ),
  );
}

/** Queries a reader or a script might send that must never break the server. */
export const HOSTILE_QUERIES = [
  '"unbalanced quote',
  'NEAR(attention linear)',
  'attention AND linear OR NOT x',
  '^attention -linear',
  'title: attention',
  'papers_fts:x',
  'attention*',
  '*',
  '"',
  'the of and',
  '🚀 attention 🔥',
  "' OR 1=1; DROP TABLE papers; --",
  "robert'); DELETE FROM papers; --",
  '<script>alert(1)</script>',
  '$x^2$ \\emph{attention}',
  '注意 機構',
  'a:b:c',
  'cat:',
  'au:',
  'x'.repeat(500),
];
