/** The root logger: pino, JSON lines on stdout. Modules get children (`logger.child({ module })`). */
import { type Logger, pino } from 'pino';

export type { Logger } from 'pino';

/** Creates the root logger at `level`. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'tbgan-serve' }, timestamp: pino.stdTimeFunctions.isoTime });
}
