/**
 * One JSON object per line on stdout, the shape CloudWatch Logs Insights parses without a pattern:
 * `{"time":"…","level":"info","msg":"…", …fields}`. Errors become `{name, message}`: no stack
 * traces or request bodies in logs unless asked for at debug level.
 */

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line. */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** Lines below this level are dropped. @default "info" */
  level?: LogLevel;
  /** Fields on every line, e.g. `{ app: "resizer", size: 16 }`. */
  fields?: LogFields;
  /** Where lines go. @default process.stdout */
  write?: (line: string) => void;
  /** @default () => new Date() */
  now?: () => Date;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? "info");
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const now = options.now ?? (() => new Date());
  const base = options.fields ?? {};
  const emit = (level: LogLevel, msg: string, fields: LogFields = {}) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const line = { time: now().toISOString(), level, msg, ...base, ...fields };
    write(
      `${JSON.stringify(line, (_key, value: unknown) => (value instanceof Error ? describeError(value, threshold === 0) : value))}\n`,
    );
  };
  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

function describeError(error: Error, withStack: boolean): Record<string, unknown> {
  const described: Record<string, unknown> = { name: error.name, message: error.message };
  const code = (error as { Code?: unknown; code?: unknown }).Code ?? (error as { code?: unknown }).code;
  if (typeof code === "string") described.code = code;
  if (withStack) described.stack = error.stack;
  return described;
}
