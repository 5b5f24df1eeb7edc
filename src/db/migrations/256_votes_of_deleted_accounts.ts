import type { Migration } from './index.js';

/**
 * A vote that reaches the database after its account was deleted (it waited in a vote batch, or was
 * cast while the deletion ran) is dropped instead of stored, so a deleted account never keeps a vote.
 * The count is re-derived from the rows by each batch, so it stays right. On PostgreSQL the check
 * shares-locks the voter's row: it waits for a deletion in progress, whose tombstone comes before it
 * deletes the account's votes, and then sees the account deleted. A vote of an unknown member is
 * left to fail on its foreign key, as before.
 */
export const votesOfDeletedAccounts: Migration = {
  version: 256,
  name: 'votes_of_deleted_accounts',
  sql: {
    sqlite: [
      `CREATE TRIGGER votes_of_deleted_accounts BEFORE INSERT ON votes
        WHEN (SELECT deleted_at FROM users WHERE id = NEW.user_id) IS NOT NULL
        BEGIN SELECT RAISE(IGNORE); END`,
    ],
    postgres: [
      `CREATE FUNCTION votes_of_deleted_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
          gone TEXT;
        BEGIN
          SELECT deleted_at INTO gone FROM users WHERE id = NEW.user_id FOR SHARE;
          IF gone IS NOT NULL THEN
            RETURN NULL;
          END IF;
          RETURN NEW;
        END $$`,
      `CREATE TRIGGER votes_of_deleted_accounts BEFORE INSERT ON votes
        FOR EACH ROW EXECUTE FUNCTION votes_of_deleted_accounts()`,
    ],
  },
};
