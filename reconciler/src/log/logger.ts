/**
 * Structured logs: JSON lines when stdout is not a terminal (for log collectors), one readable line
 * per record on a terminal. Fields whose names look like secrets are redacted before anything is written.
 */

/** Log severity, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVELS: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /secret|token|password|passphrase|apikey|api_key|authorization|signature|credential/i;

/** Extra structured fields of a log record. */
export type LogFields = Readonly<Record<string, unknown>>;

/** A structured logger; `child` adds fixed fields (component, botKey) to every record. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

/** Where and how a logger writes. */
export interface LoggerOptions {
  readonly write: (line: string) => void;
  /** `json` for collectors, `pretty` for a terminal. */
  readonly format: 'json' | 'pretty';
  readonly level?: LogLevel;
  readonly now?: () => number;
}

/** Replaces values of secret-looking keys (at any depth) with `[redacted]`. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value instanceof Error) return { name: value.name, message: value.message };
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

function prettyValue(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

class LineLogger implements Logger {
  private readonly options: LoggerOptions;
  private readonly fields: LogFields;
  private readonly min: number;

  constructor(options: LoggerOptions, fields: LogFields) {
    this.options = options;
    this.fields = fields;
    this.min = LEVELS[options.level ?? 'info'];
  }

  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }
  child(fields: LogFields): Logger {
    return new LineLogger(this.options, { ...this.fields, ...fields });
  }

  private log(level: LogLevel, message: string, fields: LogFields | undefined): void {
    if (LEVELS[level] < this.min) return;
    const ts = (this.options.now ?? Date.now)();
    const all = redact({ ...this.fields, ...fields }) as Record<string, unknown>;
    if (this.options.format === 'json') {
      this.options.write(
        `${JSON.stringify({ ts: new Date(ts).toISOString(), level, msg: message, ...all })}\n`,
      );
      return;
    }
    const time = new Date(ts).toISOString().slice(11, 19);
    const extra = Object.entries(all)
      .map(([k, v]) => `${k}=${prettyValue(v)}`)
      .join(' ');
    this.options.write(`${time} ${level.toUpperCase().padEnd(5)} ${message}${extra ? `  ${extra}` : ''}\n`);
  }
}

/** Creates a logger writing through `options.write`. */
export function createLogger(options: LoggerOptions, fields: LogFields = {}): Logger {
  return new LineLogger(options, fields);
}

/** A logger for a process stream: pretty on a terminal, JSON lines otherwise. */
export function streamLogger(stream: NodeJS.WriteStream, level: LogLevel = 'info'): Logger {
  return createLogger({
    write: (line) => stream.write(line),
    format: stream.isTTY ? 'pretty' : 'json',
    level,
  });
}

/** A logger that drops everything (tests that do not look at logs). */
export const silentLogger: Logger = createLogger({ write: () => undefined, format: 'json', level: 'error' });
