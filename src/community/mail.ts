import type { AppContext } from '../app/context.js';

/**
 * Why a login link is mailed, in our own words only: the forms that send one can be filled in by
 * anyone, so nothing typed in them (a username) is repeated to the address.
 */
const LINK_MAILS = {
  login: { subject: 'Your dailypapers login link', why: 'Open this link to log in to dailypapers:' },
  signup: {
    subject: 'Finish signing up to dailypapers',
    why: 'Open this link to confirm this address and log in to your new dailypapers account:',
  },
  existing: {
    subject: 'Your dailypapers login link',
    why:
      'Someone, hopefully you, tried to sign up to dailypapers with this address, which already has an account. ' +
      'Open this link to log in to it:',
  },
} as const;

export type LinkMail = keyof typeof LINK_MAILS;

/**
 * Sends a one-time login link. Without SMTP_URL (development) the link goes to the log instead,
 * so a developer can still sign in.
 */
export async function sendLoginLink(
  { config, logger, mail: pool, metrics }: Pick<AppContext, 'config' | 'logger' | 'mail' | 'metrics'>,
  to: string,
  link: string,
  kind: LinkMail = 'login',
): Promise<void> {
  if (config.SMTP_URL === undefined) {
    logger.info({ to, link, kind }, 'login link (SMTP_URL is not set, so it was not mailed)');
    return;
  }
  const minutes = config.LOGIN_LINK_TTL_MINUTES;
  const mail = LINK_MAILS[kind];
  await pool.transport.sendMail({
    from: config.MAIL_FROM,
    to,
    subject: mail.subject,
    text:
      `${mail.why}\n\n${link}\n\n` +
      `It works once and expires in ${minutes} minutes. If you did not ask for it, ignore this message.\n`,
  });
  metrics.mail.inc({ kind: 'login_link', outcome: 'sent' });
}
