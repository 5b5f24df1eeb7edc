import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { createMailTransport, type MailTransport } from '../mail/transport.js';

/** One pooled transport per mail server, shared by every login link this process sends. */
const transports = new Map<string, MailTransport>();

function transportFor(config: Config, smtpUrl: string): MailTransport {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    transport = createMailTransport(config);
    transports.set(smtpUrl, transport);
  }
  return transport;
}

/**
 * Sends a one-time login link. Without SMTP_URL (development) the link goes to the log instead,
 * so a developer can still sign in.
 */
export async function sendLoginLink(config: Config, logger: Logger, to: string, link: string): Promise<void> {
  if (config.SMTP_URL === undefined) {
    logger.info({ to, link }, 'login link (SMTP_URL is not set, so it was not mailed)');
    return;
  }
  const minutes = config.LOGIN_LINK_TTL_MINUTES;
  await transportFor(config, config.SMTP_URL).sendMail({
    from: config.MAIL_FROM,
    to,
    subject: 'Your dailypapers login link',
    text: `Open this link to log in to dailypapers:\n\n${link}\n\nIt works once and expires in ${minutes} minutes. If you did not ask for it, ignore this message.\n`,
  });
}
