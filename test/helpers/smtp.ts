import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeTo: string[];
  messageId: string | undefined;
  raw: string;
  parsed: ParsedMail;
}

/** An SMTP reply for a recipient: a 4xx or 5xx code and its text. */
export interface SmtpReply {
  code: number;
  message: string;
}

export interface SmtpSinkOptions {
  /** Decides RCPT TO per recipient: return a reply to refuse it, nothing to accept. */
  onRecipient?: (address: string) => SmtpReply | undefined;
  /** Decides MAIL FROM the same way. */
  onSender?: (address: string) => SmtpReply | undefined;
  /** Waits this long before answering 250 to a message's data (a slow server). */
  acceptDelayMs?: number;
  /** Parse each message with mailparser (default true; benchmarks turn it off). */
  parse?: boolean;
}

export interface SmtpSink {
  /** smtp://127.0.0.1:PORT, for SMTP_URL. */
  url: string;
  received: ReceivedMail[];
  /** How many messages' data arrived (also when not parsed). */
  count(): number;
  /** How many connections clients opened since it started. */
  connectionsOpened(): number;
  /** How many clients are connected now. */
  connections(): number;
  /** Messages that arrived for an address (any capitalisation). */
  to(address: string): ReceivedMail[];
  /** Resolves once `n` messages arrived, or rejects after `timeoutMs`. */
  waitForCount(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function answer(reply: SmtpReply | undefined, callback: (error?: Error | null) => void): void {
  callback(reply && Object.assign(new Error(reply.message), { responseCode: reply.code }));
}

/**
 * A real SMTP server on a loopback port that keeps what it receives. Like a real MTA it has
 * the message once the data is complete, before it answers: a client that dies while waiting
 * for the answer has still delivered it.
 */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  let arrived = 0;
  let connected = 0;
  let opened = 0;
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    disableReverseLookup: true,
    closeTimeout: 1000,
    size: 10 * 1024 * 1024,
    onConnect(_session, callback) {
      connected++;
      opened++;
      callback();
    },
    onClose() {
      connected--;
    },
    onMailFrom(address, _session, callback) {
      answer(options.onSender?.(address.address), callback);
    },
    onRcptTo(address, _session, callback) {
      answer(options.onRecipient?.(address.address), callback);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks);
        if (options.parse !== false) {
          const parsed = await simpleParser(raw);
          received.push({
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            messageId: parsed.messageId,
            raw: raw.toString('utf8'),
            parsed,
          });
        }
        arrived++;
        for (const wake of waiters) wake();
        if (options.acceptDelayMs) setTimeout(() => callback(), options.acceptDelayMs);
        else callback();
      });
    },
  });
  server.on('error', () => {
    // A client killed mid-conversation resets its socket; that is expected here.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    count: () => arrived,
    connectionsOpened: () => opened,
    connections: () => connected,
    to: (address) => received.filter((m) => m.envelopeTo.some((a) => a.toLowerCase() === address.toLowerCase())),
    waitForCount(n, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (arrived < n) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`expected ${n} messages within ${timeoutMs} ms, got ${arrived}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
