/**
 * Structured JSON logs, one line per entry, written straight to stdout: the same shape Powertools Logger writes
 * (level, message, service, timestamp, request ids, cold start) without its cold-start cost. Writing to stdout rather
 * than through `console` keeps Lambda's JSON log format from wrapping the entry in a second JSON document.
 */
const LEVELS = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40, CRITICAL: 50, SILENT: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

function parseLevel(value: string | undefined): LogLevel | undefined {
  const upper = value?.trim().toUpperCase();
  return upper && upper in LEVELS ? (upper as LogLevel) : undefined;
}

export class Logger {
  private readonly level: LogLevel;

  constructor(private readonly service: string, level?: string, private readonly keys: Record<string, unknown> = {}) {
    this.level = parseLevel(level) ?? 'INFO';
  }

  /** A logger that adds `keys` (e.g. the request ids of one invocation) to every entry. */
  child(keys: Record<string, unknown>): Logger {
    return new Logger(this.service, this.level, { ...this.keys, ...keys });
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.write('DEBUG', message, fields);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.write('INFO', message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('WARN', message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.write('ERROR', message, fields);
  }

  private write(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (LEVELS[level] < LEVELS[this.level]) return;
    // The entry's own keys are written last, so no caller field or child key can overwrite them.
    const entry = { ...this.keys, ...fields, level, message, service: this.service, timestamp: new Date().toISOString() };
    process.stdout.write(`${JSON.stringify(entry)}\n`);
  }
}

/** The level from LOG_LEVEL, else the one Lambda's logging config sets (AWS_LAMBDA_LOG_LEVEL). */
export function configuredLogLevel(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return parseLevel(env.LOG_LEVEL) ?? parseLevel(env.AWS_LAMBDA_LOG_LEVEL);
}

/** An error reduced to what helps an operator, for logs only (never for responses). */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const metadata = (error as { $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number } }).$metadata;
  return {
    error: { name: error.name, message: error.message, stack: error.stack },
    ...(metadata ? { awsStatusCode: metadata.httpStatusCode, awsRequestId: metadata.requestId, awsAttempts: metadata.attempts } : {}),
  };
}
