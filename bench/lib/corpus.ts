import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';

/** The 96,789 real arXiv records benchmarks run on. */
export const CORPUS = fileURLToPath(new URL('../../../shared/data/arxiv-97k.jsonl.gz', import.meta.url));

/** One line of the import format. */
export interface CorpusLine {
  id: string;
  title: string;
  abstract: string;
  authors?: string[];
  categories?: string[];
  published?: string;
}

/** The corpus one record at a time; stopping early closes the file. */
export async function* corpusLines(): AsyncGenerator<CorpusLine> {
  const lines = createInterface({ input: createReadStream(CORPUS).pipe(createGunzip()), crlfDelay: Infinity });
  try {
    for await (const line of lines) yield JSON.parse(line) as CorpusLine;
  } finally {
    lines.close();
  }
}
