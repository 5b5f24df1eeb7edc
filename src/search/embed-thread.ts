/** Worker thread entry of embedOffThread: fits and applies the embedder over its own database connection. */
import { openDatabase } from '../db/connection.js';
import { createLogger } from '../logger.js';
import { serveThreadCalls } from '../thread.js';
import { embedPendingPapers, type EmbedRun } from './embed-job.js';
import { EmbedderCache } from './embedder.js';
import type { EmbeddingServer } from './remote-embedder.js';

serveThreadCalls({
  async embed(
    databaseUrl: string,
    embeddingModel: string | undefined,
    logLevel: string,
    server: EmbeddingServer | undefined,
  ): Promise<EmbedRun> {
    const db = await openDatabase(databaseUrl, { poolSize: 2, readerThreads: 0 });
    try {
      // A thread shares no memory with the process that started it: its embedder is its own.
      return await embedPendingPapers(
        { db, embedders: new EmbedderCache(server) },
        { embeddingModel, logger: createLogger(logLevel) },
      );
    } finally {
      await db.close();
    }
  },
});
