/** Severity of a log line; `off` silences the client. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

/** Where log lines go: `console` fits, and so does pino's or winston's logger. */
export interface Logger {
  debug(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, off: 4 };

/** A log function that drops lines below `level` and redacts credentials from the rest. */
export type Log = (level: Exclude<LogLevel, 'off'>, message: string) => void;

/** Builds the client's log function. Only strings are logged, each passed through `redact`. */
export function createLog(
  logger: Logger | undefined,
  level: LogLevel,
  redact: (text: string) => string,
): Log {
  if (!logger || level === 'off') return () => {};
  return (lineLevel, message) => {
    if (RANK[lineLevel] >= RANK[level]) logger[lineLevel](`[msgbatch] ${redact(message)}`);
  };
}
