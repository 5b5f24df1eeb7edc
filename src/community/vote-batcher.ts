import type { Db } from '../db/connection.js';
import { databaseUnavailable } from '../db/unavailable.js';
import { applyVoteChanges, type VoteChange, type VoteOutcome } from '../store/votes.js';

/** Changes per transaction at most (a few parameters each, well under either database's limit). */
const MAX_BATCH = 500;

interface Waiting {
  change: VoteChange;
  resolve(outcome: VoteOutcome | null): void;
  reject(error: unknown): void;
}

/**
 * Group commit for votes: the votes on one paper that arrive while its previous batch is being
 * written wait, and go together in the next transaction (one row lock, one count, one score update,
 * one commit), instead of each taking the hot paper's row lock in turn. A vote alone is written at
 * once, so a quiet site waits for nothing. Each caller's promise settles only once its batch has
 * committed, so an answer that says a vote was counted means it is on disk. If a batch fails for a
 * reason of its own (not the database being away), its votes are retried one by one, so one bad
 * vote cannot fail the others. One per app context: processes sharing a PostgreSQL batch separately
 * and take turns on the paper's lock.
 */
export class VoteBatcher {
  readonly #waiting = new Map<string, Waiting[]>();

  constructor(private readonly db: Db) {}

  /** Puts the vote into the wanted state, once committed (null when the paper is missing or hidden). */
  cast(paperId: string, change: VoteChange): Promise<VoteOutcome | null> {
    return new Promise((resolve, reject) => {
      const queue = this.#waiting.get(paperId);
      if (queue) {
        queue.push({ change, resolve, reject });
        return;
      }
      this.#waiting.set(paperId, [{ change, resolve, reject }]);
      void this.#drain(paperId);
    });
  }

  /** Writes the paper's waiting votes batch after batch until none are left. */
  async #drain(paperId: string): Promise<void> {
    const queue = this.#waiting.get(paperId)!;
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      await this.#write(paperId, batch);
    }
    this.#waiting.delete(paperId);
  }

  async #write(paperId: string, batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await applyVoteChanges(
        this.db,
        paperId,
        batch.map((w) => w.change),
      );
      for (const [i, waiting] of batch.entries()) waiting.resolve(outcomes[i]!);
    } catch (error) {
      if (batch.length === 1 || databaseUnavailable(error)) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      for (const waiting of batch) await this.#write(paperId, [waiting]);
    }
  }
}
