import type { Command } from 'commander';
import { embedPendingPapers } from '../search/embed-job.js';
import { UsearchIndex } from '../search/vector-index.js';
import { readySchema, withCliContext } from './context.js';
import { papersProgressBar } from './progress.js';

interface EmbedCommandOptions {
  all?: boolean;
}

export function registerEmbed(program: Command): void {
  program
    .command('embed')
    .description('compute the vectors semantic search and similar papers use, for papers that have none or were edited')
    .option(
      '--all',
      'start over: refit the corpus-learned model (or, with EMBEDDING_MODEL, recompute) and re-embed every paper',
    )
    .action(async (options: EmbedCommandOptions) => {
      await withCliContext(async (ctx) => {
        const { db, config, logger } = ctx;
        await readySchema(ctx);
        const bar = papersProgressBar('embedding');
        const started = performance.now();
        const run = await embedPendingPapers(ctx, {
          embeddingModel: config.EMBEDDING_MODEL,
          refit: options.all,
          logger,
          onProgress: bar.update,
        }).finally(() => bar.stop());
        if (!run.modelId) {
          process.stdout.write('no papers to embed yet\n');
          return;
        }
        // Builds (or catches up) the nearest-neighbour index and saves it, so the server starts with it ready.
        const index = await ctx.vectorIndexes.active(db);
        if (index instanceof UsearchIndex) await index.save();
        const seconds = (performance.now() - started) / 1000;
        process.stdout.write(
          `embedded ${run.embedded} papers with ${run.modelId} in ${seconds.toFixed(1)} s; ${index?.size() ?? 0} vectors indexed\n`,
        );
      });
    });
}
