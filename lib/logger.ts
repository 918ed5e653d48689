/** Structured JSON logs (pino). */
import pino, { type Logger } from 'pino';
import type { Config } from '../config';

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, name = 'settlement'): Logger {
  return pino({ name, level: config.LOG_LEVEL });
}
