import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { ThreadClient } from '../thread.js';

/**
 * The reader threads' code, in plain JavaScript so a thread starts without the TypeScript loader (a
 * database opens one per thread, and the test suites open hundreds of databases). Each thread holds a
 * read-only connection to the file and answers `all(sql, parameters)` in the protocol of src/thread.ts.
 */
const READER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = ${5_000}');
db.pragma('cache_size = -32768');
const statements = new Map();
parentPort.on('message', ({ id, args: [sql, parameters] }) => {
  try {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= 200) statements.clear();
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    parentPort.postMessage({ id, value: statement.all(parameters) });
  } catch (error) {
    parentPort.postMessage({ id, error: error.message, code: typeof error.code === 'string' ? error.code : undefined });
  }
});
`;

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Threads that run a SQLite file's plain reads, each on a connection of its own. better-sqlite3 runs a
 * statement on the calling thread, so on the server's own connection a search over the whole corpus held
 * every other request for as long as it ran. In WAL mode readers see every committed write and never wait
 * for the writer; writes and transactions stay on the server's connection (sqlite-writers.ts).
 */
export class SqliteReaders {
  private readonly threads: ThreadClient[];

  constructor(file: string, threads: number) {
    const start = () => new Worker(READER_SOURCE, { eval: true, workerData: { driver, file } });
    this.threads = Array.from({ length: threads }, (_, i) => new ThreadClient(start, `SQLite reader ${i + 1}`));
  }

  /** The rows of a read, from the thread with the least work waiting. */
  async all(sql: string, parameters: readonly unknown[]): Promise<Record<string, unknown>[]> {
    const thread = this.threads.reduce((least, t) => (t.pending < least.pending ? t : least));
    const rows = await thread.call<Record<string, unknown>[]>('all', [sql, parameters]);
    for (const row of rows) restoreBuffers(row);
    return rows;
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.close()));
  }
}

/** A BLOB crosses threads as a plain Uint8Array; the store reads BLOBs as Buffers, as the server's connection gives them. */
function restoreBuffers(row: Record<string, unknown>): void {
  // for…in, not Object.entries: every row of every read passes here, and entries' arrays were garbage.
  for (const column in row) {
    const value = row[column];
    if (value instanceof Uint8Array && !Buffer.isBuffer(value))
      row[column] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
}
