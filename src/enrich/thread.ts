/** Worker thread entry of enrichOffThread: computes summaries and keyphrases over its own database connection. */
import { openDatabase } from '../db/connection.js';
import { serveThreadCalls } from '../thread.js';
import { enrichPendingPapers, type EnrichRun } from './job.js';

serveThreadCalls({
  async enrich(databaseUrl: string): Promise<EnrichRun> {
    const db = await openDatabase(databaseUrl, { poolSize: 2, readerThreads: 0 });
    try {
      return await enrichPendingPapers(db);
    } finally {
      await db.close();
    }
  },
});
