import type { Command } from 'commander';
import { enrichPendingPapers } from '../enrich/job.js';
import { chatSettingsFrom } from '../enrich/llm.js';
import { summarizeWithLlm } from '../enrich/llm-summaries.js';
import { forgetEnrichments } from '../store/enrichments.js';
import { readySchema, withCliContext } from './context.js';
import { papersProgressBar } from './progress.js';

interface EnrichCommandOptions {
  all?: boolean;
}

export function registerEnrich(program: Command): void {
  program
    .command('enrich')
    .description('compute the one-sentence summary and keyphrases of papers that have none or were edited')
    .option('--all', 'compute every paper again')
    .action(async (options: EnrichCommandOptions) => {
      await withCliContext(async (ctx) => {
        await readySchema(ctx);
        if (options.all) await forgetEnrichments(ctx.db);
        const bar = papersProgressBar('enriching');
        const started = performance.now();
        const run = await enrichPendingPapers(ctx.db, { onProgress: bar.update }).finally(() => bar.stop());
        const seconds = (performance.now() - started) / 1000;
        const rate = seconds > 0 ? Math.round(run.enriched / seconds) : 0;
        process.stdout.write(`enriched ${run.enriched} papers in ${seconds.toFixed(1)} s (${rate} papers/s)\n`);
        const chat = chatSettingsFrom(ctx.config);
        if (chat) {
          const llm = await summarizeWithLlm(ctx.db, chat);
          process.stdout.write(
            `chat model summaries: ${llm.summarized} written, ${llm.unusable} unusable${llm.stopped ? ` (stopped: ${llm.stopped})` : ''}\n`,
          );
        }
      });
    });
}
