import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';

const transports = new Map<string, Transporter>();

function transportFor(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    transport = nodemailer.createTransport(smtpUrl);
    transports.set(smtpUrl, transport);
  }
  return transport;
}

/**
 * Sends a one-time login link. Without SMTP_URL (development) the link goes to the log instead,
 * so a developer can still sign in.
 */
export async function sendLoginLink(config: Config, logger: Logger, to: string, link: string): Promise<void> {
  if (!config.SMTP_URL) {
    logger.info({ to, link }, 'login link (SMTP_URL is not set, so it was not mailed)');
    return;
  }
  const minutes = config.LOGIN_LINK_TTL_MINUTES;
  await transportFor(config.SMTP_URL).sendMail({
    from: config.MAIL_FROM,
    to,
    subject: 'Your dailypapers login link',
    text: `Open this link to log in to dailypapers:\n\n${link}\n\nIt works once and expires in ${minutes} minutes. If you did not ask for it, ignore this message.\n`,
  });
}
