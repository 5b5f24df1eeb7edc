import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { ARXIV_97K } from '../_common.js';

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
  const lines = createInterface({ input: createReadStream(ARXIV_97K).pipe(createGunzip()), crlfDelay: Infinity });
  try {
    for await (const line of lines) yield JSON.parse(line) as CorpusLine;
  } finally {
    lines.close();
  }
}
