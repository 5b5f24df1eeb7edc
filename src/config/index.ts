import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Every setting in one table: the environment key, its default and how it is parsed.
 * Loading validates all of them and reports every problem at once.
 */
const port = z.coerce.number().int().min(0).max(65535);
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));
const url = z.string().url();
const count = (max: number) => z.coerce.number().int().min(1).max(max);
const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'not an IANA time zone');

/**
 * SECRET_KEY until it is set or replaced by the key the database keeps (store/settings.ts). It is
 * public, so links signed with it are never accepted.
 */
export const DEVELOPMENT_SECRET_KEY = 'dailypapers-development-secret-do-not-use-in-production';
const milliseconds = z.coerce.number().int().min(0);
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour, UTC)');
/** An OAI-PMH set spec as arXiv names them: `cs`, `math`, `physics:hep-th`. */
export const SET_SPEC = /^[a-z-]+(:[A-Za-z.-]+)*$/;
const setSpecs = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(SET_SPEC, 'expected OAI-PMH set specs such as cs or physics:hep-th')).min(1));

/** The address ranges proxy-addr (and so fastify) knows by name. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address!);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/**
 * Which X-Forwarded-For hops to believe, as fastify's trustProxy takes them: `false` (none: the
 * connecting address is the client), `true` (every hop, only behind a proxy that overwrites the
 * header), a hop count, or the proxies' addresses and CIDR ranges, comma-separated.
 */
export type TrustProxy = boolean | number | string[];
const trustProxy = z
  .string()
  .trim()
  .transform((v, ctx): TrustProxy => {
    if (v === 'false' || v === '0') return false;
    if (v === 'true') return true;
    if (/^\d+$/.test(v)) return Number(v);
    const entries = v
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const bad = entries.filter((e) => !isProxyAddress(e));
    if (entries.length === 0 || bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `expected false, true, a hop count, or IP addresses/CIDR ranges (not ${bad.join(', ') || 'an empty list'})`,
      });
      return z.NEVER;
    }
    return entries;
  });

const WINDOW_UNITS_S: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
/** "15m" → 900. */
const windowSeconds = (window: string) => Number(window.slice(0, -1)) * WINDOW_UNITS_S[window.slice(-1)]!;

/** A rate limit as "PER_ACCOUNT,PER_IP/WINDOW", e.g. "10,50/15m": 10 per account and 50 per IP every 15 minutes. */
export interface RateLimitSetting {
  perAccount: number;
  perIp: number;
  windowSeconds: number;
}

const rateLimit = z
  .string()
  .regex(/^\d+,\d+\/\d+[smhd]$/, 'expected PER_ACCOUNT,PER_IP/WINDOW such as 10,50/15m')
  .transform((v): RateLimitSetting => {
    const [counts, window] = v.split('/') as [string, string];
    const [perAccount, perIp] = counts.split(',').map(Number) as [number, number];
    return { perAccount, perIp, windowSeconds: windowSeconds(window) };
  });

/** A limit per client IP as "COUNT/WINDOW", e.g. "60/1m": 60 a minute from one address. */
export interface IpRateLimitSetting {
  perIp: number;
  windowSeconds: number;
}

const ipRateLimit = z
  .string()
  .regex(/^\d+\/\d+[smhd]$/, 'expected PER_IP/WINDOW such as 60/1m')
  .transform((v): IpRateLimitSetting => {
    const [count, window] = v.split('/') as [string, string];
    return { perIp: Number(count), windowSeconds: windowSeconds(window) };
  });

const settings = {
  DATABASE_URL: z.string().min(1).default('./data/dailypapers.db'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Whose X-Forwarded-For decides the client address (rate limits per IP). Off: only the connecting address counts. */
  TRUST_PROXY: trustProxy.prefault('false'),
  BASE_URL: url.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: url.optional(),
  MAIL_FROM: z.string().min(3).default('dailypapers <papers@localhost>'),
  SERVICES: z
    .string()
    .default('web,worker,scheduler')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(['web', 'worker', 'scheduler'])).min(1)),
  /** PostgreSQL cancels a web request's statement after this long (milliseconds; 0: never); the request answers 503. */
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(5000),
  /** The same for background work: jobs and CLI commands such as import (milliseconds; 0: never). */
  JOB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(86_400_000).default(600_000),
  /** Worker slots for jobs of the default lane (trending, pruning, digests); each lane has its own (see README, Background jobs). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** Slots for mail a person is waiting for (subscription confirmation and manage links). */
  WORKER_MAIL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** Slots for long jobs: arXiv harvests and embedding runs. */
  WORKER_HEAVY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  SCHEDULER_ENABLED: bool.default(true),
  /** How long a job or an outbox mail is leased to a worker, renewed while it runs: a killed worker's are taken up again after this. */
  JOB_LEASE_MS: milliseconds.min(1000).max(3_600_000).default(60_000),
  /** Papers can be submitted up to this many days after their arXiv publication. */
  SUBMIT_WINDOW_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
  SUBMIT_DAILY_LIMIT: z.coerce.number().int().min(1).max(1000).default(5),
  /** New accounts wait this long before they can vote or submit (a brake on throwaway accounts). */
  NEW_ACCOUNT_DELAY_MINUTES: z.coerce.number().int().min(0).max(10_080).default(10),
  LOGIN_LINK_TTL_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  RATE_LIMIT_LOGIN: rateLimit.prefault('10,50/15m'),
  RATE_LIMIT_SIGNUP: rateLimit.prefault('3,10/1h'),
  RATE_LIMIT_SUBMIT: rateLimit.prefault('10,30/1h'),
  RATE_LIMIT_VOTE: rateLimit.prefault('60,300/1m'),
  RATE_LIMIT_COMMENT: rateLimit.prefault('10,40/10m'),
  RATE_LIMIT_SUBSCRIBE: rateLimit.prefault('3,10/1h'),
  /** Searches (page, API, search feeds) one address may run without signing in. */
  SEARCH_LIMIT_PER_IP: ipRateLimit.prefault('60/1m'),
  /** Other JSON API and feed requests one address may make without signing in. */
  API_LIMIT_PER_IP: ipRateLimit.prefault('600/1m'),
  /** How many searches, JSON API and feed requests run at once; the rest wait their turn. Unset: see db/dialect.ts. */
  READ_CONCURRENCY: count(256).optional(),
  /** Longest a client may take to send a whole request, headers and body; then it gets a 408. */
  REQUEST_TIMEOUT_MS: milliseconds.min(1).default(30_000),
  /** Signs confirm/manage/unsubscribe links (HMAC); at least 16 characters. Unset: generated, kept in the database. */
  SECRET_KEY: z.string().min(16).default(DEVELOPMENT_SECRET_KEY),
  SMTP_MAX_CONNECTIONS: count(50).default(5),
  /** How long to wait on a silent SMTP server before giving the message back for a retry. */
  SMTP_TIMEOUT_SECONDS: count(600).default(30),
  /** Local time at which the previous day's digests are planned, in DIGEST_TIMEZONE. */
  DIGEST_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM')
    .default('07:00'),
  DIGEST_TIMEZONE: timeZone.default('UTC'),
  /** The day weekly digests (for the ISO week just ended) go out. */
  DIGEST_WEEKDAY: z
    .enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'])
    .default('monday'),
  DIGEST_TOP_N: count(50).default(10),
  DIGEST_TOPIC_N: count(50).default(5),
  ARXIV_OAI_URL: url.default('https://oaipmh.arxiv.org/oai'),
  ARXIV_API_URL: url.default('https://export.arxiv.org/api/query'),
  /** Where a paper's PDF is fetched for its thumbnail: ARXIV_PDF_URL/ID. */
  ARXIV_PDF_URL: url.default('https://arxiv.org/pdf'),
  /** Whether serve's worker renders the first page of featured papers as their thumbnails. */
  THUMBNAILS_ENABLED: bool.default(true),
  /** Contact address sent in the User-Agent, as arXiv asks of harvesters; defaults to MAIL_FROM's address. */
  ARXIV_CONTACT: z.string().email().optional(),
  /** Minimum spacing between two requests to the same arXiv host (arXiv asks for one per 3 s). */
  ARXIV_DELAY_MS: milliseconds.default(3000),
  /** Longest a whole request may take, headers and body. */
  ARXIV_TIMEOUT_MS: milliseconds.min(1).default(120_000),
  /** Longest a response body may go without a single byte arriving. */
  ARXIV_STALL_MS: milliseconds.min(1).default(30_000),
  /** Retries after the first attempt on network errors and 5xx answers. */
  ARXIV_RETRIES: z.coerce.number().int().min(0).max(20).default(4),
  /** First retry delay; each further retry doubles it. */
  ARXIV_BACKOFF_MS: milliseconds.default(5000),
  /** A Retry-After longer than this fails the request instead of waiting. */
  ARXIV_MAX_RETRY_AFTER_MS: milliseconds.default(600_000),
  ARXIV_SETS: setSpecs('cs'),
  ARXIV_HARVEST_TIME: timeOfDay.default('02:00'),
  ARXIV_INGEST_ENABLED: bool.default(true),
  /** How long a feed page rendered for an anonymous reader is reused (milliseconds; 0 turns it off). */
  PAGE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  /** How long an RSS/Atom feed's fingerprint is trusted before the database is asked again (milliseconds; 0 asks on every request). */
  FEED_RECHECK_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** When set, GET /metrics answers only requests with `Authorization: Bearer METRICS_TOKEN`; at least 16 characters. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** When set, GET /metrics and /healthz are also served on this port (on HOST), for processes without the web service. */
  METRICS_PORT: port.optional(),
  /** On SIGTERM, how long in-flight requests and running jobs may take to finish before jobs are given back. */
  SHUTDOWN_TIMEOUT_MS: milliseconds.max(600_000).default(10_000),
  /** The GitHub REST API, asked for the stars of repositories papers link to. */
  GITHUB_API_URL: url.default('https://api.github.com'),
  /** A GitHub token: 5,000 requests an hour instead of 60. */
  GITHUB_TOKEN: z.string().min(1).optional(),
  /** How often a repository's stars are checked again (conditional requests: an unchanged count costs no quota). */
  GITHUB_REFRESH_HOURS: count(720).default(24),
  /** Longest one GitHub API request may take. */
  GITHUB_TIMEOUT_MS: milliseconds.min(1).default(10_000),
  /** A transformers.js model folder or hub-cache name for semantic search, or with EMBEDDING_URL the server's model name; unset: a model learned from the stored papers. */
  EMBEDDING_MODEL: z.string().min(1).max(200).optional(),
  /** An OpenAI-compatible embeddings endpoint (`/v1/embeddings`); needs EMBEDDING_MODEL. */
  EMBEDDING_URL: z
    .string()
    .url()
    .refine((value) => /^https?:\/\//.test(value), 'must be an http or https URL')
    .optional(),
  /** Sent as `Authorization: Bearer …` to the embeddings server. */
  EMBEDDING_API_KEY: z.string().min(1).optional(),
  /** Texts per request to the embeddings server. */
  EMBEDDING_BATCH_SIZE: z.coerce.number().int().min(1).max(2048).default(64),
  /** Requests to the embeddings server in flight at once. */
  EMBEDDING_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  /** An embeddings request that takes longer is abandoned (and retried). */
  EMBEDDING_TIMEOUT_MS: milliseconds.min(1).max(600_000).default(60_000),
  /** Retries of a batch after a network error, a timeout, 408, 429 or 5xx. */
  EMBEDDING_RETRIES: z.coerce.number().int().min(0).max(20).default(4),
  /** First retry delay; each further retry doubles it (a Retry-After is honoured instead). */
  EMBEDDING_BACKOFF_MS: milliseconds.max(600_000).default(1000),
  /** An OpenAI-compatible chat endpoint (`/v1/chat/completions`) that writes papers' one-sentence summaries; needs LLM_MODEL. */
  LLM_URL: z
    .string()
    .url()
    .refine((value) => /^https?:\/\//.test(value), 'must be an http or https URL')
    .optional(),
  /** The chat model's name, sent with every request. */
  LLM_MODEL: z.string().min(1).max(200).optional(),
  /** Sent as `Authorization: Bearer …` to the chat endpoint. */
  LLM_API_KEY: z.string().min(1).optional(),
  /** Requests to the chat endpoint per UTC day, retries included, counted in the database across processes. */
  LLM_DAILY_BUDGET: z.coerce.number().int().min(0).max(10_000_000).default(500),
  /** A chat request that takes longer is abandoned (and retried). */
  LLM_TIMEOUT_MS: milliseconds.min(1).max(600_000).default(30_000),
  /** Retries of a summary after a network error, a timeout, 408, 429 or 5xx. */
  LLM_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /** First retry delay; each further retry doubles it (a Retry-After up to a minute is honoured instead). */
  LLM_BACKOFF_MS: milliseconds.max(600_000).default(2000),
} satisfies Record<string, z.ZodType>;

/** The name of every setting, for documentation checks. */
export const settingNames = Object.keys(settings);

const configSchema = z.object(settings);
type ParsedSettings = z.infer<typeof configSchema>;

export type Config = ParsedSettings & { BASE_URL: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Settings that load but should not be used as they are here (logged at startup). */
export function configWarnings(env: Record<string, string | undefined> = process.env): string[] {
  const warnings: string[] = [];
  if (env.NODE_ENV === 'production' && !env.BASE_URL?.startsWith('https://')) {
    warnings.push(
      'BASE_URL is not https: session cookies are not marked Secure (unless a request arrives over https) ' +
        'and no HSTS is sent',
    );
  }
  return warnings;
}

/** Whether the site's public address is https, so cookies are Secure and HSTS is sent. */
export function servedOverHttps(config: Pick<Config, 'BASE_URL'>): boolean {
  return config.BASE_URL.startsWith('https://');
}

/** Reads the configuration from an environment; throws a ConfigError listing every bad setting. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(settings)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const result = configSchema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map(
        (issue) =>
          `${issue.path.join('.') || '(config)'}: ${issue.message} (got ${JSON.stringify(input[String(issue.path[0])])})`,
      ),
    );
  }
  const parsed = result.data;
  if (parsed.EMBEDDING_URL && !parsed.EMBEDDING_MODEL)
    throw new ConfigError([
      `EMBEDDING_MODEL: required with EMBEDDING_URL, the name of the server's model (got ${JSON.stringify(parsed.EMBEDDING_URL)} as EMBEDDING_URL)`,
    ]);
  if (parsed.LLM_URL && !parsed.LLM_MODEL)
    throw new ConfigError([
      `LLM_MODEL: required with LLM_URL, the name of the chat model (got ${JSON.stringify(parsed.LLM_URL)} as LLM_URL)`,
    ]);
  const baseUrl = (parsed.BASE_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/+$/, '');
  return { ...parsed, BASE_URL: baseUrl };
}
