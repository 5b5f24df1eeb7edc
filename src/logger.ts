import pino, { type Logger } from 'pino';

/** JSON logs to stdout (pino); LOG_LEVEL=silent for quiet tests. */
export function createLogger(level: string): Logger {
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}
