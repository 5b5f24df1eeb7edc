import { access } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { importJsonl, type BadLine, type ImportProgress, type ImportSummary } from '../ingest/jsonl.js';
import { readySchema, withCliContext } from './context.js';
import { parseDay } from './options.js';

interface ImportCommandOptions {
  featuredOn?: string;
}

function summaryLine(summary: ImportSummary): string {
  const papers = summary.inserted + summary.updated + summary.unchanged;
  const rate = summary.seconds > 0 ? Math.round(papers / summary.seconds) : papers;
  return (
    `imported ${summary.inserted} new, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
    `${summary.bad} bad lines in ${summary.seconds.toFixed(1)} s (${rate} papers/s)`
  );
}

/** A progress bar over the bytes of the file when stderr is a terminal; nothing otherwise. */
function progressBar(): { update(progress: ImportProgress): void; interrupt(message: string): void; stop(): void } {
  if (!process.stderr.isTTY) {
    return { update: () => {}, interrupt: (message) => process.stderr.write(`${message}\n`), stop: () => {} };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'importing {bar} {percentage}% | {papers} papers | {rate} papers/s | ETA {eta_formatted}',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let shown = false;
  return {
    update(progress) {
      const payload = {
        papers: progress.papers,
        rate: Math.round(progress.papers / ((performance.now() - started) / 1000)),
      };
      if (!shown) bar.start(progress.totalBytes, 0, payload);
      shown = true;
      bar.update(progress.bytesRead, payload);
    },
    // Clears the bar's line so the message stands on its own; the bar redraws below it on the next update.
    interrupt: (message) => process.stderr.write(`\r\x1b[2K${message}\n`),
    stop: () => shown && bar.stop(),
  };
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import papers from a JSONL file (.gz accepted)')
    .argument('<file>', 'a .jsonl or .jsonl.gz file')
    .option('--featured-on <YYYY-MM-DD>', "put the imported papers not featured yet on this day's feed", parseDay)
    .addHelpText(
      'after',
      '\nOne paper a line: {"id", "title", "abstract", "authors": [...], "categories": [...], "published": "YYYY-MM-DD"}\n' +
        '(authors, categories and published are optional; a missing date comes from a new-style arXiv id).\n' +
        'A bad line (invalid JSON, missing id or title, malformed id, absurd sizes) is reported with its\n' +
        'line number and skipped; the other lines are still imported. Re-importing a file changes nothing.\n' +
        'Exit status: 0 when every line was good, 1 when any line was bad or the import failed.',
    )
    .action(async (file: string, options: ImportCommandOptions) => {
      await access(file).catch(() => {
        throw new Error(`cannot read ${file}: no such file, or not readable`);
      });
      await withCliContext(async (ctx) => {
        const { db } = ctx;
        await readySchema(ctx);
        const bar = progressBar();
        const onBadLine = (bad: BadLine) => bar.interrupt(`${file}:${bad.line}: ${bad.reason}`);
        let summary: ImportSummary;
        try {
          summary = await importJsonl(db, file, { featuredOn: options.featuredOn, onBadLine, onProgress: bar.update });
        } finally {
          bar.stop();
        }
        process.stdout.write(`${summaryLine(summary)}\n`);
        if (summary.bad > 0) process.exitCode = 1;
      });
    });
}
