import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { issueApiToken, signUp } from '../community/accounts.js';
import { findUserByEmail } from '../store/users.js';
import { withCliContext } from './context.js';
import { HttpError } from '../errors.js';

/** A username from the address's local part ("ada.lovelace@x" → "ada-lovelace"). */
function usernameFromEmail(email: string): string {
  return (
    email
      .split('@')[0]!
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^[-_]+/, '')
      .slice(0, 32) || 'member'
  );
}

async function run(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    process.stderr.write(`dailypapers: ${error.message}\n`);
    process.exitCode = 1;
  }
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('manage accounts');

  user
    .command('create')
    .description('create an account (the password is read from a file so it stays out of shell history)')
    .requiredOption('--email <email>', 'the account email address')
    .requiredOption('--password-file <file>', 'file whose first line is the password')
    .option('--username <name>', 'public username (default: from the email address)')
    .option('--admin', 'make the account an admin')
    .action(async (options: { email: string; passwordFile: string; username?: string; admin?: boolean }) => {
      const password = (await readFile(options.passwordFile, 'utf8')).split(/\r?\n/)[0] ?? '';
      await withCliContext(({ db }) =>
        run(async () => {
          const created = await signUp(
            db,
            { email: options.email, username: options.username ?? usernameFromEmail(options.email), password },
            options.admin ? 'admin' : 'member',
          );
          console.log(`created ${created.role} ${created.username} <${created.email}> (${created.id})`);
        }),
      );
    });

  user
    .command('token')
    .description('create an API token for an account and print it (shown only once)')
    .requiredOption('--email <email>', 'the account email address')
    .option('--name <name>', 'what the token is for', 'cli')
    .action(async (options: { email: string; name: string }) => {
      await withCliContext(({ db }) =>
        run(async () => {
          const account = await findUserByEmail(db, options.email);
          if (!account) throw new HttpError(404, `No account uses ${options.email}.`);
          console.log((await issueApiToken(db, account.id, options.name)).token);
        }),
      );
    });
}
