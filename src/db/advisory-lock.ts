import type { Db } from './connection.js';
import { LongSession } from './session.js';

/**
 * A PostgreSQL advisory lock held by a session of its own: held until this process closes it or dies
 * (PostgreSQL releases it when the session ends, a SIGKILL included), so another process's next try
 * takes it over.
 */
export class SessionLock {
  private held = false;
  private readonly session: LongSession;

  constructor(
    db: Required<Pick<Db, 'openSession'>>,
    private readonly key: number,
    onLost: (error: Error) => void,
  ) {
    this.session = new LongSession(db, {
      onConnect: async () => {
        this.held = false;
      },
      onLost: (error) => {
        this.held = false;
        onLost(error);
      },
    });
  }

  /** Whether this process holds the lock now, taking it if it is free; false while the database is away. */
  async hold(): Promise<boolean> {
    const client = await this.session.connected();
    if (!client) return false;
    try {
      // Held: a round trip proves the session (and so the lock) is still there. Not held: try to take it.
      if (this.held) await client.query('SELECT 1');
      else {
        const { rows } = await client.query('SELECT pg_try_advisory_lock($1) AS locked', [this.key]);
        this.held = rows[0].locked === true;
      }
    } catch {
      // The session failed under the query: its 'error' event drops it, and the lock went with it.
      this.held = false;
    }
    return this.held;
  }

  /** Releases the lock by ending the session. */
  close(): Promise<void> {
    this.held = false;
    return this.session.close();
  }
}
