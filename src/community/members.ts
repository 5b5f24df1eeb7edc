import type { Config } from '../config/index.js';
import type { Auth } from './credentials.js';
import { HttpError } from '../errors.js';

/**
 * Refuses votes and submissions from accounts younger than NEW_ACCOUNT_DELAY_MINUTES, which makes
 * throwaway accounts for vote rings slower to use.
 */
export function assertPastNewAccountDelay(config: Config, user: Auth['user'], doing: string, now = new Date()): void {
  const readyAt = Date.parse(user.createdAt) + config.NEW_ACCOUNT_DELAY_MINUTES * 60_000;
  if (now.getTime() >= readyAt) return;
  const secondsLeft = Math.ceil((readyAt - now.getTime()) / 1000);
  const minutes = Math.ceil(secondsLeft / 60);
  throw new HttpError(
    403,
    `New accounts can ${doing} ${config.NEW_ACCOUNT_DELAY_MINUTES} minutes after signing up; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    {
      retryAfterSeconds: secondsLeft,
    },
  );
}
