import pino, { type Logger } from 'pino';

export interface LogEntry {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A real pino logger whose JSON lines are kept for the test to read (warn = 40, error = 50). */
export function captureLogs(level = 'info'): {
  logger: Logger;
  entries: LogEntry[];
  atLeast(level: number): LogEntry[];
} {
  const entries: LogEntry[] = [];
  const logger = pino({ level }, { write: (line: string) => void entries.push(JSON.parse(line) as LogEntry) });
  return { logger, entries, atLeast: (min) => entries.filter((e) => e.level >= min) };
}
