import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { Config } from '../config/index.js';

export type MailTransport = Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;

/**
 * A pooled SMTP transport for SMTP_URL. A server silent for SMTP_TIMEOUT_SECONDS fails the
 * message (to be retried) long before the sender's lease on it runs out.
 */
export function createMailTransport(
  config: Pick<Config, 'SMTP_URL' | 'SMTP_MAX_CONNECTIONS' | 'SMTP_TIMEOUT_SECONDS'>,
): MailTransport {
  const timeoutMs = config.SMTP_TIMEOUT_SECONDS * 1000;
  if (!config.SMTP_URL)
    throw new Error('SMTP_URL is not set, so no mail can be sent (for example SMTP_URL=smtp://127.0.0.1:2525)');
  return nodemailer.createTransport({
    url: config.SMTP_URL,
    pool: true,
    maxConnections: config.SMTP_MAX_CONNECTIONS,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
}

/**
 * The process's pooled transport for one-off mail (login links): made on first use, so a process
 * that sends none opens no connection, and closed with the app context that owns it.
 */
export class MailPool {
  #transport: MailTransport | null = null;

  constructor(private readonly config: Pick<Config, 'SMTP_URL' | 'SMTP_MAX_CONNECTIONS' | 'SMTP_TIMEOUT_SECONDS'>) {}

  get transport(): MailTransport {
    this.#transport ??= createMailTransport(this.config);
    return this.#transport;
  }

  close(): void {
    this.#transport?.close();
    this.#transport = null;
  }
}

/**
 * A hard bounce: a 5xx reply to the recipient or to the message (unknown mailbox, mailbox
 * disabled, content refused), so retrying cannot help. A 5xx to our own sender address or login
 * is a problem of this server's setup, not of the subscriber, and is retried instead.
 */
export function isBounce(error: unknown): boolean {
  const { responseCode, command } = (error ?? {}) as { responseCode?: unknown; command?: unknown };
  return (
    typeof responseCode === 'number' &&
    responseCode >= 500 &&
    responseCode < 600 &&
    (command === 'RCPT TO' || command === 'DATA')
  );
}

/** One line for logs and for the error recorded on the outbox row and subscriber. */
export function describeMailError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, responseCode } = error as Error & { code?: string; responseCode?: number };
  const prefix = responseCode ? `${responseCode} ` : code ? `${code}: ` : '';
  const message = error.message.replace(/\s+/g, ' ').trim();
  return (message.startsWith(String(responseCode ?? code ?? '\0')) ? message : prefix + message).slice(0, 1000);
}

/** The domain part of an address such as `dailypapers <papers@example.org>`. */
export function senderDomain(from: string): string {
  const match = /@([^\s>]+)>?\s*$/.exec(from);
  return (match?.[1] ?? 'localhost').toLowerCase();
}
