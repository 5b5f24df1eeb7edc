import { InvalidArgumentError, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { SET_SPEC } from '../config/index.js';
import { harvestSets, type HarvestProgress, type HarvestSummary } from '../ingest/arxiv/harvest.js';
import { dayOf } from '../ingest/normalize.js';
import { withCliContext } from './context.js';

interface IngestArxivOptions {
  from: string;
  until?: string;
  set?: string[];
  force?: boolean;
  feature?: boolean;
}

function parseDay(value: string): string {
  const day = dayOf(value);
  if (day === null || day !== value) {
    throw new InvalidArgumentError(`expected a day as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return day;
}

function parseSets(value: string, previous: string[] = []): string[] {
  const sets = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = sets.find((s) => !SET_SPEC.test(s));
  if (sets.length === 0 || bad !== undefined)
    throw new InvalidArgumentError(
      `expected OAI-PMH set specs such as cs or physics:hep-th, got ${JSON.stringify(bad ?? value)}`,
    );
  return [...previous, ...sets];
}

/** One line per window for logs and pipes: what was harvested and how fast. */
export function summaryLine(summary: HarvestSummary): string {
  const { window } = summary;
  const head = `arxiv ${window.set ?? 'all'} ${window.from}..${window.until}:`;
  if (summary.outcome === 'already-complete') return `${head} already harvested (use --force to harvest it again)`;
  const seconds = summary.ms / 1000;
  const rate = seconds > 0 ? Math.round(summary.records / seconds) : summary.records;
  return (
    `${head} ${summary.records} records (${summary.inserted} new, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
    `${summary.skipped} skipped${summary.newSubmissions ? `, ${summary.newSubmissions} featured` : ''}) in ${summary.pages} pages, ` +
    `${seconds.toFixed(1)} s, ${rate} records/s${summary.resumed ? ', resumed from checkpoint' : ''}`
  );
}

/** A live bar on a terminal (records of the announced total, pages, rate); nothing otherwise. */
function progressDisplay(): { onPage: (p: HarvestProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { onPage: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      format: '{label} |{bar}| {value}/{total} records | {pages} pages | {rate} records/s',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let current: string | null = null;
  // A window starts when the previous one ended (the first when the display was made).
  let started = Date.now();
  let lastPageAt = started;
  return {
    onPage(p) {
      const label = `${p.window.set ?? 'all'} ${p.window.from}..${p.window.until}`;
      if (label !== current) {
        if (current) {
          bar.stop();
          started = lastPageAt;
        }
        current = label;
        bar.start(p.completeListSize ?? p.records, 0, { label, pages: 0, rate: 0 });
      }
      lastPageAt = Date.now();
      const seconds = (lastPageAt - started) / 1000;
      bar.setTotal(Math.max(p.completeListSize ?? 0, p.records));
      bar.update(p.records, { pages: p.pages, rate: seconds > 0 ? Math.round(p.records / seconds) : 0 });
    },
    stop: () => {
      if (current) bar.stop();
    },
  };
}

export function registerIngest(program: Command): void {
  const ingest = program.command('ingest').description('fetch papers from upstream sources');
  ingest
    .command('arxiv')
    .description('harvest arXiv over OAI-PMH for a range of days and store the papers (resumes an interrupted harvest)')
    .requiredOption('--from <day>', 'first day, YYYY-MM-DD (UTC datestamps)', parseDay)
    .option('--until <day>', 'last day, YYYY-MM-DD (default: today)', parseDay)
    .option(
      '--set <specs>',
      'OAI-PMH sets, comma-separated or repeated, e.g. cs or physics:hep-th (default: ARXIV_SETS)',
      parseSets,
    )
    .option('--force', 'harvest windows again even if they were completed before')
    .option('--feature', 'feature new submissions on the feed of the day they were announced, as the daily job does')
    .action(async (options: IngestArxivOptions) => {
      const today = new Date().toISOString().slice(0, 10);
      const until = options.until ?? today;
      if (options.from > until) throw new Error(`--from ${options.from} is after --until ${until}`);
      if (until > today) throw new Error(`--until ${until} is in the future`);
      await withCliContext(async ({ config, db, logger }) => {
        const display = progressDisplay();
        const abort = new AbortController();
        const interrupt = () => abort.abort();
        process.once('SIGINT', interrupt);
        const result = await harvestSets(
          {
            db,
            config,
            logger: process.stderr.isTTY ? logger.child({}, { level: 'warn' }) : logger,
            signal: abort.signal,
          },
          options.set ?? config.ARXIV_SETS,
          { from: options.from, until },
          { force: options.force, feature: options.feature, onPage: display.onPage },
        ).finally(() => {
          display.stop();
          process.off('SIGINT', interrupt);
        });
        for (const summary of result.summaries) console.log(summaryLine(summary));
        for (const { window, error } of result.failures) {
          process.stderr.write(
            `${error.message}; run the same command again to resume ${window.set ?? 'all'} ${window.from}..${window.until} from its last stored page\n`,
          );
        }
        if (result.failures.length > 0) process.exitCode = 1;
      });
    });
}
