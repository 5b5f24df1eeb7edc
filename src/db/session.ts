import type pg from 'pg';
import type { Db } from './connection.js';

/** How long a lost session waits before it connects again. */
const RECONNECT_MS = 1000;

export interface SessionHandlers {
  /** Runs on each new connection (LISTEN, taking a lock); a failure drops the connection and retries. */
  onConnect(client: pg.Client): Promise<void>;
  /** Told when the connection is lost (the server restarted, the backend was terminated). */
  onLost(error: Error): void;
}

/**
 * One long-lived PostgreSQL session outside the pool, connected again after it is lost: what a LISTEN
 * or an advisory lock needs, since both end with their session.
 */
export class LongSession {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client | null> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly db: Required<Pick<Db, 'openSession'>>,
    private readonly handlers: SessionHandlers,
  ) {}

  /** The connected client, connecting first if needed; null while the database cannot be reached. */
  async connected(): Promise<pg.Client | null> {
    if (this.client || this.closed) return this.client;
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  /** Keeps the session connected from now on, reconnecting after a loss. */
  keepAlive(): void {
    void this.connected().then((client) => client ?? this.reconnectLater());
  }

  private async connect(): Promise<pg.Client | null> {
    let client: pg.Client | null = null;
    try {
      client = await this.db.openSession();
      client.on('error', (error) => this.lost(client!, error));
      client.on('end', () => this.lost(client!, new Error('the database session ended')));
      await this.handlers.onConnect(client);
      if (this.closed) {
        await client.end();
        return null;
      }
      this.client = client;
      return client;
    } catch (error) {
      client?.removeAllListeners('end');
      await client?.end().catch(() => {});
      this.handlers.onLost(error as Error);
      return null;
    }
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.client !== client) return;
    this.client = null;
    if (this.closed) return;
    this.handlers.onLost(error);
    this.reconnectLater();
  }

  private reconnectLater(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.keepAlive();
    }, RECONNECT_MS);
    this.retry.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.connecting;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}
