import { z } from 'zod';

/**
 * Every setting in one table: the environment key, its default and how it is parsed.
 * Loading validates all of them and reports every problem at once.
 */
const port = z.coerce.number().int().min(0).max(65535);
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));
const url = z.string().url();

const settings = {
  DATABASE_URL: z.string().min(1).default('./data/dailypapers.db'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  BASE_URL: url.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SMTP_URL: url.optional(),
  MAIL_FROM: z.string().min(3).default('dailypapers <papers@localhost>'),
  SERVICES: z
    .string()
    .default('web,worker,scheduler')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['web', 'worker', 'scheduler'])).min(1)),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  SCHEDULER_ENABLED: bool.default(true),
  /** How long a feed page rendered for an anonymous reader is reused (milliseconds; 0 turns it off). */
  PAGE_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(2000),
  /** How long an RSS/Atom feed's fingerprint is trusted before the database is asked again (milliseconds; 0 asks on every request). */
  FEED_RECHECK_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
} satisfies Record<string, z.ZodType>;

const configSchema = z.object(settings);
type ParsedSettings = z.infer<typeof configSchema>;

export type Config = ParsedSettings & { BASE_URL: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
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
      result.error.issues.map((issue) => `${issue.path.join('.') || '(config)'}: ${issue.message} (got ${JSON.stringify(input[String(issue.path[0])])})`),
    );
  }
  const parsed = result.data;
  const baseUrl = (parsed.BASE_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/+$/, '');
  return { ...parsed, BASE_URL: baseUrl };
}
