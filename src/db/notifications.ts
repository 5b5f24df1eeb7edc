import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './connection.js';
import { LongSession } from './session.js';

const CHANNEL = 'dailypapers_changes';

/**
 * Messages between the processes sharing one PostgreSQL database, over LISTEN/NOTIFY: what one
 * process changes that the others cache. A process does not hear its own messages. After its session
 * was lost and came back, the receiver is told `null`: messages may have been missed meanwhile, so
 * it should forget whatever they would have changed. On SQLite, where one process serves, nothing
 * is sent.
 */
export class DatabaseNotifications<Message> {
  private readonly origin = randomUUID();
  private readonly session: LongSession | null;
  private listenedBefore = false;

  constructor(
    private readonly db: Db,
    receive: (message: Message | null) => void,
    onLost: (error: Error) => void,
  ) {
    const { openSession } = db;
    this.session = openSession
      ? new LongSession(
          { openSession },
          {
            onConnect: async (client) => {
              client.on('notification', ({ payload }) => {
                const { origin, message } = JSON.parse(payload ?? '{}') as { origin?: string; message: Message };
                if (origin !== this.origin) receive(message);
              });
              await client.query(`LISTEN ${CHANNEL}`);
              if (this.listenedBefore) receive(null);
              this.listenedBefore = true;
            },
            onLost,
          },
        )
      : null;
  }

  /** Starts hearing the other processes (and keeps hearing them across reconnections). */
  listen(): void {
    this.session?.keepAlive();
  }

  /** Tells every other process; through the pool, so a process that only tells needs no session. */
  async publish(message: Message): Promise<void> {
    if (!this.session) return;
    const payload = JSON.stringify({ origin: this.origin, message });
    await sql`SELECT pg_notify(${CHANNEL}, ${payload})`.execute(this.db.kysely);
  }

  close(): Promise<void> {
    return this.session?.close() ?? Promise.resolve();
  }
}
