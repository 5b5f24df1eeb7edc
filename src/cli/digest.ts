import type { Command } from 'commander';
import { sendDigests } from '../digest/jobs.js';
import { planDigests } from '../digest/plan.js';
import { previewDigest } from '../digest/preview.js';
import { isoWeekOf, today } from '../rank/periods.js';
import { latestFeaturedDay } from '../store/papers.js';
import { getSubscriberByEmail } from '../store/subscriptions.js';
import { withCliContext } from './context.js';

interface PeriodOptions {
  date?: string;
  week?: string;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive whole number, got ${JSON.stringify(value)}`);
  return n;
}

export function registerDigest(program: Command): void {
  const digest = program.command('digest').description('email digests: plan a period, send the outbox, preview one');

  digest
    .command('plan')
    .description("add one period's digests to the outbox (safe to repeat: nothing is planned twice)")
    .option('--date <YYYY-MM-DD>', 'plan the daily digests of this day')
    .option('--week <YYYY-Www>', 'plan the weekly digests of this ISO week')
    .action(async (options: PeriodOptions) => {
      if (!options.date === !options.week)
        throw new Error('give either --date YYYY-MM-DD (daily) or --week YYYY-Www (weekly)');
      await withCliContext(async ({ db, config }) => {
        const frequency = options.date ? 'daily' : 'weekly';
        const r = await planDigests(db, config, frequency, (options.date ?? options.week)!);
        console.log(
          `planned ${r.planned} ${r.frequency} digests for ${r.period} (${r.subscribers} subscribers, ${r.alreadyPlanned} already planned, ${r.empty} with nothing to send)`,
        );
      });
    });

  digest
    .command('send')
    .description('send every due digest and account mail in the outbox once, then exit')
    .option('--lease-seconds <n>', 'how long this sender holds the messages it claimed', positiveInt)
    .option('--limit <n>', 'send at most this many messages', positiveInt)
    .action(async (options: { leaseSeconds?: number; limit?: number }) => {
      await withCliContext(async (ctx) => {
        const r = await sendDigests(ctx, {
          leaseMs: options.leaseSeconds && options.leaseSeconds * 1000,
          maxMessages: options.limit,
        });
        console.log(`sent ${r.sent}, retrying later ${r.retrying}, failed ${r.failed}, cancelled ${r.cancelled}`);
      });
    });

  digest
    .command('preview')
    .description('print the digest a subscriber would get, without sending or storing anything')
    .requiredOption('--email <address>', 'the subscriber')
    .option('--date <YYYY-MM-DD>', 'the day (daily subscribers; default: the latest day with papers)')
    .option(
      '--week <YYYY-Www>',
      'the ISO week (weekly subscribers; default: the week of --date or of the latest day with papers)',
    )
    .option('--html', 'print the HTML part instead of the plain-text part')
    .action(async (options: PeriodOptions & { email: string; html?: boolean }) => {
      await withCliContext(async ({ db, config }) => {
        const subscriber = await getSubscriberByEmail(db, options.email);
        if (!subscriber) throw new Error(`no subscriber with the address ${options.email}`);
        const latest = (await latestFeaturedDay(db)) ?? today();
        const period =
          subscriber.frequency === 'daily'
            ? (options.date ?? latest)
            : (options.week ?? isoWeekOf(options.date ?? latest));
        const preview = await previewDigest(db, config, subscriber, period);
        if (!preview) {
          console.log(
            `nothing to send to ${subscriber.email} for ${period}: no papers match (a day without papers is skipped)`,
          );
          return;
        }
        if (options.html) {
          process.stdout.write(preview.html);
          return;
        }
        console.log(`To: ${subscriber.email}\nSubject: ${preview.subject}\n\n${preview.text}`);
      });
    });
}
