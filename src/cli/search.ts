import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_SEARCH_MODE, searchPapers as search } from '../search/search.js';
import { SEARCH_MODES, type SearchContext, type SearchMode } from '../search/types.js';
import { getPapers } from '../store/papers.js';
import { readySchema, withCliContext } from './context.js';
import { integerBetween } from './options.js';

export interface SearchResult {
  id: string;
  title: string;
  score: number;
}

interface SearchOptions {
  limit: number;
  mode: SearchMode;
  json?: boolean;
}

function parseMode(value: string): SearchMode {
  if (!(SEARCH_MODES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected one of ${SEARCH_MODES.join(', ')}.`);
  return value as SearchMode;
}

/** The best matches for a query, best first, with their titles. */
export async function searchPapers(
  ctx: SearchContext,
  query: string,
  limit: number,
  mode: SearchMode = DEFAULT_SEARCH_MODE,
): Promise<SearchResult[]> {
  const { db } = ctx;
  const hits = await search(ctx, { text: query, limit, mode });
  const titles = new Map(
    (
      await getPapers(
        db,
        hits.map((h) => h.id),
      )
    ).map((p) => [p.id, p.title]),
  );
  return hits.map((hit) => ({ id: hit.id, title: titles.get(hit.id) ?? '', score: hit.score }));
}

/** Rank, score, id and title in aligned columns, titles cut to the terminal's width. */
export function formatTable(results: SearchResult[], width: number): string {
  const rows = results.map((r, i) => [String(i + 1), r.score.toFixed(3), r.id, r.title]);
  const header = ['#', 'score', 'id', 'title'];
  const widths = [0, 1, 2].map((c) => Math.max(header[c]!.length, ...rows.map((row) => row[c]!.length)));
  const titleWidth = Math.max(20, width - widths.reduce((a, b) => a + b + 2, 0));
  const line = (cells: string[]) =>
    [
      cells[0]!.padStart(widths[0]!),
      cells[1]!.padStart(widths[1]!),
      cells[2]!.padEnd(widths[2]!),
      cut(cells[3]!, titleWidth),
    ].join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('search papers by keywords (BM25), by meaning (vectors), or both fused (hybrid, the default)')
    .argument('<query>', 'words to look for')
    .option('--limit <n>', 'how many results, 1 to 100', integerBetween(1, 100), 10)
    .option('--mode <mode>', `${SEARCH_MODES.join(', ')}`, parseMode, DEFAULT_SEARCH_MODE)
    .option('--json', 'print one JSON array of {id, title, score}, best first')
    .action(async (query: string, options: SearchOptions) => {
      await withCliContext(async (ctx) => {
        await readySchema(ctx);
        const results = await searchPapers(ctx, query, options.limit, options.mode);
        if (options.json) process.stdout.write(`${JSON.stringify(results)}\n`);
        else if (results.length === 0) process.stdout.write(`no papers match ${JSON.stringify(query)}\n`);
        else process.stdout.write(`${formatTable(results, process.stdout.columns ?? 120)}\n`);
      });
    });
}
