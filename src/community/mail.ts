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

/**
 * The two mails of a change of address: the confirmation link to the new address, and a notice to the
 * old one (so a stolen session cannot move an account away unnoticed). Without SMTP_URL the link is logged.
 */
export async function sendEmailChangeMails(
  { config, logger, mail: pool, metrics }: Pick<AppContext, 'config' | 'logger' | 'mail' | 'metrics'>,
  change: { oldEmail: string; newEmail: string; url: string },
): Promise<void> {
  if (config.SMTP_URL === undefined) {
    logger.info(
      { to: change.newEmail, link: change.url },
      'email change link (SMTP_URL is not set, so it was not mailed)',
    );
    return;
  }
  const minutes = config.LOGIN_LINK_TTL_MINUTES;
  await pool.transport.sendMail({
    from: config.MAIL_FROM,
    to: change.newEmail,
    subject: 'Confirm your new dailypapers address',
    text:
      `Someone, hopefully you, asked to use this address for a dailypapers account. Open this link to confirm it:\n\n` +
      `${change.url}\n\nIt works once and expires in ${minutes} minutes. If you did not ask for it, ignore this message.\n`,
  });
  await pool.transport.sendMail({
    from: config.MAIL_FROM,
    to: change.oldEmail,
    subject: 'Your dailypapers address is being changed',
    text:
      'Someone logged in to your dailypapers account asked to move it to a new email address. ' +
      'This address stays in use until the link mailed to the new one is followed.\n\n' +
      'If this was not you, log in and change your password now.\n',
  });
  metrics.mail.inc({ kind: 'email_change', outcome: 'sent' }, 2);
}
