/** Structured JSON logs (pino). */
import pino, { type Logger } from 'pino';

export function createLogger(config: { LOG_LEVEL: string }, name = 'settlement'): Logger {
  return pino({ name, level: config.LOG_LEVEL });
}
