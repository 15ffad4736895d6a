/** Severity of a log line; `off` silences the client. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

/** Where log lines go: `console` fits, and so does pino's or winston's logger. */
export interface Logger {
  debug(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  error(message: string, ...rest: unknown[]): void;
}

/** The levels in rising order; `off` is none of them. */
const LEVELS: readonly string[] = ['debug', 'info', 'warn', 'error'];

/** A log function that drops lines below `level` and redacts credentials from the rest. */
export type Log = (level: Exclude<LogLevel, 'off'>, message: string) => void;

/** Builds the client's log function. Only strings are logged, each passed through `redact`. */
export function createLog(
  logger: Logger | undefined,
  level: LogLevel,
  redact: (text: string) => string,
): Log {
  const lowest = LEVELS.indexOf(level);
  if (!logger || lowest < 0) return () => {};
  return (lineLevel, message) => {
    if (LEVELS.indexOf(lineLevel) >= lowest) logger[lineLevel](`[msgbatch] ${redact(message)}`);
  };
}
